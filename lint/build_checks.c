/* build_checks.c - the build checks `docker build` runs before it builds:
 * BuildKit's rules over the Dockerfile, with its `# check=` directive or
 * the BUILDKIT_DOCKERFILE_CHECK build argument applied.  A build prints
 * them as buildx does after its progress (" 1 warning found ..."); with
 * check=error=true they fail it before any step runs ("lint violation
 * found for rules: ..."); `build --check` shows them in full instead of
 * building. */
#include "lint/lint.h"

#include <string.h>

void mdk_lint_build_checks(struct mdk_arena *a, const struct mdk_source *src,
                           const struct mdk_lint_build_checks_opts *o,
                           struct mdk_lint_checks *out)
{
  struct mdk_fe_lint_opts lo = {
    .dialect = MDK_FE_DIALECT_DOCKER,
    .context_dir = o->context_dir,
    .dockerfile_path = o->dockerfile_path,
    .check_override = o->check_override,
    .base_env = o->base_env,
    .base_env_ctx = o->base_env_ctx,
  };
  struct mdk_fe_lint_result res;
  size_t j;
  memset(out, 0, sizeof(*out));
  out->src = src;
  if(mdk_fe_lint(a, src, &lo, &res) != MDK_OK)
    return;
  /* BuildKit's own rules only: a syntax error is the build's to report */
  out->f = mdk_arena_array(a, struct mdk_fe_finding, res.n + 1);
  for(j = 0; j < res.n; j++)
    if(mdk_fe_rule_info(res.f[j].rule)->cat == MDK_LINT_BUILDKIT)
      out->f[out->n++] = res.f[j];
  out->fail = res.check_error && out->n > 0;
  out->check_line = res.check_line;
}

void mdk_lint_checks_summary(const struct mdk_lint_checks *c, FILE *out)
{
  size_t j;
  if(!c->n)
    return;
  fprintf(out, "\n %zu warning%s found (mdock lint %s shows them in "
          "full):\n", c->n, c->n == 1 ? "" : "s", c->src->name);
  for(j = 0; j < c->n; j++)
    fprintf(out, " - %s: %s (line %u)\n",
            mdk_fe_rule_info(c->f[j].rule)->id, c->f[j].msg, c->f[j].line);
}

void mdk_lint_checks_full(const struct mdk_lint_checks *c, FILE *out,
                          bool color)
{
  struct mdk_cli_lint_file lf = {c->src->name, c->src, c->f, c->n};
  struct mdk_cli_lint_writer w;
  mdk_cli_lint_begin(&w, out, MDK_LINT_FMT_TTY, color);
  mdk_cli_lint_file(&w, &lf);
  mdk_cli_lint_end(&w);
}

const char *mdk_lint_checks_rules(struct mdk_arena *a,
                                  const struct mdk_lint_checks *c)
{
  const char *r = "";
  size_t j, k;
  /* each rule once, in the order they were found */
  for(j = 0; j < c->n; j++) {
    const char *id = mdk_fe_rule_info(c->f[j].rule)->id;
    for(k = 0; k < j && strcmp(mdk_fe_rule_info(c->f[k].rule)->id, id); k++)
      ;
    if(k == j)
      r = mdk_arena_printf(a, "%s%s%s", r, *r ? ", " : "", id);
  }
  return r;
}

struct mdk_loc mdk_lint_check_directive(const struct mdk_lint_checks *c)
{
  const struct mdk_source *src = c->src;
  struct mdk_loc loc = {NULL, 0, 0};
  if(!c->check_line || c->check_line > src->nlines)
    return loc;
  loc.src = src;
  loc.start = src->line_starts[c->check_line - 1];
  loc.end = c->check_line < src->nlines ? src->line_starts[c->check_line]
                                        : (uint32_t)src->len;
  while(loc.end > loc.start && (src->data[loc.end - 1] == '\n' ||
                                src->data[loc.end - 1] == '\r'))
    loc.end--;
  return loc;
}
