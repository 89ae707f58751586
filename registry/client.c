/* client.c - the registry API for other users (the shared build cache):
 * a session on one reference. */
#include "registry/transport.h"

#include <ctype.h>
#include <curl/curl.h>

#include "registry/curl_dl.h"
#include <jansson.h>
#include <openssl/evp.h>

#include "base/crypto_dl.h"
#include "base/base.h"
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/creds.h"
#include "store/store.h"
#include "registry/meter.h"
#include "registry/regdoc.h"

/* --- a client for other users of the API (the shared cache) --- */

struct mdk_be_reg {
  struct client cl;
  struct mdk_be_ref ref;
};

struct mdk_be_reg *mdk_be_reg_open(const char *refstr, bool push,
                                   const struct mdk_be_pull_opts *o,
                                   struct mdk_err *e)
{
  struct mdk_be_reg *r = calloc(1, sizeof(*r));
  const char *why = NULL;
  if(!r) {
    mdk_fail(e, MDK_ENOMEM, "out of memory");
    return NULL;
  }
  if(!mdk_be_ref_parse(refstr, &r->ref, &why)) {
    mdk_fail(e, MDK_EINPUT, "invalid reference '%s': %s", refstr, why);
    free(r);
    return NULL;
  }
  r->cl.ref = &r->ref;
  r->cl.e = e;
  r->cl.push = push;
  snprintf(r->cl.base, sizeof(r->cl.base), "%s://%s",
           strncmp(r->ref.host, "localhost", 9) == 0 ||
           strncmp(r->ref.host, "127.0.0.1", 9) == 0 ||
           (o && o->insecure_host &&
            strcmp(o->insecure_host, r->ref.host) == 0) ? "http" : "https",
           r->ref.host);
  r->cl.c = curl_easy_init();
  r->cl.userpwd = mdk_be_creds_get(r->ref.host);
  if(!r->cl.c) {
    mdk_be_reg_close(r);
    mdk_fail(e, MDK_ENOMEM, "cannot start libcurl");
    return NULL;
  }
  return r;
}

void mdk_be_reg_close(struct mdk_be_reg *r)
{
  if(!r)
    return;
  if(r->cl.c)
    curl_easy_cleanup(r->cl.c);
  free(r->cl.token);
  free(r->cl.userpwd);
  free(r);
}

enum mdk_status mdk_be_reg_push_blob(struct mdk_be_reg *r,
                                     struct mdk_be_store *s,
                                     const char *digest, bool *sent,
                                     struct mdk_err *e)
{
  size_t skipped = 0;
  enum mdk_status st;
  r->cl.e = e;
  st = mdk_reg_push_blob(&r->cl, s, digest, &skipped);
  *sent = !st && !skipped;
  return st;
}

enum mdk_status mdk_be_reg_fetch_blob(struct mdk_be_reg *r,
                                      struct mdk_be_store *s,
                                      const char *digest,
                                      struct mdk_err *e)
{
  r->cl.e = e;
  return mdk_reg_fetch_blob(&r->cl, s, digest, UINT64_MAX);
}

enum mdk_status mdk_be_reg_put_manifest(struct mdk_be_reg *r,
                                        const char *body, size_t n,
                                        const char *media_type,
                                        struct mdk_err *e)
{
  char url[2400];
  long code;
  enum mdk_status st;
  r->cl.e = e;
  snprintf(url, sizeof(url), "%s/v2/%s/manifests/%s", r->cl.base,
           r->ref.repo, r->ref.tag[0] ? r->ref.tag : "latest");
  st = mdk_reg_req_mem(&r->cl, "PUT", url, body, n, media_type, &code);
  if(!st && code != 201 && code != 200)
    st = mdk_fail(e, MDK_EIO, "PUT %s: the registry answered %ld", url,
                     code);
  return st;
}

enum mdk_status mdk_be_reg_get_manifest(struct mdk_be_reg *r, char **body,
                                        size_t *n, struct mdk_err *e)
{
  struct membuf m = {NULL, 0, MDK_BE_DOC_MAX, false};
  struct hdrs h;
  enum mdk_status st;
  r->cl.e = e;
  st = mdk_reg_get_manifest(&r->cl, r->ref.digest[0] ? r->ref.digest : r->ref.tag,
                    &m, &h);
  if(st) {
    free(m.p);
    return st;
  }
  *body = m.p;
  *n = m.n;
  return MDK_OK;
}
