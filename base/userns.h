/* userns.h - whether this process is rootless: root of a user namespace
 * that is not the initial one (mdock entered it itself, see
 * runtime/userns.h, or was started in one: `unshare -r`, a rootless
 * container).  A rootless process keeps its store in the user's home, marks
 * overlay directories with user.overlay.* xattrs (trusted.* needs root of
 * the initial namespace) and mounts overlays with userxattr. */
#ifndef MDK_BASE_USERNS_H
#define MDK_BASE_USERNS_H

#include <stdbool.h>

/* True when the process is not in the initial user namespace; read from
 * /proc/self/uid_map once (mdk_userns_forget reads it again). */
bool mdk_userns_rootless(void);
void mdk_userns_forget(void);

/* The xattr that marks an overlay directory opaque, for this process's
 * overlay mounts: "user.overlay.opaque" rootless, else
 * "trusted.overlay.opaque". */
const char *mdk_userns_opaque_xattr(void);

/* Every xattr that marks a directory opaque: the kernel overlay's (as
 * root, rootless) and fuse-overlayfs's; NULL-terminated. */
extern const char *const mdk_userns_opaque_names[];
/* Whether name is one of them, and whether it is any xattr of overlay's
 * or fuse-overlayfs's own (never part of an image). */
bool mdk_userns_opaque_name(const char *name);
bool mdk_userns_overlay_xattr(const char *name);
/* Whether the directory at path is marked opaque by any of them. */
bool mdk_userns_dir_opaque(const char *path);

#endif
