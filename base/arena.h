/* arena.h - bump allocator: everything of one parse/build lives in one arena
 * and is released with one call (QBE's pool, STYLE.md convention 4). */
#ifndef MDK_ARENA_H
#define MDK_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct mdk_arena_block;

struct mdk_arena {
  struct mdk_arena_block *head;
  size_t used_total;     /* bytes handed out, for statistics */
  /* the free room of the block being filled (head), bumped inline: most
   * allocations are small and a call each was a tenth of a lint run */
  char *cur, *end;
};

void mdk_arena_init(struct mdk_arena *a);
void mdk_arena_fini(struct mdk_arena *a);
/* Allocations from MDK_ARENA_LARGE up get a block of their own. */
enum { MDK_ARENA_ALIGN = 16, MDK_ARENA_LARGE = 16 * 1024 };
void *mdk_arena_alloc_slow(struct mdk_arena *a, size_t n);

/* Not zeroed: for memory the caller fills at once.  Aborts the process on
 * out-of-memory (a parse cannot meaningfully continue without memory and
 * every caller would do the same). */
static inline void *mdk_arena_alloc_raw(struct mdk_arena *a, size_t n)
{
  size_t need = (n + MDK_ARENA_ALIGN - 1) & ~(size_t)(MDK_ARENA_ALIGN - 1);
  if(need >= n && need < MDK_ARENA_LARGE &&
     need <= (size_t)(a->end - a->cur)) {
    void *p = a->cur;
    a->cur += need;
    a->used_total += need;
    return p;
  }
  return mdk_arena_alloc_slow(a, n);
}

/* Zeroed memory. */
static inline void *mdk_arena_alloc(struct mdk_arena *a, size_t n)
{
  void *p = mdk_arena_alloc_raw(a, n);
  memset(p, 0, n);
  return p;
}
/* Grows old (the newest allocation grows in place); the new bytes are
 * zeroed. */
void *mdk_arena_realloc(struct mdk_arena *a, void *old, size_t oldn,
                        size_t newn);
/* The same, the new bytes not zeroed: for memory filled as it is used.
 * Small allocations, nearly all (a vector pushed one item at a time), are
 * handled inline: the newest grows in place when its block has room, any
 * other moves to a fresh slot by the inline bump; large ones (their own
 * blocks) and overflow take the general path. */
void *mdk_arena_realloc_raw_slow(struct mdk_arena *a, void *old, size_t oldn,
                                 size_t newn);
static inline void *mdk_arena_realloc_raw(struct mdk_arena *a, void *old,
                                          size_t oldn, size_t newn)
{
  size_t mask = MDK_ARENA_ALIGN - 1;
  size_t oldneed = (oldn + mask) & ~mask, newneed = (newn + mask) & ~mask;
  void *p;
  if(newn <= oldn)
    return old;
  if(newneed < newn || oldneed >= MDK_ARENA_LARGE ||
     newneed >= MDK_ARENA_LARGE)
    return mdk_arena_realloc_raw_slow(a, old, oldn, newn);
  if(old && (char *)old + oldneed == a->cur &&
     newneed - oldneed <= (size_t)(a->end - a->cur)) {
    a->cur += newneed - oldneed;
    a->used_total += newneed - oldneed;
    return old;
  }
  p = mdk_arena_alloc_raw(a, newn);
  if(oldn)
    memcpy(p, old, oldn);
  return p;
}
char *mdk_arena_strndup(struct mdk_arena *a, const char *s, size_t n);
char *mdk_arena_printf(struct mdk_arena *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
char *mdk_arena_vprintf(struct mdk_arena *a, const char *fmt, va_list ap);

#define mdk_arena_new(a, T) ((T *)mdk_arena_alloc((a), sizeof(T)))
#define mdk_arena_array(a, T, n) ((T *)mdk_arena_alloc((a), sizeof(T) * (n)))

#endif
