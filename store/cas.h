/* store.h - mdock's content store ($MDOCK_ROOT, DESIGN.md §5):
 *
 *   blobs/sha256/<hex>   content addressed; verified on write and on read
 *   refs/<name>          tags: a file holding a manifest digest
 *   cache/<key hex>      cache index: op key -> layer descriptor (JSON)
 *   snapshots/<chainid>/ unpacked layer stacks
 *   tmp/                 writes in progress (cleaned by prune and fsck)
 *   lock                 flock: builds share it, prune takes it alone
 *
 * Every write is temp file + fsync + rename + directory fsync, so an
 * interrupted process leaves only files under tmp/. */
#ifndef MDK_BE_STORE_H
#define MDK_BE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* "sha256:" + 64 hex + NUL */
#define MDK_DIGEST_LEN 72
typedef char mdk_digest[MDK_DIGEST_LEN];
bool mdk_digest_valid(const char *d);
void mdk_digest_from_raw(const uint8_t raw[32], mdk_digest out);

struct mdk_be_store {
  char *root;                   /* malloc'd */
  int rootfd;
  int lockfd;
};

enum mdk_be_lock { MDK_BE_LOCK_SHARED, MDK_BE_LOCK_EXCLUSIVE };

/* root NULL: mdk_state_root().  Creates the layout when missing. */
enum mdk_status mdk_be_store_open(struct mdk_be_store *s, const char *root,
                                  enum mdk_be_lock lock,
                                  struct mdk_err *e);
void mdk_be_store_close(struct mdk_be_store *s);

/* Streaming blob writer: the digest and size are computed while writing;
 * commit fsyncs, verifies against `expect` (when not NULL) and renames
 * into place.  Abort (or a crash) leaves only a file under tmp/. */
struct mdk_be_blobw {
  struct mdk_be_store *s;
  int fd;
  char tmp[64];
  struct mdk_sha256 h;
  uint64_t size;
  bool failed;
};
enum mdk_status mdk_be_blobw_begin(struct mdk_be_store *s,
                                   struct mdk_be_blobw *w,
                                   struct mdk_err *e);
enum mdk_status mdk_be_blobw_write(struct mdk_be_blobw *w, const void *p,
                                   size_t n, struct mdk_err *e);
enum mdk_status mdk_be_blobw_commit(struct mdk_be_blobw *w,
                                    const char *expect, mdk_digest out,
                                    uint64_t *size, struct mdk_err *e);
void mdk_be_blobw_abort(struct mdk_be_blobw *w);

enum mdk_status mdk_be_blob_put(struct mdk_be_store *s, const void *p,
                                size_t n, mdk_digest out,
                                struct mdk_err *e);
bool mdk_be_blob_exists(struct mdk_be_store *s, const char *digest);
/* "blobs/sha256/<hex>" relative to the store root */
void mdk_be_blob_relpath(const char *digest, char out[96]);
/* Opens a blob for reading (read-only fd) or fails with a message. */
int mdk_be_blob_open(struct mdk_be_store *s, const char *digest,
                     struct mdk_err *e);
/* Reads a whole (small) blob, verifying its digest; max bounds its size. */
enum mdk_status mdk_be_blob_read(struct mdk_be_store *s,
                                 struct mdk_arena *a, const char *digest,
                                 size_t max, char **data, size_t *len,
                                 struct mdk_err *e);
/* Re-hashes a blob; MDK_EINPUT with a message when it does not match. */
enum mdk_status mdk_be_blob_verify(struct mdk_be_store *s, const char *digest,
                                   struct mdk_err *e);

/* Verified streaming reader: the digest is checked at end of stream. */
struct mdk_be_blobr {
  int fd;
  struct mdk_sha256 h;
  mdk_digest expect;
  bool done;
};
enum mdk_status mdk_be_blobr_open(struct mdk_be_store *s, const char *digest,
                                  struct mdk_be_blobr *r,
                                  struct mdk_err *e);
/* Returns bytes read, 0 at a verified end, -1 on error or mismatch. */
long mdk_be_blobr_read(struct mdk_be_blobr *r, void *buf, size_t n,
                       struct mdk_err *e);
void mdk_be_blobr_close(struct mdk_be_blobr *r);

/* Small files of the store (refs, cache entries), written atomically. */
enum mdk_status mdk_be_store_write(struct mdk_be_store *s, const char *rel,
                                   const void *p, size_t n,
                                   struct mdk_err *e);
/* NULL when missing */
char *mdk_be_store_read(struct mdk_be_store *s, struct mdk_arena *a,
                        const char *rel, size_t max);

/* tags */
enum mdk_status mdk_be_tag_set(struct mdk_be_store *s, const char *name,
                               const char *manifest_digest,
                               struct mdk_err *e);
/* the manifest digest of a tag, or false */
bool mdk_be_tag_get(struct mdk_be_store *s, const char *name,
                    mdk_digest out);
enum mdk_status mdk_be_tag_rm(struct mdk_be_store *s, const char *name,
                              struct mdk_err *e);
/* every tag, sorted (arena, NULL-terminated) */
const char **mdk_be_tag_list(struct mdk_be_store *s, struct mdk_arena *a,
                             size_t *n);
/* name -> the form tags are stored under: ":latest" added when there is no
 * tag or digest, "docker.io/library/" dropped */
const char *mdk_be_ref_normalize(struct mdk_arena *a, const char *name);

#endif
