/* diag.h - diagnostics: every message a user sees carries a location, the
 * source line, a caret under the offending bytes and a hint (STYLE.md #2). */
#ifndef MDK_DIAG_H
#define MDK_DIAG_H

#include <stdio.h>

#include "base/source.h"
#include "base/str.h"

enum mdk_sev { MDK_SEV_ERROR, MDK_SEV_WARNING, MDK_SEV_NOTE };

/* A byte span in one source; src NULL = no location (usage errors). */
struct mdk_loc {
  const struct mdk_source *src;
  uint32_t start, end;
};

struct mdk_diag {
  enum mdk_sev sev;
  struct mdk_loc loc;
  const char *msg;       /* one line, no '\n' */
  const char *hint;      /* may be NULL */
  const char *rule;      /* warning class, may be NULL */
};

struct mdk_diags {
  struct mdk_arena *arena;
  struct mdk_vec items;  /* struct mdk_diag */
  size_t nerrors;
};

void mdk_diags_init(struct mdk_diags *d, struct mdk_arena *a);
struct mdk_diag *mdk_diag_add(struct mdk_diags *d, enum mdk_sev sev,
                              struct mdk_loc loc, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
void mdk_diag_hint(struct mdk_diags *d, struct mdk_diag *dg,
                   const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/* Renders one diagnostic: "name:line:col: error: msg", source line, caret,
 * hint.  color adds ANSI colours. */
void mdk_diag_print(const struct mdk_diag *dg, FILE *out, bool color);
void mdk_diags_print(const struct mdk_diags *d, FILE *out, bool color);

#endif
