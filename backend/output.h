/* output.h - where a built or stored image goes:
 *
 *   type=oci,dest=DIR            OCI image layout
 *   type=oci-archive,dest=F      the layout as one tar
 *   type=docker-archive,dest=F   the layout plus manifest.json and
 *                                repositories: `docker load` reads it
 *   type=local,dest=DIR          the image's root filesystem
 *
 * (mdock import, the other way, is registry/import.c) */
#ifndef MDK_BE_OUTPUT_H
#define MDK_BE_OUTPUT_H

#include "store/store.h"

enum mdk_be_output_type { MDK_BE_OUT_OCI, MDK_BE_OUT_OCI_ARCHIVE,
                          MDK_BE_OUT_DOCKER_ARCHIVE, MDK_BE_OUT_LOCAL };

struct mdk_be_output {
  enum mdk_be_output_type type;
  const char *dest;
};

/* "type=oci,dest=DIR" (also "oci:DIR"-less forms are refused with a hint) */
bool mdk_be_output_parse(struct mdk_arena *a, const char *spec,
                         struct mdk_be_output *out, const char **why);

/* tag: the name recorded in the output (may be NULL); epoch: mtime of the
 * archive entries (reproducible archives), or -1 for 0. */
enum mdk_status mdk_be_export(struct mdk_be_store *s,
                              const struct mdk_be_image *im,
                              const struct mdk_be_output *out,
                              const char *tag, struct mdk_err *e);

/* An image index and its images (one per platform): oci and oci-archive
 * hold them all, index.json naming the index; docker-archive and local
 * take one platform and refuse several. */
enum mdk_status mdk_be_export_index(struct mdk_be_store *s,
                                    const char *index, uint64_t index_size,
                                    const struct mdk_be_image *ims, size_t n,
                                    const struct mdk_be_output *out,
                                    const char *tag, struct mdk_err *e);

#endif
