/* curl_dl.h - libcurl loaded when a command first needs the network.
 * Linking it costs every mdock process ~9 ms of start-up (it brings 30
 * shared libraries), which parse, ir and lint never use: they stay near a
 * 1 ms start (DESIGN.md §8).  Include this after <curl/curl.h>: the
 * curl_* calls of the file then go through the loaded library. */
#ifndef MDK_BE_CURL_DL_H
#define MDK_BE_CURL_DL_H

#include <curl/curl.h>

struct mdk_curl {
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
  CURLcode (*easy_perform)(CURL *);
  CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
  void (*easy_cleanup)(CURL *);
  void (*easy_reset)(CURL *);
  const char *(*easy_strerror)(CURLcode);
  struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
  void (*slist_free_all)(struct curl_slist *);
  long stall;                   /* MDOCK_NET_TIMEOUT: see mdk_be_net_limits */
};

/* Never NULL: when libcurl cannot be loaded, easy_init returns NULL (and
 * the caller says so). */
const struct mdk_curl *mdk_curl(void);

/* The time limits every transfer gets: 30 s to connect, and a transfer
 * that moves nothing for MDOCK_NET_TIMEOUT seconds (default 60) is a stall,
 * which the callers retry.  Call after curl_easy_reset. */
void mdk_be_net_limits(CURL *c);

#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init() (mdk_curl()->easy_init())
#define curl_easy_setopt(...) (mdk_curl()->easy_setopt(__VA_ARGS__))
#define curl_easy_perform(c) (mdk_curl()->easy_perform(c))
#define curl_easy_getinfo(...) (mdk_curl()->easy_getinfo(__VA_ARGS__))
#define curl_easy_cleanup(c) (mdk_curl()->easy_cleanup(c))
#define curl_easy_reset(c) (mdk_curl()->easy_reset(c))
#define curl_easy_strerror(c) (mdk_curl()->easy_strerror(c))
#define curl_slist_append(l, s) (mdk_curl()->slist_append((l), (s)))
#define curl_slist_free_all(l) (mdk_curl()->slist_free_all(l))

#endif
