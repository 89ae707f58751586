/* layer_read.c - unpacking layers inside a root, never outside it. */
#include "store/layer.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/archive_dl.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/base.h"

enum { NAME_MAX_LEN = 4096 };

static int empty_dir(int dfd);

/* Removes name under dirfd, a directory tree included. */
static int remove_at(int dfd, const char *name)
{
  struct stat sb;
  if(fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW))
    return errno == ENOENT ? 0 : -1;
  if(S_ISDIR(sb.st_mode)) {
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
    int r = fd >= 0 ? empty_dir(fd) : -1;
    if(fd >= 0)
      close(fd);
    return r ? -1 : unlinkat(dfd, name, AT_REMOVEDIR);
  }
  return unlinkat(dfd, name, 0);
}

/* Removes everything in the directory dfd (dfd itself stays open). */
static int empty_dir(int dfd)
{
  int fd = dup(dfd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  struct dirent *de;
  if(!d) {
    if(fd >= 0)
      close(fd);
    return -1;
  }
  while((de = readdir(d)))
    if(strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
      if(remove_at(dirfd(d), de->d_name)) {
        closedir(d);
        return -1;
      }
  closedir(d);
  return 0;
}

/* Cleans a tar name into components joined by '/'.  A layer's absolute
 * name or ".." is refused (a layer has no business naming either); rooted
 * (an ADD archive), they are cleaned as a chroot at the top would: "/"
 * is the top and ".." never climbs above it. */
static bool clean_name(const char *in, char *out, size_t cap, bool rooted,
                       const char **why)
{
  size_t o = 0;
  const char *p = in;
  if(*in == '/' && !rooted) {
    *why = "an absolute path";
    return false;
  }
  while(*p) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if(n == 2 && p[0] == '.' && p[1] == '.') {
      if(!rooted) {
        *why = "a '..' component";
        return false;
      }
      while(o > 0 && out[o - 1] != '/')
        o--;
      if(o)
        o--;               /* the '/' before the dropped component */
      p += n;
      if(*p == '/')
        p++;
      continue;
    }
    if(n && !(n == 1 && p[0] == '.')) {
      if(o + n + 2 > cap) {
        *why = "a path that is too long";
        return false;
      }
      if(o)
        out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
    }
    p += n;
    if(*p == '/')
      p++;
  }
  out[o] = '\0';
  return true;
}

/* Opens (creating as needed, 0755) the directory rel inside root: the path
 * is resolved inside the root first, then walked one real directory at a
 * time (O_NOFOLLOW), so nothing it creates can land outside. */
static int open_dir_p(int rootfd, const char *rel)
{
  char phys[NAME_MAX_LEN];
  char *p, *save = NULL;
  int fd = mdk_open_in_root(rootfd, rel, O_PATH | O_DIRECTORY, 0);
  if(fd >= 0 || errno != ENOENT)
    return fd;
  if(!mdk_resolve_in_root(rootfd, rel, phys, sizeof(phys))) {
    errno = ELOOP;
    return -1;
  }
  fd = dup(rootfd);
  for(p = strtok_r(phys, "/", &save); p && fd >= 0;
      p = strtok_r(NULL, "/", &save)) {
    int next;
    if(mkdirat(fd, p, 0755) && errno != EEXIST) {
      close(fd);
      return -1;
    }
    next = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(fd);
    fd = next;
  }
  return fd;
}

struct blob_src {
  struct mdk_be_blobr r;
  struct mdk_err e[1];       /* a digest mismatch, kept apart */
  char buf[1 << 16];
  bool bad;
};

static la_ssize_t blob_read(struct archive *a, void *ctx, const void **out)
{
  struct blob_src *b = ctx;
  long n = mdk_be_blobr_read(&b->r, b->buf, sizeof(b->buf), b->e);
  (void)a;
  if(n < 0) {
    b->bad = true;
    return -1;
  }
  *out = b->buf;
  return n;
}

/* Owner, mode and time of an entry.  An owner that cannot be given is an
 * error, never a file left with the wrong owner: rootless with one ID (or
 * a range too small for the layer), chown refuses what is not mapped. */
static enum mdk_status set_meta(int pfd, const char *base,
                                struct archive_entry *ae,
                                const struct mdk_be_unpack_opts *o, bool link,
                                const char *name, struct mdk_err *e)
{
  struct timespec ts[2];
  if(o->same_owner &&
     fchownat(pfd, base, (uid_t)archive_entry_uid(ae),
              (gid_t)archive_entry_gid(ae), AT_SYMLINK_NOFOLLOW)) {
    if(errno == EINVAL && mdk_userns_rootless())
      return mdk_fail(e, MDK_EIO, "layer entry %s is owned by %ld:%ld, an "
                         "ID this user namespace does not map: a rootless "
                         "build needs subordinate IDs for it (as root: "
                         "usermod --add-subuids 100000-165535 --add-subgids "
                         "100000-165535 USER)", name,
                         (long)archive_entry_uid(ae),
                         (long)archive_entry_gid(ae));
    return mdk_fail(e, MDK_EIO, "cannot give %s its owner %ld:%ld: %s",
                       name, (long)archive_entry_uid(ae),
                       (long)archive_entry_gid(ae), strerror(errno));
  }
  if(!link)
    (void)fchmodat(pfd, base, archive_entry_perm(ae), 0);
  ts[0].tv_sec = ts[1].tv_sec = archive_entry_mtime(ae);
  ts[0].tv_nsec = ts[1].tv_nsec = 0;
  (void)utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
  return MDK_OK;
}

static void set_xattrs(int pfd, const char *base, struct archive_entry *ae)
{
  const char *name;
  const void *val;
  size_t len;
  char proc[64];
  int fd;
  if(archive_entry_xattr_reset(ae) == 0)
    return;
  fd = openat(pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if(fd < 0)
    return;
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
  while(archive_entry_xattr_next(ae, &name, &val, &len) == ARCHIVE_OK)
    (void)setxattr(proc, name, val, len, 0);   /* best effort; the /proc link leads to the entry itself */
  close(fd);
}

/* A decompression bomb: past MDK_UNPACK_RATIO_FLOOR bytes, the tar stream
 * may be at most MDOCK_MAX_UNPACK_RATIO times what was read to make it
 * (the bytes of a plain tar grow 1:1). */
static enum mdk_status check_ratio(struct archive *ar, struct mdk_err *e)
{
  la_int64_t out = archive_filter_bytes(ar, 0);
  la_int64_t in = archive_filter_bytes(ar, -1);
  uint64_t ratio = mdk_limit(MDK_LIMIT_UNPACK_RATIO);
  if(out <= 0 || (uint64_t)out <= MDK_UNPACK_RATIO_FLOOR ||
     (uint64_t)out / ratio <= (uint64_t)(in > 0 ? in : 0))
    return MDK_OK;
  return mdk_fail(e, MDK_ETOOBIG, "the archive decompresses more than "
                     "%llu times over (%lld bytes from %lld): refused as a "
                     "decompression bomb (%s raises the ratio, if the "
                     "archive is meant)", (unsigned long long)ratio,
                     (long long)out, (long long)in,
                     mdk_limit_env(MDK_LIMIT_UNPACK_RATIO));
}

static enum mdk_status unpack_entry(struct archive *ar,
                                    struct archive_entry *ae, int rootfd,
                                    const struct mdk_be_unpack_opts *o,
                                    struct mdk_err *e)
{
  char name[NAME_MAX_LEN], parent[NAME_MAX_LEN];
  const char *why = NULL, *base, *slash;
  const char *raw = archive_entry_pathname(ae);
  mode_t type = archive_entry_filetype(ae);
  const char *hl = archive_entry_hardlink(ae);
  struct stat sb;
  int pfd, fd;
  enum mdk_status st = MDK_OK;

  if(!raw || !clean_name(raw, name, sizeof(name), o->rooted, &why))
    return mdk_fail(e, MDK_EINPUT, "layer entry '%s' has %s: refused "
                       "(the layer is malformed or hostile)", raw ? raw : "",
                       why ? why : "no name");
  if(!*name)
    return MDK_OK;              /* "./" itself */
  slash = strrchr(name, '/');
  snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - name) : 1,
           slash ? name : ".");
  base = slash ? slash + 1 : name;
  pfd = open_dir_p(rootfd, parent);
  if(pfd < 0)
    return mdk_fail(e, MDK_EIO, "cannot create directory %s for layer "
                       "entry %s: %s", parent, name, strerror(errno));
  /* whiteouts */
  if(strncmp(base, ".wh.", 4) == 0 && o->overlay) {
    if(strcmp(base, ".wh..wh..opq") == 0) {
      int dfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if(dfd < 0 || fsetxattr(dfd, mdk_userns_opaque_xattr(), "y", 1, 0))
        st = mdk_fail(e, MDK_EIO, "cannot mark %s opaque: %s", parent,
                         strerror(errno));
      if(dfd >= 0)
        close(dfd);
    }
    else if(!base[4] || strchr(base + 4, '/') ||
            (remove_at(pfd, base + 4), mknodat(pfd, base + 4, S_IFCHR | 0,
                                               makedev(0, 0)))) {
      st = mdk_fail(e, MDK_EIO, "cannot record whiteout %s: %s", name,
                       strerror(errno));
    }
    close(pfd);
    return st;
  }
  if(strncmp(base, ".wh.", 4) == 0) {
    if(strcmp(base, ".wh..wh..opq") == 0) {
      int dfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if(dfd < 0 || empty_dir(dfd))
        st = mdk_fail(e, MDK_EIO, "cannot apply opaque whiteout in %s: "
                         "%s", parent, strerror(errno));
      if(dfd >= 0)
        close(dfd);
    }
    else if(!base[4] || remove_at(pfd, base + 4)) {
      st = mdk_fail(e, MDK_EIO, "cannot apply whiteout %s: %s", name,
                       base[4] ? strerror(errno) : "empty name");
    }
    close(pfd);
    return st;
  }
  /* what is there is replaced, except a directory by a directory */
  if(fstatat(pfd, base, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
     !(hl == NULL && type == AE_IFDIR && S_ISDIR(sb.st_mode)))
    if(remove_at(pfd, base)) {
      st = mdk_fail(e, MDK_EIO, "cannot replace %s: %s", name,
                       strerror(errno));
      goto out;
    }
  if(hl) {
    char tname[NAME_MAX_LEN], proc[64];
    int tfd;
    if(!clean_name(hl, tname, sizeof(tname), o->rooted, &why)) {
      st = mdk_fail(e, MDK_EINPUT, "hard link %s -> '%s' has %s: refused",
                       name, hl, why);
      goto out;
    }
    tfd = mdk_open_in_root(rootfd, tname, O_PATH | O_NOFOLLOW, 0);
    if(tfd < 0 || fstat(tfd, &sb) || S_ISDIR(sb.st_mode)) {
      st = mdk_fail(e, MDK_EINPUT, "hard link %s -> %s: the target is "
                       "not a file in this image", name, hl);
      if(tfd >= 0)
        close(tfd);
      goto out;
    }
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", tfd);
    if(linkat(AT_FDCWD, proc, pfd, base, AT_SYMLINK_FOLLOW))
      st = mdk_fail(e, MDK_EIO, "cannot link %s: %s", name,
                       strerror(errno));
    close(tfd);
    goto out;
  }
  switch(type) {
  case AE_IFREG: {
    const void *blk;
    size_t len;
    la_int64_t off;
    int r;
    fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                O_CLOEXEC, 0600);
    if(fd < 0) {
      st = mdk_fail(e, MDK_EIO, "cannot create %s: %s", name,
                       strerror(errno));
      break;
    }
    while((r = archive_read_data_block(ar, &blk, &len, &off)) == ARCHIVE_OK) {
      const char *c = blk;
      if((st = check_ratio(ar, e)))
        break;
      if(lseek(fd, (off_t)off, SEEK_SET) < 0)
        r = ARCHIVE_FATAL;
      while(len && r == ARCHIVE_OK) {
        ssize_t w = write(fd, c, len);
        if(w < 0 && errno == EINTR)
          continue;
        if(w <= 0) {
          r = ARCHIVE_FATAL;
          break;
        }
        c += w;
        len -= (size_t)w;
      }
      if(r != ARCHIVE_OK)
        break;
    }
    if(st) {
      close(fd);
      break;
    }
    if(r != ARCHIVE_EOF) {
      st = mdk_fail(e, MDK_EIO, "cannot unpack %s: %s", name,
                       archive_error_string(ar) ? archive_error_string(ar)
                       : strerror(errno));
      close(fd);
      break;
    }
    if(ftruncate(fd, (off_t)archive_entry_size(ae)) == 0)
      (void)0;
    close(fd);
    if((st = set_meta(pfd, base, ae, o, false, name, e)))
      break;
    set_xattrs(pfd, base, ae);
    break;
  }
  case AE_IFDIR:
    if(mkdirat(pfd, base, 0755) && errno != EEXIST) {
      st = mdk_fail(e, MDK_EIO, "cannot create directory %s: %s", name,
                       strerror(errno));
      break;
    }
    if((st = set_meta(pfd, base, ae, o, false, name, e)))
      break;
    set_xattrs(pfd, base, ae);
    break;
  case AE_IFLNK:
    if(symlinkat(archive_entry_symlink(ae) ? archive_entry_symlink(ae) : "",
                 pfd, base)) {
      st = mdk_fail(e, MDK_EIO, "cannot create symlink %s: %s", name,
                       strerror(errno));
      break;
    }
    st = set_meta(pfd, base, ae, o, true, name, e);
    break;
  case AE_IFCHR:
  case AE_IFBLK:
  case AE_IFIFO:
    if(type != AE_IFIFO && !o->devices)
      break;                    /* device nodes only when permitted */
    if(mknodat(pfd, base, (type == AE_IFCHR ? S_IFCHR : type == AE_IFBLK
                           ? S_IFBLK : S_IFIFO) | 0600,
               archive_entry_rdev(ae))) {
      st = mdk_fail(e, MDK_EIO, "cannot create %s: %s%s", name,
                       strerror(errno), errno == EPERM && mdk_userns_rootless()
                       ? " (a rootless build cannot make device nodes: build "
                         "this image as root)" : "");
      break;
    }
    st = set_meta(pfd, base, ae, o, false, name, e);
    break;
  default:
    break;                      /* sockets and the like are skipped */
  }
out:
  close(pfd);
  return st;
}

/* the walk's callback that unpacks each entry under rootfd */
struct unpack_ctx {
  int rootfd;
  const struct mdk_be_unpack_opts *o;
};

static enum mdk_status unpack_one(void *ctx, struct archive *ar,
                                  struct archive_entry *ae,
                                  struct mdk_err *e)
{
  struct unpack_ctx *u = ctx;
  enum mdk_status st = check_ratio(ar, e);
  return st ? st : unpack_entry(ar, ae, u->rootfd, u->o, e);
}

/* Every entry of an open archive through fn, until it fails. */
static enum mdk_status walk(struct archive *ar, mdk_be_entry_fn fn,
                            void *ctx, struct mdk_err *e)
{
  struct archive_entry *ae;
  enum mdk_status st = MDK_OK;
  int r;
  while(!st && (r = archive_read_next_header(ar, &ae)) != ARCHIVE_EOF) {
    if(r < ARCHIVE_WARN)
      return mdk_fail(e, MDK_EINPUT, "the layer is not a valid tar: %s",
                         archive_error_string(ar));
    st = fn(ctx, ar, ae, e);
  }
  return st;
}

static enum mdk_status open_root(const char *root, int *fd,
                                 struct mdk_err *e)
{
  int err;
  if(mdk_mkdir_p(root, &err) && err != EEXIST)
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", root,
                       strerror(err));
  *fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(*fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot open %s: %s", root,
                       strerror(errno));
  return MDK_OK;
}

enum mdk_status mdk_be_unpack_fd(int fd, const char *root,
                                 const struct mdk_be_unpack_opts *o,
                                 struct mdk_err *e)
{
  struct archive *ar = archive_read_new();
  struct unpack_ctx u = {-1, o};
  enum mdk_status st;
  archive_read_support_filter_all(ar);
  archive_read_support_format_tar(ar);
  if(archive_read_open_fd(ar, fd, 1 << 16) != ARCHIVE_OK) {
    st = mdk_fail(e, MDK_EINPUT, "not a layer: %s",
                     archive_error_string(ar));
    archive_read_free(ar);
    return st;
  }
  st = open_root(root, &u.rootfd, e);
  if(!st) {
    st = walk(ar, unpack_one, &u, e);
    close(u.rootfd);
  }
  archive_read_free(ar);
  return st;
}

enum mdk_status mdk_be_layer_walk(struct mdk_be_store *s, const char *digest,
                                  mdk_be_entry_fn fn, void *ctx,
                                  struct mdk_err *e)
{
  struct blob_src *b = malloc(sizeof(*b));
  struct archive *ar;
  struct archive_entry *ae;
  enum mdk_status st;
  if(!b)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  b->bad = false;
  b->e->msg[0] = '\0';
  if(mdk_be_blobr_open(s, digest, &b->r, e)) {
    free(b);
    return MDK_EIO;
  }
  ar = archive_read_new();
  archive_read_support_filter_all(ar);
  archive_read_support_format_tar(ar);
  if(archive_read_open(ar, b, NULL, blob_read, NULL) != ARCHIVE_OK) {
    st = mdk_fail(e, MDK_EINPUT, "blob %s is not a layer: %s", digest,
                     archive_error_string(ar));
    goto done;
  }
  st = walk(ar, fn, ctx, e);
  /* read to the end so the digest is checked even after the last entry */
  while(!st && !b->bad && archive_read_next_header(ar, &ae) == ARCHIVE_OK)
    ;
  if(!st && !b->r.done) {
    char buf[4096];
    long n;
    while((n = mdk_be_blobr_read(&b->r, buf, sizeof(buf), b->e)) > 0)
      ;
    if(n < 0)
      b->bad = true;
  }
done:
  if(st && !b->bad) {
    /* a layer that does not decode may be a corrupt blob: say which */
    struct mdk_err ve;
    if(mdk_be_blob_verify(s, digest, &ve) == MDK_EINPUT) {
      *b->e = ve;
      b->bad = true;
    }
  }
  if(b->bad) {
    st = MDK_EINPUT;
    if(e)
      *e = *b->e;
  }
  archive_read_free(ar);
  mdk_be_blobr_close(&b->r);
  free(b);
  return st;
}

enum mdk_status mdk_be_unpack_blob(struct mdk_be_store *s, const char *digest,
                                   const char *root,
                                   const struct mdk_be_unpack_opts *o,
                                   struct mdk_err *e)
{
  struct unpack_ctx u = {-1, o};
  enum mdk_status st = open_root(root, &u.rootfd, e);
  if(st)
    return st;
  st = mdk_be_layer_walk(s, digest, unpack_one, &u, e);
  close(u.rootfd);
  return st;
}
