/* copy.c - see copy.h. */
#include "backend/copy.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

enum { PATHLEN = 4096 };

void mdk_be_copy_plan_init(struct mdk_be_copy_plan *p)
{
  memset(p, 0, sizeof(*p));
  p->dest_rootfd = -1;
}

void mdk_be_copy_plan_free(struct mdk_be_copy_plan *p)
{
  size_t i;
  for(i = 0; i < p->n; i++) {
    free(p->e[i].dest);
    free(p->e[i].src_rel);
    free(p->e[i].link);
  }
  free(p->e);
  p->e = NULL;
  p->n = p->cap = 0;
  for(i = 0; i < p->nfds; i++)
    close(p->fds[i]);
  p->nfds = 0;
}

bool mdk_be_copy_plan_own_fd(struct mdk_be_copy_plan *p, int fd)
{
  if(fd < 0 || p->nfds >= sizeof(p->fds) / sizeof(p->fds[0]))
    return false;
  p->fds[p->nfds++] = fd;
  return true;
}

static struct mdk_be_copy_entry *push(struct mdk_be_copy_plan *p,
                                      const char *dest)
{
  struct mdk_be_copy_entry *c;
  if(p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 64;
    p->e = realloc(p->e, p->cap * sizeof(*p->e));
    if(!p->e)
      abort();
  }
  c = &p->e[p->n];
  memset(c, 0, sizeof(*c));
  c->dest = strdup(dest);
  if(!c->dest)
    abort();
  c->seq = p->n++;
  return c;
}

/* a COPY source cleaned into a root-relative path: "/" and ".." stay in */
static void clean_rel(const char *in, char *out, size_t cap)
{
  size_t o = 0;
  const char *p = in;
  out[0] = '\0';
  while(*p) {
    const char *e = strchr(p, '/');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if(n == 2 && p[0] == '.' && p[1] == '.') {
      char *slash = strrchr(out, '/');
      o = slash ? (size_t)(slash - out) : 0;
      out[o] = '\0';
    }
    else if(n && !(n == 1 && p[0] == '.') && o + n + 2 < cap) {
      if(o)
        out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
      out[o] = '\0';
    }
    p += n;
    while(*p == '/')
      p++;
  }
}

static void join(char *out, size_t cap, const char *a, const char *b)
{
  if(!*a)
    snprintf(out, cap, "%s", b);
  else if(!*b)
    snprintf(out, cap, "%s", a);
  else
    snprintf(out, cap, "%s/%s", a, b);
}

static bool ignored(const struct mdk_be_copy_plan *p, const char *rel,
                    const char *in_src)
{
  if(p->ignore && *rel && mdk_ignore_match(p->ignore, rel))
    return true;
  return p->exclude && *in_src && mdk_ignore_match(p->exclude, in_src);
}

static void fill(struct mdk_be_copy_plan *p, struct mdk_be_copy_entry *c,
                 const struct stat *sb, bool keep_owner)
{
  c->en.mode = p->chmod ? p->mode : (uint32_t)(sb->st_mode & 07777);
  if(p->chown) {
    c->en.uid = p->uid;
    c->en.gid = p->gid;
  }
  else if(keep_owner) {
    c->en.uid = sb->st_uid;
    c->en.gid = sb->st_gid;
  }
  c->en.mtime = sb->st_mtime;
}

/* One node (not following a final symlink) at phys, landing at dest. */
static enum mdk_status add_node(struct mdk_be_copy_plan *p, int srcfd,
                                const char *phys, const char *dest,
                                const struct stat *sb, bool keep_owner,
                                struct mdk_err *e)
{
  struct mdk_be_copy_entry *c;
  if(S_ISDIR(sb->st_mode)) {
    c = push(p, dest);
    c->en.type = 'd';
  }
  else if(S_ISREG(sb->st_mode)) {
    c = push(p, dest);
    c->en.type = 'f';
    c->en.size = (uint64_t)sb->st_size;
    c->src_rel = strdup(phys);
    c->en.src_dirfd = srcfd;
  }
  else if(S_ISLNK(sb->st_mode)) {
    char t[PATHLEN];
    ssize_t n = readlinkat(srcfd, phys, t, sizeof(t) - 1);
    if(n < 0)
      return mdk_fail(e, MDK_EIO, "cannot read link %s: %s", phys,
                         strerror(errno));
    t[n] = '\0';
    c = push(p, dest);
    c->en.type = 'l';
    c->link = strdup(t);
  }
  else {
    return MDK_OK;              /* devices, fifos, sockets: not copied */
  }
  fill(p, c, sb, keep_owner);
  if(S_ISLNK(sb->st_mode))
    c->en.mode = 0777;
  return MDK_OK;
}

/* The contents of directory phys (its context path rel) into dest. */
static enum mdk_status walk(struct mdk_be_copy_plan *p, int srcfd,
                            const char *phys, const char *rel,
                            const char *in_src, const char *dest,
                            bool keep_owner, int depth, struct mdk_err *e)
{
  int fd;
  char **names = NULL;
  size_t n = 0, i;
  enum mdk_status st = MDK_OK;
  if(depth > 256)
    return mdk_fail(e, MDK_EINPUT, "%s: directories nested more than 256 "
                       "deep, more than mdock copies: flatten the tree or "
                       "send it as an archive (ADD)", rel);
  fd = *phys ? openat(srcfd, phys, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                      O_CLOEXEC)
             : dup(srcfd);
  if(fd >= 0) {
    names = mdk_dir_names(fd, &n);
    close(fd);
  }
  if(!names)
    return mdk_fail(e, MDK_EIO, "cannot read directory %s: %s",
                       *rel ? rel : ".", strerror(errno));
  for(i = 0; i < n && !st; i++) {
    char cphys[PATHLEN], crel[PATHLEN], cin[PATHLEN], cdest[PATHLEN];
    struct stat sb;
    bool ign;
    join(cphys, sizeof(cphys), phys, names[i]);
    join(crel, sizeof(crel), rel, names[i]);
    join(cin, sizeof(cin), in_src, names[i]);
    join(cdest, sizeof(cdest), dest, names[i]);
    if(fstatat(srcfd, cphys, &sb, AT_SYMLINK_NOFOLLOW))
      continue;
    ign = ignored(p, crel, cin);
    if(S_ISDIR(sb.st_mode)) {
      /* an ignored directory is still walked when a '!' pattern could
       * bring something under it back */
      if(ign && (!p->ignore || mdk_ignore_skip_dir(p->ignore, crel)))
        continue;
      if(!ign)
        st = add_node(p, srcfd, cphys, cdest, &sb, keep_owner, e);
      if(!st)
        st = walk(p, srcfd, cphys, crel, cin, cdest, keep_owner, depth + 1,
                  e);
      continue;
    }
    if(!ign)
      st = add_node(p, srcfd, cphys, cdest, &sb, keep_owner, e);
  }
  mdk_dir_names_free(names, n);
  return st;
}

static bool has_glob(const char *s)
{
  return strpbrk(s, "*?[") != NULL;
}

/* Wildcard matches of pattern (component by component) under dir. */
static void glob_walk(int srcfd, const char *dir, const char *pat,
                      char ***out, size_t *n, size_t *cap)
{
  const char *slash = strchr(pat, '/');
  size_t cl = slash ? (size_t)(slash - pat) : strlen(pat);
  char comp[PATHLEN];
  int fd;
  char **names = NULL;
  size_t nn = 0, i;
  if(cl >= sizeof(comp))
    return;
  memcpy(comp, pat, cl);
  comp[cl] = '\0';
  fd = *dir ? mdk_open_in_root(srcfd, dir, O_RDONLY | O_DIRECTORY, 0)
            : dup(srcfd);
  if(fd >= 0) {
    names = mdk_dir_names(fd, &nn);
    close(fd);
  }
  for(i = 0; i < nn; i++) {
    char child[PATHLEN];
    if(fnmatch(comp, names[i], 0) != 0)
      continue;
    join(child, sizeof(child), dir, names[i]);
    if(slash) {
      glob_walk(srcfd, child, slash + 1, out, n, cap);
    }
    else {
      if(*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *out = realloc(*out, *cap * sizeof(**out));
        if(!*out)
          abort();
      }
      (*out)[(*n)++] = strdup(child);
    }
  }
  mdk_dir_names_free(names, nn);
}

/* Is dest (physical, relative) an existing directory of the stage? */
static bool dest_is_dir(const struct mdk_be_copy_plan *p, const char *dest)
{
  struct stat sb;
  if(!*dest)
    return true;
  return p->dest_rootfd >= 0 &&
         fstatat(p->dest_rootfd, dest, &sb, 0) == 0 && S_ISDIR(sb.st_mode);
}

/* dest as written (absolute, maybe with a trailing '/') to a physical path
 * in the stage's root; *into: it names a directory to copy into. */
static void resolve_dest(const struct mdk_be_copy_plan *p, const char *dest,
                         char *out, size_t cap, bool *into)
{
  size_t n = strlen(dest);
  char clean[PATHLEN];
  *into = n && dest[n - 1] == '/';
  clean_rel(dest, clean, sizeof(clean));
  if(p->dest_rootfd < 0 || !mdk_resolve_in_root(p->dest_rootfd, clean,
                                                   out, cap))
    snprintf(out, cap, "%s", clean);
}

static enum mdk_status add_one(struct mdk_be_copy_plan *p, int srcfd,
                               const char *rel, const char *dest, bool many,
                               bool keep_owner, struct mdk_err *e)
{
  char phys[PATHLEN], d[PATHLEN], target[PATHLEN * 2];
  struct stat sb;
  bool into;
  const char *base = strrchr(rel, '/');
  base = base ? base + 1 : rel;
  if(!mdk_resolve_in_root(srcfd, rel, phys, sizeof(phys)) ||
     (*rel && p->ignore && mdk_ignore_match(p->ignore, rel)) ||
     fstatat(srcfd, *phys ? phys : ".", &sb, AT_SYMLINK_NOFOLLOW))
    return mdk_fail(e, MDK_EINPUT, "source '%s' not found%s (check the "
                       "path%s)", *rel ? rel : ".",
                       p->ignore ? " in the build context" : "",
                       p->ignore ? ", and that .dockerignore does not "
                       "exclude it" : "");
  resolve_dest(p, dest, d, sizeof(d), &into);
  if(S_ISDIR(sb.st_mode)) {
    /* a directory's contents go into dest; --parents keeps its path */
    if(p->parents && *rel)
      join(target, sizeof(target), d, rel);
    else
      snprintf(target, sizeof(target), "%s", d);
    return walk(p, srcfd, phys, rel, "", target, keep_owner, 0, e);
  }
  if(into || many || dest_is_dir(p, d))
    join(target, sizeof(target), d, p->parents ? rel : base);
  else
    snprintf(target, sizeof(target), "%s", d);
  if(!*target)
    return mdk_fail(e, MDK_EINPUT, "cannot copy the file '%s' over the "
                       "root directory (copy it into a directory: end the "
                       "destination with '/')", rel);
  return add_node(p, srcfd, phys, target, &sb, keep_owner, e);
}

enum mdk_status mdk_be_copy_add_source(struct mdk_be_copy_plan *p, int srcfd,
                                       const char *src, const char *dest,
                                       bool many, bool keep_owner,
                                       struct mdk_err *e)
{
  char rel[PATHLEN];
  char **m = NULL;
  size_t n = 0, cap = 0, i;
  enum mdk_status st = MDK_OK;
  clean_rel(src, rel, sizeof(rel));
  if(!has_glob(rel))
    return add_one(p, srcfd, rel, dest, many, keep_owner, e);
  glob_walk(srcfd, "", rel, &m, &n, &cap);
  /* a wildcard that matches nothing copies nothing, as in BuildKit */
  for(i = 0; i < n; i++) {
    if(!st && !(p->ignore && mdk_ignore_match(p->ignore, m[i])))
      st = add_one(p, srcfd, m[i], dest, many || n > 1, keep_owner, e);
    free(m[i]);
  }
  free(m);
  return st;
}

enum mdk_status mdk_be_copy_add_file(struct mdk_be_copy_plan *p, int srcfd,
                                     const char *src_rel, const char *name,
                                     const char *dest, bool many,
                                     struct mdk_err *e)
{
  char d[PATHLEN], target[PATHLEN * 2];
  struct stat sb;
  bool into;
  struct mdk_be_copy_entry *c;
  if(fstatat(srcfd, src_rel, &sb, AT_SYMLINK_NOFOLLOW))
    return mdk_fail(e, MDK_EIO, "cannot stat %s: %s", src_rel,
                       strerror(errno));
  resolve_dest(p, dest, d, sizeof(d), &into);
  if(into || many || dest_is_dir(p, d))
    join(target, sizeof(target), d, name);
  else
    snprintf(target, sizeof(target), "%s", d);
  c = push(p, target);
  c->en.type = 'f';
  c->en.size = (uint64_t)sb.st_size;
  c->src_rel = strdup(src_rel);
  c->en.src_dirfd = srcfd;
  fill(p, c, &sb, false);
  if(!p->chmod)
    c->en.mode = 0644;
  c->en.mtime = p->now;
  return MDK_OK;
}

/* depth first: '/' sorts before every other byte */
static int cmp_path(const char *a, const char *b)
{
  for(;; a++, b++) {
    int ca = *a == '/' ? 1 : *a ? (unsigned char)*a + 1 : 0;
    int cb = *b == '/' ? 1 : *b ? (unsigned char)*b + 1 : 0;
    if(ca != cb || !ca)
      return ca - cb;
  }
}

static int cmp_entry(const void *x, const void *y)
{
  const struct mdk_be_copy_entry *a = x, *b = y;
  int c = cmp_path(a->dest, b->dest);
  if(c)
    return c;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static enum mdk_status emit_parent(struct mdk_be_copy_plan *p,
                                   struct mdk_be_layerw *w, const char *dir,
                                   struct mdk_err *e)
{
  return mdk_be_layerw_add_dir(w, p->dest_rootfd, dir, p->chown ? p->uid : 0,
                               p->chown ? p->gid : 0, p->now, e);
}

enum mdk_status mdk_be_copy_write(struct mdk_be_copy_plan *p,
                                  struct mdk_be_store *s,
                                  const struct mdk_be_layer_opts *lo,
                                  struct mdk_be_layer_desc *d,
                                  struct mdk_err *e)
{
  struct mdk_be_layerw *w = NULL;
  enum mdk_status st;
  /* the directories the current entry is in, outermost first */
  char (*open_dirs)[PATHLEN] = malloc(sizeof(char[PATHLEN]) * 256);
  int depth = 0;
  size_t i;
  if(!open_dirs)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  mdk_sort(p->e, p->n, sizeof(*p->e), cmp_entry);
  st = mdk_be_layerw_begin(s, lo, &w, e);
  for(i = 0; i < p->n && !st; i++) {
    struct mdk_be_copy_entry *c = &p->e[i];
    const char *q;
    /* the last of equal destinations wins */
    if(i + 1 < p->n && strcmp(c->dest, p->e[i + 1].dest) == 0)
      continue;
    if(!*c->dest)
      continue;                 /* the root itself */
    /* close directories that are not parents of this entry */
    while(depth > 0) {
      size_t l = strlen(open_dirs[depth - 1]);
      if(strncmp(c->dest, open_dirs[depth - 1], l) == 0 && c->dest[l] == '/')
        break;
      depth--;
    }
    /* open the missing parents, outermost first */
    q = depth ? c->dest + strlen(open_dirs[depth - 1]) + 1 : c->dest;
    while(!st && (q = strchr(q, '/'))) {
      if(depth >= 256) {
        st = mdk_fail(e, MDK_EINPUT, "%s: nested too deep", c->dest);
        break;
      }
      snprintf(open_dirs[depth], PATHLEN, "%.*s", (int)(q - c->dest),
               c->dest);
      st = emit_parent(p, w, open_dirs[depth], e);
      depth++;
      q++;
    }
    if(st)
      break;
    c->en.path = c->dest;
    c->en.src_name = c->src_rel;
    c->en.link = c->link;
    st = mdk_be_layerw_add(w, &c->en, e);
    if(!st && c->en.type == 'd' && depth < 256)
      snprintf(open_dirs[depth++], PATHLEN, "%s", c->dest);
  }
  free(open_dirs);
  if(st) {
    mdk_be_layerw_abort(w);
    return st;
  }
  return mdk_be_layerw_commit(w, d, e);
}
