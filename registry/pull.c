/* pull.c - mdock pull: manifests and indexes resolved to one image,
 * every blob (four at a time) streamed into the store, checked, resumed. */
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

/* One blob download: the writer, and what the current response is.  A
 * dropped or stalled transfer resumes with a Range request from the bytes
 * already written (they are hashed already); a server that answers the
 * range with the whole blob (200) or another range starts it again. */
struct download {
  struct mdk_be_blobw w;
  struct mdk_be_store *s;
  struct mdk_err *e;
  uint64_t from;                /* the range asked for starts here */
  long status;                  /* of the response being received */
  uint64_t range_start;         /* its Content-Range start, or UINT64_MAX */
  bool checked;                 /* its first body bytes were looked at */
  bool bad_range;
  bool too_long;                /* more bytes than the manifest says */
  uint64_t size;                /* what the manifest says, or UINT64_MAX */
  struct mdk_be_meter *meter;
};

static size_t dl_header(char *d, size_t sz, size_t nm, void *ctx)
{
  struct download *dl = ctx;
  size_t n = sz * nm;
  if(n > 5 && strncmp(d, "HTTP/", 5) == 0) {
    const char *sp = memchr(d, ' ', n);
    dl->status = sp ? strtol(sp + 1, NULL, 10) : 0;
    dl->range_start = UINT64_MAX;
    dl->checked = false;
  } else if(n > 20 && strncasecmp(d, "Content-Range: bytes ", 21) == 0) {
    dl->range_start = strtoull(d + 21, NULL, 10);
  }
  return n;
}

static size_t dl_body(char *d, size_t sz, size_t nm, void *ctx)
{
  struct download *dl = ctx;
  if(!dl->checked && dl->status >= 200 && dl->status < 300) {
    dl->checked = true;
    if(dl->from && !(dl->status == 206 && dl->range_start == dl->from)) {
      /* not the rest we asked for: start the blob again */
      mdk_be_meter_add(dl->meter, -(int64_t)dl->w.size);
      mdk_be_blobw_abort(&dl->w);
      if(mdk_be_blobw_begin(dl->s, &dl->w, dl->e))
        return 0;
      dl->from = 0;
      if(dl->status == 206) {   /* some other range: useless */
        dl->bad_range = true;
        return 0;
      }
    }
  }
  if(dl->w.size + sz * nm > dl->size) {
    dl->too_long = true;        /* an endless blob never fills the disk */
    return 0;
  }
  if(mdk_be_blobw_write(&dl->w, d, sz * nm, NULL))
    return 0;
  mdk_be_meter_add(dl->meter, (int64_t)(sz * nm));
  return sz * nm;
}

/* A blob into the store, verified against its digest as it arrives (the
 * token came with the manifest).  Retried after a 5xx, a reset or a stall,
 * resuming where it stopped; three attempts in a row without a byte of
 * progress give up. */
enum mdk_status mdk_reg_fetch_blob(struct client *cl, struct mdk_be_store *s,
                                  const char *digest, uint64_t size)
{
  struct download dl;
  char url[2048];
  mdk_digest got;
  enum mdk_status st;
  int idle = 0;
  if(mdk_be_blob_exists(s, digest)) {
    mdk_be_meter_blob_done(cl->meter);
    return MDK_OK;
  }
  snprintf(url, sizeof(url), "%s/v2/%s/blobs/%s", cl->base, cl->ref->repo,
           digest);
  memset(&dl, 0, sizeof(dl));
  dl.s = s;
  dl.e = cl->e;
  dl.meter = cl->meter;
  dl.size = size;
  if((st = mdk_be_blobw_begin(s, &dl.w, cl->e)))
    return st;
  for(;;) {
    struct curl_slist *hl = NULL;
    CURLcode rc;
    long code = 0;
    uint64_t before = dl.w.size;
    char range[48];
    curl_easy_reset(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_URL, url);
    curl_easy_setopt(cl->c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(cl->c, CURLOPT_FAILONERROR, 1L);
    mdk_be_net_limits(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_HEADERFUNCTION, dl_header);
    curl_easy_setopt(cl->c, CURLOPT_HEADERDATA, &dl);
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, dl_body);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, &dl);
    dl.from = dl.w.size;
    dl.bad_range = false;
    if(dl.from) {
      snprintf(range, sizeof(range), "%llu-", (unsigned long long)dl.from);
      curl_easy_setopt(cl->c, CURLOPT_RANGE, range);
    }
    if((hl = mdk_reg_add_auth(cl, hl)))
      curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, hl);
    rc = curl_easy_perform(cl->c);
    curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(hl);
    if(rc == CURLE_OK)
      break;
    if(dl.too_long) {
      mdk_be_meter_add(cl->meter, -(int64_t)dl.w.size);
      mdk_be_blobw_abort(&dl.w);
      return mdk_fail(cl->e, MDK_EINPUT, "blob %.19s: the registry sent "
                         "more than the %llu bytes the manifest gives it: "
                         "refused", digest, (unsigned long long)dl.size);
    }
    if(dl.w.failed || dl.w.fd < 0) {    /* the store, not the network */
      mdk_be_blobw_abort(&dl.w);
      return mdk_fail(cl->e, MDK_EIO, "cannot write blob %s to the "
                         "store %s", digest, s->root);
    }
    /* a 5xx, a dropped connection or a stall: again, after a pause, from
     * where it stopped */
    idle = dl.w.size > before ? 0 : idle + 1;
    if(idle < 3 && (code >= 500 || code == 0 || code == 206 ||
                    dl.bad_range || rc == CURLE_PARTIAL_FILE ||
                    rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
                    rc == CURLE_GOT_NOTHING)) {
      mdk_be_meter_log(cl->meter, "retrying %.19s after %.1f MB: %s\n",
                       digest, (double)dl.w.size / 1e6,
                       code >= 500 ? "the registry answered 5xx"
                                   : curl_easy_strerror(rc));
      usleep((useconds_t)(200000u << idle));
      continue;
    }
    mdk_be_meter_add(cl->meter, -(int64_t)dl.w.size);
    mdk_be_blobw_abort(&dl.w);
    return mdk_fail(cl->e, MDK_EIO, "GET %s: %s", url,
                       code >= 400 ? "the registry refused it"
                                   : curl_easy_strerror(rc));
  }
  mdk_be_meter_log(cl->meter, "pulled %.19s (%.1f MB)\n", digest,
                   (double)dl.w.size / 1e6);
  mdk_be_meter_blob_done(cl->meter);
  /* a blob that is not what its digest says is never stored */
  st = mdk_be_blobw_commit(&dl.w, digest, got, NULL, cl->e);
  if(!st)
    mdk_reg_remember(s, cl->ref, digest);
  return st;
}

/* The blobs of an image, several at a time: each worker has a client of
 * its own (curl handles are not shared), with the same token. */
struct fetch_job {
  struct client cl;
  struct mdk_be_store *s;
  const struct mdk_be_blobref *blobs;
  size_t n;
  size_t *next;
  pthread_mutex_t *mu;
  enum mdk_status st;
  struct mdk_err e;
};

static void *fetch_worker(void *p)
{
  struct fetch_job *j = p;
  for(;;) {
    size_t i;
    pthread_mutex_lock(j->mu);
    i = (*j->next)++;
    pthread_mutex_unlock(j->mu);
    if(i >= j->n || j->st)
      break;
    j->st = mdk_reg_fetch_blob(&j->cl, j->s, j->blobs[i].digest, j->blobs[i].size);
  }
  return NULL;
}

static enum mdk_status fetch_all(struct client *cl, struct mdk_be_store *s,
                                 const struct mdk_be_blobref *blobs, size_t n,
                                 struct mdk_err *e)
{
  enum { WORKERS = 4 };
  struct fetch_job jobs[WORKERS];
  pthread_t tid[WORKERS];
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  size_t next = 0, k, nw = n < WORKERS ? n : WORKERS;
  enum mdk_status st = MDK_OK;
  bool started[WORKERS] = {false};
  if(nw <= 1) {
    for(k = 0; k < n && !st; k++)
      st = mdk_reg_fetch_blob(cl, s, blobs[k].digest, blobs[k].size);
    return st;
  }
  for(k = 0; k < nw; k++) {
    memset(&jobs[k], 0, sizeof(jobs[k]));
    jobs[k].cl = *cl;
    jobs[k].cl.c = curl_easy_init();
    jobs[k].cl.token = cl->token ? strdup(cl->token) : NULL;
    jobs[k].cl.userpwd = cl->userpwd ? strdup(cl->userpwd) : NULL;
    jobs[k].cl.e = &jobs[k].e;
    jobs[k].s = s;
    jobs[k].blobs = blobs;
    jobs[k].n = n;
    jobs[k].next = &next;
    jobs[k].mu = &mu;
    if(jobs[k].cl.c &&
       pthread_create(&tid[k], NULL, fetch_worker, &jobs[k]) == 0)
      started[k] = true;
  }
  for(k = 0; k < nw; k++) {
    if(started[k])
      pthread_join(tid[k], NULL);
    if(jobs[k].st && !st) {
      st = jobs[k].st;
      *e = jobs[k].e;
    }
    if(jobs[k].cl.c)
      curl_easy_cleanup(jobs[k].cl.c);
    free(jobs[k].cl.token);
    free(jobs[k].cl.userpwd);
  }
  /* a worker that could not start leaves its share to the others; none at
   * all: the calling thread does it */
  for(k = 0; k < nw && started[k]; k++)
    ;
  if(!st && k == 0)
    for(k = 0; k < n && !st; k++)
      st = mdk_reg_fetch_blob(cl, s, blobs[k].digest, blobs[k].size);
  return st;
}

enum mdk_status mdk_reg_get_manifest(struct client *cl, const char *ref,
                                    struct membuf *m, struct hdrs *h)
{
  char path[800];
  long code;
  enum mdk_status st;
  snprintf(path, sizeof(path), "/v2/%s/manifests/%s", cl->ref->repo, ref);
  st = mdk_reg_http_get(cl, path, true, m, h, &code);
  if(st)
    return st;
  if(code == 404)
    return mdk_fail(cl->e, MDK_EINPUT, "%s/%s:%s: not found in the "
                       "registry (check the name and tag)", cl->ref->host,
                       cl->ref->repo, ref);
  if(code != 200)
    return mdk_fail(cl->e, MDK_EIO, "manifest %s of %s/%s: the registry "
                       "answered %ld", ref, cl->ref->host, cl->ref->repo,
                       code);
  return MDK_OK;
}

/* "os/arch[/variant]" into its parts (in buf) */
static bool split_platform(const char *p, char buf[128], const char *out[3])
{
  char *a, *v;
  out[0] = "linux";
  out[1] = "amd64";
  out[2] = NULL;
  if(!p)
    return true;
  if(strlen(p) >= 128)
    return false;
  strcpy(buf, p);
  a = strchr(buf, '/');
  if(!a || a == buf || !a[1])
    return false;
  *a++ = '\0';
  v = strchr(a, '/');
  if(v) {
    *v++ = '\0';
    if(!*v || strchr(v, '/'))
      return false;
  }
  out[0] = buf;
  out[1] = a;
  out[2] = v;
  return true;
}

enum mdk_status mdk_be_pull(struct mdk_be_store *s, const char *refstr,
                            const struct mdk_be_pull_opts *o,
                            mdk_digest manifest, struct mdk_err *e)
{
  struct mdk_be_ref ref;
  struct client cl;
  struct membuf m = {NULL, 0, MDK_BE_DOC_MAX, false};
  struct hdrs h;
  const char *why = NULL;
  enum mdk_status st;
  mdk_digest d, want, top = "";
  struct mdk_be_doc doc;
  char why_buf[300];
  uint64_t want_size = 0;
  char pbuf[128];
  const char *plat[3];
  bool plain;
  size_t i;
  int depth;
  memset(&doc, 0, sizeof(doc));
  if(!split_platform(o && o->platform ? o->platform
                                      : mdk_platform_host_str(), pbuf, plat))
    return mdk_fail(e, MDK_EUSAGE, "invalid platform '%s': write "
                       "OS/ARCH or OS/ARCH/VARIANT, e.g. linux/arm64",
                       o->platform);
  if(!mdk_be_ref_parse(refstr, &ref, &why))
    return mdk_fail(e, MDK_EINPUT, "invalid reference '%s': %s", refstr,
                       why);
  plain = strncmp(ref.host, "localhost", 9) == 0 ||
          strncmp(ref.host, "127.0.0.1", 9) == 0 ||
          (o && o->insecure_host && strcmp(o->insecure_host, ref.host) == 0);
  memset(&cl, 0, sizeof(cl));
  cl.ref = &ref;
  cl.e = e;
  snprintf(cl.base, sizeof(cl.base), "%s://%s", plain ? "http" : "https",
           ref.host);
  cl.c = curl_easy_init();
  if(!cl.c)
    return mdk_fail(e, MDK_ENOMEM, "cannot start libcurl");
  cl.userpwd = mdk_be_creds_get(ref.host);
  st = mdk_reg_get_manifest(&cl, ref.digest[0] ? ref.digest : ref.tag, &m, &h);
  /* want: the digest the document must have (a pin, or the index's entry
   * for the platform); a tag names no digest */
  snprintf(want, sizeof(want), "%s", ref.digest);
  for(depth = 0; !st; depth++) {
    struct mdk_sha256 hs;
    uint8_t raw[32];
    mdk_sha256_init(&hs);
    mdk_sha256_update(&hs, m.p, m.n);
    mdk_sha256_final(&hs, raw);
    mdk_digest_from_raw(raw, d);
    if(want[0] && (strcmp(d, want) != 0 || (want_size && m.n != want_size))) {
      st = mdk_fail(e, MDK_EINPUT, "the registry sent %s for %s: "
                       "refused", d, want);
      break;
    }
    mdk_be_doc_free(&doc);
    if(!mdk_be_doc_parse(m.p, m.n, plat[0], plat[1], plat[2], &doc, why_buf,
                         sizeof(why_buf))) {
      st = mdk_fail(e, MDK_EINPUT, "the manifest %.19s of %s: %s", d,
                       refstr, why_buf);
      break;
    }
    /* the index itself is stored too (the image's digest is the index's):
     * the tag names it, so each platform pulled is found under it */
    if((st = mdk_be_blob_put(s, m.p, m.n, d, e)))
      break;
    if(!top[0])
      memcpy(top, d, sizeof(mdk_digest));
    if(!doc.index)
      break;
    if(depth == 2) {
      st = mdk_fail(e, MDK_EINPUT, "%s: an index of an index of an "
                       "index: refused", refstr);
      break;
    }
    snprintf(want, sizeof(want), "%s", doc.pick.digest);
    want_size = doc.pick.size;
    st = mdk_reg_get_manifest(&cl, want, &m, &h);
  }
  if(!st) {
    /* a platform manifest: its config and layers, their sizes enforced as
     * they arrive */
    struct mdk_be_meter meter;
    struct mdk_be_blobref *blobs = calloc(doc.nlayers + 1, sizeof(*blobs));
    size_t nb = 0;
    if(!blobs)
      st = mdk_fail(e, MDK_ENOMEM, "out of memory");
    else {
      blobs[nb++] = doc.config;
      for(i = 0; i < doc.nlayers; i++)
        blobs[nb++] = doc.layers[i];
      mdk_be_meter_init(&meter, o ? o->progress : NULL, "pulling", doc.total,
                        (int)nb);
      cl.meter = &meter;
      st = fetch_all(&cl, s, blobs, nb, e);
      cl.meter = NULL;
      mdk_be_meter_end(&meter);
    }
    free(blobs);
  }
  if(!st) {
    char name[1200];
    if(strcmp(ref.host, "registry-1.docker.io") == 0)
      snprintf(name, sizeof(name), "%s:%s", ref.repo, ref.tag[0] ? ref.tag
                                                                 : "latest");
    else
      snprintf(name, sizeof(name), "%s/%s:%s", ref.host, ref.repo,
               ref.tag[0] ? ref.tag : "latest");
    {
      struct mdk_arena a;
      mdk_arena_init(&a);
      st = mdk_be_tag_set(s, mdk_be_ref_normalize(&a, name), top, e);
      mdk_arena_fini(&a);
    }
    memcpy(manifest, d, sizeof(mdk_digest));
  }
  mdk_be_doc_free(&doc);
  free(m.p);
  free(cl.token);
  free(cl.userpwd);
  curl_easy_cleanup(cl.c);
  return st;
}
