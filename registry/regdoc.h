/* regdoc.h - the documents a registry serves for an image, checked before
 * anything is fetched: an index (a manifest per platform) or an image
 * manifest (a config and layers, each a digest and a size).  A document
 * that is both, that names an invalid digest, a negative or absurd size,
 * or more layers than any image has, is refused with the reason. */
#ifndef MDK_BE_REGDOC_H
#define MDK_BE_REGDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* manifests, indexes and configs: at most MDK_BE_DOC_MAX (image.h) */
enum { MDK_BE_DOC_MAX_LAYERS = 1024 };   /* Docker's limit is 127 */
#define MDK_BE_DOC_MAX_BLOB ((uint64_t)1 << 42)   /* 4 TiB */

struct mdk_be_blobref {
  mdk_digest digest;
  uint64_t size;
};

struct mdk_be_doc {
  bool index;
  struct mdk_be_blobref pick;     /* index: the manifest for the platform */
  struct mdk_be_blobref config;   /* manifest */
  struct mdk_be_blobref *layers;  /* manifest; malloc'd */
  size_t nlayers;
  uint64_t total;                 /* config and layers, bytes */
};

/* Parses text (an index or a manifest); for an index, picks the manifest
 * for os/arch (and variant, unless NULL).  False with why filled when it
 * is refused. */
bool mdk_be_doc_parse(const char *text, size_t n, const char *os,
                      const char *arch, const char *variant,
                      struct mdk_be_doc *d, char *why, size_t whycap);
void mdk_be_doc_free(struct mdk_be_doc *d);

#endif
