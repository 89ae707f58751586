/* gc.h - `mdock fsck` (re-hash every blob; check tags, images and cache
 * entries; report orphans and leftovers) and `mdock prune` (drop what no
 * tag or cache entry reaches, and what interrupted writes left in tmp/). */
#ifndef MDK_BE_GC_H
#define MDK_BE_GC_H

#include <stdio.h>

#include "store/cas.h"

struct mdk_be_fsck_report {
  size_t blobs, corrupt, tags, broken_tags, cache, stale_cache, orphans,
         leftovers;
};

/* Writes one line per problem to out; returns MDK_EINPUT when anything is
 * corrupt or missing (orphans and leftovers are not errors). */
enum mdk_status mdk_be_fsck(struct mdk_be_store *s, FILE *out,
                            struct mdk_be_fsck_report *r);

struct mdk_be_prune_report {
  size_t blobs, tmp, cache, snapshots;
  uint64_t bytes;
};
/* The store must be open with MDK_BE_LOCK_EXCLUSIVE.  all: drop the cache
 * index too. */
struct mdk_be_prune_opts {
  bool all;                     /* the cache index too */
  bool dry_run;                 /* remove nothing; count and list */
  FILE *list;                   /* NULL, or one line per thing removed */
};
enum mdk_status mdk_be_prune(struct mdk_be_store *s,
                             const struct mdk_be_prune_opts *o,
                             struct mdk_be_prune_report *r,
                             struct mdk_err *e);

#endif
