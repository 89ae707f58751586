/* userdb.h - "user[:group]" to uid/gid through the image's own files. */
#ifndef MDK_BE_USERDB_H
#define MDK_BE_USERDB_H

#include <stdint.h>

#include "backend/store.h"

/* rootfd: the image root (or -1 when only numeric ids are possible).
 * Without a group the gid is the uid's number, as Docker documents for
 * --chown. */
enum mdk_status mdk_be_user_resolve(int rootfd, const char *spec,
                                    uint32_t *uid, uint32_t *gid,
                                    struct mdk_be_err *e);

#endif
