/* source.h - loaded input texts and byte offset -> line:col mapping (jq's
 * locfile).  A source may be made of named segments (the `--command` strings of
 * a dockerfile_commands list), so that a location names the command it is in. */
#ifndef MDK_SOURCE_H
#define MDK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/status.h"
#include "base/str.h"

struct mdk_source_seg {
  uint32_t start;        /* byte offset of the segment in the text */
  const char *name;      /* printed instead of the source name */
};

struct mdk_source {
  const char *name;      /* as given by the user: path, "-" is "<stdin>" */
  const char *data;      /* NUL-terminated; len excludes the NUL */
  size_t len;
  uint32_t *line_starts; /* offset of each physical line */
  size_t nlines;
  struct mdk_source_seg *segs;
  size_t nsegs;
};

struct mdk_pos {
  const char *name;      /* source or segment name */
  uint32_t line, col;    /* 1-based; col counts bytes */
  uint32_t line_start, line_end;   /* byte span of the physical line */
};

/* Wraps data (copied into the arena). */
struct mdk_source *mdk_source_new(struct mdk_arena *a, const char *name,
                                  const char *data, size_t len);
/* Reads a whole file ("-" = stdin) into the arena. */
enum mdk_status mdk_source_read(struct mdk_arena *a, const char *path,
                                size_t limit, struct mdk_source **out,
                                int *err);
/* The same, the file opened relative to dirfd (rel; path names it in
 * diagnostics): many files of one directory skip walking its path.
 * regular: the file is known to be a regular file (its directory's listing
 * said so), whose first short read is its end. */
enum mdk_status mdk_source_read_at(struct mdk_arena *a, int dirfd,
                                   const char *rel, const char *path,
                                   bool regular, size_t limit,
                                   struct mdk_source **out, int *err);
void mdk_source_add_segment(struct mdk_arena *a, struct mdk_source *src,
                            uint32_t start, const char *name);
struct mdk_pos mdk_source_pos(const struct mdk_source *src, uint32_t off);
/* The 0-based physical line holding off: the last line start <= off. */
size_t mdk_source_line_index(const struct mdk_source *src, uint32_t off);

#endif
