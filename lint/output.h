/* lint_output.h - lint findings in CI formats: tty, json, sarif (2.1.0),
 * checkstyle (XML), gitlab (GitLab's Code Quality array; hadolint calls it
 * gitlab_codeclimate), codeclimate (Code Climate engine issues, each
 * followed by a NUL, as hadolint writes them), and hadolint's gnu (GNU's
 * program:file:line:col: lines), codacy (a JSON issue a line), sonarqube
 * (SonarQube's generic issues) and junit (a testsuite a file); and
 * reviewdog's rdjson (one document) and rdjsonl (a diagnostic a line). */
#ifndef MDK_CLI_LINT_OUTPUT_H
#define MDK_CLI_LINT_OUTPUT_H

#include <stdio.h>

#include "base/base.h"
#include "lint/engine.h"

/* One file's findings with the severities the config settled. */
struct mdk_cli_lint_file {
  const char *name;
  const struct mdk_source *src;   /* NULL when unreadable */
  const struct mdk_fe_finding *f;
  size_t n;
};

enum mdk_cli_lint_format { MDK_LINT_FMT_TTY, MDK_LINT_FMT_JSON,
                           MDK_LINT_FMT_SARIF, MDK_LINT_FMT_CHECKSTYLE,
                           MDK_LINT_FMT_GITLAB, MDK_LINT_FMT_CODECLIMATE,
                           MDK_LINT_FMT_GNU, MDK_LINT_FMT_CODACY,
                           MDK_LINT_FMT_SONARQUBE, MDK_LINT_FMT_JUNIT,
                           MDK_LINT_FMT_RDJSON, MDK_LINT_FMT_RDJSONL };

int mdk_cli_lint_format_parse(const char *s);   /* -1 if unknown */

/* Streaming writer: files go out (or into the pending JSON document) one by
 * one, so a file's findings and source can be freed right after. */
struct mdk_cli_lint_writer {
  FILE *out;
  enum mdk_cli_lint_format fmt;
  bool color;
  void *doc;                    /* json_t * results, for sarif and gitlab */
  bool any;                     /* something was put */
  /* json: each rule's description and doc link, quoted, made by the first
   * thread to format a finding of the rule (a run meets few of them) */
  struct mdk_str *_Atomic quoted_doc[MDK_LINT__COUNT];
};
void mdk_cli_lint_begin(struct mdk_cli_lint_writer *w, FILE *out,
                        enum mdk_cli_lint_format fmt, bool color);
void mdk_cli_lint_file(struct mdk_cli_lint_writer *w,
                       const struct mdk_cli_lint_file *f);
/* The same in two steps, for the formats written file by file (tty, json,
 * checkstyle; false for the others, which build one document): the text
 * is made apart from the writer (by the thread that linted the file, while
 * its findings are in cache; any thread may, the writer is only read
 * but for its memo of quoted docs),
 * then put in input order. */
bool mdk_cli_lint_format(struct mdk_cli_lint_writer *w,
                         const struct mdk_cli_lint_file *lf,
                         struct mdk_buf *out);
void mdk_cli_lint_put(struct mdk_cli_lint_writer *w, struct mdk_str text);
void mdk_cli_lint_end(struct mdk_cli_lint_writer *w);
/* the documentation URL of a rule */
const char *mdk_cli_rule_url(struct mdk_arena *a, enum mdk_fe_rule r);

#endif
