/* snapshot.h - layers unpacked once per store, by chain id, as overlay
 * lower directories. */
#ifndef MDK_BE_SNAPSHOT_H
#define MDK_BE_SNAPSHOT_H

#include "store/image.h"

/* chain id of a layer on top of parent ("" for the first layer) */
void mdk_be_chain_id(const char *parent, const char *diff_id, mdk_digest out);

/* The lower dirs of the image's first n layers, topmost first (arena,
 * NULL-terminated), unpacking the ones the store lacks. */
enum mdk_status mdk_be_snapshots(struct mdk_be_store *s, struct mdk_arena *a,
                                 const struct mdk_be_image *im, size_t n,
                                 const char ***dirs, struct mdk_err *e);

#endif
