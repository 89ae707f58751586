/* status.h - the closed set of failure classes every mdock function returns. */
#ifndef MDK_STATUS_H
#define MDK_STATUS_H

/* X(enum, name, exit code) -- the message a user sees is a diagnostic; the
 * status only classifies the failure. */
#define MDK_STATUS_LIST(X)               \
  X(MDK_OK, "ok", 0)                     \
  X(MDK_ESYNTAX, "syntax error", 1)      \
  X(MDK_EEXPAND, "expansion error", 1)   \
  X(MDK_EINPUT, "invalid input", 1)      \
  X(MDK_EUSAGE, "usage error", 2)        \
  X(MDK_EIO, "i/o error", 1)             \
  X(MDK_ENOMEM, "out of memory", 3)      \
  X(MDK_ETOOBIG, "input too large", 1)

enum mdk_status {
#define X(e, n, c) e,
  MDK_STATUS_LIST(X)
#undef X
};

const char *mdk_status_str(enum mdk_status st);
int mdk_status_exit_code(enum mdk_status st);

#endif
