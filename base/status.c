#include "base/status.h"

const char *mdk_status_str(enum mdk_status st)
{
  switch(st) {
#define X(e, n, c) case e: return n;
    MDK_STATUS_LIST(X)
#undef X
  }
  return "unknown status";
}

int mdk_status_exit_code(enum mdk_status st)
{
  switch(st) {
#define X(e, n, c) case e: return c;
    MDK_STATUS_LIST(X)
#undef X
  }
  return 1;
}
