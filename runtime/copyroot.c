/* copyroot.c - see copyroot.h.  Paths are relative to the root ("" is
 * the root itself), joined with '/'. */
#include "runtime/copyroot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/base.h"

enum { PATHMAX = 8192 };

static void fail(char *err, size_t cap, const char *what, const char *path)
{
  if(!err[0])
    snprintf(err, cap, "%s %.400s: %s", what, path, strerror(errno));
}

static bool is_whiteout(const struct stat *sb)
{
  return S_ISCHR(sb->st_mode) && sb->st_rdev == makedev(0, 0);
}

/* the xattrs of an entry that are not overlay's own */
static void copy_xattrs(const char *from, const char *to)
{
  char names[8192], val[65536];
  ssize_t n = llistxattr(from, names, sizeof(names)), off = 0;
  while(n > 0 && off < n) {
    const char *xn = names + off;
    ssize_t vl;
    off += (ssize_t)strlen(xn) + 1;
    if(mdk_userns_overlay_xattr(xn))
      continue;
    vl = lgetxattr(from, xn, val, sizeof(val));
    if(vl >= 0)
      (void)lsetxattr(to, xn, val, (size_t)vl, 0);
  }
}

static void set_meta(const char *to, const struct stat *sb)
{
  struct timespec ts[2] = {sb->st_atim, sb->st_mtim};
  (void)lchown(to, sb->st_uid, sb->st_gid);
  if(!S_ISLNK(sb->st_mode))
    (void)chmod(to, sb->st_mode & 07777);
  (void)utimensat(AT_FDCWD, to, ts, AT_SYMLINK_NOFOLLOW);
}

/* One entry (not a directory) from to: a copy with its owner, mode,
 * xattrs and times; what was at to goes first. */
static bool copy_entry(const char *from, const struct stat *sb,
                       const char *to, char *err, size_t cap)
{
  int e;
  mdk_rmtree(to);
  if(S_ISREG(sb->st_mode)) {
    if(mdk_copy_file(from, to, &e)) {
      errno = e;
      fail(err, cap, "cannot copy", from);
      return false;
    }
  }
  else if(S_ISLNK(sb->st_mode)) {
    char target[PATHMAX];
    ssize_t n = readlink(from, target, sizeof(target) - 1);
    if(n < 0 || (target[n] = '\0', symlink(target, to))) {
      fail(err, cap, "cannot copy the symlink", from);
      return false;
    }
  }
  else if(mknod(to, sb->st_mode, sb->st_rdev)) {
    fail(err, cap, "cannot make", to);
    return false;
  }
  copy_xattrs(from, to);
  set_meta(to, sb);
  return true;
}

/* Applies one layer dir over dst, as an overlay stacks it. */
static bool apply(char *src, size_t sl, char *dst, size_t dl, int depth,
                  char *err, size_t cap)
{
  int fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  size_t n = 0, i;
  char **names;
  bool ok = true;
  if(fd < 0) {
    fail(err, cap, "cannot read", src);
    return false;
  }
  names = mdk_dir_names(fd, &n);
  close(fd);
  if(!names) {
    fail(err, cap, "cannot read", src);
    return false;
  }
  for(i = 0; ok && i < n; i++) {
    struct stat sb, db;
    size_t l = strlen(names[i]);
    if(sl + l + 2 >= PATHMAX || dl + l + 2 >= PATHMAX || depth > 512) {
      errno = ENAMETOOLONG;
      fail(err, cap, "cannot copy", src);
      ok = false;
      break;
    }
    snprintf(src + sl, PATHMAX - sl, "/%s", names[i]);
    snprintf(dst + dl, PATHMAX - dl, "/%s", names[i]);
    if(lstat(src, &sb)) {
      fail(err, cap, "cannot read", src);
      ok = false;
    }
    else if(is_whiteout(&sb)) {
      mdk_rmtree(dst);
    }
    else if(S_ISDIR(sb.st_mode)) {
      bool have = lstat(dst, &db) == 0;
      if(have && (!S_ISDIR(db.st_mode) || mdk_userns_dir_opaque(src))) {
        mdk_rmtree(dst);
        have = false;
      }
      if(!have && mkdir(dst, 0700)) {
        fail(err, cap, "cannot make", dst);
        ok = false;
      }
      else {
        ok = apply(src, sl + l + 1, dst, dl + l + 1, depth + 1, err, cap);
        dst[dl + l + 1] = '\0';
        copy_xattrs(src, dst);
        set_meta(dst, &sb);
      }
    }
    else {
      ok = copy_entry(src, &sb, dst, err, cap);
    }
    src[sl] = '\0';
    dst[dl] = '\0';
  }
  mdk_dir_names_free(names, n);
  return ok;
}

bool mdk_rt_copy_layers(const char *const *lowers, size_t nl,
                        const char *dst, char *err, size_t cap)
{
  char s[PATHMAX], d[PATHMAX];
  size_t i;
  struct stat sb;
  err[0] = '\0';
  for(i = nl; i-- > 0;) {
    snprintf(s, sizeof(s), "%s", lowers[i]);
    snprintf(d, sizeof(d), "%s", dst);
    if(!apply(s, strlen(s), d, strlen(d), 0, err, cap))
      return false;
    if(lstat(lowers[i], &sb) == 0)
      set_meta(dst, &sb);
  }
  return true;
}

/* --- the index: path, inode, ctime of every entry --------------------- */

struct rec {
  char *path;
  ino_t ino;
  struct timespec ctim;
  long long born;               /* birth time (ns), 0 where unknown: an
                                   inode number is reused at once after
                                   rm, its birth time is not */
  bool dir, seen;
};

/* lstat, and the birth time where the filesystem keeps one */
static int look(const char *path, struct stat *sb, long long *born)
{
  struct statx sx;
  *born = 0;
  if(lstat(path, sb))
    return -1;
  if(statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 &&
     (sx.stx_mask & STATX_BTIME))
    *born = (long long)sx.stx_btime.tv_sec * 1000000000LL +
            sx.stx_btime.tv_nsec;
  return 0;
}

static bool same_inode(const struct rec *r, const struct stat *sb,
                       long long born)
{
  return r->ino == sb->st_ino && (!r->born || !born || r->born == born);
}

struct mdk_rt_copy_index {
  struct rec *r;
  size_t n, cap;
  bool oom;
};

static void note(struct mdk_rt_copy_index *ix, const char *path,
                 const struct stat *sb, long long born)
{
  if(ix->n == ix->cap) {
    size_t nc = ix->cap ? ix->cap * 2 : 1024;
    struct rec *nr = realloc(ix->r, nc * sizeof(*nr));
    if(!nr) {
      ix->oom = true;
      return;
    }
    ix->r = nr;
    ix->cap = nc;
  }
  ix->r[ix->n].path = strdup(path);
  if(!ix->r[ix->n].path) {
    ix->oom = true;
    return;
  }
  ix->r[ix->n].ino = sb->st_ino;
  ix->r[ix->n].born = born;
  ix->r[ix->n].ctim = sb->st_ctim;
  ix->r[ix->n].dir = S_ISDIR(sb->st_mode);
  ix->r[ix->n].seen = false;
  ix->n++;
}

/* full is root + "/" + rel; rel starts at full + rootlen + 1 */
static void walk_note(struct mdk_rt_copy_index *ix, char *full, size_t fl,
                      size_t rootlen, int depth)
{
  int fd = open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  size_t n = 0, i;
  char **names;
  if(fd < 0)
    return;
  names = mdk_dir_names(fd, &n);
  close(fd);
  for(i = 0; names && i < n && !ix->oom; i++) {
    struct stat sb;
    long long born;
    size_t l = strlen(names[i]);
    if(fl + l + 2 >= PATHMAX || depth > 512)
      continue;
    snprintf(full + fl, PATHMAX - fl, "/%s", names[i]);
    if(look(full, &sb, &born) == 0) {
      note(ix, full + rootlen + 1, &sb, born);
      if(S_ISDIR(sb.st_mode))
        walk_note(ix, full, fl + l + 1, rootlen, depth + 1);
    }
    full[fl] = '\0';
  }
  if(names)
    mdk_dir_names_free(names, n);
}

static int by_path(const void *a, const void *b)
{
  return strcmp(((const struct rec *)a)->path, ((const struct rec *)b)->path);
}

struct mdk_rt_copy_index *mdk_rt_copy_index(const char *root)
{
  struct mdk_rt_copy_index *ix = calloc(1, sizeof(*ix));
  char full[PATHMAX];
  struct stat sb;
  long long born;
  if(!ix)
    return NULL;
  snprintf(full, sizeof(full), "%s", root);
  if(look(root, &sb, &born) == 0)
    note(ix, "", &sb, born);
  walk_note(ix, full, strlen(full), strlen(root), 0);
  if(ix->oom) {
    mdk_rt_copy_index_free(ix);
    return NULL;
  }
  qsort(ix->r, ix->n, sizeof(*ix->r), by_path);
  return ix;
}

void mdk_rt_copy_index_free(struct mdk_rt_copy_index *ix)
{
  size_t i;
  if(!ix)
    return;
  for(i = 0; i < ix->n; i++)
    free(ix->r[i].path);
  free(ix->r);
  free(ix);
}

static struct rec *find(struct mdk_rt_copy_index *ix, const char *path)
{
  struct rec key = {.path = (char *)path};
  return bsearch(&key, ix->r, ix->n, sizeof(*ix->r), by_path);
}

/* --- the diff ---------------------------------------------------------- */

struct diff {
  struct mdk_rt_copy_index *ix;
  const char *root, *upper;
  char *err;
  size_t cap;
  struct link { dev_t dev; ino_t ino; char *to; } *links;
  size_t nlinks, caplinks;
};

/* upper's copy of the directory at rel (and its parents): copied up with
 * the root's metadata, as an overlay copies a directory up */
static bool copy_up_dir(struct diff *d, const char *rel)
{
  char from[PATHMAX], to[PATHMAX];
  struct stat sb, ub;
  const char *slash = strrchr(rel, '/');
  snprintf(to, sizeof(to), "%s/%s", d->upper, rel);
  if(!*rel || lstat(to, &ub) == 0)
    return true;
  if(slash) {
    char parent[PATHMAX];
    snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
    if(!copy_up_dir(d, parent))
      return false;
  }
  snprintf(from, sizeof(from), "%s/%s", d->root, rel);
  if(lstat(from, &sb) || mkdir(to, 0700)) {
    fail(d->err, d->cap, "cannot copy up", from);
    return false;
  }
  copy_xattrs(from, to);
  set_meta(to, &sb);
  return true;
}

static bool parent_up(struct diff *d, const char *rel)
{
  const char *slash = strrchr(rel, '/');
  char parent[PATHMAX];
  if(!slash)
    return true;
  snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rel), rel);
  return copy_up_dir(d, parent);
}

static bool changed_file(struct diff *d, const char *rel,
                         const struct stat *sb)
{
  char from[PATHMAX], to[PATHMAX];
  size_t i;
  snprintf(from, sizeof(from), "%s/%s", d->root, rel);
  snprintf(to, sizeof(to), "%s/%s", d->upper, rel);
  if(!parent_up(d, rel))
    return false;
  /* a hard link of a file already copied is a link there too */
  if(S_ISREG(sb->st_mode) && sb->st_nlink > 1) {
    for(i = 0; i < d->nlinks; i++)
      if(d->links[i].dev == sb->st_dev && d->links[i].ino == sb->st_ino)
        return link(d->links[i].to, to) == 0 ||
               (fail(d->err, d->cap, "cannot link", to), false);
    if(d->nlinks == d->caplinks) {
      size_t nc = d->caplinks ? d->caplinks * 2 : 64;
      struct link *nl = realloc(d->links, nc * sizeof(*nl));
      if(nl) {
        d->links = nl;
        d->caplinks = nc;
      }
    }
    if(d->nlinks < d->caplinks && (d->links[d->nlinks].to = strdup(to))) {
      d->links[d->nlinks].dev = sb->st_dev;
      d->links[d->nlinks].ino = sb->st_ino;
      d->nlinks++;
    }
  }
  return copy_entry(from, sb, to, d->err, d->cap);
}

static bool whiteout(struct diff *d, const char *rel)
{
  char to[PATHMAX];
  snprintf(to, sizeof(to), "%s/%s", d->upper, rel);
  if(!parent_up(d, rel))
    return false;
  mdk_rmtree(to);
  if(mknod(to, S_IFCHR | 0, makedev(0, 0))) {
    fail(d->err, d->cap, "cannot record the removal of", rel);
    return false;
  }
  return true;
}

static bool walk_diff(struct diff *d, char *full, size_t fl, size_t rootlen,
                      int depth)
{
  int fd = open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  size_t n = 0, i;
  char **names;
  bool ok = true;
  if(fd < 0)
    return true;
  names = mdk_dir_names(fd, &n);
  close(fd);
  for(i = 0; names && ok && i < n; i++) {
    struct stat sb;
    long long born;
    size_t l = strlen(names[i]);
    const char *rel;
    struct rec *r;
    bool same;
    if(fl + l + 2 >= PATHMAX || depth > 512)
      continue;
    snprintf(full + fl, PATHMAX - fl, "/%s", names[i]);
    rel = full + rootlen + 1;
    if(look(full, &sb, &born)) {
      full[fl] = '\0';
      continue;
    }
    r = find(d->ix, rel);
    same = r && same_inode(r, &sb, born);
    if(same)
      r->seen = true;
    if(S_ISDIR(sb.st_mode)) {
      same = same && r->dir;
      if(!same || r->ctim.tv_sec != sb.st_ctim.tv_sec ||
         r->ctim.tv_nsec != sb.st_ctim.tv_nsec)
        ok = copy_up_dir(d, rel);
      /* a directory made anew where one was: nothing below shows */
      if(ok && r && !same) {
        char to[PATHMAX];
        snprintf(to, sizeof(to), "%s/%s", d->upper, rel);
        (void)setxattr(to, mdk_userns_opaque_xattr(), "y", 1, 0);
      }
      if(ok)
        ok = walk_diff(d, full, fl + l + 1, rootlen, depth + 1);
    }
    else if(!same || r->ctim.tv_sec != sb.st_ctim.tv_sec ||
            r->ctim.tv_nsec != sb.st_ctim.tv_nsec) {
      ok = changed_file(d, rel, &sb);
    }
    full[fl] = '\0';
  }
  if(names)
    mdk_dir_names_free(names, n);
  return ok;
}

bool mdk_rt_copy_diff(struct mdk_rt_copy_index *ix, const char *root,
                      const char *upper, char *err, size_t cap)
{
  struct diff d = {.ix = ix, .root = root, .upper = upper, .err = err,
                   .cap = cap};
  char full[PATHMAX];
  size_t i;
  bool ok;
  err[0] = '\0';
  snprintf(full, sizeof(full), "%s", root);
  if(ix->n)
    ix->r[0].seen = true;       /* the root itself: "" sorts first */
  ok = walk_diff(&d, full, strlen(full), strlen(root), 0);
  /* removed: an entry not seen whose parent is the same directory still
   * (under a removed or replaced one, that one's mark covers it) */
  for(i = 0; ok && i < ix->n; i++) {
    const char *slash;
    struct rec *p;
    struct stat now;
    char at[PATHMAX];
    if(ix->r[i].seen)
      continue;
    /* replaced (a new inode at the same path): copied above */
    snprintf(at, sizeof(at), "%s/%s", root, ix->r[i].path);
    if(lstat(at, &now) == 0)
      continue;
    slash = strrchr(ix->r[i].path, '/');
    if(slash) {
      char parent[PATHMAX];
      snprintf(parent, sizeof(parent), "%.*s",
               (int)(slash - ix->r[i].path), ix->r[i].path);
      p = find(ix, parent);
      if(!p || !p->seen)
        continue;
    }
    ok = whiteout(&d, ix->r[i].path);
  }
  for(i = 0; i < d.nlinks; i++)
    free(d.links[i].to);
  free(d.links);
  return ok;
}
