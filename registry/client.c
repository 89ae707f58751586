/* registry.c - see registry.h. */
#include "registry/client.h"


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


static const char accept_hdr[] =
  "Accept: application/vnd.oci.image.index.v1+json, "
  "application/vnd.oci.image.manifest.v1+json, "
  "application/vnd.docker.distribution.manifest.list.v2+json, "
  "application/vnd.docker.distribution.manifest.v2+json";

bool mdk_be_ref_parse(const char *s, struct mdk_be_ref *r, const char **why)
{
  const char *slash = strchr(s, '/'), *at, *rest = s;
  char name[496];
  char *colon;
  memset(r, 0, sizeof(*r));
  /* a first component with '.' or ':' or "localhost" is a registry */
  if(slash && (memchr(s, '.', (size_t)(slash - s)) ||
               memchr(s, ':', (size_t)(slash - s)) ||
               (slash - s == 9 && strncmp(s, "localhost", 9) == 0))) {
    snprintf(r->host, sizeof(r->host), "%.*s", (int)(slash - s), s);
    rest = slash + 1;
  }
  else {
    snprintf(r->host, sizeof(r->host), "registry-1.docker.io");
  }
  if(strcmp(r->host, "docker.io") == 0 || strcmp(r->host, "index.docker.io")
     == 0)
    snprintf(r->host, sizeof(r->host), "registry-1.docker.io");
  at = strchr(rest, '@');
  snprintf(name, sizeof(name), "%.*s", at ? (int)(at - rest) : (int)strlen(rest),
           rest);
  if(at) {
    if(!mdk_digest_valid(at + 1)) {
      *why = "a digest is sha256:<64 hex digits>";
      return false;
    }
    snprintf(r->digest, sizeof(r->digest), "%s", at + 1);
  }
  colon = strrchr(name, ':');
  if(colon && !strchr(colon, '/')) {
    *colon = '\0';
    snprintf(r->tag, sizeof(r->tag), "%s", colon + 1);
  }
  else if(!at) {
    snprintf(r->tag, sizeof(r->tag), "latest");
  }
  if(!*name) {
    *why = "no repository name";
    return false;
  }
  {
    const char *p;
    for(p = name; *p; p++)
      if(isupper((unsigned char)*p)) {
        *why = "repository names must be lowercase";
        return false;
      }
  }
  if(strcmp(r->host, "registry-1.docker.io") == 0 && !strchr(name, '/'))
    snprintf(r->repo, sizeof(r->repo), "library/%s", name);
  else
    snprintf(r->repo, sizeof(r->repo), "%s", name);
  return true;
}

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

static size_t to_mem(char *d, size_t sz, size_t nm, void *ctx)
{
  struct membuf *m = ctx;
  size_t n = sz * nm;
  if(m->n + n > m->max) {
    m->too_big = true;
    return 0;
  }
  m->p = realloc(m->p, m->n + n + 1);
  if(!m->p)
    return 0;
  memcpy(m->p + m->n, d, n);
  m->n += n;
  m->p[m->n] = '\0';
  return n;
}

struct hdrs {
  char auth[1024];
  char ctype[256];
  char location[2048];
  char range[64];
};

static size_t on_header(char *d, size_t sz, size_t nm, void *ctx)
{
  struct hdrs *h = ctx;
  size_t n = sz * nm;
  if(n > 17 && strncasecmp(d, "WWW-Authenticate:", 17) == 0)
    snprintf(h->auth, sizeof(h->auth), "%.*s", (int)(n - 17), d + 17);
  if(n > 13 && strncasecmp(d, "Content-Type:", 13) == 0)
    snprintf(h->ctype, sizeof(h->ctype), "%.*s", (int)(n - 13), d + 13);
  if(n > 6 && strncasecmp(d, "Range:", 6) == 0) {
    const char *v = d + 6 + strspn(d + 6, " ");
    snprintf(h->range, sizeof(h->range), "%.*s", (int)strcspn(v, "\r\n"), v);
  }
  if(n > 9 && strncasecmp(d, "Location:", 9) == 0) {
    const char *v = d + 9;
    size_t l = n - 9;
    while(l && (*v == ' ' || *v == '\t')) {
      v++;
      l--;
    }
    while(l && (v[l - 1] == '\r' || v[l - 1] == '\n'))
      l--;
    snprintf(h->location, sizeof(h->location), "%.*s", (int)l, v);
  }
  return n;
}

/* WWW-Authenticate: Bearer realm="...",service="...",scope="..." -- the
 * value of key=" in h (up to the closing quote), at a parameter boundary */
static bool auth_param(const char *h, const char *key, char *out, size_t cap)
{
  size_t kl = strlen(key);
  const char *p = h;
  while((p = strstr(p, key)) != NULL) {
    bool boundary = p == h || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t';
    if(boundary && p[kl] == '=' && p[kl + 1] == '"') {
      const char *v = p + kl + 2, *q = strchr(v, '"');
      if(!q)
        return false;
      snprintf(out, cap, "%.*s", (int)(q - v), v);
      return true;
    }
    p += kl;
  }
  return false;
}

bool mdk_be_parse_challenge(const char *www, struct mdk_be_challenge *c)
{
  const char *s = www + strspn(www, " \t");
  memset(c, 0, sizeof(*c));
  if(strncasecmp(s, "Basic", 5) == 0 && (!s[5] || s[5] == ' ')) {
    c->basic = true;
    return true;
  }
  if(strncasecmp(s, "Bearer", 6) != 0 || (s[6] && s[6] != ' ') ||
     !auth_param(s + 6, "realm", c->realm, sizeof(c->realm)) ||
     !c->realm[0])
    return false;
  auth_param(s + 6, "service", c->service, sizeof(c->service));
  auth_param(s + 6, "scope", c->scope, sizeof(c->scope));
  return true;
}

/* Appends s to url[0..n) percent-encoded (RFC 3986 unreserved characters
 * as they are); returns the new length, stopping short of cap. */
static size_t url_encode(char *url, size_t cap, size_t n, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for(; *s && n + 4 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
       c == '~') {
      url[n++] = (char)c;
    } else {
      url[n++] = '%';
      url[n++] = hex[c >> 4];
      url[n++] = hex[c & 15];
    }
  }
  url[n] = '\0';
  return n;
}

static enum mdk_status get_token(struct client *cl, const char *www)
{
  struct mdk_be_challenge ch;
  char *realm = ch.realm, *service = ch.service, *scope = ch.scope, url[2048];
  struct membuf m = {NULL, 0, 1 << 20, false};
  json_t *j;
  json_error_t je;
  const char *t;
  long code = 0;
  bool known = mdk_be_parse_challenge(www, &ch);
  if(known && ch.basic) {
    if(!cl->userpwd)
      return mdk_fail(cl->e, MDK_EINPUT, "registry %s needs credentials: "
                         "log in with `mdock login -u USER %s` (docker "
                         "login's config and credential helpers are read "
                         "too)", cl->ref->host, cl->ref->host);
    cl->basic = true;
    return MDK_OK;
  }
  if(!known)
    return mdk_fail(cl->e, MDK_EINPUT, "registry %s wants %s "
                       "authentication, which is not supported yet",
                       cl->ref->host, www);
  if(!scope[0])
    snprintf(scope, sizeof(ch.scope), "repository:%s:%s", cl->ref->repo,
             cl->push ? "pull,push" : "pull");
  {
    /* service and each scope (space-separated in the challenge) are query
     * parameters of their own, percent-encoded */
    size_t n = (size_t)snprintf(url, sizeof(url), "%s%cservice=", realm,
                                strchr(realm, '?') ? '&' : '?');
    char *tok, *save = NULL;
    n = url_encode(url, sizeof(url), n, service);
    for(tok = strtok_r(scope, " ", &save); tok;
        tok = strtok_r(NULL, " ", &save)) {
      if(n + 8 >= sizeof(url))
        break;
      memcpy(url + n, "&scope=", 8);
      n = url_encode(url, sizeof(url), n + 7, tok);
    }
  }
  curl_easy_reset(cl->c);
  if(cl->userpwd)
    curl_easy_setopt(cl->c, CURLOPT_USERPWD, cl->userpwd);
  curl_easy_setopt(cl->c, CURLOPT_URL, url);
  curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, to_mem);
  curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, &m);
  curl_easy_setopt(cl->c, CURLOPT_FOLLOWLOCATION, 1L);
  if(curl_easy_perform(cl->c) != CURLE_OK ||
     (curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, &code), code != 200)) {
    free(m.p);
    return mdk_fail(cl->e, MDK_EIO, "cannot get a token from %s (HTTP "
                       "%ld)", realm, code);
  }
  j = json_loadb(m.p, m.n, 0, &je);
  free(m.p);
  t = json_string_value(json_object_get(j, "token"));
  if(!t)
    t = json_string_value(json_object_get(j, "access_token"));
  if(!t) {
    json_decref(j);
    return mdk_fail(cl->e, MDK_EIO, "the token service %s answered no "
                       "token", realm);
  }
  free(cl->token);
  cl->token = strdup(t);
  json_decref(j);
  return MDK_OK;
}

/* The client's credentials on the request being set up: its bearer token
 * as a header added to hl (curl copies it), or its Basic user:password. */
static struct curl_slist *add_auth(struct client *cl, struct curl_slist *hl)
{
  char authz[4200];
  if(cl->token) {
    snprintf(authz, sizeof(authz), "Authorization: Bearer %s", cl->token);
    return curl_slist_append(hl, authz);
  }
  if(cl->basic)
    curl_easy_setopt(cl->c, CURLOPT_USERPWD, cl->userpwd);
  return hl;
}

/* GET base + path, the body to mem (at most its max); one retry with a
 * token after a 401 challenge, and up to three with backoff after a 5xx,
 * a reset or a stall. */
static enum mdk_status http_get(struct client *cl, const char *path,
                                bool manifest, struct membuf *mem,
                                struct hdrs *h, long *code)
{
  char url[2048];
  int attempt;
  for(attempt = 0; attempt < 4; attempt++) {
    struct curl_slist *hl = NULL;
    CURLcode rc;
    snprintf(url, sizeof(url), "%s%s", cl->base, path);
    curl_easy_reset(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_URL, url);
    curl_easy_setopt(cl->c, CURLOPT_FOLLOWLOCATION, 1L);
    mdk_be_net_limits(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_USERAGENT, "mdock");
    curl_easy_setopt(cl->c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(cl->c, CURLOPT_HEADERDATA, h);
    if(manifest)
      hl = curl_slist_append(hl, accept_hdr);
    hl = add_auth(cl, hl);
    if(hl)
      curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, hl);
    memset(h, 0, sizeof(*h));
    free(mem->p);
    mem->p = NULL;
    mem->n = 0;
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, to_mem);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, mem);
    rc = curl_easy_perform(cl->c);
    curl_slist_free_all(hl);
    *code = 0;
    curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, code);
    if(rc == CURLE_OK && *code == 401 && h->auth[0] && !cl->token &&
       !cl->basic && attempt == 0) {
      enum mdk_status st = get_token(cl, h->auth);
      if(st)
        return st;
      continue;
    }
    if((rc != CURLE_OK && rc != CURLE_WRITE_ERROR) ||
       (*code >= 500 && *code < 600)) {
      if(attempt < 3) {
        usleep((useconds_t)(200000u << attempt));
        continue;
      }
      return mdk_fail(cl->e, MDK_EIO, "GET %s: %s", url,
                         rc != CURLE_OK ? curl_easy_strerror(rc)
                                        : "the registry answered 5xx");
    }
    if(rc != CURLE_OK && mem->too_big)
      return mdk_fail(cl->e, MDK_ETOOBIG, "GET %s: the document is larger "
                         "than %zu bytes (%s raises the limit, if so large "
                         "a document is meant)", url, mem->max,
                         mdk_limit_env(MDK_LIMIT_DOCUMENT));
    if(rc != CURLE_OK)
      return mdk_fail(cl->e, MDK_EIO, "GET %s: %s", url,
                         curl_easy_strerror(rc));
    return MDK_OK;
  }
  return mdk_fail(cl->e, MDK_EIO, "GET %s: too many attempts", url);
}

/* Which repositories of a registry have which blobs (pushed or pulled by
 * this store): a push to another repository can then mount them instead of
 * sending them again.  One line "host repo digest" each, appended. */
static void remember(struct mdk_be_store *s, const struct mdk_be_ref *r,
                     const char *digest)
{
  char line[1200];
  int fd = openat(s->rootfd, "registry-blobs",
                  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  int n;
  if(fd < 0)
    return;
  n = snprintf(line, sizeof(line), "%s %s %s\n", r->host, r->repo, digest);
  if(n > 0 && (size_t)n < sizeof(line))
    (void)!write(fd, line, (size_t)n);   /* a hint only: lost is fine */
  close(fd);
}

static bool known_in(struct mdk_be_store *s, const struct mdk_be_ref *r,
                     const char *digest, char *repo, size_t cap)
{
  FILE *f;
  char line[1200];
  int fd = openat(s->rootfd, "registry-blobs", O_RDONLY | O_CLOEXEC);
  bool found = false;
  if(fd < 0 || !(f = fdopen(fd, "r"))) {
    if(fd >= 0)
      close(fd);
    return false;
  }
  while(fgets(line, sizeof(line), f)) {
    char h[300], rp[600], d[100];
    if(sscanf(line, "%299s %599s %99s", h, rp, d) == 3 &&
       strcmp(h, r->host) == 0 && strcmp(d, digest) == 0 &&
       strcmp(rp, r->repo) != 0) {
      snprintf(repo, cap, "%s", rp);
      found = true;
    }
  }
  fclose(f);
  return found;
}

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
static enum mdk_status fetch_blob(struct client *cl, struct mdk_be_store *s,
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
    if((hl = add_auth(cl, hl)))
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
    remember(s, cl->ref, digest);
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
    j->st = fetch_blob(&j->cl, j->s, j->blobs[i].digest, j->blobs[i].size);
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
      st = fetch_blob(cl, s, blobs[k].digest, blobs[k].size);
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
      st = fetch_blob(cl, s, blobs[k].digest, blobs[k].size);
  return st;
}

static enum mdk_status get_manifest(struct client *cl, const char *ref,
                                    struct membuf *m, struct hdrs *h)
{
  char path[800];
  long code;
  enum mdk_status st;
  snprintf(path, sizeof(path), "/v2/%s/manifests/%s", cl->ref->repo, ref);
  st = http_get(cl, path, true, m, h, &code);
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

/* "os/arch[/variant]" into its parts (in buf); NULL is linux/amd64. */
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
  mdk_digest d, want;
  struct mdk_be_doc doc;
  char why_buf[300];
  uint64_t want_size = 0;
  char pbuf[128];
  const char *plat[3];
  bool plain;
  size_t i;
  int depth;
  memset(&doc, 0, sizeof(doc));
  if(!split_platform(o ? o->platform : NULL, pbuf, plat))
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
  st = get_manifest(&cl, ref.digest[0] ? ref.digest : ref.tag, &m, &h);
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
    /* the index itself is stored too (the image's digest is the index's) */
    if((st = mdk_be_blob_put(s, m.p, m.n, d, e)))
      break;
    if(!doc.index)
      break;
    if(depth == 2) {
      st = mdk_fail(e, MDK_EINPUT, "%s: an index of an index of an "
                       "index: refused", refstr);
      break;
    }
    snprintf(want, sizeof(want), "%s", doc.pick.digest);
    want_size = doc.pick.size;
    st = get_manifest(&cl, want, &m, &h);
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
      st = mdk_be_tag_set(s, mdk_be_ref_normalize(&a, name), d, e);
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

/* --- push --- */

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

static size_t from_fd(char *buf, size_t sz, size_t nm, void *ctx)
{
  struct upload *u = ctx;
  size_t want = sz * nm;
  ssize_t n;
  if(want > u->left)
    want = (size_t)u->left;
  if(!want)
    return 0;
  n = read(u->fd, buf, want);
  if(n < 0)
    return CURL_READFUNC_ABORT;
  u->left -= (uint64_t)n;
  u->sent += (uint64_t)n;
  mdk_be_meter_add(u->meter, n);
  return (size_t)n;
}

/* One request; one retry after an auth challenge, and, when `retry`, up to
 * three with backoff after a 5xx, a reset or a stall (an upload chunk is
 * not simply sent again: its caller asks the registry where it stands).
 * The response headers land in *h. */
static enum mdk_status req(struct client *cl, const char *method,
                           const char *url, const struct body *bd,
                           bool retry, long *code, struct hdrs *h)
{
  int attempt;
  for(attempt = 0; attempt < 4; attempt++) {
    struct curl_slist *hl = NULL;
    struct upload up = {bd->fd, bd->len, 0, cl->meter};
    struct membuf sink = {NULL, 0, 1 << 20, false};
    char ct[300], cr[100];
    CURLcode rc;
    memset(h, 0, sizeof(*h));
    curl_easy_reset(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_URL, url);
    curl_easy_setopt(cl->c, CURLOPT_USERAGENT, "mdock");
    mdk_be_net_limits(cl->c);
    curl_easy_setopt(cl->c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(cl->c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, to_mem);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, &sink);
    if(strcmp(method, "HEAD") == 0) {
      curl_easy_setopt(cl->c, CURLOPT_NOBODY, 1L);
    }
    else if(strcmp(method, "GET") == 0) {
      curl_easy_setopt(cl->c, CURLOPT_HTTPGET, 1L);
    }
    else if(bd->fd >= 0) {
      if(lseek(bd->fd, (off_t)bd->off, SEEK_SET) < 0)
        return mdk_fail(cl->e, MDK_EIO, "cannot rewind an upload");
      curl_easy_setopt(cl->c, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(cl->c, CURLOPT_READFUNCTION, from_fd);
      curl_easy_setopt(cl->c, CURLOPT_READDATA, &up);
      curl_easy_setopt(cl->c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)bd->len);
      curl_easy_setopt(cl->c, CURLOPT_CUSTOMREQUEST, method);
    }
    else {
      curl_easy_setopt(cl->c, CURLOPT_POSTFIELDS, bd->mem ? bd->mem : "");
      curl_easy_setopt(cl->c, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)(bd->mem ? bd->mlen : 0));
      curl_easy_setopt(cl->c, CURLOPT_CUSTOMREQUEST, method);
    }
    if(bd->ctype) {
      snprintf(ct, sizeof(ct), "Content-Type: %s", bd->ctype);
      hl = curl_slist_append(hl, ct);
    }
    if(bd->range) {
      snprintf(cr, sizeof(cr), "Content-Range: %s", bd->range);
      hl = curl_slist_append(hl, cr);
    }
    hl = add_auth(cl, hl);
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, hl);
    rc = curl_easy_perform(cl->c);
    curl_slist_free_all(hl);
    *code = 0;
    curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, code);
    if(rc != CURLE_OK || *code >= 300)  /* those bytes go again, or not */
      mdk_be_meter_add(cl->meter, -(int64_t)up.sent);
    if(rc == CURLE_OK && *code == 401 && h->auth[0] && attempt == 0) {
      enum mdk_status st;
      free(cl->token);
      cl->token = NULL;
      free(sink.p);
      if((st = get_token(cl, h->auth)))
        return st;
      continue;
    }
    if(retry && (rc != CURLE_OK || *code >= 500) && attempt < 3) {
      free(sink.p);
      usleep((useconds_t)(200000u << attempt));
      continue;
    }
    if(rc != CURLE_OK) {
      free(sink.p);
      return mdk_fail(cl->e, MDK_EIO, "%s %s: %s", method, url,
                         curl_easy_strerror(rc));
    }
    if(*code >= 400) {
      enum mdk_status st = mdk_fail(cl->e, MDK_EIO, "%s %s: the registry "
                                       "answered %ld: %.300s", method, url,
                                       *code, sink.p ? sink.p : "");
      free(sink.p);
      return st;
    }
    free(sink.p);
    return MDK_OK;
  }
  return mdk_fail(cl->e, MDK_EIO, "%s %s: too many attempts", method, url);
}

/* A request with a body from memory (a manifest). */
static enum mdk_status req_mem(struct client *cl, const char *method,
                               const char *url, const char *mem, size_t n,
                               const char *ctype, long *code)
{
  struct body bd = {-1, 0, 0, mem, n, ctype, NULL};
  struct hdrs h;
  return req(cl, method, url, &bd, true, code, &h);
}

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
    st = req(cl, "PATCH", url, &bd, false, &code, &h);
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
    st = req(cl, "GET", url, &bd, true, &code, &h);
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

static enum mdk_status push_blob(struct client *cl, struct mdk_be_store *s,
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
  st = req(cl, "HEAD", url, &bd, true, &code, &h);
  if(!st && code == 200) {
    (*skipped)++;
    mdk_be_meter_blob_done(cl->meter);
    return MDK_OK;            /* the registry has it */
  }
  {
    /* a blob another repository of this registry has: mounted, not sent
     * (201); a registry that will not mount answers 202 with an upload */
    char from[600];
    if(known_in(s, cl->ref, digest, from, sizeof(from)))
      snprintf(url, sizeof(url), "%s/v2/%s/blobs/uploads/?mount=%s&from=%s",
               cl->base, cl->ref->repo, digest, from);
    else
      snprintf(url, sizeof(url), "%s/v2/%s/blobs/uploads/", cl->base,
               cl->ref->repo);
  }
  st = req(cl, "POST", url, &bd, true, &code, &h);
  if(st)
    return st;
  if(code == 201) {
    (*skipped)++;
    mdk_be_meter_blob_done(cl->meter);
    remember(s, cl->ref, digest);
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
    st = req(cl, "PUT", url, &bd, true, &code, &h);
  }
  close(fd);
  if(!st && code != 201)
    st = mdk_fail(cl->e, MDK_EIO, "PUT of blob %s: the registry answered "
                     "%ld", digest, code);
  if(!st) {
    mdk_be_meter_log(cl->meter, "pushed %.19s (%.1f MB)\n", digest,
                     (double)sb.st_size / 1e6);
    mdk_be_meter_blob_done(cl->meter);
    remember(s, cl->ref, digest);
  }
  return st;
}

enum mdk_status mdk_be_push(struct mdk_be_store *s,
                            const struct mdk_be_image *im, const char *dest,
                            const struct mdk_be_pull_opts *o,
                            struct mdk_be_push_report *rep,
                            struct mdk_err *e)
{
  struct mdk_be_ref ref;
  struct client cl;
  struct mdk_arena a;
  const char *why = NULL;
  enum mdk_status st = MDK_OK;
  size_t i, skipped = 0, pushed = 0;
  char *man, url[2400];
  size_t mlen;
  long code;
  json_t *mj;
  json_error_t je;
  memset(rep, 0, sizeof(*rep));
  if(!mdk_be_ref_parse(dest, &ref, &why))
    return mdk_fail(e, MDK_EINPUT, "invalid reference '%s': %s", dest,
                       why);
  memset(&cl, 0, sizeof(cl));
  cl.ref = &ref;
  cl.e = e;
  cl.push = true;
  snprintf(cl.base, sizeof(cl.base), "%s://%s",
           strncmp(ref.host, "localhost", 9) == 0 ||
           strncmp(ref.host, "127.0.0.1", 9) == 0 ||
           (o && o->insecure_host && strcmp(o->insecure_host, ref.host) == 0)
             ? "http" : "https", ref.host);
  cl.c = curl_easy_init();
  if(!cl.c)
    return mdk_fail(e, MDK_ENOMEM, "cannot start libcurl");
  cl.userpwd = mdk_be_creds_get(ref.host);
  /* blobs first, the manifest last: a registry never names a blob it
   * does not have */
  {
    struct mdk_be_meter meter;
    uint64_t total = 0;
    for(i = 0; i < mdk_be_image_nlayers(im); i++) {
      struct mdk_be_layer_desc d;
      mdk_be_image_layer(im, i, &d);
      total += d.size;
    }
    mdk_be_meter_init(&meter, o ? o->progress : NULL, "pushing", total,
                      (int)mdk_be_image_nlayers(im) + 1);
    cl.meter = &meter;
    for(i = 0; i < mdk_be_image_nlayers(im) && !st; i++) {
      struct mdk_be_layer_desc d;
      size_t before = skipped;
      mdk_be_image_layer(im, i, &d);
      st = push_blob(&cl, s, d.digest, &skipped);
      pushed += !st && skipped == before;
    }
    if(!st) {
      size_t before = skipped;
      st = push_blob(&cl, s, im->config_digest, &skipped);
      pushed += !st && skipped == before;
    }
    cl.meter = NULL;
    mdk_be_meter_end(&meter);
  }
  mdk_arena_init(&a);
  if(!st)
    st = mdk_be_blob_read(s, &a, im->manifest, MDK_BE_DOC_MAX, &man, &mlen,
                          e);
  if(!st) {
    const char *mt;
    mj = json_loadb(man, mlen, 0, &je);
    mt = json_string_value(json_object_get(mj, "mediaType"));
    snprintf(url, sizeof(url), "%s/v2/%s/manifests/%s", cl.base, ref.repo,
             ref.digest[0] ? ref.digest : ref.tag);
    st = req_mem(&cl, "PUT", url, man, mlen,
                 mt ? mt : MDK_MT_OCI_MANIFEST, &code);
    json_decref(mj);
    if(!st && code != 201 && code != 200)
      st = mdk_fail(e, MDK_EIO, "PUT of the manifest: the registry "
                       "answered %ld", code);
  }
  mdk_arena_fini(&a);
  rep->pushed = pushed;
  rep->skipped = skipped;
  free(cl.token);
  free(cl.userpwd);
  curl_easy_cleanup(cl.c);
  return st;
}

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
  st = push_blob(&r->cl, s, digest, &skipped);
  *sent = !st && !skipped;
  return st;
}

enum mdk_status mdk_be_reg_fetch_blob(struct mdk_be_reg *r,
                                      struct mdk_be_store *s,
                                      const char *digest,
                                      struct mdk_err *e)
{
  r->cl.e = e;
  return fetch_blob(&r->cl, s, digest, UINT64_MAX);
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
  st = req_mem(&r->cl, "PUT", url, body, n, media_type, &code);
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
  st = get_manifest(&r->cl, r->ref.digest[0] ? r->ref.digest : r->ref.tag,
                    &m, &h);
  if(st) {
    free(m.p);
    return st;
  }
  *body = m.p;
  *n = m.n;
  return MDK_OK;
}
