/* context.c - selecting and hashing context files. */
#include "backend/context.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/sha256.h"

enum { READ_BUF = 1 << 20 };

struct entry {
  char *path;
  char type;                    /* f d l o */
  uint32_t mode;
  uint8_t digest[32];
};

struct sel {
  struct mdk_be_context *c;
  struct entry *e;
  size_t n, cap;
  struct mdk_vec missing;       /* const char * */
};

static void add(struct sel *s, const char *path, char type, uint32_t mode,
                const uint8_t d[32])
{
  if(s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 256;
    s->e = realloc(s->e, s->cap * sizeof(*s->e));
    if(!s->e)
      abort();
  }
  s->e[s->n].path = strdup(path);
  if(!s->e[s->n].path)
    abort();
  s->e[s->n].type = type;
  s->e[s->n].mode = mode & 07777;
  memcpy(s->e[s->n].digest, d, 32);
  s->n++;
}

static enum mdk_status hash_file(struct mdk_be_context *c, int dirfd,
                                 const char *name, const char *rel,
                                 const struct stat *st, uint8_t d[32])
{
  struct mdk_sha256 h;
  int fd;
  ssize_t r;
  if(mdk_be_statcache_get(&c->sc, rel, st, d)) {
    c->files_cached++;
    return MDK_OK;
  }
  fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if(fd < 0)
    return MDK_EIO;
  mdk_sha256_init(&h);
  while((r = read(fd, c->buf, READ_BUF)) > 0) {
    mdk_sha256_update(&h, c->buf, (size_t)r);
    c->bytes_hashed += (uint64_t)r;
  }
  mdk_sha256_final(&h, d);
  close(fd);
  if(r < 0)
    return MDK_EIO;
  c->files_hashed++;
  mdk_be_statcache_put(&c->sc, rel, st, d);
  return MDK_OK;
}

static void path_join(char *out, size_t n, const char *dir, const char *name)
{
  if(!*dir)
    snprintf(out, n, "%s", name);
  else
    snprintf(out, n, "%s/%s", dir, name);
}

static void add_node(struct sel *s, int dirfd, const char *name,
                     const char *rel, const struct stat *st);

static int cmp_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry under the directory rel (open as fd), minus ignored ones. */
static void walk(struct sel *s, int fd, const char *rel)
{
  DIR *d = fdopendir(fd);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  if(!d) {
    close(fd);
    return;
  }
  while((de = readdir(d))) {
    if(strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if(n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof(*names));
      if(!names)
        abort();
    }
    names[n++] = strdup(de->d_name);
  }
  qsort(names, n, sizeof(*names), cmp_name);
  for(i = 0; i < n; i++) {
    char child[4096];
    struct stat st;
    path_join(child, sizeof(child), rel, names[i]);
    if(fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
      if(mdk_be_ignore_match(&s->c->ig, child)) {
        /* an ignored directory may still hold '!'-re-included files */
        if(S_ISDIR(st.st_mode) && !mdk_be_ignore_skip_dir(&s->c->ig, child)) {
          int cfd = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY |
                                               O_CLOEXEC | O_NOFOLLOW);
          if(cfd >= 0)
            walk(s, cfd, child);
        }
      }
      else {
        add_node(s, dirfd(d), names[i], child, &st);
      }
    }
    free(names[i]);
  }
  free(names);
  closedir(d);
}

static void add_node(struct sel *s, int dirfd, const char *name,
                     const char *rel, const struct stat *st)
{
  uint8_t d[32] = {0};
  if(S_ISREG(st->st_mode)) {
    if(hash_file(s->c, dirfd, name, rel, st, d) == MDK_OK)
      add(s, rel, 'f', st->st_mode, d);
  }
  else if(S_ISLNK(st->st_mode)) {
    char target[4096];
    ssize_t n = readlinkat(dirfd, name, target, sizeof(target));
    struct mdk_sha256 h;
    mdk_sha256_init(&h);
    if(n > 0)
      mdk_sha256_update(&h, target, (size_t)n);
    mdk_sha256_final(&h, d);
    add(s, rel, 'l', st->st_mode, d);
  }
  else if(S_ISDIR(st->st_mode)) {
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    add(s, rel, 'd', st->st_mode, d);
    if(fd >= 0)
      walk(s, fd, rel);
  }
  else {
    add(s, rel, 'o', st->st_mode, d);
  }
}

/* Cleans a COPY source into a context-relative path ("" = the root):
 * a leading '/' and any "../" stay inside the context. */
static char *clean_src(struct mdk_str src)
{
  char *out = malloc(src.len + 2), **parts;
  size_t n = 0, i = 0, len = 0, k;
  if(!out)
    abort();
  parts = malloc(sizeof(char *) * (src.len + 1));
  if(!parts)
    abort();
  while(i <= src.len) {
    size_t e = i;
    while(e < src.len && src.ptr[e] != '/')
      e++;
    if(e - i == 2 && src.ptr[i] == '.' && src.ptr[i + 1] == '.') {
      if(n)
        n--;
    }
    else if(e > i && !(e - i == 1 && src.ptr[i] == '.')) {
      parts[n] = strndup(src.ptr + i, e - i);
      n++;
    }
    i = e + 1;
  }
  for(k = 0; k < n; k++) {
    if(k)
      out[len++] = '/';
    memcpy(out + len, parts[k], strlen(parts[k]));
    len += strlen(parts[k]);
    free(parts[k]);
  }
  out[len] = '\0';
  free(parts);
  return out;
}

static bool has_glob(const char *p)
{
  return strpbrk(p, "*?[") != NULL;
}

/* Matches pattern components against the tree, from directory rel. */
static void glob_walk(struct sel *s, const char *rel, const char *pat,
                      bool *any)
{
  const char *slash = strchr(pat, '/');
  size_t cl = slash ? (size_t)(slash - pat) : strlen(pat);
  char comp[1024], dirp[4096];
  int fd;
  DIR *d;
  struct dirent *de;
  if(cl >= sizeof(comp))
    return;
  memcpy(comp, pat, cl);
  comp[cl] = '\0';
  snprintf(dirp, sizeof(dirp), "%s", *rel ? rel : ".");
  fd = openat(s->c->rootfd, dirp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd < 0)
    return;
  d = fdopendir(fd);
  if(!d) {
    close(fd);
    return;
  }
  while((de = readdir(d))) {
    char child[4096];
    struct stat st;
    if(strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if(fnmatch(comp, de->d_name, 0) != 0)
      continue;
    path_join(child, sizeof(child), rel, de->d_name);
    if(slash) {
      glob_walk(s, child, slash + 1, any);
      continue;
    }
    if(mdk_be_ignore_match(&s->c->ig, child))
      continue;
    /* a source itself follows symlinks */
    if(fstatat(dirfd(d), de->d_name, &st, 0) != 0)
      continue;
    *any = true;
    add_node(s, dirfd(d), de->d_name, child, &st);
  }
  closedir(d);
}

static int cmp_entry(const void *a, const void *b)
{
  return strcmp(((const struct entry *)a)->path,
                ((const struct entry *)b)->path);
}

enum mdk_status mdk_be_context_digest(struct mdk_be_context *c,
                                      const struct mdk_str *srcs, size_t n,
                                      struct mdk_str *out,
                                      const char ***missing, size_t *nfiles)
{
  struct sel s;
  struct mdk_sha256 h;
  uint8_t d[32];
  size_t i;
  char hex[72];
  const char *nul = NULL;

  memset(&s, 0, sizeof(s));
  s.c = c;
  s.missing = MDK_VEC_INIT(const char *);
  for(i = 0; i < n; i++) {
    char *rel = clean_src(srcs[i]);
    struct stat st;
    bool any = false;
    if(has_glob(rel)) {
      glob_walk(&s, "", rel, &any);
      /* a wildcard matching nothing is fine in BuildKit; it adds nothing */
    }
    else if(*rel && mdk_be_ignore_match(&c->ig, rel)) {
      const char *m = mdk_arena_strndup(c->a, rel, strlen(rel));
      mdk_vec_push(c->a, &s.missing, &m);
    }
    else if(fstatat(c->rootfd, *rel ? rel : ".", &st, 0) != 0) {
      const char *m = mdk_arena_strndup(c->a, rel, strlen(rel));
      mdk_vec_push(c->a, &s.missing, &m);
    }
    else if(!*rel) {
      walk(&s, openat(c->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC),
           "");
    }
    else {
      char *slash = strrchr(rel, '/');
      int dfd = c->rootfd;
      const char *name = rel;
      if(slash) {
        *slash = '\0';
        dfd = openat(c->rootfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        name = slash + 1;
      }
      if(dfd >= 0) {
        if(slash)
          *slash = '/';
        add_node(&s, dfd, name, rel, &st);
        if(dfd != c->rootfd)
          close(dfd);
      }
    }
    free(rel);
  }
  qsort(s.e, s.n, sizeof(*s.e), cmp_entry);
  mdk_sha256_init(&h);
  mdk_sha256_update(&h, "mdock.context/v1", 16);
  for(i = 0; i < s.n; i++) {
    uint8_t len[4];
    size_t pl = strlen(s.e[i].path);
    if(i && strcmp(s.e[i].path, s.e[i - 1].path) == 0)
      continue;      /* selected by two sources */
    len[0] = (uint8_t)(pl >> 24);
    len[1] = (uint8_t)(pl >> 16);
    len[2] = (uint8_t)(pl >> 8);
    len[3] = (uint8_t)pl;
    mdk_sha256_update(&h, len, 4);
    mdk_sha256_update(&h, s.e[i].path, pl);
    mdk_sha256_update(&h, &s.e[i].type, 1);
    len[0] = (uint8_t)(s.e[i].mode >> 8);
    len[1] = (uint8_t)s.e[i].mode;
    mdk_sha256_update(&h, len, 2);
    mdk_sha256_update(&h, s.e[i].digest, 32);
  }
  for(i = 0; i < s.missing.len; i++) {
    const char *m = *mdk_vec_at(&s.missing, const char *, i);
    mdk_sha256_update(&h, "missing:", 8);
    mdk_sha256_update(&h, m, strlen(m) + 1);
  }
  mdk_sha256_final(&h, d);
  memcpy(hex, "sha256:", 7);
  for(i = 0; i < 32; i++)
    snprintf(hex + 7 + 2 * i, 3, "%02x", d[i]);
  *out = mdk_str_dup(c->a, mdk_str_make(hex, 71));
  *nfiles = s.n;
  mdk_vec_push(c->a, &s.missing, &nul);
  *missing = s.missing.items;
  for(i = 0; i < s.n; i++)
    free(s.e[i].path);
  free(s.e);
  return MDK_OK;
}

static char *read_small(const char *path)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if(!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  if(n < 0 || n > (16 << 20)) {
    fclose(f);
    return NULL;
  }
  buf = malloc((size_t)n + 1);
  if(buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if(buf)
    buf[n] = '\0';
  fclose(f);
  return buf;
}

enum mdk_status mdk_be_context_open(struct mdk_arena *a, const char *dir,
                                    const char *dockerfile,
                                    const char *cache_dir,
                                    struct mdk_be_context *c, int *err)
{
  char path[4096], *ign = NULL, *real;
  memset(c, 0, sizeof(*c));
  c->a = a;
  *err = 0;
  c->rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(c->rootfd < 0) {
    *err = errno;
    return MDK_EIO;
  }
  c->root = strdup(dir);
  c->buf = malloc(READ_BUF);
  if(!c->root || !c->buf)
    abort();
  if(dockerfile) {
    snprintf(path, sizeof(path), "%s.dockerignore", dockerfile);
    ign = read_small(path);
  }
  if(!ign) {
    snprintf(path, sizeof(path), "%s/.dockerignore", dir);
    ign = read_small(path);
  }
  if(ign) {
    mdk_be_ignore_parse(a, mdk_str_c(ign), &c->ig);
    free(ign);
  }
  real = realpath(dir, NULL);
  if(cache_dir && real) {
    struct mdk_sha256 h;
    uint8_t d[32];
    char name[80];
    int i, e2;
    mdk_sha256_init(&h);
    mdk_sha256_update(&h, real, strlen(real));
    mdk_sha256_final(&h, d);
    for(i = 0; i < 16; i++)
      snprintf(name + 2 * i, 3, "%02x", d[i]);
    snprintf(path, sizeof(path), "%s/statcache", cache_dir);
    if(mdk_mkdir_p(path, &e2) == MDK_OK) {
      snprintf(path, sizeof(path), "%s/statcache/%s", cache_dir, name);
      mdk_be_statcache_load(&c->sc, path);
    }
  }
  free(real);
  return MDK_OK;
}

enum mdk_status mdk_be_context_close(struct mdk_be_context *c)
{
  enum mdk_status st = mdk_be_statcache_close(&c->sc);
  mdk_be_ignore_free(&c->ig);
  if(c->rootfd >= 0)
    close(c->rootfd);
  free(c->root);
  free(c->buf);
  c->rootfd = -1;
  return st;
}
