#include "base/arena.h"

#include "base/str.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mdk_arena_block {
  struct mdk_arena_block *next;
  size_t cap, used;
  max_align_t data[];
};

#if defined(__SANITIZE_ADDRESS__)
enum { BLOCK_MIN = 64 * 1024, POOL_MAX = 0 };  /* ASan sees every free */
#else
enum { BLOCK_MIN = 64 * 1024, POOL_MAX = 64 };
#endif
_Static_assert(MDK_ARENA_ALIGN >= _Alignof(max_align_t) &&
               MDK_ARENA_LARGE == BLOCK_MIN / 4, "arena.h's constants");

/* The head block's fill is a->cur while it is being bumped inline: written
 * back before anything reads b->used, and cur/end set again after. */
static void sync_head(struct mdk_arena *a)
{
  if(a->head && a->cur)
    a->head->used = (size_t)(a->cur - (char *)a->head->data);
}

static void set_room(struct mdk_arena *a)
{
  struct mdk_arena_block *b = a->head;
  a->cur = b ? (char *)b->data + b->used : NULL;
  a->end = b ? (char *)b->data + b->cap : NULL;
}

/* Freed standard-size blocks are kept (up to 4 MiB) for the next arena:
 * a lint run makes and frees one arena per file, and fresh memory costs a
 * page fault per page where a reused block costs nothing. */
static pthread_mutex_t pool_mu = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static struct mdk_arena_block *pool;
static int pool_n;

static struct mdk_arena_block *pool_take(void)
{
  struct mdk_arena_block *b;
  pthread_mutex_lock(&pool_mu);
  b = pool;
  if(b) {
    pool = b->next;
    pool_n--;
  }
  pthread_mutex_unlock(&pool_mu);
  return b;
}

/* Returns false when the pool is full and the caller frees b. */
static bool pool_put(struct mdk_arena_block *b)
{
  bool kept = false;
  pthread_mutex_lock(&pool_mu);
  if(pool_n < POOL_MAX) {
    b->next = pool;
    pool = b;
    pool_n++;
    kept = true;
  }
  pthread_mutex_unlock(&pool_mu);
  return kept;
}

void mdk_arena_init(struct mdk_arena *a)
{
  a->head = NULL;
  a->used_total = 0;
  a->cur = a->end = NULL;
}

void mdk_arena_fini(struct mdk_arena *a)
{
  struct mdk_arena_block *b = a->head;
  while(b) {
    struct mdk_arena_block *next = b->next;
    if(b->cap != BLOCK_MIN || !pool_put(b))
      free(b);
    b = next;
  }
  a->head = NULL;
  a->cur = a->end = NULL;
}

static void oom(void)
{
  fputs("mdock: fatal: out of memory\n", stderr);
  abort();
}

/* Allocations this big get a block of their own, linked behind the block
 * being filled (which keeps its room), and grow with realloc: a vector of
 * 100,000 items doubled inside the arena would leave every smaller copy
 * behind, about as much again as the vector itself. */
enum { LARGE = MDK_ARENA_LARGE };

static void *alloc_large(struct mdk_arena *a, size_t need)
{
  struct mdk_arena_block *b = malloc(sizeof(*b) + need);
  if(!b)
    oom();
  b->cap = need;
  b->used = need;
  if(a->head) {
    b->next = a->head->next;
    a->head->next = b;
  } else {
    b->next = NULL;
    a->head = b;
    set_room(a);                /* full: the next allocation takes a block */
  }
  a->used_total += need;
  return b->data;
}

void *mdk_arena_alloc_slow(struct mdk_arena *a, size_t n)
{
  struct mdk_arena_block *b = a->head;
  size_t align = MDK_ARENA_ALIGN;
  size_t need = (n + align - 1) & ~(align - 1);
  void *p;

  if(need < n)
    oom();
  if(need >= LARGE)
    return alloc_large(a, need);
  sync_head(a);
  if(!b || b->cap - b->used < need) {
    b = pool_take();
    if(!b)
      b = malloc(sizeof(*b) + BLOCK_MIN);
    if(!b)
      oom();
    b->cap = BLOCK_MIN;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  p = (char *)b->data + b->used;
  b->used += need;
  a->used_total += need;
  set_room(a);
  return p;
}


/* A large allocation grown in its own block: found by its address, and
 * realloc'd (moving it frees the old copy, which the arena never could). */
static void *grow_large(struct mdk_arena *a, void *old, size_t oldn,
                        size_t newneed, bool zero)
{
  struct mdk_arena_block **link = &a->head, *b, *nb;
  for(; (b = *link) != NULL; link = &b->next)
    if((void *)b->data == old)
      break;
  if(!b)
    return NULL;                /* not one of them: copied by the caller */
  nb = realloc(b, sizeof(*nb) + newneed);
  if(!nb)
    oom();
  a->used_total += newneed - nb->cap;
  nb->cap = newneed;
  nb->used = newneed;
  *link = nb;
  if(zero)
    memset((char *)nb->data + oldn, 0, newneed - oldn);
  return nb->data;
}

static void *grow(struct mdk_arena *a, void *old, size_t oldn, size_t newn,
                  bool zero)
{
  struct mdk_arena_block *b;
  size_t align = MDK_ARENA_ALIGN;
  size_t oldneed = (oldn + align - 1) & ~(align - 1);
  size_t newneed = (newn + align - 1) & ~(align - 1);
  void *p;
  if(newn <= oldn)
    return old;
  if(newneed < newn)
    oom();
  sync_head(a);
  if(old && oldneed >= LARGE &&
     (p = grow_large(a, old, oldn, newneed, zero)) != NULL) {
    set_room(a);                /* the head may be the block that moved */
    return p;
  }
  b = a->head;
  /* the newest allocation grows in place when its block has room: vectors
   * pushed one item at a time are the common case */
  if(old && b) {
    char *top = (char *)b->data + b->used;
    if((char *)old + oldneed == top && b->cap - b->used >= newneed - oldneed) {
      b->used += newneed - oldneed;
      a->used_total += newneed - oldneed;
      set_room(a);
      if(zero)
        memset((char *)old + oldn, 0, newn - oldn);
      return old;
    }
  }
  p = mdk_arena_alloc_raw(a, newn);
  if(old && oldn)
    memcpy(p, old, oldn);
  if(zero)
    memset((char *)p + oldn, 0, newn - oldn);
  return p;
}

void *mdk_arena_realloc(struct mdk_arena *a, void *old, size_t oldn,
                        size_t newn)
{
  return grow(a, old, oldn, newn, true);
}

void *mdk_arena_realloc_raw_slow(struct mdk_arena *a, void *old, size_t oldn,
                                 size_t newn)
{
  return grow(a, old, oldn, newn, false);
}

char *mdk_arena_strndup(struct mdk_arena *a, const char *s, size_t n)
{
  char *p = mdk_arena_alloc_raw(a, n + 1);
  if(n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

/* Appends v in decimal at out[*n] if it fits in cap. */
static bool put_dec(char *out, size_t cap, size_t *n, unsigned long long v,
                    bool neg)
{
  char tmp[24];
  size_t len = mdk_fmt_dec(tmp, v, neg);
  if(*n + len >= cap)
    return false;
  memcpy(out + *n, tmp, len);
  *n += len;
  return true;
}

/* The conversions messages use (%s %.*s %c %d %i %u %ld %lu %zu %%),
 * formatted into out without printf, which is most of the cost of a lint
 * finding.  Returns false, having consumed ap, on anything else or when
 * the text does not fit: the caller then uses vsnprintf. */
static bool quick_format(char *out, size_t cap, size_t *outn,
                         const char *fmt, va_list ap)
{
  size_t n = 0;
  const char *f;
  for(f = fmt; *f; f++) {
    const char *s;
    size_t len;
    long long v;
    if(*f != '%') {
      const char *pct = strchr(f, '%');
      len = pct ? (size_t)(pct - f) : strlen(f);
      if(n + len >= cap)
        return false;
      memcpy(out + n, f, len);
      n += len;
      f += len - 1;
      continue;
    }
    f++;
    if(f[0] == '.' && f[1] == '*' && f[2] == 's') {
      int prec = va_arg(ap, int);
      s = va_arg(ap, const char *);
      if(prec < 0 || !s)
        return false;
      len = strnlen(s, (size_t)prec);
      f += 2;
      if(n + len >= cap)
        return false;
      if(len)
        memcpy(out + n, s, len);
      n += len;
      continue;
    }
    switch(f[0]) {
    case 's':
      s = va_arg(ap, const char *);
      if(!s)
        return false;           /* printf's "(null)": let it say so */
      len = strlen(s);
      if(n + len >= cap)
        return false;
      memcpy(out + n, s, len);
      n += len;
      break;
    case 'c':
      if(n + 1 >= cap)
        return false;
      out[n++] = (char)va_arg(ap, int);
      break;
    case '%':
      if(n + 1 >= cap)
        return false;
      out[n++] = '%';
      break;
    case 'd': case 'i':
      v = va_arg(ap, int);
      if(!put_dec(out, cap, &n, v < 0 ? 0 - (unsigned long long)v
                                      : (unsigned long long)v, v < 0))
        return false;
      break;
    case 'u':
      if(!put_dec(out, cap, &n, va_arg(ap, unsigned), false))
        return false;
      break;
    case 'l':
      if(f[1] == 'u') {
        if(!put_dec(out, cap, &n, va_arg(ap, unsigned long), false))
          return false;
      } else if(f[1] == 'd' || f[1] == 'i') {
        v = va_arg(ap, long);
        if(!put_dec(out, cap, &n, v < 0 ? 0 - (unsigned long long)v
                                        : (unsigned long long)v, v < 0))
          return false;
      } else {
        return false;
      }
      f++;
      break;
    case 'z':
      if(f[1] != 'u')
        return false;
      if(!put_dec(out, cap, &n, va_arg(ap, size_t), false))
        return false;
      f++;
      break;
    default:
      return false;
    }
  }
  out[n] = '\0';
  *outn = n;
  return true;
}

char *mdk_arena_vprintf(struct mdk_arena *a, const char *fmt, va_list ap)
{
  char small[512], *p;
  va_list ap2;
  size_t qn;
  int n;

  va_copy(ap2, ap);
  if(quick_format(small, sizeof(small), &qn, fmt, ap2)) {
    va_end(ap2);
    return mdk_arena_strndup(a, small, qn);
  }
  va_end(ap2);
  /* one formatting pass for the common short message, two for long ones */
  va_copy(ap2, ap);
  n = vsnprintf(small, sizeof(small), fmt, ap2);
  va_end(ap2);
  if(n < 0)
    n = 0;
  if((size_t)n < sizeof(small))
    return mdk_arena_strndup(a, small, (size_t)n);
  p = mdk_arena_alloc_raw(a, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *mdk_arena_printf(struct mdk_arena *a, const char *fmt, ...)
{
  va_list ap;
  char *p;
  va_start(ap, fmt);
  p = mdk_arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}
