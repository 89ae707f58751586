/* lint_internal.h - what a lint rule sees: the compiled Dockerfile and a
 * way to report. */
#ifndef MDK_FE_LINT_INTERNAL_H
#define MDK_FE_LINT_INTERNAL_H

#include "base/base.h"
#include "ir/ir.h"
#include "lint/engine.h"
#include "lint/pragma.h"

struct lint {
  struct mdk_arena *a;
  const struct mdk_fe_lint_opts *o;
  const struct mdk_source *src;
  const struct mdk_fe_ast *ast;
  const struct mdk_fe_file *file;   /* typed (ONBUILD not applied) */
  const struct mdk_fe_sem *sem;     /* expanded, BuildKit semantics */
  bool *reachable;                  /* per stage: needed by the target */
  const struct mdk_str *stage_names;   /* for mdk_fe_stage_lookup */
  struct mdk_ignore ig;
  bool have_ignore;
  struct mdk_vec findings;          /* struct mdk_fe_finding */
  struct mdk_lint_pragmas pragmas;  /* hadolint's comment pragmas */
};

/* Whether path may exist, by the caller's may_exist (true without one). */
bool lint_may_exist(const struct lint *l, const char *path);
void lint_report(struct lint *l, enum mdk_fe_rule r,
                 const struct mdk_fe_node *n, struct mdk_loc loc,
                 uint32_t line, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));
/* The same with a message made already, kept as it is: it must live as
 * long as the lint's arena (a literal, or made in that arena). */
void lint_report_msg(struct lint *l, enum mdk_fe_rule r,
                     const struct mdk_fe_node *n, struct mdk_loc loc,
                     uint32_t line, const char *msg);

/* What a stage has set that its RUNs depend on; a stage built FROM
 * another starts with its parent's. */
struct lint_stage {
  bool pip_no_cache;            /* ENV PIP_NO_CACHE_DIR=<truthy> */
  bool pipefail;                /* SHELL [... "-o", "pipefail" ...] */
  bool nonposix;                /* SHELL pwsh/powershell/cmd */
  bool workdir;                 /* a WORKDIR was set */
  bool wget, curl;              /* used by a RUN of this stage */
  size_t last_run_cmds;         /* commands of the last RUN */
};

/* The RUN rules over one RUN (or ONBUILD RUN trigger, reported at `at`);
 * ships: the RUN's layer is part of the target image. */
void lint_run_rules(struct lint *l, const struct mdk_fe_cmd *c,
                    const struct mdk_fe_node *at, struct lint_stage *st,
                    bool ships);

/* words.c: small tests on words */
bool lint_contains(struct mdk_str s, const char *needle);
/* the same, ASCII case ignored */
bool lint_contains_nocase(struct mdk_str s, const char *needle);
bool lint_ends_with(struct mdk_str s, const char *suf);
bool lint_is_any(struct mdk_str w, const char *const *names);  /* NULL-ended */
bool lint_truthy(struct mdk_str v);   /* 1, true, on, yes (as pip reads) */
struct mdk_str lint_unquote(struct mdk_str w);   /* outer quotes dropped */
bool lint_shell_name(struct mdk_str n);          /* [A-Za-z_][A-Za-z0-9_]* */

/* ShellCheck over the RUN scripts (shellcheck.c) */
void lint_shellcheck(struct lint *l);

/* LABEL keys, and the config's label-schema (rules_labels.c) */
void lint_labels(struct lint *l);

void mdk_fe_lint_buildkit(struct lint *l);
void mdk_fe_lint_practice(struct lint *l);
void mdk_fe_lint_modal(struct lint *l);

#endif
