/* statcache.h - content digests of context files keyed by what stat(2)
 * says (git's index idea): an unchanged context is never read twice.
 * Entries touched within the racy window of the last save are re-hashed. */
#ifndef MDK_BE_STATCACHE_H
#define MDK_BE_STATCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "base/base.h"

struct mdk_be_statent;

struct mdk_be_statcache {
  char *file;                 /* where it is saved; NULL = memory only */
  struct mdk_be_statent *tab; /* open addressing on the path hash */
  size_t n, cap;
  int64_t saved_ns;           /* when the loaded cache was written */
  char *buf;                  /* the loaded file: paths point into it */
  bool dirty;
};

/* Loads file if it exists (a corrupt or foreign file is ignored). */
void mdk_be_statcache_load(struct mdk_be_statcache *c, const char *file);
/* The cached digest when path's stat still matches, else false. */
bool mdk_be_statcache_get(const struct mdk_be_statcache *c, const char *path,
                          const struct stat *st, uint8_t digest[32]);
void mdk_be_statcache_put(struct mdk_be_statcache *c, const char *path,
                          const struct stat *st, const uint8_t digest[32]);
/* Writes the cache atomically when it changed; frees it. */
enum mdk_status mdk_be_statcache_close(struct mdk_be_statcache *c);

#endif
