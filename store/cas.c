/* store.c - the content store: blobs, small files, tags, the lock. */
#include "store/cas.h"


#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

enum { IO_BUF = 1 << 16 };

bool mdk_digest_valid(const char *d)
{
  size_t i;
  if(!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
    return false;
  for(i = 7; i < 71; i++)
    if(!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f')))
      return false;
  return true;
}

void mdk_digest_from_raw(const uint8_t raw[32], mdk_digest out)
{
  static const char hex[] = "0123456789abcdef";
  int i;
  memcpy(out, "sha256:", 7);
  for(i = 0; i < 32; i++) {
    out[7 + 2 * i] = hex[raw[i] >> 4];
    out[8 + 2 * i] = hex[raw[i] & 15];
  }
  out[71] = '\0';
}

static void fsync_dirat(int dirfd, const char *rel)
{
  int fd = openat(dirfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

static const char *const layout_dirs[] = {"blobs", "blobs/sha256", "refs",
                                          "cache", "snapshots", "tmp",
                                          "cache-mounts", "sizes", NULL};

enum mdk_status mdk_be_store_open(struct mdk_be_store *s, const char *root,
                                  enum mdk_be_lock lock, struct mdk_err *e)
{
  int err, i;
  memset(s, 0, sizeof(*s));
  s->rootfd = s->lockfd = -1;
  s->root = root ? strdup(root) : mdk_state_root();
  if(!s->root)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  if(mdk_mkdir_p(s->root, &err) && err != EEXIST)
    goto fail;
  s->rootfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(s->rootfd < 0) {
    err = errno;
    goto fail;
  }
  for(i = 0; layout_dirs[i]; i++)
    if(mkdirat(s->rootfd, layout_dirs[i], 0700) && errno != EEXIST) {
      err = errno;
      goto fail;
    }
  s->lockfd = openat(s->rootfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if(s->lockfd < 0) {
    err = errno;
    goto fail;
  }
  if(flock(s->lockfd, lock == MDK_BE_LOCK_EXCLUSIVE ? LOCK_EX : LOCK_SH)) {
    err = errno;
    goto fail;
  }
  return MDK_OK;
fail:
  mdk_fail(e, MDK_EIO, "cannot open the store %s: %s (set MDOCK_ROOT "
              "to a writable directory)", s->root, strerror(err));
  mdk_be_store_close(s);
  return MDK_EIO;
}

void mdk_be_store_close(struct mdk_be_store *s)
{
  if(s->lockfd >= 0)
    close(s->lockfd);
  if(s->rootfd >= 0)
    close(s->rootfd);
  free(s->root);
  s->root = NULL;
  s->rootfd = s->lockfd = -1;
}

/* tmp/<tag>-<pid>-<n>: unique per process and call */
static int tmp_create(struct mdk_be_store *s, char out[64], const char *tag)
{
  mdk_temp_name(out, 64, "tmp", tag);
  return openat(s->rootfd, out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                0644);
}

static enum mdk_status write_all(int fd, const void *p, size_t n)
{
  const char *c = p;
  while(n) {
    ssize_t w = write(fd, c, n);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      return MDK_EIO;
    }
    c += w;
    n -= (size_t)w;
  }
  return MDK_OK;
}

enum mdk_status mdk_be_blobw_begin(struct mdk_be_store *s,
                                   struct mdk_be_blobw *w,
                                   struct mdk_err *e)
{
  memset(w, 0, sizeof(*w));
  w->s = s;
  w->fd = tmp_create(s, w->tmp, "blob");
  if(w->fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot create a file in %s/tmp: %s",
                       s->root, strerror(errno));
  mdk_sha256_init(&w->h);
  return MDK_OK;
}

enum mdk_status mdk_be_blobw_write(struct mdk_be_blobw *w, const void *p,
                                   size_t n, struct mdk_err *e)
{
  if(w->failed)
    return MDK_EIO;
  mdk_sha256_update(&w->h, p, n);
  w->size += n;
  if(write_all(w->fd, p, n)) {
    w->failed = true;
    return mdk_fail(e, MDK_EIO, "cannot write to the store %s: %s",
                       w->s->root, strerror(errno));
  }
  return MDK_OK;
}

void mdk_be_blob_relpath(const char *digest, char out[96])
{
  snprintf(out, 96, "blobs/sha256/%s", digest + 7);
}

enum mdk_status mdk_be_blobw_commit(struct mdk_be_blobw *w,
                                    const char *expect, mdk_digest out,
                                    uint64_t *size, struct mdk_err *e)
{
  uint8_t raw[32];
  char rel[96];
  mdk_sha256_final(&w->h, raw);
  mdk_digest_from_raw(raw, out);
  if(size)
    *size = w->size;
  if(w->failed) {
    mdk_be_blobw_abort(w);
    return MDK_EIO;
  }
  if(expect && strcmp(expect, out) != 0) {
    mdk_be_blobw_abort(w);
    return mdk_fail(e, MDK_EINPUT, "digest mismatch: expected %s, got %s "
                       "(nothing was stored)", expect, out);
  }
  if(fsync(w->fd) || close(w->fd)) {
    w->fd = -1;
    mdk_be_blobw_abort(w);
    return mdk_fail(e, MDK_EIO, "cannot write to the store %s: %s",
                       w->s->root, strerror(errno));
  }
  w->fd = -1;
  mdk_be_blob_relpath(out, rel);
  /* a blob already there has the same content: either copy is right */
  if(renameat(w->s->rootfd, w->tmp, w->s->rootfd, rel)) {
    int er = errno;
    unlinkat(w->s->rootfd, w->tmp, 0);
    return mdk_fail(e, MDK_EIO, "cannot store blob %s: %s", out,
                       strerror(er));
  }
  fsync_dirat(w->s->rootfd, "blobs/sha256");
  return MDK_OK;
}

void mdk_be_blobw_abort(struct mdk_be_blobw *w)
{
  if(w->fd >= 0)
    close(w->fd);
  w->fd = -1;
  if(w->tmp[0])
    unlinkat(w->s->rootfd, w->tmp, 0);
  w->tmp[0] = '\0';
}

enum mdk_status mdk_be_blob_put(struct mdk_be_store *s, const void *p,
                                size_t n, mdk_digest out,
                                struct mdk_err *e)
{
  struct mdk_be_blobw w;
  enum mdk_status st = mdk_be_blobw_begin(s, &w, e);
  if(st)
    return st;
  st = mdk_be_blobw_write(&w, p, n, e);
  if(st) {
    mdk_be_blobw_abort(&w);
    return st;
  }
  return mdk_be_blobw_commit(&w, NULL, out, NULL, e);
}

bool mdk_be_blob_exists(struct mdk_be_store *s, const char *digest)
{
  char rel[96];
  if(!mdk_digest_valid(digest))
    return false;
  mdk_be_blob_relpath(digest, rel);
  return faccessat(s->rootfd, rel, F_OK, 0) == 0;
}

int mdk_be_blob_open(struct mdk_be_store *s, const char *digest,
                     struct mdk_err *e)
{
  char rel[96];
  int fd;
  if(!mdk_digest_valid(digest)) {
    mdk_fail(e, MDK_EINPUT, "invalid digest '%s' (write sha256:<64 hex>)",
                digest);
    return -1;
  }
  mdk_be_blob_relpath(digest, rel);
  fd = openat(s->rootfd, rel, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    mdk_fail(e, MDK_EIO, "blob %s is not in the store %s: %s", digest,
                s->root, strerror(errno));
  return fd;
}

enum mdk_status mdk_be_blobr_open(struct mdk_be_store *s, const char *digest,
                                  struct mdk_be_blobr *r,
                                  struct mdk_err *e)
{
  memset(r, 0, sizeof(*r));
  r->fd = mdk_be_blob_open(s, digest, e);
  if(r->fd < 0)
    return MDK_EIO;
  snprintf(r->expect, sizeof(r->expect), "%s", digest);
  mdk_sha256_init(&r->h);
  return MDK_OK;
}

long mdk_be_blobr_read(struct mdk_be_blobr *r, void *buf, size_t n,
                       struct mdk_err *e)
{
  ssize_t got;
  if(r->done)
    return 0;
  do
    got = read(r->fd, buf, n);
  while(got < 0 && errno == EINTR);
  if(got < 0) {
    mdk_fail(e, MDK_EIO, "cannot read blob %s: %s", r->expect,
                strerror(errno));
    return -1;
  }
  if(got == 0) {
    uint8_t raw[32];
    mdk_digest d;
    mdk_sha256_final(&r->h, raw);
    r->h.ctx = NULL;
    mdk_digest_from_raw(raw, d);
    r->done = true;
    if(strcmp(d, r->expect) != 0) {
      mdk_fail(e, MDK_EINPUT, "blob %s is corrupt: its content hashes to "
                  "%s (run `mdock fsck`, then rebuild or re-import the "
                  "image)", r->expect, d);
      return -1;
    }
    return 0;
  }
  mdk_sha256_update(&r->h, buf, (size_t)got);
  return (long)got;
}

void mdk_be_blobr_close(struct mdk_be_blobr *r)
{
  if(r->fd >= 0)
    close(r->fd);
  r->fd = -1;
  if(r->h.ctx) {
    uint8_t raw[32];
    mdk_sha256_final(&r->h, raw);
    r->h.ctx = NULL;
  }
}

enum mdk_status mdk_be_blob_read(struct mdk_be_store *s,
                                 struct mdk_arena *a, const char *digest,
                                 size_t max, char **data, size_t *len,
                                 struct mdk_err *e)
{
  struct mdk_be_blobr r;
  struct stat st;
  char *p;
  size_t have = 0;
  long got;
  if(mdk_be_blobr_open(s, digest, &r, e))
    return MDK_EIO;
  if(fstat(r.fd, &st) || (uint64_t)st.st_size > max) {
    mdk_be_blobr_close(&r);
    return mdk_fail(e, MDK_ETOOBIG, "blob %s is larger than %zu bytes, "
                       "the limit for an image document (%s raises it)",
                       digest, max, mdk_limit_env(MDK_LIMIT_DOCUMENT));
  }
  p = mdk_arena_alloc(a, (size_t)st.st_size + 1);
  for(;;) {
    size_t room = (size_t)st.st_size - have;
    char dummy[1];
    got = mdk_be_blobr_read(&r, room ? p + have : dummy, room ? room : 1, e);
    if(got < 0) {
      mdk_be_blobr_close(&r);
      return MDK_EINPUT;
    }
    if(got == 0)
      break;
    if(!room) {
      mdk_be_blobr_close(&r);
      return mdk_fail(e, MDK_EIO, "blob %s grew while read", digest);
    }
    have += (size_t)got;
  }
  mdk_be_blobr_close(&r);
  p[have] = '\0';
  *data = p;
  *len = have;
  return MDK_OK;
}

enum mdk_status mdk_be_blob_verify(struct mdk_be_store *s, const char *digest,
                                   struct mdk_err *e)
{
  struct mdk_be_blobr r;
  char *buf;
  long got;
  if(mdk_be_blobr_open(s, digest, &r, e))
    return MDK_EIO;
  buf = malloc(IO_BUF);
  if(!buf) {
    mdk_be_blobr_close(&r);
    return MDK_ENOMEM;
  }
  while((got = mdk_be_blobr_read(&r, buf, IO_BUF, e)) > 0)
    ;
  free(buf);
  mdk_be_blobr_close(&r);
  return got < 0 ? MDK_EINPUT : MDK_OK;
}

enum mdk_status mdk_be_store_write(struct mdk_be_store *s, const char *rel,
                                   const void *p, size_t n,
                                   struct mdk_err *e)
{
  char tmp[64], dir[512];
  const char *slash = strrchr(rel, '/');
  int fd = tmp_create(s, tmp, "file");
  if(fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot create a file in %s/tmp: %s",
                       s->root, strerror(errno));
  if(write_all(fd, p, n) || fsync(fd)) {
    int er = errno;
    close(fd);
    unlinkat(s->rootfd, tmp, 0);
    return mdk_fail(e, MDK_EIO, "cannot write %s/%s: %s", s->root, rel,
                       strerror(er));
  }
  close(fd);
  if(renameat(s->rootfd, tmp, s->rootfd, rel)) {
    int er = errno;
    unlinkat(s->rootfd, tmp, 0);
    return mdk_fail(e, MDK_EIO, "cannot write %s/%s: %s", s->root, rel,
                       strerror(er));
  }
  snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - rel) : 1,
           slash ? rel : ".");
  fsync_dirat(s->rootfd, dir);
  return MDK_OK;
}

char *mdk_be_store_read(struct mdk_be_store *s, struct mdk_arena *a,
                        const char *rel, size_t max)
{
  int fd = openat(s->rootfd, rel, O_RDONLY | O_CLOEXEC);
  struct stat st;
  char *p;
  size_t have = 0;
  if(fd < 0)
    return NULL;
  if(fstat(fd, &st) || (uint64_t)st.st_size > max) {
    close(fd);
    return NULL;
  }
  p = mdk_arena_alloc(a, (size_t)st.st_size + 1);
  while(have < (size_t)st.st_size) {
    ssize_t got = read(fd, p + have, (size_t)st.st_size - have);
    if(got <= 0) {
      if(got < 0 && errno == EINTR)
        continue;
      break;
    }
    have += (size_t)got;
  }
  close(fd);
  p[have] = '\0';
  return p;
}

/* Tag names hold '/' and ':'; files under refs/ escape '/' and '%'. */
static void tag_rel(const char *name, char out[600])
{
  size_t o = 0;
  o += (size_t)snprintf(out, 600, "refs/");
  for(; *name && o < 590; name++) {
    if(*name == '/' || *name == '%')
      o += (size_t)snprintf(out + o, 600 - o, "%%%02X", (unsigned char)*name);
    else
      out[o++] = *name;
  }
  out[o] = '\0';
}

static char *tag_unescape(struct mdk_arena *a, const char *f)
{
  size_t n = strlen(f), i, o = 0;
  char *out = mdk_arena_alloc(a, n + 1);
  for(i = 0; i < n; i++) {
    if(f[i] == '%' && i + 2 < n + 1 && f[i + 1] && f[i + 2]) {
      char h[3] = {f[i + 1], f[i + 2], 0};
      out[o++] = (char)strtol(h, NULL, 16);
      i += 2;
    }
    else {
      out[o++] = f[i];
    }
  }
  out[o] = '\0';
  return out;
}

enum mdk_status mdk_be_tag_set(struct mdk_be_store *s, const char *name,
                               const char *manifest_digest,
                               struct mdk_err *e)
{
  char rel[600], line[80];
  if(!mdk_digest_valid(manifest_digest))
    return mdk_fail(e, MDK_EINPUT, "invalid digest '%s'", manifest_digest);
  tag_rel(name, rel);
  snprintf(line, sizeof(line), "%s\n", manifest_digest);
  return mdk_be_store_write(s, rel, line, strlen(line), e);
}

bool mdk_be_tag_get(struct mdk_be_store *s, const char *name, mdk_digest out)
{
  char rel[600], buf[80];
  int fd;
  ssize_t n;
  tag_rel(name, rel);
  fd = openat(s->rootfd, rel, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return false;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if(n < 71)
    return false;
  buf[71] = '\0';
  if(!mdk_digest_valid(buf))
    return false;
  memcpy(out, buf, 72);
  return true;
}

enum mdk_status mdk_be_tag_rm(struct mdk_be_store *s, const char *name,
                              struct mdk_err *e)
{
  char rel[600];
  tag_rel(name, rel);
  if(unlinkat(s->rootfd, rel, 0))
    return mdk_fail(e, MDK_EINPUT, "no image tagged %s in the store "
                       "(see `mdock images`)", name);
  fsync_dirat(s->rootfd, "refs");
  return MDK_OK;
}

static int cmp_cstr(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **mdk_be_tag_list(struct mdk_be_store *s, struct mdk_arena *a,
                             size_t *n)
{
  struct mdk_vec v = MDK_VEC_INIT(const char *);
  const char *nul = NULL;
  int fd = openat(s->rootfd, "refs", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  struct dirent *de;
  while(d && (de = readdir(d))) {
    const char *t;
    if(de->d_name[0] == '.')
      continue;
    t = tag_unescape(a, de->d_name);
    mdk_vec_push(a, &v, &t);
  }
  if(d)
    closedir(d);
  else if(fd >= 0)
    close(fd);
  mdk_sort(v.items, v.len, sizeof(const char *), cmp_cstr);
  *n = v.len;
  mdk_vec_push(a, &v, &nul);
  return v.items;
}

const char *mdk_be_ref_normalize(struct mdk_arena *a, const char *name)
{
  const char *last = strrchr(name, '/'), *p = name;
  if(strncmp(p, "docker.io/library/", 18) == 0)
    p += 18;
  else if(strncmp(p, "docker.io/", 10) == 0)
    p += 10;
  else if(strncmp(p, "library/", 8) == 0)
    p += 8;
  last = strrchr(p, '/');
  if(strchr(p, '@') || strchr(last ? last : p, ':'))
    return mdk_arena_strndup(a, p, strlen(p));
  return mdk_arena_printf(a, "%s:latest", p);
}
