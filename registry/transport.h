/* transport.h - private to registry/: what pull, push and the API
 * client share (a session on one registry, requests, auth). */
#ifndef MDK_REG_TRANSPORT_H
#define MDK_REG_TRANSPORT_H

#include <curl/curl.h>

#include "registry/client.h"
#include "registry/meter.h"
#include "store/store.h"

extern const char mdk_reg_accept_hdr[];

struct client {
  CURL *c;
  const struct mdk_be_ref *ref;
  char base[400];               /* http(s)://host */
  char *token;                  /* bearer token, once asked for */
  char *userpwd;                /* "user:password" from the Docker config */
  bool basic;                   /* the registry asked for Basic auth */
  bool push;                    /* tokens with the push scope */
  struct mdk_err *e;
  struct mdk_be_meter *meter;   /* the transfer's live line, or NULL */
};

struct membuf {
  char *p;
  size_t n, max;
  bool too_big;
};

struct hdrs {
  char auth[1024];
  char ctype[256];
  char location[2048];
  char range[64];
};

/* A request's body: len bytes of fd from off, or mlen bytes of mem, or
 * none; with its Content-Type and, for an upload chunk, Content-Range. */
struct body {
  int fd;
  uint64_t off, len;
  const char *mem;
  size_t mlen;
  const char *ctype;
  const char *range;
};

#define NO_BODY ((struct body){-1, 0, 0, NULL, 0, NULL, NULL})

struct upload {
  int fd;
  uint64_t left, sent;
  struct mdk_be_meter *meter;
};

/* libcurl write and header callbacks: a bounded body, the headers a
 * request needs (ctx: struct membuf *, struct hdrs *) */
size_t mdk_reg_to_mem(char *d, size_t sz, size_t nm, void *ctx);
size_t mdk_reg_on_header(char *d, size_t sz, size_t nm, void *ctx);
/* the token service, for the challenge of a 401 */
enum mdk_status mdk_reg_get_token(struct client *cl, const char *www);
/* the Authorization header, when there are credentials or a token */
struct curl_slist *mdk_reg_add_auth(struct client *cl, struct curl_slist *hl);
/* GET path (a manifest or a small document) into m, retried */
enum mdk_status mdk_reg_http_get(struct client *cl, const char *path,
                                 bool manifest, struct membuf *mem,
                                 struct hdrs *h, long *code);
/* One request with a body (or none), retried when retry; its status in
 * *code, its headers in *h (when not NULL) */
enum mdk_status mdk_reg_req(struct client *cl, const char *method,
                            const char *url, const struct body *bd,
                            bool retry, long *code, struct hdrs *h);
enum mdk_status mdk_reg_req_mem(struct client *cl, const char *method,
                                const char *url, const char *mem, size_t n,
                                const char *ctype, long *code);
/* which repositories of a registry this store saw holding a blob */
void mdk_reg_remember(struct mdk_be_store *s, const struct mdk_be_ref *r,
                      const char *digest);
bool mdk_reg_known_in(struct mdk_be_store *s, const struct mdk_be_ref *r,
                      const char *digest, char *repo, size_t cap);

/* pull.c: one blob into the store (resumed, checked against digest and
 * size; UINT64_MAX: size unknown), and a manifest or index by tag or
 * digest */
enum mdk_status mdk_reg_fetch_blob(struct client *cl, struct mdk_be_store *s,
                                   const char *digest, uint64_t size);
enum mdk_status mdk_reg_get_manifest(struct client *cl, const char *ref,
                                     struct membuf *m, struct hdrs *h);
/* push.c: one blob to the registry, unless it has it (then *skipped) */
enum mdk_status mdk_reg_push_blob(struct client *cl, struct mdk_be_store *s,
                                  const char *digest, size_t *skipped);

#endif
