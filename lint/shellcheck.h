/* shellcheck.h - ShellCheck over every RUN script of a Dockerfile (shell
 * form, heredocs, ONBUILD RUN), in one shellcheck process per Dockerfile,
 * each script in the dialect of its stage's SHELL, with the stage's ARG and
 * ENV names declared, and each finding mapped back to the Dockerfile's line
 * and column (continuation lines and heredoc bodies included). */
#ifndef MDK_LINT_SHELLCHECK_H
#define MDK_LINT_SHELLCHECK_H

#include <stdbool.h>

/* Whether a shellcheck program is on PATH (looked up once). */
bool mdk_lint_shellcheck_available(void);

#endif
