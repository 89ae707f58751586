#include "base/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Room for n more line starts in the index being built. */
static uint32_t *line_room(struct mdk_arena *a, uint32_t *v, size_t k,
                           size_t n, size_t *cap)
{
  size_t ncap = *cap;
  if(k + n <= ncap)
    return v;
  while(ncap < k + n)
    ncap *= 2;
  v = mdk_arena_realloc_raw(a, v, *cap * sizeof(*v), ncap * sizeof(*v));
  *cap = ncap;
  return v;
}

/* One pass over the text: the array is sized for lines of 32 bytes and
 * grows (in place: it is the arena's newest allocation) for shorter ones.
 * With SSE2 (every x86-64) 64 bytes are compared at a time and the
 * newlines taken from the mask, so a branch mispredicts about once a
 * block, not once a line as memchr per 35-byte line did (or once a
 * 16-byte chunk); elsewhere memchr per line. */
static void index_lines(struct mdk_arena *a, struct mdk_source *s)
{
  const char *p = s->data, *end = s->data + s->len;
  size_t cap = s->len / 32 + 16, k = 0;
  uint32_t *v = mdk_arena_alloc_raw(a, cap * sizeof(*v));
  v[k++] = 0;
#ifdef __SSE2__
  {
    const __m128i nl = _mm_set1_epi8('\n');
    size_t i = 0;
    for(; i + 64 <= s->len; i += 64) {
      const __m128i *q = (const __m128i *)(const void *)(p + i);
      uint64_t m =
        (uint64_t)(unsigned)_mm_movemask_epi8(
          _mm_cmpeq_epi8(_mm_loadu_si128(q), nl)) |
        (uint64_t)(unsigned)_mm_movemask_epi8(
          _mm_cmpeq_epi8(_mm_loadu_si128(q + 1), nl)) << 16 |
        (uint64_t)(unsigned)_mm_movemask_epi8(
          _mm_cmpeq_epi8(_mm_loadu_si128(q + 2), nl)) << 32 |
        (uint64_t)(unsigned)_mm_movemask_epi8(
          _mm_cmpeq_epi8(_mm_loadu_si128(q + 3), nl)) << 48;
      v = line_room(a, v, k, 64, &cap);
      while(m) {
        v[k++] = (uint32_t)(i + (size_t)__builtin_ctzll(m) + 1);
        m &= m - 1;
      }
    }
    p += i;
  }
#endif
  while((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
    v = line_room(a, v, k, 1, &cap);
    v[k++] = (uint32_t)(++p - s->data);
  }
  s->line_starts = v;
  s->nlines = k;
}

/* Wraps text already in the arena, NUL-terminated at len. */
static struct mdk_source *adopt(struct mdk_arena *a, const char *name,
                                const char *data, size_t len)
{
  struct mdk_source *s = mdk_arena_new(a, struct mdk_source);
  s->name = mdk_arena_strndup(a, name, strlen(name));
  s->data = data;
  s->len = len;
  index_lines(a, s);
  return s;
}

struct mdk_source *mdk_source_new(struct mdk_arena *a, const char *name,
                                  const char *data, size_t len)
{
  return adopt(a, name, mdk_arena_strndup(a, data, len), len);
}

/* Reads fd to its end straight into the arena.  No fstat for a size: a
 * read that comes back with 0 ends the text, which a pipe or a /proc file
 * needs anyway, and most Dockerfiles fit the first 8 KiB (two reads, one
 * system call fewer than fstat and a read).  A regular file (known from a
 * directory listing) ends at the first short read: a third of the system
 * calls of linting a small file was the read that found the end. */
static enum mdk_status read_all(struct mdk_arena *a, int fd, size_t limit,
                                bool regular, char **out, size_t *outlen,
                                int *err)
{
  size_t cap = 8192, len = 0;
  char *buf = mdk_arena_alloc_raw(a, cap);
  for(;;) {
    ssize_t r;
    if(len + 1 >= cap) {
      size_t ncap = cap * 2;
      if(ncap > limit)
        ncap = limit;
      if(len + 1 >= ncap)
        return MDK_ETOOBIG;
      buf = mdk_arena_realloc_raw(a, buf, cap, ncap);
      cap = ncap;
    }
    r = read(fd, buf + len, cap - 1 - len);
    if(r < 0) {
      if(errno == EINTR)
        continue;
      *err = errno;
      return MDK_EIO;
    }
    if(r == 0)
      break;
    len += (size_t)r;
    if(regular && len + 1 < cap)
      break;
  }
  buf[len] = '\0';
  *out = buf;
  *outlen = len;
  return MDK_OK;
}

enum mdk_status mdk_source_read(struct mdk_arena *a, const char *path,
                                size_t limit, struct mdk_source **out,
                                int *err)
{
  return mdk_source_read_at(a, AT_FDCWD, path, path, false, limit, out, err);
}

enum mdk_status mdk_source_read_at(struct mdk_arena *a, int dirfd,
                                   const char *rel, const char *path,
                                   bool regular, size_t limit,
                                   struct mdk_source **out, int *err)
{
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? 0 : openat(dirfd, rel, O_RDONLY | O_CLOEXEC);
  enum mdk_status st;
  char *data;
  size_t len;

  *err = 0;
  if(fd < 0) {
    *err = errno;
    return MDK_EIO;
  }
  st = read_all(a, fd, limit, regular && !is_stdin, &data, &len, err);
  if(!is_stdin)
    close(fd);
  if(!st)
    *out = adopt(a, is_stdin ? "<stdin>" : path, data, len);
  return st;
}

void mdk_source_add_segment(struct mdk_arena *a, struct mdk_source *src,
                            uint32_t start, const char *name)
{
  struct mdk_source_seg *n = mdk_arena_array(a, struct mdk_source_seg,
                                             src->nsegs + 1);
  if(src->nsegs)
    memcpy(n, src->segs, src->nsegs * sizeof(*n));
  n[src->nsegs].start = start;
  n[src->nsegs].name = mdk_arena_strndup(a, name, strlen(name));
  src->segs = n;
  src->nsegs++;
}

size_t mdk_source_line_index(const struct mdk_source *src, uint32_t off)
{
  size_t lo = 0, hi = src->nlines;
  while(hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if(src->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

struct mdk_pos mdk_source_pos(const struct mdk_source *src, uint32_t off)
{
  struct mdk_pos p;
  size_t lo, seg_line = 0, i;

  if(off > src->len)
    off = (uint32_t)src->len;
  lo = mdk_source_line_index(src, off);
  p.name = src->name;
  p.line = (uint32_t)lo + 1;
  p.col = off - src->line_starts[lo] + 1;
  p.line_start = src->line_starts[lo];
  p.line_end = lo + 1 < src->nlines ? src->line_starts[lo + 1] - 1
                                    : (uint32_t)src->len;
  if(p.line_end > p.line_start && src->data[p.line_end - 1] == '\r')
    p.line_end--;
  /* Segments: lines count from the start of the segment holding off. */
  for(i = 0; i < src->nsegs; i++) {
    if(src->segs[i].start <= off) {
      p.name = src->segs[i].name;
      seg_line = src->segs[i].start;
    }
  }
  if(src->nsegs)
    p.line -= (uint32_t)mdk_source_line_index(src, (uint32_t)seg_line);
  return p;
}
