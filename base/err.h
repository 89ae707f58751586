/* err.h - an operation's failure (store, registry, runtime, executor): the
 * status classifies it, msg says what failed and how to fix it, loc is the
 * Dockerfile instruction when one is to blame.  mdk_err_print is the one
 * way it reaches the user: located (file:line:col, the line, a caret) when
 * a position is known, "mdock: error: ..." otherwise. */
#ifndef MDK_BASE_ERR_H
#define MDK_BASE_ERR_H

#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/status.h"

struct mdk_err {
  char msg[1024];
  char hint[256];               /* how to fix it, or "" */
  struct mdk_loc loc;           /* the instruction, when one failed */
};

/* Fills *e (when not NULL) with an unlocated message; returns st. */
enum mdk_status mdk_fail(struct mdk_err *e, enum mdk_status st,
                         const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* Sets e's hint (after mdk_fail, which clears it); returns st. */
enum mdk_status mdk_fail_hint(struct mdk_err *e, enum mdk_status st,
                              const char *hint);
/* Prints e to out: located when e->loc names a source. */
void mdk_err_print(const struct mdk_err *e, FILE *out, bool color);

#endif
