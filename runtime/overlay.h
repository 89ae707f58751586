/* overlay.h - how a step's root is made of its layers.  As root, and
 * rootless on Linux 5.11 and later, the kernel's overlay (rootless with
 * userxattr).  Rootless where the kernel refuses it: fuse-overlayfs, when
 * installed and /dev/fuse can be opened.  Else a copy of the layers per
 * step (runtime/copyroot.h): slow, but it builds the same layers. */
#ifndef MDK_RT_OVERLAY_H
#define MDK_RT_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

enum mdk_rt_overlay {
  MDK_RT_OVL_KERNEL,
  MDK_RT_OVL_FUSE,
  MDK_RT_OVL_COPY
};

/* The kind this process uses: found once (rootless: by mounting a small
 * overlay in a mount namespace of a child's, under scratch_dir), or
 * forced by MDOCK_OVERLAY=kernel|fuse|copy.  *notice (when not NULL) is
 * set the first time, rootless or copying: one line saying which and
 * why. */
enum mdk_rt_overlay mdk_rt_overlay_kind(const char *scratch_dir,
                                        const char **notice);

/* Mounts lowerdir/upperdir/workdir options opts (without userxattr, which
 * is added for the kernel's when rootless) on target; -1 with errno, or
 * with a message in err (fuse-overlayfs's own failure). */
int mdk_rt_overlay_mount(enum mdk_rt_overlay kind, const char *opts,
                         const char *target, char *err, size_t cap);

/* A fuse-overlayfs upper dir as the kernel's would be: the opaque marks
 * it puts on every directory it makes (a ".wh..wh..opq" file, a 0/0
 * device ".wh..opq", its own xattrs) taken off, and the kernel's put back
 * only where a layer below has the directory: the same layer, the same
 * digest. */
void mdk_rt_overlay_normalize(const char *upper, const char *const *lowers,
                              size_t nl);

#endif
