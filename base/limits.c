/* limits.c - see limits.h. */
#include "base/limits.h"

#include <stdatomic.h>
#include <stdlib.h>

static const struct {
  const char *env, *what;
  uint64_t def, max;
} table[] = {
#define X(e, env, def, max, what) {env, what, def, max},
  MDK_LIMIT_LIST(X)
#undef X
};

uint64_t mdk_limit(enum mdk_limit l)
{
  /* threads (lint, parallel stages) may race to fill a slot: each stores
   * the same value */
  static _Atomic uint64_t cache[MDK_LIMIT_COUNT];
  uint64_t v = atomic_load_explicit(&cache[l], memory_order_relaxed);
  if(!v) {
    const char *s = getenv(table[l].env);
    char *end;
    unsigned long long n = s ? strtoull(s, &end, 10) : 0;
    if(s && *s && !*end && n > 0)
      v = n < table[l].max ? (uint64_t)n : table[l].max;
    else
      v = table[l].def;
    atomic_store_explicit(&cache[l], v, memory_order_relaxed);
  }
  return v;
}

const char *mdk_limit_env(enum mdk_limit l)
{
  return table[l].env;
}

const char *mdk_limit_what(enum mdk_limit l)
{
  return table[l].what;
}
