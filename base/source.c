#include "base/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void index_lines(struct mdk_arena *a, struct mdk_source *s)
{
  size_t n = 1, i, k = 0;
  for(i = 0; i < s->len; i++)
    if(s->data[i] == '\n')
      n++;
  s->line_starts = mdk_arena_array(a, uint32_t, n);
  s->line_starts[k++] = 0;
  for(i = 0; i < s->len; i++)
    if(s->data[i] == '\n')
      s->line_starts[k++] = (uint32_t)(i + 1);
  s->nlines = n;
}

struct mdk_source *mdk_source_new(struct mdk_arena *a, const char *name,
                                  const char *data, size_t len)
{
  struct mdk_source *s = mdk_arena_new(a, struct mdk_source);
  s->name = mdk_arena_strndup(a, name, strlen(name));
  s->data = mdk_arena_strndup(a, data, len);
  s->len = len;
  index_lines(a, s);
  return s;
}

enum mdk_status mdk_source_read(struct mdk_arena *a, const char *path,
                                size_t limit, struct mdk_source **out,
                                int *err)
{
  FILE *f;
  struct mdk_buf b;
  char chunk[65536];
  size_t n;
  enum mdk_status st = MDK_OK;
  bool is_stdin = strcmp(path, "-") == 0;

  *err = 0;
  f = is_stdin ? stdin : fopen(path, "rb");
  if(!f) {
    *err = errno;
    return MDK_EIO;
  }
  mdk_buf_init(&b, limit);
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    st = mdk_buf_append(&b, chunk, n);
    if(st)
      break;
  }
  if(!st && ferror(f)) {
    *err = errno ? errno : EIO;
    st = MDK_EIO;
  }
  if(!is_stdin)
    fclose(f);
  if(!st)
    *out = mdk_source_new(a, is_stdin ? "<stdin>" : path, b.ptr ? b.ptr : "",
                          b.len);
  mdk_buf_free(&b);
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

struct mdk_pos mdk_source_pos(const struct mdk_source *src, uint32_t off)
{
  struct mdk_pos p;
  size_t lo = 0, hi = src->nlines, seg_line = 0, i;

  if(off > src->len)
    off = (uint32_t)src->len;
  while(hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if(src->line_starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
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
  if(src->nsegs) {
    size_t first = 0;
    lo = 0;
    hi = src->nlines;
    while(hi - lo > 1) {
      size_t mid = lo + (hi - lo) / 2;
      if(src->line_starts[mid] <= seg_line)
        lo = mid;
      else
        hi = mid;
    }
    first = lo;
    p.line = p.line - (uint32_t)first;
  }
  return p;
}
