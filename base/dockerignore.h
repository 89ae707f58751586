/* dockerignore.h - .dockerignore as BuildKit reads it (moby/patternmatcher):
 * '#' comments, '!' exceptions, '**', a leading '/' cleaned away, and a
 * path excluded when it or any parent matches the last matching pattern. */
#ifndef MDK_DOCKERIGNORE_H
#define MDK_DOCKERIGNORE_H

#include <regex.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/str.h"

struct mdk_ignore_pat {
  struct mdk_str text;          /* cleaned pattern */
  bool exclusion;               /* "!pattern" */
  regex_t re;
  bool ok;                      /* compiled */
};

struct mdk_ignore {
  struct mdk_ignore_pat *pats;
  size_t n;
  bool has_exclusions;
};

/* Parses the file's text; never fails (an unusable pattern never matches,
 * as a Go regexp error would make it). */
void mdk_ignore_parse(struct mdk_arena *a, struct mdk_str text,
                         struct mdk_ignore *ig);
void mdk_ignore_free(struct mdk_ignore *ig);
/* path: relative to the context root, '/'-separated, no leading "./". */
bool mdk_ignore_match(const struct mdk_ignore *ig, const char *path);
/* True when no file under dir can be re-included by a '!' pattern, so the
 * walk can skip the directory. */
bool mdk_ignore_skip_dir(const struct mdk_ignore *ig, const char *dir);

#endif
