/* arena.h - bump allocator: everything of one parse/build lives in one arena
 * and is released with one call (QBE's pool, STYLE.md convention 4). */
#ifndef MDK_ARENA_H
#define MDK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct mdk_arena_block;

struct mdk_arena {
  struct mdk_arena_block *head;
  size_t used_total;     /* bytes handed out, for statistics */
};

void mdk_arena_init(struct mdk_arena *a);
void mdk_arena_fini(struct mdk_arena *a);
/* Zeroed memory; aborts the process on out-of-memory (a parse cannot
 * meaningfully continue without memory and every caller would do the same). */
void *mdk_arena_alloc(struct mdk_arena *a, size_t n);
/* The same, not zeroed: for memory the caller fills at once. */
void *mdk_arena_alloc_raw(struct mdk_arena *a, size_t n);
/* Grows old (the newest allocation grows in place); the new bytes are
 * zeroed. */
void *mdk_arena_realloc(struct mdk_arena *a, void *old, size_t oldn,
                        size_t newn);
/* The same, the new bytes not zeroed: for memory filled as it is used. */
void *mdk_arena_realloc_raw(struct mdk_arena *a, void *old, size_t oldn,
                            size_t newn);
char *mdk_arena_strndup(struct mdk_arena *a, const char *s, size_t n);
char *mdk_arena_printf(struct mdk_arena *a, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
char *mdk_arena_vprintf(struct mdk_arena *a, const char *fmt, va_list ap);

#define mdk_arena_new(a, T) ((T *)mdk_arena_alloc((a), sizeof(T)))
#define mdk_arena_array(a, T, n) ((T *)mdk_arena_alloc((a), sizeof(T) * (n)))

#endif
