/* lint.h - mdock lint: BuildKit's build checks, Modal compatibility and
 * best-practice rules over the typed, expanded Dockerfile, with BuildKit's
 * `# check=` controls and mdock's own ignores. */
#ifndef MDK_FE_LINT_H
#define MDK_FE_LINT_H

#include "frontend/frontend.h"

enum mdk_fe_rule {
#define R(e, id, alias, cat, sev, exp, refuses, doc) MDK_LINT_##e,
#include "lint/rules.def"
#undef R
  MDK_LINT__COUNT
};

enum mdk_fe_lint_sev { MDK_LINT_ERROR, MDK_LINT_WARNING, MDK_LINT_INFO,
                       MDK_LINT_STYLE, MDK_LINT_IGNORE };
enum mdk_fe_rule_cat { MDK_LINT_CORE, MDK_LINT_BUILDKIT, MDK_LINT_PRACTICE,
                       MDK_LINT_MODAL };

struct mdk_fe_rule_info {
  const char *id;
  const char *alias;            /* hadolint's DL code, or "" */
  enum mdk_fe_rule_cat cat;
  enum mdk_fe_lint_sev sev;
  bool experimental;
  bool refuses;                 /* Modal's builder will not build it */
  const char *doc;
};

const struct mdk_fe_rule_info *mdk_fe_rule_info(enum mdk_fe_rule r);
const char *mdk_fe_lint_sev_name(enum mdk_fe_lint_sev s);
/* by id or hadolint alias, case-sensitive; -1 when unknown */
int mdk_fe_rule_lookup(const char *id);

struct mdk_fe_finding {
  enum mdk_fe_rule rule;
  enum mdk_fe_lint_sev sev;
  struct mdk_loc loc;
  uint32_t line;               /* BuildKit's line for the rule (1-based) */
  const char *msg;
  const char *code;             /* a ShellCheck finding's SCxxxx, or NULL */
  const struct mdk_fe_node *node;   /* the instruction, for its ignores */
};

/* hadolint's label-schema: a label the image must have, of a type */
enum mdk_lint_label_type { MDK_LABEL_TEXT, MDK_LABEL_URL, MDK_LABEL_RFC3339,
                           MDK_LABEL_SPDX, MDK_LABEL_HASH, MDK_LABEL_SEMVER,
                           MDK_LABEL_EMAIL };
struct mdk_lint_label_rule {
  const char *name;
  enum mdk_lint_label_type type;
};

struct mdk_fe_lint_opts {
  enum mdk_fe_dialect dialect;  /* modal: Modal rules on */
  const char *context_dir;      /* for .dockerignore and scripts; NULL */
  const char *dockerfile_path;  /* for NAME.dockerignore; NULL */
  const char *check_override;   /* BUILDKIT_DOCKERFILE_CHECK, or NULL */
  bool no_inline_ignores;       /* ignore comments and pragmas refused */
  const char *const *trusted;   /* trustedRegistries (DL3026), or none */
  size_t ntrusted;
  const struct mdk_lint_label_rule *labels;   /* label-schema */
  size_t nlabels;
  bool strict_labels;           /* labels outside the schema are findings */
  bool shellcheck;              /* run ShellCheck on the RUN scripts */
  const bool *force_enable;     /* per rule: run even if experimental */
  /* Whether a file beside the Dockerfile (.dockerignore, a script) may
   * exist; false skips reading it.  NULL tries them all; the CLI passes
   * one that knows the directory's names, so looking for files that are
   * not there costs no system call. */
  bool (*may_exist)(const void *ud, const char *path);
  const void *may_exist_ud;
  /* a FROM image's ENV when its config is known (a build's local store),
   * so the checks judge its variables as BuildKit does; NULL: unknown */
  bool (*base_env)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                   struct mdk_str platform, const struct mdk_fe_kv **env,
                   size_t *n);
  void *base_env_ctx;
};

struct mdk_fe_lint_result {
  struct mdk_fe_finding *f;
  size_t n;
  bool check_error;             /* # check=error=true: BuildKit fails */
  uint32_t check_line;          /* the # check= directive's line, or 0 */
};

/* Lints one source; findings sorted by line.  Only internal failures make
 * it return an error: bad input becomes MD000 findings. */
enum mdk_status mdk_fe_lint(struct mdk_arena *a, const struct mdk_source *src,
                            const struct mdk_fe_lint_opts *o,
                            struct mdk_fe_lint_result *out);

/* BuildKit's SecretsUsedInArgOrEnv test of a variable name: a '_' token
 * that is apikey, auth, credential(s), key, password, pword, passwd, secret
 * or token, and none that is public, file or version. */
bool mdk_lint_secret_name(struct mdk_str name);

#endif
