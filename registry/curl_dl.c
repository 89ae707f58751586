/* curl_dl.c - see curl_dl.h. */
#include <curl/curl.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "registry/curl_dl.h"

static CURL *no_init(void)
{
  return NULL;
}

static struct mdk_curl table;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
  /* read here, once for every thread (pthread_once orders it) */
  const char *stall = getenv("MDOCK_NET_TIMEOUT");
  long t = stall ? strtol(stall, NULL, 10) : 0;
  table.stall = t > 0 ? t : 60;
  static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4",
                                      "libcurl.so", NULL};
  void *h = NULL;
  int i;
  for(i = 0; names[i] && !h; i++)
    h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  table.easy_init = no_init;
  if(!h)
    return;
  /* POSIX: a function pointer from dlsym, through a cast of the object */
#define SYM(field, name) *(void **)(&table.field) = dlsym(h, name)
  SYM(easy_setopt, "curl_easy_setopt");
  SYM(easy_perform, "curl_easy_perform");
  SYM(easy_getinfo, "curl_easy_getinfo");
  SYM(easy_cleanup, "curl_easy_cleanup");
  SYM(easy_reset, "curl_easy_reset");
  SYM(easy_strerror, "curl_easy_strerror");
  SYM(slist_append, "curl_slist_append");
  SYM(slist_free_all, "curl_slist_free_all");
  if(table.easy_setopt && table.easy_perform && table.easy_getinfo &&
     table.easy_cleanup && table.easy_reset && table.easy_strerror &&
     table.slist_append && table.slist_free_all) {
    CURLcode (*global_init)(long) = NULL;
    *(void **)(&global_init) = dlsym(h, "curl_global_init");
    /* once, before any thread uses it (curl_easy_init would race) */
    if(global_init)
      global_init(CURL_GLOBAL_DEFAULT);
    SYM(easy_init, "curl_easy_init");
  }
  if(!table.easy_init)
    table.easy_init = no_init;
#undef SYM
}

const struct mdk_curl *mdk_curl(void)
{
  pthread_once(&once, load);
  return &table;
}

void mdk_be_net_limits(CURL *c)
{
  long stall = mdk_curl()->stall;
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, stall < 30 ? stall : 30L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall);
}
