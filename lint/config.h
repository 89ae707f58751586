/* lint_config.h - .mdock-lint.json (enable/disable lists, severity
 * overrides, an `only` allowlist, the no-inline-ignores policy, the failure
 * threshold) and hadolint's .hadolint.yaml (ignored, override,
 * trustedRegistries, label-schema, strict-labels, failure-threshold,
 * no-fail, disable-ignore-pragma), read into one settings struct. */
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
  const char **trusted;         /* trustedRegistries */
  size_t ntrusted;
  struct mdk_lint_label_rule *labels;   /* label-schema */
  size_t nlabels;
  bool strict_labels;
  bool no_fail;                 /* exit 0 whatever is found */
  /* the run's output, as hadolint's config sets it (its one config) */
  const char *format;           /* a -f name, or NULL */
  bool no_color, verbose;
  struct mdk_cli_lint_sc {      /* ShellCheck codes: ignored (-1) or a level */
    const char *code;
    int sev;
  } *sc;
  size_t nsc;
};

/* Ignores (sev -1) or re-levels a ShellCheck code (SC2086). */
void mdk_cli_lint_sc_code(struct mdk_arena *a, struct mdk_cli_lint_config *c,
                          const char *code, int sev);
/* A ShellCheck finding's level under c: -1 ignored, else sev. */
int mdk_cli_lint_sc_sev(const struct mdk_cli_lint_config *c, const char *code,
                        int sev);

/* hadolint's YAML config into cfg (already initialised) */
enum mdk_status mdk_cli_lint_config_yaml(struct mdk_arena *a, const char *path,
                                         struct mdk_cli_lint_config *cfg,
                                         const char **why);
/* a label-schema type: text, url, email, rfc3339, spdx, hash, semver */
int mdk_cli_lint_label_type(const char *s);   /* -1 if unknown */
/* Adds a label-schema entry NAME:TYPE (hadolint's --require-label). */
bool mdk_cli_lint_add_label(struct mdk_arena *a, struct mdk_cli_lint_config *c,
                            const char *name, size_t len, int type);
void mdk_cli_lint_add_trusted(struct mdk_arena *a,
                              struct mdk_cli_lint_config *c, const char *r);
/* cli's settings over file's: ignores, overrides, registries, labels and
 * flags add up; cli's threshold wins */
void mdk_cli_lint_config_merge(struct mdk_arena *a,
                               struct mdk_cli_lint_config *file,
                               const struct mdk_cli_lint_config *cli);
void mdk_cli_lint_config_init(struct mdk_cli_lint_config *cfg);

/* Reads path, or (path NULL) .mdock-lint.json found upward from dir.
 * A config that exists but is invalid is an error (never silently
 * ignored): *why says what is wrong. */
/* The config that applies to files in dir: .mdock-lint.json,
 * .hadolint.yaml or .hadolint.yml searched upward (the nearest directory
 * wins, in that order within one), then hadolint's user configs
 * ($XDG_CONFIG_HOME/hadolint.yaml, ~/.config/hadolint.yaml,
 * ~/.hadolint/hadolint.yaml, ~/.hadolint.yaml); NULL if none; malloc'd. */
char *mdk_cli_lint_config_find(const char *dir);

/* The same search for many directories of one run: each directory on the
 * way up is probed once, and the user configs once (a run of hundreds of
 * Dockerfiles in a few directories costs a few dozen system calls). */
struct mdk_cli_lint_finder {
  struct mdk_cli_lint_found {
    char *dir;                  /* an absolute directory */
    char *config;               /* what applies there, or NULL */
  } *v;
  size_t n, cap;
  bool user_done;
  char *user;                   /* hadolint's user config, or NULL */
};
char *mdk_cli_lint_finder_find(struct mdk_cli_lint_finder *f,
                               const char *dir);
void mdk_cli_lint_finder_free(struct mdk_cli_lint_finder *f);
/* path NULL: searched upward from dir; "" : none (already searched). */
enum mdk_status mdk_cli_lint_config_load(struct mdk_arena *a, const char *path,
                                         const char *dir,
                                         struct mdk_cli_lint_config *cfg,
                                         const char **why);
int mdk_cli_lint_sev_parse(const char *s);   /* -1 if unknown */

#endif
