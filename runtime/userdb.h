/* userdb.h - "user[:group]" to uid/gid through the image's own files. */
#ifndef MDK_RT_USERDB_H
#define MDK_RT_USERDB_H

#include <stdint.h>

#include "base/base.h"

/* rootfd: the image root (or -1 when only numeric ids are possible).
 * Without a group the gid is the uid's number, as Docker documents for
 * --chown. */
enum mdk_status mdk_rt_user_resolve(int rootfd, const char *spec,
                                    uint32_t *uid, uint32_t *gid,
                                    struct mdk_err *e);

/* USER for a process (RUN, mdock run): a name or uid; without a group the
 * primary group from /etc/passwd (0 when the uid has no entry), and the
 * supplementary groups that list the user in /etc/group, as runc sets
 * them. */
enum mdk_status mdk_rt_user_resolve_run(int rootfd, const char *spec,
                                        uint32_t *uid, uint32_t *gid,
                                        uint32_t *groups, size_t *ngroups,
                                        size_t max, struct mdk_err *e);

/* HOME for uid: its /etc/passwd entry's, else "/" (as runc sets it). */
void mdk_rt_user_home(int rootfd, uint32_t uid, char *home, size_t cap);

#endif
