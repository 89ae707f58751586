/* lint_config.h - .mdock-lint.json: enable/disable lists, severity
 * overrides, an `only` allowlist, the no-inline-ignores policy and the
 * failure threshold. */
#ifndef MDK_CLI_LINT_CONFIG_H
#define MDK_CLI_LINT_CONFIG_H

#include "lint/engine.h"

struct mdk_cli_lint_config {
  const char *path;             /* where it was found, or NULL */
  signed char enabled[MDK_LINT__COUNT];   /* -1 off, 1 on, 0 default */
  signed char sev[MDK_LINT__COUNT];       /* -1 default, else severity */
  bool have_only;
  bool only[MDK_LINT__COUNT];
  bool no_inline_ignores;
  int threshold;                /* -1: not set */
};

/* Reads path, or (path NULL) .mdock-lint.json found upward from dir.
 * A config that exists but is invalid is an error (never silently
 * ignored): *why says what is wrong. */
/* The .mdock-lint.json that applies to files in dir (searched upward), or
 * NULL; malloc'd. */
char *mdk_cli_lint_config_find(const char *dir);
/* path NULL: searched upward from dir; "" : none (already searched). */
enum mdk_status mdk_cli_lint_config_load(struct mdk_arena *a, const char *path,
                                         const char *dir,
                                         struct mdk_cli_lint_config *cfg,
                                         const char **why);
int mdk_cli_lint_sev_parse(const char *s);   /* -1 if unknown */

#endif
