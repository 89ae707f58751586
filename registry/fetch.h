/* fetch.h - ADD of a remote URL: downloaded with libcurl into a file,
 * hashed while it arrives, checked against --checksum. */
#ifndef MDK_BE_FETCH_H
#define MDK_BE_FETCH_H

#include <stdint.h>

#include "store/store.h"

/* Downloads url to path.  checksum: "sha256:<hex>" or NULL.  *mtime: the
 * Last-Modified time, or -1. */
enum mdk_status mdk_be_fetch(const char *url, const char *path,
                             const char *checksum, int64_t *mtime,
                             struct mdk_err *e);

#endif
