/* fetch.c - see fetch.h. */
#include "registry/fetch.h"

#include <curl/curl.h>

#include "registry/curl_dl.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct sink {
  FILE *f;
  struct mdk_sha256 h;
  uint64_t n;
  bool failed;
};

static size_t on_data(char *p, size_t sz, size_t nm, void *ctx)
{
  struct sink *s = ctx;
  size_t n = sz * nm;
  if(fwrite(p, 1, n, s->f) != n) {
    s->failed = true;
    return 0;
  }
  mdk_sha256_update(&s->h, p, n);
  s->n += n;
  return n;
}

enum mdk_status mdk_be_fetch(const char *url, const char *path,
                             const char *checksum, int64_t *mtime,
                             struct mdk_err *e)
{
  CURL *c;
  CURLcode rc;
  struct sink s;
  long code = 0, filetime = -1;
  uint8_t raw[32];
  mdk_digest got;
  *mtime = -1;
  if(checksum && !mdk_digest_valid(checksum))
    return mdk_fail(e, MDK_EINPUT, "ADD --checksum=%s: write "
                       "sha256:<64 hex digits>", checksum);
  memset(&s, 0, sizeof(s));
  s.f = fopen(path, "wb");
  if(!s.f)
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", path,
                       strerror(errno));
  mdk_sha256_init(&s.h);
  c = curl_easy_init();
  if(!c) {
    fclose(s.f);
    return mdk_fail(e, MDK_ENOMEM, "cannot start libcurl");
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
  mdk_be_net_limits(c);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mdock");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
  rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_getinfo(c, CURLINFO_FILETIME, &filetime);
  curl_easy_cleanup(c);
  mdk_sha256_final(&s.h, raw);
  if(fclose(s.f) || s.failed) {
    unlink(path);
    return mdk_fail(e, MDK_EIO, "ADD %s: cannot write the download",
                       url);
  }
  if(rc != CURLE_OK) {
    unlink(path);
    if(code >= 400)
      return mdk_fail(e, MDK_EINPUT, "ADD %s: the server answered %ld",
                         url, code);
    return mdk_fail(e, MDK_EIO, "ADD %s: %s", url,
                       curl_easy_strerror(rc));
  }
  mdk_digest_from_raw(raw, got);
  if(checksum && strcmp(checksum, got) != 0) {
    unlink(path);
    return mdk_fail(e, MDK_EINPUT, "ADD %s: checksum mismatch: --checksum "
                       "says %s, the download is %s", url, checksum, got);
  }
  *mtime = filetime;
  return MDK_OK;
}
