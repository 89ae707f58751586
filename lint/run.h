/* lint_run.h - lints many Dockerfiles on every core: worker threads take
 * files in input order and each is handed back, in input order, as soon as
 * those before it are done, so the output is the same as a one-thread run
 * and writing overlaps linting. */
#ifndef MDK_CLI_LINT_RUN_H
#define MDK_CLI_LINT_RUN_H

#include "base/base.h"
#include "lint/config.h"
#include "lint/output.h"

struct mdk_cli_lint_run_opts {
  enum mdk_fe_dialect dialect;
  const char *config;           /* --config, or NULL: found upward */
  const char *context;          /* --context, or NULL: the file's dir */
  const char *check_override;   /* BUILDKIT_DOCKERFILE_CHECK */
  int threshold;                /* --failure-threshold, or -1 */
  const struct mdk_cli_lint_config *cli;   /* flags over each config */
  bool shellcheck;              /* ShellCheck on the RUN scripts */
  /* a dockerfile_commands list (--command, --commands-file): linted in
   * place of reading the one path given */
  struct mdk_source *list_src;
  /* when set, each file is formatted for it by the thread that linted it
   * (the sink then gets job->text), and its arena is freed right away */
  struct mdk_cli_lint_writer *writer;
  const char *report_path;      /* every file's name in the output, or NULL */
  bool verbose;                 /* each directory's config said on stderr */
};

struct mdk_cli_lint_dir;

/* One file's outcome.  Everything lives in `arena`, freed after output. */
struct mdk_cli_lint_job {
  const char *path;
  struct mdk_cli_lint_dir *dir;   /* what is known of its directory */
  struct mdk_arena arena;
  struct mdk_cli_lint_file lf;  /* unless formatted */
  bool formatted;               /* text holds the file's output; lf is gone */
  struct mdk_buf text;
  int owner;                    /* the worker that made text (0: caller) */
  size_t dead_next;             /* its worker's list of texts written */
  const char *error;            /* I/O or config error message, or NULL */
  bool config_error;            /* an invalid config: exit 2 and stop */
  bool failed;                  /* a finding at or above the threshold */
};

/* Called in input order for every finished job; returns false to stop. */
typedef bool (*mdk_cli_lint_sink)(void *ctx, struct mdk_cli_lint_job *job);

void mdk_cli_lint_run(const struct mdk_cli_lint_run_opts *o,
                      const char *const *paths, size_t n,
                      mdk_cli_lint_sink sink, void *ctx);

#endif
