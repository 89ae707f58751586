/* copyroot.h - a step's root without an overlay mount, for where neither
 * the kernel's overlay nor fuse-overlayfs can be had: the layers are
 * copied into one directory (whiteouts and opaque directories applied as
 * an overlay shows them), every entry's inode and ctime are noted, and
 * after the step the entries whose inode or ctime moved (the kernel sets
 * ctime on every change, and nothing can set it back) are copied into an
 * upper directory as an overlay would have left them: parents copied up,
 * removed entries as 0/0 whiteouts, replaced directories opaque, hard
 * links kept.  Slow (a copy of the image per RUN), but it builds, and the
 * layer is the one the overlay would give. */
#ifndef MDK_RT_COPYROOT_H
#define MDK_RT_COPYROOT_H

#include <stdbool.h>
#include <stddef.h>

struct mdk_rt_copy_index;

/* Copies lowers (topmost first, overlay lower dirs) into dst, which
 * exists and is empty; false with why in err. */
bool mdk_rt_copy_layers(const char *const *lowers, size_t nl,
                        const char *dst, char *err, size_t cap);

/* Notes every entry under root; NULL when out of memory or unreadable. */
struct mdk_rt_copy_index *mdk_rt_copy_index(const char *root);

/* What changed under root since the index, into upper (an empty
 * directory), as an overlay upper dir; false with why in err. */
bool mdk_rt_copy_diff(struct mdk_rt_copy_index *ix, const char *root,
                      const char *upper, char *err, size_t cap);

void mdk_rt_copy_index_free(struct mdk_rt_copy_index *ix);

#endif
