#include "base/str.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool mdk_str_eq_ci_slow(struct mdk_str a, const char *b, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b[i];
    if(x >= 'A' && x <= 'Z')
      x = (unsigned char)(x - 'A' + 'a');
    if(y >= 'A' && y <= 'Z')
      y = (unsigned char)(y - 'A' + 'a');
    if(x != y)
      return false;
  }
  return true;
}

long mdk_str_index_long(struct mdk_str s, char c)
{
  const char *p = memchr(s.ptr, c, s.len);
  return p ? (long)(p - s.ptr) : -1;
}

size_t mdk_fmt_dec(char *out, uint64_t v, bool neg)
{
  /* the digits counted first and written in place from the right: no
   * scratch copy (four of these per finding in JSON) */
  size_t len = 1, i;
  uint64_t x;
  for(x = v; x >= 10; x /= 10)
    len++;
  if(neg)
    *out++ = '-';
  for(i = len; i-- > 0; v /= 10)
    out[i] = (char)('0' + v % 10);
  return len + (neg ? 1 : 0);
}

struct mdk_str mdk_str_dup(struct mdk_arena *a, struct mdk_str s)
{
  return mdk_str_make(mdk_arena_strndup(a, s.ptr, s.len), s.len);
}

struct mdk_str mdk_str_lower(struct mdk_arena *a, struct mdk_str s)
{
  char *p = mdk_arena_strndup(a, s.ptr, s.len);
  size_t i;
  for(i = 0; i < s.len; i++)
    if(p[i] >= 'A' && p[i] <= 'Z')
      p[i] = (char)(p[i] - 'A' + 'a');
  return mdk_str_make(p, s.len);
}

void mdk_buf_init(struct mdk_buf *b, size_t limit)
{
  b->ptr = NULL;
  b->len = b->cap = 0;
  b->limit = limit;
}

/* Each thread keeps a few freed buffers for its next ones: a lint run
 * makes and frees tens of thousands (a word, an instruction's line, a
 * file's output), and malloc, realloc as they grew and free were a
 * thirtieth of it.  The cache goes with its thread (a key's destructor). */
#if defined(__SANITIZE_ADDRESS__)
enum { CACHE_N = 8, CACHE_USED = 0, CACHE_MAX = 256 << 10 };  /* ASan sees
                                                              every free */
#else
enum { CACHE_N = 8, CACHE_USED = CACHE_N, CACHE_MAX = 256 << 10 };
#endif
struct buf_cache {
  int n;
  char *ptr[CACHE_N];
  size_t cap[CACHE_N];
};
static __thread struct buf_cache *cache;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static bool cache_keyed;
static __thread bool cache_keyed_off;  /* this thread is exiting */

/* The key's destructor, run by the exiting thread itself: a buffer freed
 * after it (by a later destructor) is simply freed. */
static void cache_free(void *p)
{
  struct buf_cache *c = p;
  while(c->n > 0) {
    c->n--;
    free(c->ptr[c->n]);
  }
  free(c);
  cache = NULL;
  cache_keyed_off = true;
}

static void cache_key_make(void)
{
  cache_keyed = pthread_key_create(&cache_key, cache_free) == 0;
}

static struct buf_cache *thread_cache(void)
{
  if(!cache) {
    if(cache_keyed_off)
      return NULL;
    pthread_once(&cache_once, cache_key_make);
    if(!cache_keyed || !(cache = calloc(1, sizeof(*cache))))
      return NULL;
    if(pthread_setspecific(cache_key, cache) != 0) {
      free(cache);
      cache = NULL;
    }
  }
  return cache;
}

void mdk_buf_free(struct mdk_buf *b)
{
  struct buf_cache *c;
  if(CACHE_USED > 0 && b->ptr && b->cap <= CACHE_MAX && (c = thread_cache()) &&
     c->n < CACHE_USED) {
    c->ptr[c->n] = b->ptr;
    c->cap[c->n++] = b->cap;
  } else
    free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

char *mdk_buf_reserve(struct mdk_buf *b, size_t n)
{
  size_t need = b->len + n + 1;   /* keep room for a NUL terminator */
  if(need < b->len || need > b->limit)
    return NULL;
  if(!b->ptr && cache && cache->n > 0 &&
     cache->cap[cache->n - 1] >= need &&
     cache->cap[cache->n - 1] <= b->limit) {
    cache->n--;
    b->ptr = cache->ptr[cache->n];
    b->cap = cache->cap[cache->n];
  }
  if(need > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 64;
    char *np;
    while(cap < need)
      cap *= 2;
    if(cap > b->limit)
      cap = b->limit;
    np = realloc(b->ptr, cap);
    if(!np)
      return NULL;
    b->ptr = np;
    b->cap = cap;
  }
  return b->ptr + b->len;
}

enum mdk_status mdk_buf_append_slow(struct mdk_buf *b, const void *p,
                                    size_t n)
{
  char *at = mdk_buf_reserve(b, n);
  if(!at)
    return b->len + n + 1 > b->limit || b->len + n + 1 < b->len
             ? MDK_ETOOBIG : MDK_ENOMEM;
  if(n)
    memcpy(at, p, n);
  mdk_buf_commit(b, n);
  return MDK_OK;
}

enum mdk_status mdk_buf_puts(struct mdk_buf *b, const char *s)
{
  return mdk_buf_append(b, s, strlen(s));
}

enum mdk_status mdk_buf_printf(struct mdk_buf *b, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  int n;
  enum mdk_status st;

  va_start(ap, fmt);
  n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  if(n < 0)
    return MDK_EIO;
  if((size_t)n < sizeof(small))
    return mdk_buf_append(b, small, (size_t)n);
  {
    char *big = malloc((size_t)n + 1);
    if(!big)
      return MDK_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    st = mdk_buf_append(b, big, (size_t)n);
    free(big);
  }
  return st;
}

void mdk_vec_grow(struct mdk_arena *a, struct mdk_vec *v)
{
  size_t ncap = v->cap ? v->cap * 2 : 2, newn = ncap * v->size;
  if(ncap < v->cap || newn / v->size != ncap)
    abort();                    /* overflow: no arena has this much */
  v->items = mdk_arena_realloc_raw(a, v->items, v->cap * v->size, newn);
  v->cap = ncap;
}

static size_t edit_distance(struct mdk_str a, const char *b)
{
  size_t n = strlen(b), i, j, prev[64], cur[64];
  if(a.len >= 63 || n >= 63)
    return SIZE_MAX;
  for(j = 0; j <= n; j++)
    prev[j] = j;
  for(i = 1; i <= a.len; i++) {
    cur[0] = i;
    for(j = 1; j <= n; j++) {
      char x = a.ptr[i - 1], y = b[j - 1];
      size_t cost = (x | 0x20) == (y | 0x20) ? 0 : 1, best = prev[j] + 1;
      if(cur[j - 1] + 1 < best)
        best = cur[j - 1] + 1;
      if(prev[j - 1] + cost < best)
        best = prev[j - 1] + cost;
      cur[j] = best;
    }
    memcpy(prev, cur, sizeof(size_t) * (n + 1));
  }
  return prev[n];
}

const char *mdk_str_suggest(struct mdk_str word, const char *const *cands,
                            size_t n)
{
  const char *best = NULL;
  size_t bd = SIZE_MAX, i, limit = word.len / 3 + 1;
  for(i = 0; i < n; i++) {
    size_t d = edit_distance(word, cands[i]);
    if(d < bd) {
      bd = d;
      best = cands[i];
    }
  }
  if(limit < 2)
    limit = 2;
  return bd <= limit ? best : NULL;
}
