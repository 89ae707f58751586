/* modal_gate.c - what `mdock build --dialect modal` checks before it
 * builds: the Modal findings (and syntax errors) are shown; a build Modal's
 * builder would refuse (a rule with `refuses` in rules.def) stops here.
 * ENTRYPOINT findings only warn: Modal builds those, they fail at run
 * time. */
#include "lint/lint.h"

bool mdk_lint_modal_refuses(struct mdk_arena *a, const struct mdk_source *src,
                            const char *context_dir,
                            const char *dockerfile_path, FILE *out,
                            bool color)
{
  struct mdk_fe_lint_opts lo = {
    .dialect = MDK_FE_DIALECT_MODAL,
    .context_dir = context_dir,
    .dockerfile_path = dockerfile_path,
  };
  struct mdk_fe_lint_result res;
  struct mdk_cli_lint_file lf = {src->name, src, NULL, 0};
  struct mdk_fe_finding *keep;
  size_t j, nk = 0;
  bool refused = false;
  mdk_fe_lint(a, src, &lo, &res);
  keep = mdk_arena_array(a, struct mdk_fe_finding, res.n + 1);
  for(j = 0; j < res.n; j++) {
    const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(res.f[j].rule);
    if(ri->cat != MDK_LINT_MODAL && res.f[j].rule != MDK_LINT_SYNTAX)
      continue;
    refused |= ri->refuses;
    keep[nk++] = res.f[j];
  }
  lf.f = keep;
  lf.n = nk;
  if(nk) {
    struct mdk_cli_lint_writer w;
    mdk_cli_lint_begin(&w, out, MDK_LINT_FMT_TTY, color);
    mdk_cli_lint_file(&w, &lf);
    mdk_cli_lint_end(&w);
  }
  return refused;
}
