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

#endif
