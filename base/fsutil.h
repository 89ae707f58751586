/* fsutil.h - atomic file replacement and directory helpers. */
#ifndef MDK_FSUTIL_H
#define MDK_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

#include "base/status.h"

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory.  On error path is
 * untouched and *err holds errno. */
enum mdk_status mdk_write_atomic(const char *path, const void *data,
                                 size_t len, int *err);
/* The same, the file created with mode (0600 for credentials). */
enum mdk_status mdk_write_atomic_mode(const char *path, const void *data,
                                      size_t len, mode_t mode, int *err);
/* Copies a regular file (content and permission bits); *err = errno. */
enum mdk_status mdk_copy_file(const char *from, const char *to, int *err);
/* mkdir -p with mode 0755. */
enum mdk_status mdk_mkdir_p(const char *path, int *err);
/* mdock's state directory: $MDOCK_ROOT, else /var/lib/mdock for root, else
 * $XDG_DATA_HOME/mdock (~/.local/share/mdock).  Returns a malloc'd string. */
char *mdk_state_root(void);
/* The names in the open directory dirfd but "." and "..", sorted by byte
 * (dirfd stays open); NULL with errno when it cannot be read.  Layers,
 * COPY and wildcards walk directories in this order so that their output
 * does not depend on readdir's.  Free with mdk_dir_names_free. */
char **mdk_dir_names(int dirfd, size_t *n);
void mdk_dir_names_free(char **names, size_t n);
/* What readdir said a listed name is (DT_REG, DT_DIR, ...; DT_UNKNOWN when
 * the file system does not say): kept in the byte after the name's NUL. */
static inline unsigned char mdk_dir_name_type(const char *listed)
{
  return (unsigned char)listed[strlen(listed) + 1];
}
/* rm -rf: removes path and everything under it, never following a
 * symlink; a missing path is no error.  0, or -1 with errno. */
int mdk_rmtree(const char *path);

/* The executable NAME on $PATH (else in /usr/bin, where Debian puts the
 * helpers mdock runs: a build's PATH may be a user's), its path in out;
 * false when there is none. */
bool mdk_find_program(const char *name, char *out, size_t cap);
/* A small text file whole, malloc'd and NUL-terminated (*len without the
 * NUL, when len is not NULL); NULL when it cannot be read or is larger
 * than max bytes. */
char *mdk_read_small(const char *path, size_t max, size_t *len);
/* A name no other call of this process (any thread) or other process gets:
 * "DIR/TAG-PID-N".  Returns out. */
/* Writes all n bytes (again after a short write or EINTR); false with
 * errno set otherwise. */
bool mdk_write_all(int fd, const void *p, size_t n);

char *mdk_temp_name(char *out, size_t cap, const char *dir, const char *tag);
/* Seconds on a monotonic clock (for durations and rates). */
double mdk_now(void);

#endif
