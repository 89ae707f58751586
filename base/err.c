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
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
  }
  return st;
}

void mdk_err_print(const struct mdk_err *e, FILE *out, bool color)
{
  if(e->loc.src) {
    struct mdk_diag dg = {MDK_SEV_ERROR, e->loc, e->msg, NULL, NULL};
    mdk_diag_print(&dg, out, color);
  }
  else {
    fprintf(out, "mdock: error: %s\n", e->msg);
  }
}
