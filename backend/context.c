/* context.c - selecting and hashing context files. */
#include "backend/context.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

enum { READ_BUF = 1 << 20 };

struct entry {
  char *path;
  char type;                    /* f d l o */
  uint32_t mode;
  uint8_t digest[32];
};

/* a stat cache insert, applied once the (threaded) walk is over */
struct pending {
  char *path;
  struct stat st;
  uint8_t digest[32];
};

/* What one walker selected; threads each have their own. */
struct sel {
  struct mdk_be_context *c;
  struct entry *e;
  size_t n, cap;
  struct pending *p;
  size_t np, pcap;
  uint8_t *buf;                 /* read buffer */
  uint64_t hashed, cached, bytes;
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

/* The stat cache is only read while walkers run (inserts are deferred),
 * so threads can share it. */
static enum mdk_status hash_file(struct sel *s, int dirfd, const char *name,
                                 const char *rel, const struct stat *st,
                                 uint8_t d[32])
{
  struct mdk_sha256 h;
  int fd;
  ssize_t r;
  if(mdk_be_statcache_get(&s->c->sc, rel, st, d)) {
    s->cached++;
    return MDK_OK;
  }
  fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if(fd < 0)
    return MDK_EIO;
  if(!s->buf) {
    s->buf = malloc(READ_BUF);
    if(!s->buf)
      abort();
  }
  mdk_sha256_init(&h);
  while((r = read(fd, s->buf, READ_BUF)) > 0) {
    mdk_sha256_update(&h, s->buf, (size_t)r);
    s->bytes += (uint64_t)r;
  }
  mdk_sha256_final(&h, d);
  close(fd);
  if(r < 0)
    return MDK_EIO;
  s->hashed++;
  if(s->np == s->pcap) {
    s->pcap = s->pcap ? s->pcap * 2 : 256;
    s->p = realloc(s->p, s->pcap * sizeof(*s->p));
    if(!s->p)
      abort();
  }
  s->p[s->np].path = strdup(rel);
  if(!s->p[s->np].path)
    abort();
  s->p[s->np].st = *st;
  memcpy(s->p[s->np].digest, d, 32);
  s->np++;
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

/* Every entry under the directory rel (open as fd), minus ignored ones.
 * Order does not matter: the digest sorts what was selected. */
static void walk(struct sel *s, int fd, const char *rel)
{
  DIR *d = fdopendir(fd);
  struct dirent *de;
  if(!d) {
    close(fd);
    return;
  }
  while((de = readdir(d))) {
    char child[4096];
    struct stat st;
    if(de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
                                (de->d_name[1] == '.' && !de->d_name[2])))
      continue;
    path_join(child, sizeof(child), rel, de->d_name);
    if(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if(s->c->ig.n && mdk_ignore_match(&s->c->ig, child)) {
      /* an ignored directory may still hold '!'-re-included files */
      if(S_ISDIR(st.st_mode) && !mdk_ignore_skip_dir(&s->c->ig, child)) {
        int cfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY |
                                               O_CLOEXEC | O_NOFOLLOW);
        if(cfd >= 0)
          walk(s, cfd, child);
      }
      continue;
    }
    add_node(s, dirfd(d), de->d_name, child, &st);
  }
  closedir(d);
}

static void add_node(struct sel *s, int dirfd, const char *name,
                     const char *rel, const struct stat *st)
{
  uint8_t d[32] = {0};
  if(S_ISREG(st->st_mode)) {
    if(hash_file(s, dirfd, name, rel, st, d) == MDK_OK)
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

/* --- walking a directory on every core ---------------------------------- */

struct job {
  char *rel;                    /* a subdirectory to walk */
};

struct pool {
  struct mdk_be_context *c;
  int basefd;                   /* the directory the jobs are relative to */
  struct job *jobs;
  size_t njobs;
  atomic_size_t next;
};

struct worker {
  struct pool *pool;
  struct sel sel;
  pthread_t th;
};

static void *work(void *arg)
{
  struct worker *w = arg;
  size_t i;
  while((i = atomic_fetch_add(&w->pool->next, 1)) < w->pool->njobs) {
    const char *rel = w->pool->jobs[i].rel;
    int fd = openat(w->pool->c->rootfd, rel, O_RDONLY | O_DIRECTORY |
                                             O_CLOEXEC);
    if(fd >= 0)
      walk(&w->sel, fd, rel);
  }
  return NULL;
}

static void merge(struct sel *into, struct sel *from)
{
  size_t i;
  for(i = 0; i < from->n; i++) {
    if(into->n == into->cap) {
      into->cap = into->cap ? into->cap * 2 : 256;
      into->e = realloc(into->e, into->cap * sizeof(*into->e));
      if(!into->e)
        abort();
    }
    into->e[into->n++] = from->e[i];
  }
  for(i = 0; i < from->np; i++) {
    if(into->np == into->pcap) {
      into->pcap = into->pcap ? into->pcap * 2 : 256;
      into->p = realloc(into->p, into->pcap * sizeof(*into->p));
      if(!into->p)
        abort();
    }
    into->p[into->np++] = from->p[i];
  }
  into->hashed += from->hashed;
  into->cached += from->cached;
  into->bytes += from->bytes;
  free(from->e);
  free(from->p);
  free(from->buf);
}

/* The directory rel: its own files here, its subdirectories spread over
 * the cores (stat and hashing dominate, and they parallelise). */
static void walk_parallel(struct sel *s, const char *rel)
{
  int fd = openat(s->c->rootfd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY |
                                                  O_CLOEXEC);
  DIR *d;
  struct dirent *de;
  struct pool pool;
  struct worker *w;
  long ncpu = mdk_cpu_count();
  size_t cap = 0, i, nw;

  if(fd < 0)
    return;
  d = fdopendir(fd);
  if(!d) {
    close(fd);
    return;
  }
  memset(&pool, 0, sizeof(pool));
  pool.c = s->c;
  while((de = readdir(d))) {
    char child[4096];
    struct stat st;
    if(de->d_name[0] == '.' && (de->d_name[1] == '\0' ||
                                (de->d_name[1] == '.' && !de->d_name[2])))
      continue;
    path_join(child, sizeof(child), rel, de->d_name);
    if(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    if(s->c->ig.n && mdk_ignore_match(&s->c->ig, child) &&
       (!S_ISDIR(st.st_mode) || mdk_ignore_skip_dir(&s->c->ig, child)))
      continue;
    if(!S_ISDIR(st.st_mode)) {
      add_node(s, dirfd(d), de->d_name, child, &st);
      continue;
    }
    if(!(s->c->ig.n && mdk_ignore_match(&s->c->ig, child))) {
      uint8_t z[32] = {0};
      add(s, child, 'd', st.st_mode, z);
    }
    if(pool.njobs == cap) {
      cap = cap ? cap * 2 : 64;
      pool.jobs = realloc(pool.jobs, cap * sizeof(*pool.jobs));
      if(!pool.jobs)
        abort();
    }
    pool.jobs[pool.njobs++].rel = strdup(child);
  }
  closedir(d);
  nw = ncpu > 1 ? (size_t)ncpu : 1;
  if(nw > 8)
    nw = 8;
  if(nw > pool.njobs)
    nw = pool.njobs ? pool.njobs : 1;
  w = calloc(nw, sizeof(*w));
  if(!w)
    abort();
  atomic_init(&pool.next, 0);
  for(i = 0; i < nw; i++) {
    w[i].pool = &pool;
    w[i].sel.c = s->c;
    if(i && mdk_thread_start(&w[i].th, (int)i - 1, work, &w[i]) != 0)
      w[i].pool = NULL;      /* could not start: the others take its share */
  }
  work(&w[0]);
  for(i = 1; i < nw; i++)
    if(w[i].pool)
      pthread_join(w[i].th, NULL);
  for(i = 0; i < nw; i++)
    merge(s, &w[i].sel);
  for(i = 0; i < pool.njobs; i++)
    free(pool.jobs[i].rel);
  free(pool.jobs);
  free(w);
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
    if(mdk_ignore_match(&s->c->ig, child))
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
    else if(*rel && mdk_ignore_match(&c->ig, rel)) {
      const char *m = mdk_arena_strndup(c->a, rel, strlen(rel));
      mdk_vec_push(c->a, &s.missing, &m);
    }
    else if(fstatat(c->rootfd, *rel ? rel : ".", &st, 0) != 0) {
      const char *m = mdk_arena_strndup(c->a, rel, strlen(rel));
      mdk_vec_push(c->a, &s.missing, &m);
    }
    else if(!*rel || S_ISDIR(st.st_mode)) {
      if(*rel) {
        uint8_t z[32] = {0};
        add(&s, rel, 'd', st.st_mode, z);
      }
      walk_parallel(&s, rel);
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
  for(i = 0; i < s.np; i++) {
    mdk_be_statcache_put(&c->sc, s.p[i].path, &s.p[i].st, s.p[i].digest);
    free(s.p[i].path);
  }
  free(s.p);
  free(s.buf);
  c->files_hashed += s.hashed;
  c->files_cached += s.cached;
  c->bytes_hashed += s.bytes;
  mdk_sort(s.e, s.n, sizeof(*s.e), cmp_entry);
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
  if(!c->root)
    abort();
  if(dockerfile) {
    snprintf(path, sizeof(path), "%s.dockerignore", dockerfile);
    ign = mdk_read_small(path, 16 << 20, NULL);
  }
  if(!ign) {
    snprintf(path, sizeof(path), "%s/.dockerignore", dir);
    ign = mdk_read_small(path, 16 << 20, NULL);
  }
  if(ign) {
    mdk_ignore_parse(a, mdk_str_c(ign), &c->ig);
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
  mdk_ignore_free(&c->ig);
  if(c->rootfd >= 0)
    close(c->rootfd);
  free(c->root);
  c->rootfd = -1;
  return st;
}
