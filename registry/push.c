/* push.c - mdock push: the blobs the registry lacks (mounted from
 * another repository when it has them, in chunks when large), then the
 * manifest. */
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

/* An upload Location made absolute, with "&digest=D" (or "?digest=D")
 * when digest is given. */
static void upload_url(const struct client *cl, const char *loc,
                       const char *digest, char *out, size_t cap)
{
  const char *base = loc[0] == '/' ? cl->base : "";
  if(digest)
    snprintf(out, cap, "%s%s%cdigest=%s", base, loc,
             strchr(loc, '?') ? '&' : '?', digest);
  else
    snprintf(out, cap, "%s%s", base, loc);
}

/* Blobs bigger than this go up in chunks of this size (PATCH with
 * Content-Range, then PUT): a failure costs a chunk, not the blob.  The
 * default is 64 MiB; MDOCK_UPLOAD_CHUNK (bytes) sets it, 0 is always one
 * request. */
static uint64_t chunk_size(void)
{
  const char *v = getenv("MDOCK_UPLOAD_CHUNK");
  char *end;
  unsigned long long n;
  if(!v || !*v)
    return 64u << 20;
  n = strtoull(v, &end, 10);
  return *end ? 64u << 20 : (uint64_t)n;
}

/* The upload in chunks from upload location loc (updated as the registry
 * answers).  A chunk that fails is not sent again blindly: the upload's
 * status (GET, Range: 0-LAST) says how much the registry has, and the
 * upload goes on from there. */
static enum mdk_status push_chunks(struct client *cl, int fd, uint64_t size,
                                   uint64_t chunk, char *loc, size_t loccap)
{
  uint64_t off = 0;
  int failures = 0;
  while(off < size) {
    uint64_t n = size - off < chunk ? size - off : chunk;
    char url[4800], range[64];
    struct body bd = {fd, off, n, NULL, 0, "application/octet-stream", range};
    struct hdrs h;
    long code = 0;
    enum mdk_status st;
    snprintf(range, sizeof(range), "%llu-%llu", (unsigned long long)off,
             (unsigned long long)(off + n - 1));
    upload_url(cl, loc, NULL, url, sizeof(url));
    st = mdk_reg_req(cl, "PATCH", url, &bd, false, &code, &h);
    if(!st && code == 202) {
      if(h.location[0])
        snprintf(loc, loccap, "%s", h.location);
      off += n;
      failures = 0;
      continue;
    }
    if(!st)
      return mdk_fail(cl->e, MDK_EIO, "PATCH %s: the registry answered "
                         "%ld", url, code);
    if(++failures > 3)
      return st;
    /* where the upload stands: 204 with Range 0-LAST */
    usleep((useconds_t)(200000u << (failures - 1)));
    bd = NO_BODY;
    st = mdk_reg_req(cl, "GET", url, &bd, true, &code, &h);
    if(st || code != 204)
      return st ? st : mdk_fail(cl->e, MDK_EIO, "GET %s (the upload's "
                                   "status): the registry answered %ld", url,
                                   code);
    if(h.location[0])
      snprintf(loc, loccap, "%s", h.location);
    {
      /* "0-0" says both "nothing yet" and "one byte": taken as nothing (a
       * registry holding a byte then refuses the chunk, never mixes it) */
      const char *dash = strchr(h.range, '-');
      uint64_t last = dash ? strtoull(dash + 1, NULL, 10) : 0;
      off = last ? last + 1 : 0;
      if(off > size)
        return mdk_fail(cl->e, MDK_EIO, "the registry claims %llu bytes "
                           "of a %llu-byte upload", (unsigned long long)off,
                           (unsigned long long)size);
    }
  }
  return MDK_OK;
}

enum mdk_status mdk_reg_push_blob(struct client *cl, struct mdk_be_store *s,
                                 const char *digest, size_t *skipped)
{
  char url[4800], loc[2048];
  long code;
  struct stat sb;
  struct hdrs h;
  struct body bd = NO_BODY;
  uint64_t chunk = chunk_size();
  enum mdk_status st;
  int fd;
  snprintf(url, sizeof(url), "%s/v2/%s/blobs/%s", cl->base, cl->ref->repo,
           digest);
  st = mdk_reg_req(cl, "HEAD", url, &bd, true, &code, &h);
  if(!st && code == 200) {
    (*skipped)++;
    mdk_be_meter_blob_done(cl->meter);
    return MDK_OK;            /* the registry has it */
  }
  {
    /* a blob another repository of this registry has: mounted, not sent
     * (201); a registry that will not mount answers 202 with an upload */
    char from[600];
    if(mdk_reg_known_in(s, cl->ref, digest, from, sizeof(from)))
      snprintf(url, sizeof(url), "%s/v2/%s/blobs/uploads/?mount=%s&from=%s",
               cl->base, cl->ref->repo, digest, from);
    else
      snprintf(url, sizeof(url), "%s/v2/%s/blobs/uploads/", cl->base,
               cl->ref->repo);
  }
  st = mdk_reg_req(cl, "POST", url, &bd, true, &code, &h);
  if(st)
    return st;
  if(code == 201) {
    (*skipped)++;
    mdk_be_meter_blob_done(cl->meter);
    mdk_reg_remember(s, cl->ref, digest);
    return MDK_OK;
  }
  if(code != 202 || !h.location[0])
    return mdk_fail(cl->e, MDK_EIO, "POST %s: the registry answered %ld "
                       "without an upload location", url, code);
  snprintf(loc, sizeof(loc), "%s", h.location);
  fd = mdk_be_blob_open(s, digest, cl->e);
  if(fd < 0)
    return MDK_EIO;
  fstat(fd, &sb);
  if(chunk && (uint64_t)sb.st_size > chunk) {
    /* in chunks, then a PUT with the digest and no body */
    st = push_chunks(cl, fd, (uint64_t)sb.st_size, chunk, loc, sizeof(loc));
    bd = NO_BODY;
  } else {
    /* monolithic: one PUT with the digest and the whole blob */
    bd = (struct body){fd, 0, (uint64_t)sb.st_size, NULL, 0,
                       "application/octet-stream", NULL};
  }
  if(!st) {
    upload_url(cl, loc, digest, url, sizeof(url));
    st = mdk_reg_req(cl, "PUT", url, &bd, true, &code, &h);
  }
  close(fd);
  if(!st && code != 201)
    st = mdk_fail(cl->e, MDK_EIO, "PUT of blob %s: the registry answered "
                     "%ld", digest, code);
  if(!st) {
    mdk_be_meter_log(cl->meter, "pushed %.19s (%.1f MB)\n", digest,
                     (double)sb.st_size / 1e6);
    mdk_be_meter_blob_done(cl->meter);
    mdk_reg_remember(s, cl->ref, digest);
  }
  return st;
}

/* PUT of a stored manifest or index (its own media type) as ref: a tag,
 * or its digest */
static enum mdk_status put_manifest(struct client *cl, struct mdk_be_store *s,
                                    const char *digest, const char *ref,
                                    struct mdk_err *e)
{
  struct mdk_arena a;
  enum mdk_status st;
  char *man, url[2400];
  size_t mlen;
  long code;
  mdk_arena_init(&a);
  st = mdk_be_blob_read(s, &a, digest, MDK_BE_DOC_MAX, &man, &mlen, e);
  if(!st) {
    json_error_t je;
    json_t *mj = json_loadb(man, mlen, 0, &je);
    const char *mt = json_string_value(json_object_get(mj, "mediaType"));
    snprintf(url, sizeof(url), "%s/v2/%s/manifests/%s", cl->base,
             cl->ref->repo, ref);
    st = mdk_reg_req_mem(cl, "PUT", url, man, mlen,
                         mt ? mt : MDK_MT_OCI_MANIFEST, &code);
    json_decref(mj);
    if(!st && code != 201 && code != 200)
      st = mdk_fail(e, MDK_EIO, "PUT of the manifest %s: the registry "
                       "answered %ld", ref, code);
  }
  mdk_arena_fini(&a);
  return st;
}

/* an image's blobs (those the registry lacks), its manifest as ref */
static enum mdk_status push_image(struct client *cl, struct mdk_be_store *s,
                                  const struct mdk_be_image *im,
                                  const char *ref,
                                  const struct mdk_be_pull_opts *o,
                                  size_t *pushed, size_t *skipped,
                                  struct mdk_err *e)
{
  struct mdk_be_meter meter;
  enum mdk_status st = MDK_OK;
  uint64_t total = 0;
  size_t i;
  /* blobs first, the manifest last: a registry never names a blob it
   * does not have */
  for(i = 0; i < mdk_be_image_nlayers(im); i++) {
    struct mdk_be_layer_desc d;
    mdk_be_image_layer(im, i, &d);
    total += d.size;
  }
  mdk_be_meter_init(&meter, o ? o->progress : NULL, "pushing", total,
                    (int)mdk_be_image_nlayers(im) + 1);
  cl->meter = &meter;
  for(i = 0; i < mdk_be_image_nlayers(im) && !st; i++) {
    struct mdk_be_layer_desc d;
    size_t before = *skipped;
    mdk_be_image_layer(im, i, &d);
    st = mdk_reg_push_blob(cl, s, d.digest, skipped);
    *pushed += !st && *skipped == before;
  }
  if(!st) {
    size_t before = *skipped;
    st = mdk_reg_push_blob(cl, s, im->config_digest, skipped);
    *pushed += !st && *skipped == before;
  }
  cl->meter = NULL;
  mdk_be_meter_end(&meter);
  return st ? st : put_manifest(cl, s, im->manifest, ref, e);
}

static bool open_client(struct client *cl, struct mdk_be_ref *ref,
                        const char *dest, const struct mdk_be_pull_opts *o,
                        struct mdk_err *e)
{
  const char *why = NULL;
  if(!mdk_be_ref_parse(dest, ref, &why)) {
    mdk_fail(e, MDK_EINPUT, "invalid reference '%s': %s", dest, why);
    return false;
  }
  memset(cl, 0, sizeof(*cl));
  cl->ref = ref;
  cl->e = e;
  cl->push = true;
  snprintf(cl->base, sizeof(cl->base), "%s://%s",
           strncmp(ref->host, "localhost", 9) == 0 ||
           strncmp(ref->host, "127.0.0.1", 9) == 0 ||
           (o && o->insecure_host && strcmp(o->insecure_host, ref->host) == 0)
             ? "http" : "https", ref->host);
  cl->c = curl_easy_init();
  if(!cl->c) {
    mdk_fail(e, MDK_ENOMEM, "cannot start libcurl");
    return false;
  }
  cl->userpwd = mdk_be_creds_get(ref->host);
  return true;
}

static void close_client(struct client *cl)
{
  free(cl->token);
  free(cl->userpwd);
  curl_easy_cleanup(cl->c);
}

enum mdk_status mdk_be_push(struct mdk_be_store *s,
                            const struct mdk_be_image *im, const char *dest,
                            const struct mdk_be_pull_opts *o,
                            struct mdk_be_push_report *rep,
                            struct mdk_err *e)
{
  struct mdk_be_ref ref;
  struct client cl;
  enum mdk_status st;
  memset(rep, 0, sizeof(*rep));
  if(!open_client(&cl, &ref, dest, o, e))
    return MDK_EINPUT;
  st = push_image(&cl, s, im, ref.digest[0] ? ref.digest : ref.tag, o,
                  &rep->pushed, &rep->skipped, e);
  close_client(&cl);
  return st;
}

enum mdk_status mdk_be_push_index(struct mdk_be_store *s, const char *index,
                                  const struct mdk_be_image *ims, size_t n,
                                  const char *dest,
                                  const struct mdk_be_pull_opts *o,
                                  struct mdk_be_push_report *rep,
                                  struct mdk_err *e)
{
  struct mdk_be_ref ref;
  struct client cl;
  enum mdk_status st = MDK_OK;
  size_t i;
  memset(rep, 0, sizeof(*rep));
  if(!open_client(&cl, &ref, dest, o, e))
    return MDK_EINPUT;
  /* every platform's image by its digest, then the index that names them
   * under the tag */
  for(i = 0; i < n && !st; i++)
    st = push_image(&cl, s, &ims[i], ims[i].manifest, o, &rep->pushed,
                    &rep->skipped, e);
  if(!st)
    st = put_manifest(&cl, s, index, ref.digest[0] ? ref.digest : ref.tag,
                      e);
  close_client(&cl);
  return st;
}
