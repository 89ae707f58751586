/* inroot.h - paths inside a root directory the way a process chrooted
 * there sees them: `..` stops at the root and a symlink to /x or ../..
 * names something inside it.  Layers, COPY destinations, WORKDIR and the
 * runtime's mount targets are all resolved through these, so that no path
 * an image or a context controls reaches the host. */
#ifndef MDK_INROOT_H
#define MDK_INROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Resolves path (absolute or relative) inside the directory rootfd the
 * way a process chrooted there would, symlinks included; opens it with
 * flags (O_PATH allowed).  -1 with errno on failure. */
int mdk_open_in_root(int rootfd, const char *path, int flags, mode_t mode);
/* The physical path (relative, no leading '/', "" for the root) that path
 * names inside rootfd, following symlinks as a chrooted process would; a
 * missing tail is kept as written.  false when it loops or is too long. */
bool mdk_resolve_in_root(int rootfd, const char *path, char *out,
                         size_t cap);

#endif
