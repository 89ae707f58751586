/* image.h - OCI image documents (config, manifest, index) with jansson,
 * written canonically (sorted keys, compact) so equal images have equal
 * digests; Docker-only config fields (Healthcheck, Shell, OnBuild) are kept
 * the way Docker writes them. */
#ifndef MDK_BE_IMAGE_H
#define MDK_BE_IMAGE_H

#include "store/layer.h"
#include "store/cas.h"
#include "base/base.h"

#define MDK_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MDK_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MDK_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define MDK_MT_DOCKER_MANIFEST \
  "application/vnd.docker.distribution.manifest.v2+json"
#define MDK_MT_DOCKER_LIST \
  "application/vnd.docker.distribution.manifest.list.v2+json"
#define MDK_MT_DOCKER_CONFIG "application/vnd.docker.container.image.v1+json"

/* Manifests, indexes and configs are small: MDOCK_MAX_DOCUMENT bytes at
 * most (default 4 MiB). */
#define MDK_BE_DOC_MAX ((size_t)mdk_limit(MDK_LIMIT_DOCUMENT))

/* An image: its config document and its layers (json_t *, opaque here so
 * that only backend/ sees jansson). */
struct mdk_be_image {
  void *config;                 /* json_t object: the image config */
  void *layers;                 /* json_t array: layer descriptors */
  mdk_digest manifest;          /* when stored */
  mdk_digest config_digest;
  uint64_t manifest_size;
};

void mdk_be_image_init_scratch(struct mdk_be_image *im, const char *os,
                               const char *arch, const char *variant);
void mdk_be_image_copy(struct mdk_be_image *dst,
                       const struct mdk_be_image *src);
void mdk_be_image_free(struct mdk_be_image *im);

/* Appends a layer (and its diff id) and a history entry. */
void mdk_be_image_add_layer(struct mdk_be_image *im,
                            const struct mdk_be_layer_desc *d,
                            const char *created, const char *created_by);
void mdk_be_image_add_history(struct mdk_be_image *im, const char *created,
                              const char *created_by, bool empty_layer);

/* Writes config and manifest blobs; fills manifest digest and size. */
enum mdk_status mdk_be_image_store(struct mdk_be_store *s,
                                   struct mdk_be_image *im,
                                   struct mdk_err *e);
/* Loads an image from a manifest digest (verified); an index is followed to
 * the host's platform's manifest (mdk_be_image_load_for(NULL)). */
enum mdk_status mdk_be_image_load(struct mdk_be_store *s,
                                  const char *manifest_digest,
                                  struct mdk_be_image *im,
                                  struct mdk_err *e);
/* From an index, the manifest for plat: NULL is the host's platform, else
 * the index's first (inspect and history of any image), a platform asks
 * for exactly it (an error naming the platforms the index has). */
enum mdk_status mdk_be_image_load_for(struct mdk_be_store *s,
                                      const char *manifest_digest,
                                      const struct mdk_platform *plat,
                                      struct mdk_be_image *im,
                                      struct mdk_err *e);
/* name: a tag, "sha256:<manifest>", or a unique prefix of an image id. */
enum mdk_status mdk_be_image_resolve(struct mdk_be_store *s,
                                     struct mdk_arena *a, const char *name,
                                     struct mdk_be_image *im,
                                     struct mdk_err *e);
enum mdk_status mdk_be_image_resolve_for(struct mdk_be_store *s,
                                         struct mdk_arena *a,
                                         const char *name,
                                         const struct mdk_platform *plat,
                                         struct mdk_be_image *im,
                                         struct mdk_err *e);
/* An OCI image index of images of several platforms (each config says
 * its platform), stored; its digest and size. */
enum mdk_status mdk_be_index_store(struct mdk_be_store *s,
                                   const struct mdk_be_image *ims, size_t n,
                                   mdk_digest digest, uint64_t *size,
                                   struct mdk_err *e);
/* When digest is an index: each platform's image the store holds
 * (malloc'd array, *n of them); *n = 0 when it is one image. */
enum mdk_status mdk_be_index_images(struct mdk_be_store *s,
                                    const char *digest,
                                    struct mdk_be_image **ims, size_t *n,
                                    struct mdk_err *e);
void mdk_be_index_images_free(struct mdk_be_image *ims, size_t n);
/* the digest a tag or digest names before any platform is picked (an
 * index for a multi-platform image); false when it names none */
bool mdk_be_name_digest(struct mdk_be_store *s, struct mdk_arena *a,
                        const char *name, mdk_digest d);
/* The same digest (top) and, when it is an index, each platform's image
 * the store holds (as mdk_be_index_images; *n = 0 for one image or an
 * unreadable index) and the index document's size (index_size may be
 * NULL): what push and export of a multi-platform image start from.
 * False when name names nothing. */
bool mdk_be_name_platforms(struct mdk_be_store *s, struct mdk_arena *a,
                           const char *name, mdk_digest top,
                           struct mdk_be_image **ims, size_t *n,
                           uint64_t *index_size);
/* the platform an image's config says (os, architecture, variant);
 * false when it says none */
bool mdk_be_image_platform(const struct mdk_be_image *im,
                           struct mdk_platform *p);

size_t mdk_be_image_nlayers(const struct mdk_be_image *im);
/* layer i: digest, diff id, size and media type */
bool mdk_be_image_layer(const struct mdk_be_image *im, size_t i,
                        struct mdk_be_layer_desc *d);

/* Canonical JSON of any jansson value (malloc'd). */
char *mdk_be_json_canonical(const void *json);

/* Unpacks every layer of an image, in order, into dir; with the layers'
 * owners when keep_owners (and this process may give them). */
enum mdk_status mdk_be_image_unpack(struct mdk_be_store *s,
                                    const struct mdk_be_image *im,
                                    const char *dir, bool keep_owners,
                                    struct mdk_err *e);

/* What its layers hold unpacked, as docker counts an image's size (the
 * sum of mdk_be_layer_content_size). */
enum mdk_status mdk_be_image_content_size(struct mdk_be_store *s,
                                          const struct mdk_be_image *im,
                                          uint64_t *size, struct mdk_err *e);

/* The compressed size of its layers (what a pull moves). */
uint64_t mdk_be_image_size(const struct mdk_be_image *im);

#endif
