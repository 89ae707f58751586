/* userns.h - rootless mode: a process that is not root enters a user
 * namespace of its own at the start of every command that builds or runs,
 * as `buildah unshare` does, and is root there: the caller maps to root
 * and, when /etc/subuid and /etc/subgid give the caller ranges, IDs 1..N
 * map to the range (through newuidmap/newgidmap, setuid helpers of
 * Debian's uidmap), so chown, useradd and base images' files owned by
 * other users are what they are in a root build.  Without ranges: one ID,
 * with a warning.  Every layer is then read and written with the image's
 * IDs: a rootless build gives a root build's digests. */
#ifndef MDK_RT_USERNS_H
#define MDK_RT_USERNS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

enum mdk_rt_ids {
  MDK_RT_IDS_ROOT,              /* root of the initial namespace */
  MDK_RT_IDS_RANGE,             /* rootless, the caller's subordinate IDs */
  MDK_RT_IDS_SINGLE,            /* rootless, one ID (the caller's) */
  MDK_RT_IDS_NONE               /* not root, no user namespace: RUN fails */
};

/* Enters the namespace when not root (once; later calls return at once).
 * Never fails: when user namespaces are refused, the process goes on as
 * it is, and mdk_rt_available says exactly why RUN cannot be.
 * The one-ID warning waits for mdk_rt_userns_notice. */
enum mdk_rt_ids mdk_rt_userns_enter(void);

/* What mdk_rt_userns_enter made of this process. */
enum mdk_rt_ids mdk_rt_userns_ids(void);

/* The warning of one-ID mode (what will fail, how to get a range), the
 * first time it is asked for in a process; NULL after, and in other
 * modes.  Shown with the first RUN, where it matters. */
const char *mdk_rt_userns_notice(void);

/* Why the namespace could not be entered ("" when it was, or root). */
const char *mdk_rt_userns_why(void);

/* The mapping in words, for errors about an unmapped ID: "IDs 0-65536
 * (you and 100000-165535)" or "only ID 0 (you)". */
void mdk_rt_userns_describe(char *buf, size_t cap);

#endif
