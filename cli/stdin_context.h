/* stdin_context.h - `mdock build -` as `docker build -`: stdin is either a
 * tar of the whole context (plain, gzip, bzip2, xz or zstd; -f names the
 * Dockerfile inside it) or a Dockerfile alone, built with an empty
 * context. */
#ifndef MDK_CLI_STDIN_CONTEXT_H
#define MDK_CLI_STDIN_CONTEXT_H

#include "base/base.h"
#include "cli/input.h"

/* Reads stdin into a new directory under tmpdir (*dir, to be removed by
 * the caller) and points in->context (and in->file) into it.  0, or an
 * exit code after printing the error. */
int mdk_cli_stdin_context(struct mdk_arena *a, struct mdk_cli_input *in,
                          const char *tmpdir, char **dir);

#endif
