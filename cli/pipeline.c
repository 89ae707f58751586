/* pipeline.c - the whole front of the pipeline in one call: parse, type,
 * apply ONBUILD triggers, expand, lower to the IR, run the passes, hash.
 * `mdock ir` and the tests share it. */
#include "cli/pipeline.h"

#include <stdio.h>
#include <string.h>

#include "ir/ir.h"

static bool selected(const char *list, const char *name)
{
  size_t n = strlen(name);
  const char *p = list;
  while(p && *p) {
    const char *e = strchr(p, ',');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if(l == n && strncmp(p, name, n) == 0)
      return true;
    p = e ? e + 1 : NULL;
  }
  return false;
}

/* Inserts the ONBUILD triggers of FROM images after their FROM: each
 * image's triggers are parsed as a source of their own (named after the
 * image), so errors in them point at the trigger text. */
static enum mdk_status image_triggers(struct mdk_arena *a,
                                      struct mdk_diags *diags,
                                      const struct mdk_cli_compile_opts *o,
                                      struct mdk_fe_file **file)
{
  const struct mdk_fe_file *f = *file;
  struct mdk_fe_file *out;
  struct mdk_vec cmds = MDK_VEC_INIT(struct mdk_fe_cmd);
  struct mdk_vec names = MDK_VEC_INIT(struct mdk_str);
  bool any = false;
  size_t i, j;
  if(!o->base_onbuild)
    return MDK_OK;
  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_cmd *c = &f->cmds[i];
    const struct mdk_str *trig = NULL;
    size_t nt = 0;
    bool is_stage = false;
    mdk_vec_push(a, &cmds, c);
    if(c->kind != MDK_FE_FROM || !c->base)
      continue;
    if(c->stage_name.len)
      mdk_vec_push(a, &names, &c->stage_name);
    if(mdk_str_index(c->base->val, '$') >= 0 ||
       mdk_str_eq_c(c->base->val, "scratch"))
      continue;
    for(j = 0; j + (c->stage_name.len ? 1 : 0) < names.len; j++)
      if(mdk_str_eq(*mdk_vec_at(&names, struct mdk_str, j),
                    mdk_str_lower(a, c->base->val)))
        is_stage = true;
    /* the build's platform's config (a FROM --platform is not expanded
     * yet here) */
    if(is_stage ||
       !o->base_onbuild(o->base_env_ctx, a,
                        mdk_fe_named_context(o->named, o->nnamed,
                                             c->base->val),
                        mdk_str_c(o->platform ? o->platform : ""), &trig,
                        &nt) ||
       !nt)
      continue;
    {
      char *name = mdk_arena_printf(a, "%.*s (ONBUILD)",
                                    MDK_STR_FMT(c->base->val));
      struct mdk_source *src = mdk_fe_commands_source(a, name, "scratch",
                                                      trig, nt);
      struct mdk_fe_ast *ast;
      struct mdk_fe_file *tf;
      enum mdk_status st = mdk_fe_parse(a, diags, src, &ast);
      if(!st)
        st = mdk_fe_type(a, diags, ast, &tf);
      if(st)
        return st;
      /* the first command is the FROM line of the synthetic source */
      for(j = 1; j < tf->ncmds; j++) {
        struct mdk_fe_cmd t = tf->cmds[j];
        t.from_onbuild = true;
        mdk_vec_push(a, &cmds, &t);
      }
      any = true;
    }
  }
  if(!any)
    return MDK_OK;
  out = mdk_arena_new(a, struct mdk_fe_file);
  *out = *f;
  out->cmds = cmds.items;
  out->ncmds = cmds.len;
  *file = out;
  return MDK_OK;
}

enum mdk_status mdk_cli_compile(struct mdk_arena *a, struct mdk_diags *diags,
                               const struct mdk_source *src,
                               const struct mdk_cli_compile_opts *o,
                               struct mdk_ir_graph **out)
{
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
  struct mdk_ir_graph *g;
  /* not lenient: a value BuildKit rejects is an error here as in `mdock
   * parse`, so ir, build and parse agree and a build stops at it; only
   * references a base image's ENV may define are kept as written */
  struct mdk_fe_expand_opts eo = {o->dialect, o->build_args, o->nbuild_args,
                                  o->platform, false, true, o->base_env,
                                  o->base_env_ctx, o->named, o->nnamed};
  struct mdk_fe_ir_opts io = {o->dialect, o->target, o->platform,
                              o->network, o->add_hosts, o->nadd_hosts,
                              o->named, o->nnamed, o->shm_size, o->ulimits,
                              o->nulimits};
  enum mdk_status st;
  size_t k;

  st = mdk_fe_parse(a, diags, src, &ast);
  if(st)
    return st;
  st = mdk_fe_type(a, diags, ast, &file);
  if(st)
    return st;
  file = mdk_fe_apply_onbuild(a, file);
  st = image_triggers(a, diags, o, &file);
  if(st)
    return st;
  st = mdk_fe_expand(a, diags, file, &eo, &sem);
  if(st)
    return st;
  st = mdk_fe_to_ir(a, diags, sem, &io, &g);
  if(st)
    return st;
  for(k = 0; k < mdk_ir_npasses && !o->no_opt; k++) {
    const char *bad;
    if(o->passes && !selected(o->passes, mdk_ir_passes[k].name))
      continue;
    mdk_ir_passes[k].run(g);
    /* the verifier runs after every pass in debug builds */
#ifndef NDEBUG
    bad = mdk_ir_verify(g);
    if(bad) {
      mdk_diag_add(diags, MDK_SEV_ERROR, (struct mdk_loc){0},
                   "internal error: IR invalid after pass %s: %s",
                   mdk_ir_passes[k].name, bad);
      return MDK_EINPUT;
    }
#else
    (void)bad;
#endif
  }
  mdk_ir_hash_all(g);
  *out = g;
  return MDK_OK;
}
