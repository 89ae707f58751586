/* compress.h - layer compression on every core.
 *
 * gzip: the stream is cut into 1 MiB chunks, each compressed by libdeflate
 * on a worker thread into its own gzip member, and the members written in
 * order (RFC 1952 allows several; Go's, zlib's and libarchive's readers
 * read them as one stream).  The chunking never depends on the number of
 * threads, so the bytes are the same on every machine.
 * zstd: libzstd's own worker threads (always at least one worker, for the
 * same reason). */
#ifndef MDK_BE_COMPRESS_H
#define MDK_BE_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

enum mdk_be_compression { MDK_BE_COMP_GZIP, MDK_BE_COMP_ZSTD,
                          MDK_BE_COMP_NONE };

struct mdk_be_compress_opts {
  enum mdk_be_compression kind;
  int level;                    /* 0: the default (gzip 6, zstd 3) */
  int threads;                  /* 0: every online core */
};

/* "gzip", "gzip:9", "zstd", "zstd:19", "uncompressed"; false if invalid */
bool mdk_be_compression_parse(const char *s, struct mdk_be_compress_opts *o);
const char *mdk_be_layer_media_type(enum mdk_be_compression k);

/* Where compressed bytes go, in order, from the calling thread. */
typedef enum mdk_status (*mdk_be_sink_fn)(void *ctx, const void *p,
                                          size_t n);

struct mdk_be_compressor;
struct mdk_be_compressor *mdk_be_compressor_new(
  const struct mdk_be_compress_opts *o, mdk_be_sink_fn sink, void *ctx);
enum mdk_status mdk_be_compressor_write(struct mdk_be_compressor *c,
                                        const void *p, size_t n);
enum mdk_status mdk_be_compressor_finish(struct mdk_be_compressor *c);
void mdk_be_compressor_free(struct mdk_be_compressor *c);

#endif
