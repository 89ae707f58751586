/* layer.h - writing and reading layer tars.
 *
 * Writer: entries (added in sorted path order) become a PAX tar through
 * libarchive with deterministic headers (no user/group names, whole-second
 * mtimes clamped to SOURCE_DATE_EPOCH when set, uid/gid and xattrs kept,
 * hard links as links), compressed on every core, and stored as a blob;
 * the diff id (uncompressed) and the blob digest are computed while
 * streaming.  Nothing holds a whole layer in memory.
 *
 * Reader: unpacks a layer blob into a directory, applying whiteouts, with
 * every path resolved inside the root (openat2 RESOLVE_IN_ROOT): `..`,
 * absolute names and symlinks cannot reach outside it. */
#ifndef MDK_BE_LAYER_H
#define MDK_BE_LAYER_H

#include <stdint.h>
#include <sys/types.h>

#include "store/compress.h"
#include "store/cas.h"
#include "base/base.h"

struct mdk_be_layer_desc {
  mdk_digest digest;            /* of the compressed blob */
  mdk_digest diff_id;           /* of the uncompressed tar */
  uint64_t size;
  const char *media_type;
};

struct mdk_be_layer_opts {
  struct mdk_be_compress_opts comp;
  int64_t epoch;                /* SOURCE_DATE_EPOCH, or -1 */
};

/* One tar entry.  type: 'f' file, 'd' dir, 'l' symlink, 'h' hard link,
 * 'c'/'b' devices, 'p' fifo, 'w' whiteout of path, 'o' opaque dir marker
 * for directory path. */
struct mdk_be_xattr {
  const char *name;
  const void *value;
  size_t len;
};
struct mdk_be_entry {
  const char *path;             /* inside the layer: no leading '/' */
  char type;
  uint32_t mode;                /* permission bits and suid/sgid/sticky */
  uint32_t uid, gid;
  int64_t mtime;
  uint64_t size;                /* 'f' */
  const char *link;             /* 'l' target, 'h' path of the first link */
  dev_t rdev;
  int src_dirfd;                /* 'f': content from openat(src_dirfd, */
  const char *src_name;         /*       src_name), read as it streams */
  const struct mdk_be_xattr *xattrs;
  size_t nxattrs;
};

struct mdk_be_layerw;
enum mdk_status mdk_be_layerw_begin(struct mdk_be_store *s,
                                    const struct mdk_be_layer_opts *o,
                                    struct mdk_be_layerw **out,
                                    struct mdk_err *e);
enum mdk_status mdk_be_layerw_add(struct mdk_be_layerw *w,
                                  const struct mdk_be_entry *en,
                                  struct mdk_err *e);
enum mdk_status mdk_be_layerw_commit(struct mdk_be_layerw *w,
                                     struct mdk_be_layer_desc *d,
                                     struct mdk_err *e);
void mdk_be_layerw_abort(struct mdk_be_layerw *w);
/* The entry of a parent directory a layer names without changing it: the
 * metadata of the directory rootfd has at path, or (none there, or rootfd
 * -1) mode 0755, uid:gid and mtime now. */
enum mdk_status mdk_be_layerw_add_dir(struct mdk_be_layerw *w, int rootfd,
                                      const char *path, uint32_t uid,
                                      uint32_t gid, int64_t now,
                                      struct mdk_err *e);

/* A whole directory tree as a layer: sorted, hard links kept; overlay
 * whiteouts (0/0 character devices, trusted.overlay.opaque) become OCI
 * `.wh.` entries. */
enum mdk_status mdk_be_layer_from_dir(struct mdk_be_store *s,
                                      const char *dir,
                                      const struct mdk_be_layer_opts *o,
                                      struct mdk_be_layer_desc *d,
                                      struct mdk_err *e);

/* Unpacks a layer (gzip, zstd or plain tar, from the blob's content) into
 * root.  devices: create device nodes (else they are skipped). */
struct mdk_be_unpack_opts {
  bool devices;
  bool same_owner;              /* chown entries (root only) */
  /* an overlay lower dir: whiteouts stay as overlay whiteouts (0/0
   * character devices, trusted.overlay.opaque) instead of deleting */
  bool overlay;
  /* ADD of a local archive: names resolve inside the destination as in a
   * chroot there (BuildKit's chrootarchive.Untar), so "/x" and "../x" land
   * at its top; a layer refuses both */
  bool rooted;
};
enum mdk_status mdk_be_unpack_fd(int fd, const char *root,
                                 const struct mdk_be_unpack_opts *o,
                                 struct mdk_err *e);
/* Every entry of a layer blob (its digest checked to the end) through fn,
 * which may read the entry's data; the first failure stops the walk. */
struct archive;
struct archive_entry;
typedef enum mdk_status (*mdk_be_entry_fn)(void *ctx, struct archive *ar,
                                           struct archive_entry *ae,
                                           struct mdk_err *e);
enum mdk_status mdk_be_layer_walk(struct mdk_be_store *s, const char *digest,
                                  mdk_be_entry_fn fn, void *ctx,
                                  struct mdk_err *e);
/* What a layer's files hold unpacked, as docker counts a layer's size
 * (regular files and symlink targets, each inode once; directories,
 * devices and whiteouts are 0). */
enum mdk_status mdk_be_layer_content_size(struct mdk_be_store *s,
                                          const char *digest, uint64_t *size,
                                          struct mdk_err *e);
enum mdk_status mdk_be_unpack_blob(struct mdk_be_store *s, const char *digest,
                                   const char *root,
                                   const struct mdk_be_unpack_opts *o,
                                   struct mdk_err *e);

#endif
