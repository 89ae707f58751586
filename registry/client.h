/* client.h - the distribution API client (transport.c, pull.c, push.c,
 * client.c): Docker's reference normalisation, anonymous and bearer-token
 * auth from
 * WWW-Authenticate, manifests and indexes (OCI and Docker media types)
 * with linux/amd64 selected, every blob streamed into the store with its
 * digest checked as it arrives (a mismatch stores nothing), blobs the store
 * has skipped.  Plain HTTP for localhost and 127.0.0.1 (or
 * --insecure-registry). */
#ifndef MDK_BE_REGISTRY_H
#define MDK_BE_REGISTRY_H

#include "store/store.h"

struct mdk_be_ref {
  char host[256];               /* registry host[:port] */
  char repo[512];               /* library/busybox */
  char tag[128];                /* "" when pinned by digest only */
  char digest[MDK_DIGEST_LEN];  /* "" unless @sha256:... */
};

/* "busybox" -> registry-1.docker.io, library/busybox, latest. */
bool mdk_be_ref_parse(const char *s, struct mdk_be_ref *r, const char **why);

/* A WWW-Authenticate challenge: Basic, or Bearer with where to get a
 * token.  False for anything else (or a Bearer without a realm). */
struct mdk_be_challenge {
  bool basic;
  char realm[512], service[256], scope[600];
};
bool mdk_be_parse_challenge(const char *www, struct mdk_be_challenge *c);

struct mdk_be_pull_opts {
  const char *insecure_host;    /* plain HTTP for this host too, or NULL */
  FILE *progress;               /* NULL: quiet */
  const char *platform;         /* OS/ARCH[/VARIANT] picked from an index;
                                   NULL: linux/amd64 */
};

/* Pulls ref into the store and tags it (under its normalized name);
 * manifest: the digest of the (platform) manifest stored. */
enum mdk_status mdk_be_pull(struct mdk_be_store *s, const char *ref,
                            const struct mdk_be_pull_opts *o,
                            mdk_digest manifest, struct mdk_err *e);

struct mdk_be_push_report {
  size_t pushed, skipped;       /* blobs sent / blobs the registry had */
};

/* Pushes a stored image to dest ("host/repo:tag"): blobs the registry has
 * are skipped (HEAD), the rest uploaded (monolithic), the manifest last. */
struct mdk_be_image;
enum mdk_status mdk_be_push(struct mdk_be_store *s,
                            const struct mdk_be_image *im, const char *dest,
                            const struct mdk_be_pull_opts *o,
                            struct mdk_be_push_report *rep,
                            struct mdk_err *e);

/* Pushes a stored image index: each platform's image (by digest), then
 * the index as dest's tag. */
enum mdk_status mdk_be_push_index(struct mdk_be_store *s, const char *index,
                                  const struct mdk_be_image *ims, size_t n,
                                  const char *dest,
                                  const struct mdk_be_pull_opts *o,
                                  struct mdk_be_push_report *rep,
                                  struct mdk_err *e);

/* A client of one repository, for the shared cache and other artifacts. */
struct mdk_be_reg;
struct mdk_be_reg *mdk_be_reg_open(const char *ref, bool push,
                                   const struct mdk_be_pull_opts *o,
                                   struct mdk_err *e);
void mdk_be_reg_close(struct mdk_be_reg *r);
/* *sent: false when the registry had it */
enum mdk_status mdk_be_reg_push_blob(struct mdk_be_reg *r,
                                     struct mdk_be_store *s,
                                     const char *digest, bool *sent,
                                     struct mdk_err *e);
enum mdk_status mdk_be_reg_fetch_blob(struct mdk_be_reg *r,
                                      struct mdk_be_store *s,
                                      const char *digest,
                                      struct mdk_err *e);
/* the manifest of the reference's tag; *body malloc'd */
enum mdk_status mdk_be_reg_put_manifest(struct mdk_be_reg *r,
                                        const char *body, size_t n,
                                        const char *media_type,
                                        struct mdk_err *e);
enum mdk_status mdk_be_reg_get_manifest(struct mdk_be_reg *r, char **body,
                                        size_t *n, struct mdk_err *e);

#endif
