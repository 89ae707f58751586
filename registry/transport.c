/* transport.c - the client's transport: references, one libcurl session per
 * registry, the WWW-Authenticate challenge and the token service, requests
 * with retries, and which repositories hold which blobs. */
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

const char mdk_reg_accept_hdr[] =
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



size_t mdk_reg_to_mem(char *d, size_t sz, size_t nm, void *ctx)
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


size_t mdk_reg_on_header(char *d, size_t sz, size_t nm, void *ctx)
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

enum mdk_status mdk_reg_get_token(struct client *cl, const char *www)
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
  curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, mdk_reg_to_mem);
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
struct curl_slist *mdk_reg_add_auth(struct client *cl, struct curl_slist *hl)
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
enum mdk_status mdk_reg_http_get(struct client *cl, const char *path,
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
    curl_easy_setopt(cl->c, CURLOPT_HEADERFUNCTION, mdk_reg_on_header);
    curl_easy_setopt(cl->c, CURLOPT_HEADERDATA, h);
    if(manifest)
      hl = curl_slist_append(hl, mdk_reg_accept_hdr);
    hl = mdk_reg_add_auth(cl, hl);
    if(hl)
      curl_easy_setopt(cl->c, CURLOPT_HTTPHEADER, hl);
    memset(h, 0, sizeof(*h));
    free(mem->p);
    mem->p = NULL;
    mem->n = 0;
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, mdk_reg_to_mem);
    curl_easy_setopt(cl->c, CURLOPT_WRITEDATA, mem);
    rc = curl_easy_perform(cl->c);
    curl_slist_free_all(hl);
    *code = 0;
    curl_easy_getinfo(cl->c, CURLINFO_RESPONSE_CODE, code);
    if(rc == CURLE_OK && *code == 401 && h->auth[0] && !cl->token &&
       !cl->basic && attempt == 0) {
      enum mdk_status st = mdk_reg_get_token(cl, h->auth);
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
void mdk_reg_remember(struct mdk_be_store *s, const struct mdk_be_ref *r,
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

bool mdk_reg_known_in(struct mdk_be_store *s, const struct mdk_be_ref *r,
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
enum mdk_status mdk_reg_req(struct client *cl, const char *method,
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
    curl_easy_setopt(cl->c, CURLOPT_HEADERFUNCTION, mdk_reg_on_header);
    curl_easy_setopt(cl->c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(cl->c, CURLOPT_WRITEFUNCTION, mdk_reg_to_mem);
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
    hl = mdk_reg_add_auth(cl, hl);
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
      if((st = mdk_reg_get_token(cl, h->auth)))
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
enum mdk_status mdk_reg_req_mem(struct client *cl, const char *method,
                               const char *url, const char *mem, size_t n,
                               const char *ctype, long *code)
{
  struct body bd = {-1, 0, 0, mem, n, ctype, NULL};
  struct hdrs h;
  return mdk_reg_req(cl, method, url, &bd, true, code, &h);
}
