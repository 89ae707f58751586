/* err.c - see err.h. */
#include "base/err.h"

#include <stdarg.h>
#include <string.h>

enum mdk_status mdk_fail(struct mdk_err *e, enum mdk_status st,
                         const char *fmt, ...)
{
  va_list ap;
  if(e) {
    memset(&e->loc, 0, sizeof(e->loc));
    e->hint[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
  }
  return st;
}

enum mdk_status mdk_fail_hint(struct mdk_err *e, enum mdk_status st,
                              const char *hint)
{
  if(e)
    snprintf(e->hint, sizeof(e->hint), "%s", hint);
  return st;
}

void mdk_err_print(const struct mdk_err *e, FILE *out, bool color)
{
  const char *hint = e->hint[0] ? e->hint : NULL;
  if(e->loc.src) {
    struct mdk_diag dg = {MDK_SEV_ERROR, e->loc, e->msg, hint, NULL};
    mdk_diag_print(&dg, out, color);
    return;
  }
  fprintf(out, "mdock: error: %s\n", e->msg);
  if(hint)
    fprintf(out, "hint: %s\n", hint);
}
