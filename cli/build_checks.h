/* build_checks.h - `mdock build`'s side of BuildKit's build checks (the
 * checks themselves are lint's: lint/build_checks.c). */
#ifndef MDK_CLI_BUILD_CHECKS_H
#define MDK_CLI_BUILD_CHECKS_H

#include "base/base.h"
#include "cli/commands.h"
#include "lint/lint.h"

/* --build-arg BUILDKIT_DOCKERFILE_CHECK=...: the checks' settings over the
 * Dockerfile's # check= directive (build_args: struct mdk_fe_kv), or NULL */
const char *mdk_cli_check_override(struct mdk_arena *a,
                                   const struct mdk_vec *build_args);
/* --check: every finding in full on stdout, and buildx's last line; 1
 * when there is one, else 0 */
int mdk_cli_checks_only(const struct mdk_lint_checks *c, bool color);
/* check=error=true: the summary, then BuildKit's "lint violation found for
 * rules: ..." at the directive's line; returns 1 */
int mdk_cli_checks_fail(struct mdk_arena *a, const struct mdk_lint_checks *c,
                        bool color);
/* BUILDX_METADATA_WARNINGS=1: the findings under buildx's key of the
 * metadata file being written to j */
void mdk_cli_checks_metadata(struct mdk_arena *a, struct mdk_jsonw *j,
                             const struct mdk_lint_checks *c);

#endif
