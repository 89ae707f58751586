/* statcache.c - a text file of "digest dev ino size mtime ctime mode path"
 * lines, loaded into a hash table. */
#include "store/statcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base.h"

#define HEADER "mdock-statcache v1\n"
/* file timestamps are coarse (a jiffy): a file changed within this window of
 * the save may change again with the same mtime */
#define RACY_NS 50000000LL

struct mdk_be_statent {
  char *path;                 /* NULL = empty slot */
  bool owned;                 /* path malloc'd (else inside the load buffer) */
  uint64_t hash, dev, ino, size;
  int64_t mtime_ns, ctime_ns;
  uint32_t mode;
  uint8_t digest[32];
};

static uint64_t fnv(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  while(*s) {
    h ^= (unsigned char)*s++;
    h *= 1099511628211ULL;
  }
  return h;
}

static int64_t ts(const struct timespec *t)
{
  return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void grow(struct mdk_be_statcache *c);

static struct mdk_be_statent *slot(const struct mdk_be_statcache *c,
                                   const char *path, uint64_t h)
{
  size_t i;
  if(!c->cap)
    return NULL;
  for(i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
    struct mdk_be_statent *e = &c->tab[i];
    if(!e->path || (e->hash == h && strcmp(e->path, path) == 0))
      return e;
  }
}

/* borrowed: path lives as long as the cache (the load buffer) */
static struct mdk_be_statent *insert(struct mdk_be_statcache *c, char *path,
                                     bool borrowed)
{
  uint64_t h = fnv(path);
  struct mdk_be_statent *e;
  if((c->n + 1) * 2 > c->cap)
    grow(c);
  e = slot(c, path, h);
  if(!e->path) {
    e->path = borrowed ? path : strdup(path);
    if(!e->path)
      abort();
    e->owned = !borrowed;
    e->hash = h;
    c->n++;
  }
  return e;
}

static void grow(struct mdk_be_statcache *c)
{
  size_t old = c->cap, i;
  struct mdk_be_statent *t = c->tab;
  c->cap = old ? old * 2 : 1024;
  c->tab = calloc(c->cap, sizeof(*c->tab));
  if(!c->tab)
    abort();
  c->n = 0;
  for(i = 0; i < old; i++)
    if(t[i].path) {
      struct mdk_be_statent *e = slot(c, t[i].path, t[i].hash);
      *e = t[i];
      c->n++;
    }
  free(t);
}


/* Decimal (or octal) number then one space; false if malformed. */
static bool num(char **p, char *end, int base, uint64_t *out)
{
  uint64_t v = 0;
  char *q = *p;
  bool neg = false;
  if(q < end && *q == '-') {
    neg = true;
    q++;
  }
  if(q >= end || *q < '0' || *q > '0' + base - 1)
    return false;
  while(q < end && *q >= '0' && *q <= '0' + base - 1)
    v = v * (uint64_t)base + (uint64_t)(*q++ - '0');
  if(q >= end || *q != ' ')
    return false;
  *p = q + 1;
  *out = neg ? (uint64_t)-(int64_t)v : v;
  return true;
}

void mdk_be_statcache_load(struct mdk_be_statcache *c, const char *file)
{
  FILE *f;
  struct stat fst;
  char *buf, *p, *end;
  size_t hl = strlen(HEADER);

  memset(c, 0, sizeof(*c));
  if(!file)
    return;
  c->file = strdup(file);
  if(!c->file)
    abort();
  f = fopen(file, "rb");
  if(!f)
    return;
  if(fstat(fileno(f), &fst) != 0 || fst.st_size < (off_t)hl) {
    fclose(f);
    return;
  }
  c->saved_ns = ts(&fst.st_mtim);
  /* one buffer; entry paths point into it */
  buf = malloc((size_t)fst.st_size + 1);
  if(!buf || fread(buf, 1, (size_t)fst.st_size, f) != (size_t)fst.st_size ||
     memcmp(buf, HEADER, hl) != 0) {
    free(buf);
    fclose(f);
    return;
  }
  fclose(f);
  buf[fst.st_size] = '\0';
  c->buf = buf;
  /* size the table once: about 110 bytes a line, half full */
  {
    size_t want = 1024;
    while(want < (size_t)fst.st_size / 110 * 2 + 16)
      want *= 2;
    c->cap = want;
    c->tab = calloc(c->cap, sizeof(*c->tab));
    if(!c->tab)
      abort();
  }
  p = buf + hl;
  end = buf + fst.st_size;
  while(p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
    uint64_t dev, ino, size, mt, ct, mode;
    uint8_t d[32];
    bool bad = false;
    int k;
    struct mdk_be_statent *e;
    if(!nl)
      break;
    *nl = '\0';
    p = nl + 1;
    if(nl - q < 66 || q[64] != ' ')
      continue;
    for(k = 0; k < 32; k++) {
      int hi = mdk_hex_value(q[2 * k]);
      int lo = mdk_hex_value(q[2 * k + 1]);
      if(hi < 0 || lo < 0)
        bad = true;
      d[k] = (uint8_t)(hi << 4 | lo);
    }
    q += 65;
    if(bad || !num(&q, nl, 10, &dev) || !num(&q, nl, 10, &ino) ||
       !num(&q, nl, 10, &size) || !num(&q, nl, 10, &mt) ||
       !num(&q, nl, 10, &ct) || !num(&q, nl, 8, &mode) || q >= nl)
      continue;
    e = insert(c, q, true);
    e->dev = dev;
    e->ino = ino;
    e->size = size;
    e->mtime_ns = (int64_t)mt;
    e->ctime_ns = (int64_t)ct;
    e->mode = (uint32_t)mode;
    memcpy(e->digest, d, 32);
  }
}

bool mdk_be_statcache_get(const struct mdk_be_statcache *c, const char *path,
                          const struct stat *st, uint8_t digest[32])
{
  const struct mdk_be_statent *e = slot(c, path, fnv(path));
  if(!e || !e->path)
    return false;
  if(e->dev != (uint64_t)st->st_dev || e->ino != (uint64_t)st->st_ino ||
     e->size != (uint64_t)st->st_size || e->mode != (uint32_t)st->st_mode ||
     e->mtime_ns != ts(&st->st_mtim) || e->ctime_ns != ts(&st->st_ctim))
    return false;
  /* racily clean: modified too close to the save to trust the stat */
  if(e->mtime_ns >= c->saved_ns - RACY_NS || e->ctime_ns >= c->saved_ns -
     RACY_NS)
    return false;
  memcpy(digest, e->digest, 32);
  return true;
}

void mdk_be_statcache_put(struct mdk_be_statcache *c, const char *path,
                          const struct stat *st, const uint8_t digest[32])
{
  struct mdk_be_statent *e;
  if(strchr(path, '\n'))
    return;                    /* not representable in the file */
  e = insert(c, (char *)path, false);
  e->dev = (uint64_t)st->st_dev;
  e->ino = (uint64_t)st->st_ino;
  e->size = (uint64_t)st->st_size;
  e->mtime_ns = ts(&st->st_mtim);
  e->ctime_ns = ts(&st->st_ctim);
  e->mode = (uint32_t)st->st_mode;
  memcpy(e->digest, digest, 32);
  c->dirty = true;
}

enum mdk_status mdk_be_statcache_close(struct mdk_be_statcache *c)
{
  enum mdk_status st = MDK_OK;
  size_t i;
  if(c->file && c->dirty) {
    struct mdk_buf b;
    int err;
    mdk_buf_init(&b, (size_t)1 << 32);
    st = mdk_buf_puts(&b, HEADER);
    for(i = 0; i < c->cap && !st; i++) {
      const struct mdk_be_statent *e = &c->tab[i];
      int k;
      char hex[65];
      if(!e->path)
        continue;
      for(k = 0; k < 32; k++)
        snprintf(hex + 2 * k, 3, "%02x", e->digest[k]);
      st = mdk_buf_printf(&b, "%s %llu %llu %llu %lld %lld %o %s\n", hex,
                          (unsigned long long)e->dev,
                          (unsigned long long)e->ino,
                          (unsigned long long)e->size, (long long)e->mtime_ns,
                          (long long)e->ctime_ns, e->mode, e->path);
    }
    if(!st)
      st = mdk_write_atomic(c->file, b.ptr, b.len, &err);
    mdk_buf_free(&b);
  }
  for(i = 0; i < c->cap; i++)
    if(c->tab[i].owned)
      free(c->tab[i].path);
  free(c->tab);
  free(c->buf);
  free(c->file);
  memset(c, 0, sizeof(*c));
  return st;
}
