/* lint.c - the lint engine: compile the Dockerfile as the builder would,
 * run the rule sets, then apply BuildKit's `# check=` controls (directive,
 * BUILDKIT_DOCKERFILE_CHECK, per-instruction comments) and mdock's
 * `# mdock ignore=` comments. */
#include "lint/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "lint/internal.h"

static const struct mdk_fe_rule_info rules[] = {
#define R(e, id, alias, cat, sev, exp, refuses, doc) \
  {id, alias, MDK_LINT_##cat, MDK_LINT_##sev, exp, refuses, doc},
#include "lint/rules.def"
#undef R
};

const struct mdk_fe_rule_info *mdk_fe_rule_info(enum mdk_fe_rule r)
{
  return &rules[r];
}

int mdk_fe_rule_lookup(const char *id)
{
  int i;
  for(i = 0; i < MDK_LINT__COUNT; i++)
    if(strcmp(rules[i].id, id) == 0 || (rules[i].alias[0] &&
                                        strcmp(rules[i].alias, id) == 0))
      return i;
  return -1;
}

const char *mdk_fe_lint_sev_name(enum mdk_fe_lint_sev s)
{
  static const char *const n[] = {"error", "warning", "info", "style",
                                  "ignore"};
  return n[s];
}

void lint_report(struct lint *l, enum mdk_fe_rule r,
                 const struct mdk_fe_node *n, struct mdk_loc loc,
                 uint32_t line, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  lint_report_msg(l, r, n, loc, line, mdk_arena_vprintf(l->a, fmt, ap));
  va_end(ap);
}

void lint_report_msg(struct lint *l, enum mdk_fe_rule r,
                     const struct mdk_fe_node *n, struct mdk_loc loc,
                     uint32_t line, const char *msg)
{
  struct mdk_fe_finding f;
  f.msg = msg;
  f.rule = r;
  f.code = NULL;
  f.sev = rules[r].sev;
  f.loc = loc;
  f.line = line;
  f.node = n;
  mdk_vec_push_as(l->a, &l->findings, struct mdk_fe_finding, f);
}

/* Errors that are a rule of their own (a hadolint DL code, Modal's
 * expansion limits); the others are MD000. */
static enum mdk_fe_rule diag_rule(const char *msg)
{
  static const struct { const char *prefix; enum mdk_fe_rule r; } m[] = {
    {"Modal does not support", MDK_LINT_MODAL_DEFAULT_VAR},
    {"no build stage in current context", MDK_LINT_FIRST_INSTRUCTION},
    {"Chaining ONBUILD via", MDK_LINT_ONBUILD_TRIGGER},
    {"FROM isn't allowed as an ONBUILD trigger", MDK_LINT_ONBUILD_TRIGGER},
    {"MAINTAINER isn't allowed as an ONBUILD trigger",
     MDK_LINT_ONBUILD_TRIGGER},
    {"invalid containerPort", MDK_LINT_EXPOSE_PORT_RANGE},
  };
  size_t i;
  for(i = 0; i < sizeof(m) / sizeof(m[0]); i++)
    if(mdk_str_has_prefix(mdk_str_c(msg), m[i].prefix))
      return m[i].r;
  return MDK_LINT_SYNTAX;
}

/* Frontend diagnostics (parse, typing, expansion errors) are MD000. */
static void diags_to_findings(struct lint *l, const struct mdk_diags *d,
                              size_t from)
{
  size_t i, run_at = 0, run_n = 0;
  uint32_t run_end = 0;
  for(i = from; i <= d->items.len; i++) {
    const struct mdk_diag *dg = i < d->items.len
      ? mdk_vec_at(&d->items, struct mdk_diag, i) : NULL;
    struct mdk_pos p;
    bool unknown;
    if(dg && dg->sev != MDK_SEV_ERROR)
      continue;
    p = dg && dg->loc.src ? mdk_source_pos(dg->loc.src, dg->loc.start)
                          : (struct mdk_pos){0};
    unknown = dg && mdk_str_has_prefix(mdk_str_c(dg->msg),
                                       "unknown instruction");
    /* one root cause, one finding: the lines of a string left open (or a
     * missing backslash) each read as an unknown instruction */
    if(unknown && run_n && p.line == run_end + 1) {
      run_end = p.line;
      run_n++;
      continue;
    }
    if(run_n > 1) {
      struct mdk_fe_finding *f = mdk_vec_at(&l->findings,
                                            struct mdk_fe_finding, run_at);
      f->msg = mdk_arena_printf(l->a, "%s; lines %u-%u all read as "
                                "instructions: a string left open on line "
                                "%u, or a missing \\ at its end?", f->msg,
                                f->line, run_end, f->line - 1);
    }
    run_n = 0;
    if(!dg)
      break;
    lint_report(l, diag_rule(dg->msg), NULL, dg->loc, p.line, "%s%s%s",
                dg->msg, dg->hint ? " (" : "", dg->hint ? dg->hint : "");
    if(dg->hint) {
      struct mdk_fe_finding *f = mdk_vec_at(&l->findings,
                                            struct mdk_fe_finding,
                                            l->findings.len - 1);
      f->msg = mdk_arena_printf(l->a, "%s)", f->msg);
    }
    if(unknown) {
      run_at = l->findings.len - 1;
      run_end = p.line;
      run_n = 1;
    }
  }
}

static void mark(struct lint *l, int s)
{
  size_t i, k;
  if(s < 0 || (size_t)s >= l->sem->nstages || l->reachable[s])
    return;
  l->reachable[s] = true;
  mark(l, l->sem->stages[s].parent);
  for(i = 0; i < l->file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &l->file->cmds[i];
    const struct mdk_fe_flagval *from;
    if(l->sem->x[i].stage != s || c->kind == MDK_FE_FROM)
      continue;
    from = mdk_fe_cmd_flag(c, "from");
    if(c->kind == MDK_FE_COPY && from && from->set)
      mark(l, mdk_fe_stage_lookup(l->stage_names, (size_t)s,
                                    from->vals[from->nvals - 1].val,
                                    MDK_FE_REF_COPY_FROM));
    for(k = 0; k < c->nmounts; k++) {
      bool found;
      struct mdk_str f = mdk_fe_mount_get(&c->mounts[k], "from", &found);
      if(found)
        mark(l, mdk_fe_stage_lookup(l->stage_names, (size_t)s, f,
                                      MDK_FE_REF_MOUNT_FROM));
    }
  }
}

bool lint_may_exist(const struct lint *l, const char *path)
{
  return !l->o->may_exist || l->o->may_exist(l->o->may_exist_ud, path);
}

static char *read_small(const struct lint *l, const char *path)
{
  return lint_may_exist(l, path) ? mdk_read_small(path, (4 << 20) - 1, NULL) : NULL;
}

static void load_ignore(struct lint *l)
{
  char path[4096], *text = NULL;
  if(l->o->dockerfile_path) {
    snprintf(path, sizeof(path), "%s.dockerignore", l->o->dockerfile_path);
    text = read_small(l, path);
  }
  if(!text && l->o->context_dir) {
    snprintf(path, sizeof(path), "%s/.dockerignore", l->o->context_dir);
    text = read_small(l, path);
  }
  if(!text)
    return;
  mdk_ignore_parse(l->a, mdk_str_c(text), &l->ig);
  l->have_ignore = true;
  free(text);
}

static bool in_names(const struct mdk_str *v, size_t n, const char *id)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(mdk_str_eq_c(v[i], id))
      return true;
  return false;
}

/* "check=skip=A,B // reason" or "mdock ignore=A,B" in the comments right
 * above an instruction */
static bool comment_skips(struct lint *l, const struct mdk_fe_node *n,
                          const char *id, const char *alias, bool buildkit)
{
  size_t i;
  if(!n)
    return false;
  for(i = 0; i < n->ncomments; i++) {
    struct mdk_str c = n->comments[i];
    size_t e = 0;
    struct mdk_str list = MDK_STR_NULL;
    if(buildkit && mdk_str_has_prefix(c, "check=")) {
      struct mdk_fe_checkcfg cfg;
      const char *err;
      size_t off;
      while(e < c.len && c.ptr[e] != ' ')
        e++;
      if(mdk_fe_checkcfg_parse(l->a, mdk_str_make(c.ptr + 6, e - 6), &cfg,
                               &err, &off) &&
         (cfg.skip_all || in_names(cfg.skip, cfg.nskip, id)))
        return true;
      continue;
    }
    if(mdk_str_has_prefix(c, "mdock ignore="))
      list = mdk_str_make(c.ptr + 13, c.len - 13);
    if(list.len) {
      size_t k = 0;
      while(k < list.len && list.ptr[k] != ' ')
        k++;
      if(mdk_lint_list_has(mdk_str_make(list.ptr, k), id, alias))
        return true;
    }
  }
  return false;
}

/* hadolint's pragmas; each inline ignore is itself DL1001's finding */
static void pragmas(struct lint *l)
{
  size_t i;
  mdk_lint_pragmas_scan(l->a, l->src, &l->pragmas);
  for(i = 0; i < l->pragmas.n; i++)
    if(l->pragmas.p[i].kind == MDK_PRAGMA_IGNORE)
      lint_report(l, MDK_LINT_INLINE_IGNORE, NULL, l->pragmas.p[i].loc,
                  l->pragmas.p[i].line, "an inline ignore pragma hides "
                  "findings: fix them, or ignore the rule in the config");
}

static int cmp_finding(const void *a, const void *b)
{
  const struct mdk_fe_finding *x = a, *y = b;
  if(x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if(x->loc.start != y->loc.start)
    return x->loc.start < y->loc.start ? -1 : 1;
  return strcmp(rules[x->rule].id, rules[y->rule].id);
}

/* Sorts a file's findings, keeping the order of equal ones as qsort's
 * merge sort does: in place by insertion while there are few (most files
 * have a dozen, found mostly in order; qsort's calls through a pointer
 * and its buffer were a fortieth of a lint run). */
static void sort_findings(struct mdk_fe_finding *v, size_t n)
{
  size_t i, j;
  if(n > 64) {
    mdk_sort(v, n, sizeof(*v), cmp_finding);
    return;
  }
  for(i = 1; i < n; i++) {
    struct mdk_fe_finding x = v[i];
    for(j = i; j > 0 && cmp_finding(&v[j - 1], &x) > 0; j--)
      v[j] = v[j - 1];
    v[j] = x;
  }
}

enum mdk_status mdk_fe_lint(struct mdk_arena *a, const struct mdk_source *src,
                            const struct mdk_fe_lint_opts *o,
                            struct mdk_fe_lint_result *out)
{
  struct lint l;
  struct mdk_diags d;
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
  struct mdk_fe_expand_opts eo = {o->dialect, NULL, 0, NULL, false, false,
                                  o->base_env, o->base_env_ctx, NULL, 0};
  struct mdk_fe_checkcfg cfg;
  size_t i, keep = 0;

  memset(&l, 0, sizeof(l));
  memset(out, 0, sizeof(*out));
  l.a = a;
  l.o = o;
  l.src = src;
  l.findings = MDK_VEC_INIT(struct mdk_fe_finding);
  mdk_diags_init(&d, a);
  if(mdk_fe_parse(a, &d, src, &ast)) {
    diags_to_findings(&l, &d, 0);
    goto done;
  }
  l.ast = ast;
  pragmas(&l);
  mdk_fe_type(a, &d, ast, &file);
  diags_to_findings(&l, &d, 0);
  i = d.items.len;
  mdk_fe_expand(a, &d, file, &eo, &sem);
  /* an empty/invalid FROM from ARG defaults is InvalidDefaultArgInFrom */
  {
    size_t k, j;
    for(k = i; k < d.items.len; k++) {
      struct mdk_diag *dg = mdk_vec_at(&d.items, struct mdk_diag, k);
      for(j = 0; j < file->ncmds; j++) {
        const struct mdk_fe_cmd *c = &file->cmds[j];
        struct mdk_loc bl;
        if(c->kind != MDK_FE_FROM || !c->base ||
           mdk_str_index(c->base->val, '$') < 0)
          continue;
        bl = mdk_fe_arg_loc(c->node, c->base);
        if(dg->loc.start >= bl.start && dg->loc.start <= bl.end)
          dg->sev = MDK_SEV_NOTE;
      }
    }
  }
  diags_to_findings(&l, &d, i);
  l.file = file;
  l.sem = sem;
  l.reachable = mdk_arena_array(a, bool, sem->nstages + 1);
  l.stage_names = mdk_fe_stage_names(a, sem);
  mark(&l, (int)sem->nstages - 1);
  load_ignore(&l);
  mdk_fe_lint_buildkit(&l);
  mdk_fe_lint_practice(&l);
  if(o->shellcheck)
    lint_shellcheck(&l);
  if(o->dialect == MDK_FE_DIALECT_MODAL)
    mdk_fe_lint_modal(&l);
  if(l.have_ignore)
    mdk_ignore_free(&l.ig);

done:
  /* BuildKit's controls: the directive, or the build arg over it */
  memset(&cfg, 0, sizeof(cfg));
  if(l.ast)
    cfg = l.ast->checks;
  if(o->check_override) {
    const char *err;
    size_t off;
    struct mdk_fe_checkcfg ov;
    if(mdk_fe_checkcfg_parse(a, mdk_str_c(o->check_override), &ov, &err,
                             &off))
      cfg = ov;
  }
  for(i = 0; i < l.findings.len; i++) {
    struct mdk_fe_finding *f = mdk_vec_at(&l.findings, struct mdk_fe_finding,
                                          i);
    const struct mdk_fe_rule_info *ri = &rules[f->rule];
    bool buildkit = ri->cat == MDK_LINT_BUILDKIT;
    if(buildkit) {
      if(ri->experimental) {
        if(!(o->force_enable && o->force_enable[f->rule]) &&
           !cfg.experimental_all &&
           !in_names(cfg.experimental, cfg.nexperimental, ri->id))
          continue;
      }
      else if(cfg.skip_all || in_names(cfg.skip, cfg.nskip, ri->id)) {
        continue;
      }
      if(cfg.error)
        f->sev = MDK_LINT_ERROR;
    }
    /* a ShellCheck finding goes by its SC code */
    if(!o->no_inline_ignores &&
       (comment_skips(&l, f->node, f->code ? f->code : ri->id,
                      f->code ? NULL : ri->alias, buildkit) ||
        mdk_lint_pragma_ignores(&l.pragmas, f->node ? f->node->start_line
                                                    : f->line,
                                f->code ? f->code : ri->id,
                                f->code ? NULL : ri->alias)))
      continue;
    *mdk_vec_at(&l.findings, struct mdk_fe_finding, keep) = *f;
    keep++;
    if(buildkit && cfg.error)
      out->check_error = true;
  }
  l.findings.len = keep;
  if(l.ast && mdk_fe_ast_directive(l.ast, "check"))
    out->check_line = mdk_fe_ast_directive(l.ast, "check")->line;
  sort_findings(l.findings.items, l.findings.len);
  out->f = l.findings.items;
  out->n = l.findings.len;
  return MDK_OK;
}
