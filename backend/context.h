/* context.h - the build context: files selected by COPY/ADD sources after
 * .dockerignore, and one content digest over them (path, type, mode,
 * content; never mtime or owner), with a stat cache so an unchanged context
 * is not read again. */
#ifndef MDK_BE_CONTEXT_H
#define MDK_BE_CONTEXT_H

#include <stdint.h>

#include "base/base.h"
#include "store/store.h"

struct mdk_be_context {
  struct mdk_arena *a;
  char *root;
  int rootfd;
  struct mdk_ignore ig;
  struct mdk_be_statcache sc;
  uint64_t files_hashed, files_cached, bytes_hashed;
};

/* Opens dir; the ignore file is DOCKERFILE.dockerignore beside the
 * Dockerfile when it exists, else dir/.dockerignore.  cache_dir NULL: no
 * stat cache on disk. */
enum mdk_status mdk_be_context_open(struct mdk_arena *a, const char *dir,
                                    const char *dockerfile,
                                    const char *cache_dir,
                                    struct mdk_be_context *ctx, int *err);
/* Digest of what srcs select ("sha256:<hex>" in *out).  Sources that match
 * nothing are listed in *missing (NULL-terminated, arena) and hashed as
 * such. */
enum mdk_status mdk_be_context_digest(struct mdk_be_context *ctx,
                                      const struct mdk_str *srcs, size_t n,
                                      struct mdk_str *out,
                                      const char ***missing,
                                      size_t *nfiles);
enum mdk_status mdk_be_context_close(struct mdk_be_context *ctx);

#endif
