/* regcache.h - a registry as the shared cache of many builders:
 * --cache-to exports the cache entries of a build's ops (op key -> layer)
 * and their layers as an OCI artifact; --cache-from imports them into
 * another store, so its builds of the same input run no step.  Only blobs
 * the registry lacks are sent. */
#ifndef MDK_BE_REGCACHE_H
#define MDK_BE_REGCACHE_H

#include "registry/client.h"
#include "ir/ir.h"

#define MDK_MT_CACHE_CONFIG "application/vnd.mdock.cache.config.v1+json"

/* the entries of every graph (one per platform of a build): keys hold the
 * platform, so one cache serves every platform */
enum mdk_status mdk_be_cache_export(struct mdk_be_store *s,
                                    const struct mdk_ir_graph *const *gs,
                                    size_t ng, const char *ref,
                                    const struct mdk_be_pull_opts *o,
                                    size_t *nentries, struct mdk_err *e);
enum mdk_status mdk_be_cache_import(struct mdk_be_store *s, const char *ref,
                                    const struct mdk_be_pull_opts *o,
                                    size_t *nentries, struct mdk_err *e);

#endif
