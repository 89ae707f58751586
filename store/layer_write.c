/* layer_write.c - entries to a compressed, digested layer blob. */
#include "store/layer.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/archive_dl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/base.h"

enum { READ_BUF = 1 << 20, PATH_MAX_LEN = 4096 };

struct mdk_be_layerw {
  struct mdk_be_store *s;
  struct mdk_be_layer_opts o;
  struct archive *ar;
  struct archive_entry *en;
  struct mdk_be_blobw blob;
  struct mdk_be_compressor *comp;
  struct mdk_sha256 diff;       /* the uncompressed stream */
  enum mdk_status err;
  struct mdk_err *errp;
  char *buf;
};

static enum mdk_status to_blob(void *ctx, const void *p, size_t n)
{
  struct mdk_be_layerw *w = ctx;
  return mdk_be_blobw_write(&w->blob, p, n, w->errp);
}

static la_ssize_t ar_write(struct archive *a, void *ctx, const void *p,
                           size_t n)
{
  struct mdk_be_layerw *w = ctx;
  (void)a;
  mdk_sha256_update(&w->diff, p, n);
  if(!w->err)
    w->err = mdk_be_compressor_write(w->comp, p, n);
  return w->err ? -1 : (la_ssize_t)n;
}

enum mdk_status mdk_be_layerw_begin(struct mdk_be_store *s,
                                    const struct mdk_be_layer_opts *o,
                                    struct mdk_be_layerw **out,
                                    struct mdk_err *e)
{
  struct mdk_be_layerw *w = calloc(1, sizeof(*w));
  enum mdk_status st;
  if(!w)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  w->s = s;
  w->o = *o;
  w->errp = e;
  w->buf = malloc(READ_BUF);
  if(!w->buf) {
    free(w);
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  }
  st = mdk_be_blobw_begin(s, &w->blob, e);
  if(st) {
    free(w->buf);
    free(w);
    return st;
  }
  w->comp = mdk_be_compressor_new(&o->comp, to_blob, w);
  w->ar = archive_write_new();
  w->en = archive_entry_new();
  if(!w->comp || !w->ar || !w->en) {
    mdk_be_layerw_abort(w);
    return mdk_fail(e, MDK_ENOMEM, "cannot start a layer: out of memory");
  }
  mdk_sha256_init(&w->diff);
  archive_write_set_format_pax_restricted(w->ar);
  archive_write_set_bytes_per_block(w->ar, 1 << 16);
  archive_write_set_bytes_in_last_block(w->ar, 1);
  if(archive_write_open2(w->ar, w, NULL, ar_write, NULL, NULL) != ARCHIVE_OK) {
    mdk_fail(e, MDK_EIO, "cannot start a layer: %s",
                archive_error_string(w->ar));
    mdk_be_layerw_abort(w);
    return MDK_EIO;
  }
  *out = w;
  return MDK_OK;
}

static enum mdk_status ar_fail(struct mdk_be_layerw *w, const char *what,
                               const char *path, struct mdk_err *e)
{
  if(w->err)
    return w->err;
  w->err = MDK_EIO;
  return mdk_fail(e, MDK_EIO, "cannot write %s to a layer: %s", path,
                     what ? what : archive_error_string(w->ar));
}

static enum mdk_status write_header(struct mdk_be_layerw *w,
                                    const char *path, mode_t type,
                                    const struct mdk_be_entry *en,
                                    struct mdk_err *e)
{
  struct archive_entry *ae = w->en;
  int64_t mt = en->mtime;
  size_t i;
  if(w->o.epoch >= 0 && mt > w->o.epoch)
    mt = w->o.epoch;
  if(mt < 0)
    mt = 0;
  archive_entry_clear(ae);
  archive_entry_set_pathname(ae, path);
  archive_entry_set_filetype(ae, type);
  archive_entry_set_perm(ae, en->mode & 07777);
  archive_entry_set_uid(ae, en->uid);
  archive_entry_set_gid(ae, en->gid);
  archive_entry_set_mtime(ae, mt, 0);
  if(type == AE_IFREG)
    archive_entry_set_size(ae, (la_int64_t)en->size);
  if(type == AE_IFLNK)
    archive_entry_set_symlink(ae, en->link);
  if(type == AE_IFCHR || type == AE_IFBLK)
    archive_entry_set_rdev(ae, en->rdev);
  for(i = 0; i < en->nxattrs; i++)
    archive_entry_xattr_add_entry(ae, en->xattrs[i].name, en->xattrs[i].value,
                                  en->xattrs[i].len);
  if(archive_write_header(w->ar, ae) < ARCHIVE_WARN)
    return ar_fail(w, NULL, path, e);
  return w->err;
}

static enum mdk_status write_content(struct mdk_be_layerw *w,
                                     const struct mdk_be_entry *en,
                                     struct mdk_err *e)
{
  uint64_t left = en->size;
  int fd;
  if(!left)
    return MDK_OK;
  /* a path below src_dirfd is resolved inside it, never out of it */
  fd = strchr(en->src_name, '/')
         ? mdk_open_in_root(en->src_dirfd, en->src_name,
                               O_RDONLY | O_NOFOLLOW, 0)
         : openat(en->src_dirfd, en->src_name,
                  O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if(fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot read %s: %s", en->src_name,
                       strerror(errno));
  while(left) {
    size_t want = left < READ_BUF ? (size_t)left : READ_BUF;
    ssize_t got = read(fd, w->buf, want);
    if(got < 0 && errno == EINTR)
      continue;
    if(got <= 0) {
      int er = got < 0 ? errno : 0;
      close(fd);
      return mdk_fail(e, MDK_EIO, "cannot read %s: %s", en->src_name,
                         er ? strerror(er) : "the file shrank while it was "
                         "read (is something writing to it?)");
    }
    if(archive_write_data(w->ar, w->buf, (size_t)got) != got) {
      close(fd);
      return ar_fail(w, NULL, en->path, e);
    }
    left -= (uint64_t)got;
  }
  close(fd);
  return MDK_OK;
}

enum mdk_status mdk_be_layerw_add(struct mdk_be_layerw *w,
                                  const struct mdk_be_entry *en,
                                  struct mdk_err *e)
{
  char path[PATH_MAX_LEN + 16];
  const char *p = en->path;
  struct mdk_be_entry z;
  while(*p == '/')
    p++;
  if(w->err)
    return w->err;
  if(strlen(p) > PATH_MAX_LEN)
    return mdk_fail(e, MDK_EINPUT, "path too long for a layer: %.80s...",
                       p);
  switch(en->type) {
  case 'f':
    if(write_header(w, p, AE_IFREG, en, e))
      return w->err ? w->err : MDK_EIO;
    return write_content(w, en, e);
  case 'd':
    snprintf(path, sizeof(path), "%s/", p);
    return write_header(w, path, AE_IFDIR, en, e);
  case 'l':
    return write_header(w, p, AE_IFLNK, en, e);
  case 'c':
    return write_header(w, p, AE_IFCHR, en, e);
  case 'b':
    return write_header(w, p, AE_IFBLK, en, e);
  case 'p':
    return write_header(w, p, AE_IFIFO, en, e);
  case 'h': {
    struct archive_entry *ae = w->en;
    archive_entry_clear(ae);
    archive_entry_set_pathname(ae, p);
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_perm(ae, en->mode & 07777);
    archive_entry_set_uid(ae, en->uid);
    archive_entry_set_gid(ae, en->gid);
    archive_entry_set_mtime(ae, w->o.epoch >= 0 && en->mtime > w->o.epoch
                                  ? w->o.epoch : en->mtime, 0);
    archive_entry_set_hardlink(ae, en->link);
    archive_entry_set_size(ae, 0);
    if(archive_write_header(w->ar, ae) < ARCHIVE_WARN)
      return ar_fail(w, NULL, p, e);
    return w->err;
  }
  case 'w':
  case 'o': {
    const char *slash = strrchr(p, '/');
    if(en->type == 'o')
      snprintf(path, sizeof(path), "%s%s.wh..wh..opq", p, *p ? "/" : "");
    else if(slash)
      snprintf(path, sizeof(path), "%.*s/.wh.%s", (int)(slash - p), p,
               slash + 1);
    else
      snprintf(path, sizeof(path), ".wh.%s", p);
    memset(&z, 0, sizeof(z));
    z.mtime = en->mtime;
    return write_header(w, path, AE_IFREG, &z, e);
  }
  }
  return mdk_fail(e, MDK_EINPUT, "unknown entry type '%c' for %s",
                     en->type, p);
}

enum mdk_status mdk_be_layerw_add_dir(struct mdk_be_layerw *w, int rootfd,
                                      const char *path, uint32_t uid,
                                      uint32_t gid, int64_t now,
                                      struct mdk_err *e)
{
  struct mdk_be_entry en;
  struct stat sb;
  memset(&en, 0, sizeof(en));
  en.path = path;
  en.type = 'd';
  if(rootfd >= 0 && fstatat(rootfd, path, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
     S_ISDIR(sb.st_mode)) {
    en.mode = sb.st_mode & 07777;
    en.uid = sb.st_uid;
    en.gid = sb.st_gid;
    en.mtime = sb.st_mtime;
  }
  else {
    en.mode = 0755;
    en.uid = uid;
    en.gid = gid;
    en.mtime = now;
  }
  return mdk_be_layerw_add(w, &en, e);
}

enum mdk_status mdk_be_layerw_commit(struct mdk_be_layerw *w,
                                     struct mdk_be_layer_desc *d,
                                     struct mdk_err *e)
{
  uint8_t raw[32];
  enum mdk_status st;
  if(!w->err && archive_write_close(w->ar) != ARCHIVE_OK)
    ar_fail(w, NULL, "the end of the archive", e);
  mdk_sha256_final(&w->diff, raw);
  w->diff.ctx = NULL;
  mdk_digest_from_raw(raw, d->diff_id);
  if(!w->err)
    w->err = mdk_be_compressor_finish(w->comp);
  if(w->err) {
    st = w->err;
    mdk_be_layerw_abort(w);
    return st;
  }
  st = mdk_be_blobw_commit(&w->blob, NULL, d->digest, &d->size, e);
  w->blob.tmp[0] = '\0';
  d->media_type = mdk_be_layer_media_type(w->o.comp.kind);
  mdk_be_layerw_abort(w);       /* frees what is left */
  return st;
}

void mdk_be_layerw_abort(struct mdk_be_layerw *w)
{
  if(!w)
    return;
  if(w->ar)
    archive_write_free(w->ar);
  if(w->en)
    archive_entry_free(w->en);
  mdk_be_compressor_free(w->comp);
  if(w->blob.tmp[0])
    mdk_be_blobw_abort(&w->blob);
  if(w->diff.ctx) {
    uint8_t raw[32];
    mdk_sha256_final(&w->diff, raw);
  }
  free(w->buf);
  free(w);
}

/* --- a directory tree as a layer --- */

struct link_seen {
  dev_t dev;
  ino_t ino;
  char *path;
};

struct dirwalk {
  struct mdk_be_layerw *w;
  struct mdk_err *e;
  struct link_seen *links;
  size_t nlinks, caplinks;
  /* per-entry scratch, shared by every level (the walk recurses) */
  char xnames[4096], xvals[16384], target[4096];
  struct mdk_be_xattr xa[16];
};

/* xattrs worth keeping (overlay's own are not part of the image) */
static size_t read_xattrs(int dirfd, const char *name, char *names,
                          size_t names_cap, struct mdk_be_xattr *out,
                          size_t max, char *vals, size_t vals_cap,
                          bool *opaque)
{
  char proc[64];
  ssize_t n, off = 0;
  size_t k = 0, used = 0;
  int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  *opaque = false;
  if(fd < 0)
    return 0;
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
  n = listxattr(proc, names, names_cap);   /* follows the magic link to the entry */
  while(n > 0 && off < n && k < max) {
    const char *xn = names + off;
    ssize_t vl;
    off += (ssize_t)strlen(xn) + 1;
    vl = getxattr(proc, xn, vals + used, vals_cap - used);
    if(vl < 0)
      continue;
    /* the kernel's overlay (as root, rootless) and fuse-overlayfs */
    if(mdk_userns_opaque_name(xn)) {
      *opaque = vl == 1 && vals[used] == 'y';
      continue;
    }
    if(mdk_userns_overlay_xattr(xn))
      continue;
    out[k].name = xn;
    out[k].value = vals + used;
    out[k].len = (size_t)vl;
    used += (size_t)vl;
    k++;
  }
  close(fd);
  return k;
}

static enum mdk_status walk_dir(struct dirwalk *dw, int dirfd,
                                const char *rel)
{
  size_t n = 0, i;
  enum mdk_status st = MDK_OK;
  char **names = mdk_dir_names(dirfd, &n);
  if(!names)
    return mdk_fail(dw->e, MDK_EIO, "cannot read directory %s: %s",
                       *rel ? rel : ".", strerror(errno));
  for(i = 0; i < n && !st; i++) {
    char path[PATH_MAX_LEN + 1];
    char *target = dw->target;
    struct mdk_be_entry en;
    struct stat sb;
    bool opaque = false;
    if((size_t)snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "",
                        names[i]) >= sizeof(path)) {
      st = mdk_fail(dw->e, MDK_EINPUT, "path too long: %s/%s", rel,
                       names[i]);
      break;
    }
    if(fstatat(dirfd, names[i], &sb, AT_SYMLINK_NOFOLLOW)) {
      st = mdk_fail(dw->e, MDK_EIO, "cannot stat %s: %s", path,
                       strerror(errno));
      break;
    }
    memset(&en, 0, sizeof(en));
    en.path = path;
    en.mode = sb.st_mode & 07777;
    en.uid = sb.st_uid;
    en.gid = sb.st_gid;
    en.mtime = sb.st_mtime;
    en.src_dirfd = dirfd;
    en.src_name = names[i];
    if(S_ISCHR(sb.st_mode) && sb.st_rdev == makedev(0, 0)) {
      en.type = 'w';        /* an overlay whiteout */
      st = mdk_be_layerw_add(dw->w, &en, dw->e);
      continue;
    }
    en.xattrs = dw->xa;
    en.nxattrs = read_xattrs(dirfd, names[i], dw->xnames, sizeof(dw->xnames),
                             dw->xa, 16, dw->xvals, sizeof(dw->xvals),
                             &opaque);
    if(S_ISDIR(sb.st_mode)) {
      int sub;
      en.type = 'd';
      st = mdk_be_layerw_add(dw->w, &en, dw->e);
      if(!st && opaque) {
        struct mdk_be_entry o = en;
        o.type = 'o';
        o.nxattrs = 0;
        st = mdk_be_layerw_add(dw->w, &o, dw->e);
      }
      if(st)
        break;
      sub = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                   O_CLOEXEC);
      if(sub < 0) {
        st = mdk_fail(dw->e, MDK_EIO, "cannot open %s: %s", path,
                         strerror(errno));
        break;
      }
      st = walk_dir(dw, sub, path);
      close(sub);
      continue;
    }
    if(S_ISREG(sb.st_mode)) {
      en.type = 'f';
      en.size = (uint64_t)sb.st_size;
      if(sb.st_nlink > 1) {
        size_t k;
        for(k = 0; k < dw->nlinks; k++)
          if(dw->links[k].dev == sb.st_dev && dw->links[k].ino == sb.st_ino)
            break;
        if(k < dw->nlinks) {
          en.type = 'h';
          en.link = dw->links[k].path;
        }
        else {
          if(dw->nlinks == dw->caplinks) {
            dw->caplinks = dw->caplinks ? dw->caplinks * 2 : 16;
            dw->links = realloc(dw->links, dw->caplinks * sizeof(*dw->links));
            if(!dw->links)
              abort();
          }
          dw->links[dw->nlinks].dev = sb.st_dev;
          dw->links[dw->nlinks].ino = sb.st_ino;
          dw->links[dw->nlinks].path = strdup(path);
          dw->nlinks++;
        }
      }
    }
    else if(S_ISLNK(sb.st_mode)) {
      ssize_t tl = readlinkat(dirfd, names[i], target, sizeof(dw->target) - 1);
      if(tl < 0) {
        st = mdk_fail(dw->e, MDK_EIO, "cannot read link %s: %s", path,
                         strerror(errno));
        break;
      }
      target[tl] = '\0';
      en.type = 'l';
      en.link = target;
    }
    else if(S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode)) {
      en.type = S_ISCHR(sb.st_mode) ? 'c' : 'b';
      en.rdev = sb.st_rdev;
    }
    else if(S_ISFIFO(sb.st_mode)) {
      en.type = 'p';
    }
    else {
      continue;             /* sockets are not part of an image */
    }
    st = mdk_be_layerw_add(dw->w, &en, dw->e);
  }
  mdk_dir_names_free(names, n);
  return st;
}

enum mdk_status mdk_be_layer_from_dir(struct mdk_be_store *s,
                                      const char *dir,
                                      const struct mdk_be_layer_opts *o,
                                      struct mdk_be_layer_desc *d,
                                      struct mdk_err *e)
{
  struct dirwalk *dw;
  struct mdk_be_layerw *w;
  enum mdk_status st;
  size_t i;
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd < 0)
    return mdk_fail(e, MDK_EIO, "cannot open %s: %s", dir,
                       strerror(errno));
  dw = calloc(1, sizeof(*dw));
  if(!dw) {
    close(fd);
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  }
  dw->e = e;
  st = mdk_be_layerw_begin(s, o, &dw->w, e);
  if(!st)
    st = walk_dir(dw, fd, "");
  close(fd);
  w = dw->w;
  for(i = 0; i < dw->nlinks; i++)
    free(dw->links[i].path);
  free(dw->links);
  free(dw);
  if(st) {
    mdk_be_layerw_abort(w);
    return st;
  }
  return mdk_be_layerw_commit(w, d, e);
}
