/* lint.h - lint/'s public header: the rule engine and its tables
 * (BuildKit's checks, Modal compatibility, best practice), configs and
 * pragmas, the output formats, and the run over many files. */
#ifndef MDK_LINT_H
#define MDK_LINT_H

#include "lint/engine.h"
#include "lint/config.h"
#include "lint/output.h"
#include "lint/run.h"
#include "lint/shellcheck.h"

/* `mdock build --dialect modal`: prints the Modal findings of src (and its
 * syntax errors) to out; true when Modal's builder would refuse the file. */
bool mdk_lint_modal_refuses(struct mdk_arena *a, const struct mdk_source *src,
                            const char *context_dir,
                            const char *dockerfile_path, FILE *out,
                            bool color);

/* `docker build`'s build checks: BuildKit's rules over src with its
 * `# check=` directive, or check_override (BUILDKIT_DOCKERFILE_CHECK) over
 * it; fail when check=error=true and there are findings. */
struct mdk_lint_checks {
  const struct mdk_source *src;
  struct mdk_fe_finding *f;
  size_t n;
  bool fail;
  uint32_t check_line;          /* the # check= directive's, or 0 */
};
struct mdk_lint_build_checks_opts {
  const char *context_dir, *dockerfile_path;
  const char *check_override;   /* BUILDKIT_DOCKERFILE_CHECK, or NULL */
  /* the FROM images' ENV where the store knows it (mdk_fe_lint_opts) */
  bool (*base_env)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                   struct mdk_str platform, const struct mdk_fe_kv **env,
                   size_t *n);
  void *base_env_ctx;
};
void mdk_lint_build_checks(struct mdk_arena *a, const struct mdk_source *src,
                           const struct mdk_lint_build_checks_opts *o,
                           struct mdk_lint_checks *out);
/* buildx's summary after a build: " 2 warnings found ...", a line each */
void mdk_lint_checks_summary(const struct mdk_lint_checks *c, FILE *out);
/* each finding in full, as mdock lint's tty format (build --check) */
void mdk_lint_checks_full(const struct mdk_lint_checks *c, FILE *out,
                          bool color);
/* "JSONArgsRecommended, UndefinedVar": each rule once, first found first */
const char *mdk_lint_checks_rules(struct mdk_arena *a,
                                  const struct mdk_lint_checks *c);
/* the `# check=` directive's line as the parser found it (loc.src NULL
 * when there is none) */
struct mdk_loc mdk_lint_check_directive(const struct mdk_lint_checks *c);

#endif
