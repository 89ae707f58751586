/* str.h - byte string views and a growable byte buffer. */
#ifndef MDK_STR_H
#define MDK_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/status.h"

/* A view: not NUL-terminated in general; ptr may be NULL when len is 0. */
struct mdk_str {
  const char *ptr;
  size_t len;
};

#define MDK_STR_NULL ((struct mdk_str){NULL, 0})
#define MDK_STR_FMT(s) (int)(s).len, (s).ptr   /* printf("%.*s", ...) */

static inline struct mdk_str mdk_str_make(const char *p, size_t n)
{
  struct mdk_str s = {p, n};
  return s;
}
static inline struct mdk_str mdk_str_c(const char *p)
{
  return mdk_str_make(p, p ? strlen(p) : 0);
}
static inline bool mdk_str_eq(struct mdk_str a, struct mdk_str b)
{
  return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
/* b is mostly a literal (its strlen folds away); for one that is not, the
 * first byte settles most comparisons without a strlen */
static inline bool mdk_str_eq_c(struct mdk_str a, const char *b)
{
  if(!b || !*b)
    return !a.len;
  if(!a.len)
    return false;
  return a.ptr[0] == b[0] && mdk_str_eq(a, mdk_str_c(b));
}
bool mdk_str_eq_ci_slow(struct mdk_str a, const char *b, size_t n);
/* ASCII case-folded */
static inline bool mdk_str_eq_ci(struct mdk_str a, const char *b)
{
  size_t n = strlen(b);
  return a.len == n && mdk_str_eq_ci_slow(a, b, n);
}
static inline bool mdk_str_has_prefix(struct mdk_str s, const char *prefix)
{
  size_t n = strlen(prefix);
  return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}
/* A hex digit's value (either case), or -1. */
static inline int mdk_hex_value(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}
long mdk_str_index_long(struct mdk_str s, char c);
/* Index of the first byte c in s, or -1.  Most strings searched are words
 * of a few bytes: looked at in place, not through a call to memchr. */
static inline long mdk_str_index(struct mdk_str s, char c)
{
  size_t i;
  if(s.len > 16)
    return mdk_str_index_long(s, c);
  for(i = 0; i < s.len; i++)
    if(s.ptr[i] == c)
      return (long)i;
  return -1;
}
struct mdk_str mdk_str_dup(struct mdk_arena *a, struct mdk_str s);
/* v in decimal, '-' first when neg, written at out (24 bytes of room is
 * always enough); returns the length.  Hot writers use it, not printf. */
size_t mdk_fmt_dec(char *out, uint64_t v, bool neg);
struct mdk_str mdk_str_lower(struct mdk_arena *a, struct mdk_str s);

/* Growable heap buffer with a hard upper limit (curl's dynbuf `toobig`). */
struct mdk_buf {
  char *ptr;
  size_t len, cap, limit;
};

void mdk_buf_init(struct mdk_buf *b, size_t limit);
void mdk_buf_free(struct mdk_buf *b);
/* Room for n more bytes (and the NUL): where to write them, or NULL past
 * the limit or out of memory; mdk_buf_commit then counts what was
 * written.  For writers that format straight into the buffer. */
char *mdk_buf_reserve(struct mdk_buf *b, size_t n);
static inline void mdk_buf_commit(struct mdk_buf *b, size_t n)
{
  b->len += n;
  b->ptr[b->len] = '\0';
}
enum mdk_status mdk_buf_append_slow(struct mdk_buf *b, const void *p,
                                    size_t n);
/* the common case (room left) stays inline; cap never exceeds limit */
static inline enum mdk_status mdk_buf_append(struct mdk_buf *b, const void *p,
                                             size_t n)
{
  if(n < b->cap - b->len) {
    if(n)                       /* p may be NULL when n is 0 */
      memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return MDK_OK;
  }
  return mdk_buf_append_slow(b, p, n);
}
/* one byte: the common case (room left) stays inline */
static inline enum mdk_status mdk_buf_putc(struct mdk_buf *b, char c)
{
  if(b->len + 2 <= b->cap) {
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
    return MDK_OK;
  }
  return mdk_buf_append(b, &c, 1);
}
enum mdk_status mdk_buf_puts(struct mdk_buf *b, const char *s);
enum mdk_status mdk_buf_printf(struct mdk_buf *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
static inline struct mdk_str mdk_buf_str(const struct mdk_buf *b)
{
  return mdk_str_make(b->ptr, b->len);
}
static inline void mdk_buf_reset(struct mdk_buf *b)
{
  b->len = 0;
}

/* Arena-backed growable array of fixed-size items. */
struct mdk_vec {
  void *items;
  size_t len, cap, size;
};
void mdk_vec_grow(struct mdk_arena *a, struct mdk_vec *v);
/* Room for one more item at the end, counted: the caller writes it. */
static inline void *mdk_vec_slot(struct mdk_arena *a, struct mdk_vec *v)
{
  if(v->len == v->cap)
    mdk_vec_grow(a, v);
  return (char *)v->items + v->len++ * v->size;
}
/* Copies *item in; n is sizeof(*item), a constant at every call, so the
 * copy is inlined instead of a call to memcpy, and checked against the
 * vector's item size (a pointer to the wrong type aborts). */
static inline void mdk_vec_push_sized(struct mdk_arena *a, struct mdk_vec *v,
                                      const void *item, size_t n)
{
  if(n != v->size)
    abort();
  memcpy(mdk_vec_slot(a, v), item, n);
}
#define mdk_vec_push(a, v, item) \
  mdk_vec_push_sized((a), (v), (item), sizeof(*(item)))
/* The same for a vector of T: the copy is an assignment the compiler
 * inlines (a memcpy of a run-time size is a call). */
#define mdk_vec_push_as(a, v, T, item) \
  (*(T *)mdk_vec_slot((a), (v)) = (item))
#define MDK_VEC_INIT(T) ((struct mdk_vec){NULL, 0, 0, sizeof(T)})
#define mdk_vec_at(v, T, i) (&((T *)(v)->items)[i])

/* qsort, but fine with an empty (possibly NULL) array: C leaves
 * qsort(NULL, 0, ...) undefined and UBSan reports it. */
static inline void mdk_sort(void *base, size_t n, size_t size,
                            int (*cmp)(const void *, const void *))
{
  if(n > 1)
    qsort(base, n, size, cmp);
}

/* The candidate closest to word (edit distance, ASCII case ignored), when
 * it is close enough to be a typo of it; NULL otherwise.  For "did you
 * mean". */
const char *mdk_str_suggest(struct mdk_str word, const char *const *cands,
                            size_t n);

#endif
