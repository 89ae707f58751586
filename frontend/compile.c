/* compile.c - the whole front of the pipeline in one call: parse, type,
 * apply ONBUILD triggers, expand, lower to the IR, run the passes, hash.
 * `mdock ir` and the tests share it. */
#include "frontend/frontend.h"

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

enum mdk_status mdk_fe_compile(struct mdk_arena *a, struct mdk_diags *diags,
                               const struct mdk_source *src,
                               const struct mdk_fe_compile_opts *o,
                               struct mdk_ir_graph **out)
{
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
  struct mdk_ir_graph *g;
  struct mdk_fe_expand_opts eo = {o->dialect, o->build_args, o->nbuild_args,
                                  o->platform, true, true, o->base_env,
                                  o->base_env_ctx};
  struct mdk_fe_ir_opts io = {o->dialect, o->target, o->platform};
  enum mdk_status st;
  size_t k;

  st = mdk_fe_parse(a, diags, src, &ast);
  if(st)
    return st;
  st = mdk_fe_type(a, diags, ast, &file);
  if(st)
    return st;
  file = mdk_fe_apply_onbuild(a, file);
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
