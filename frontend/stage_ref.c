/* stage_ref.c - which stage a name means: the one lookup behind FROM,
 * COPY --from, RUN --mount=from= and --target (typing, expansion, the IR
 * and lint all ask it).  BuildKit's rules differ by where the name is
 * written:
 *   FROM NAME            the expanded name against the lower-cased stage
 *                        names, exactly: `FROM Build` is an image, not
 *                        stage build (statesByName[BaseName]);
 *   COPY --from=REF      a 0-based index, else the name in any case;
 *   --mount=from=REF     the name in any case, never an index;
 *   --target NAME        the name in any case. */
#include "frontend/stage_ref.h"

#include <string.h>
#include <strings.h>

long mdk_fe_stage_index(struct mdk_str ref)
{
  long v = 0;
  size_t i;
  if(!ref.len)
    return -1;
  for(i = 0; i < ref.len; i++) {
    if(ref.ptr[i] < '0' || ref.ptr[i] > '9' || v > 100000)
      return -1;
    v = v * 10 + (ref.ptr[i] - '0');
  }
  return v;
}

int mdk_fe_stage_lookup(const struct mdk_str *names, size_t n,
                        struct mdk_str ref, enum mdk_fe_stage_ref how)
{
  size_t i;
  if(how == MDK_FE_REF_COPY_FROM) {
    long v = mdk_fe_stage_index(ref);
    if(v >= 0)
      return (size_t)v < n ? (int)v : -1;
  }
  for(i = 0; i < n; i++) {
    if(!names[i].len)
      continue;
    if(how == MDK_FE_REF_FROM ? mdk_str_eq(names[i], ref)
                              : names[i].len == ref.len &&
                                  strncasecmp(names[i].ptr, ref.ptr,
                                              ref.len) == 0)
      return (int)i;
  }
  return -1;
}

/* docker.io/library/x:latest -> x, docker.io/u/x -> u/x */
static struct mdk_str familiar(struct mdk_str r)
{
  static const char *const prefixes[] = {"docker.io/library/",
    "index.docker.io/library/", "docker.io/", "index.docker.io/", NULL};
  size_t i;
  for(i = 0; prefixes[i]; i++) {
    size_t k = strlen(prefixes[i]);
    if(r.len > k && strncmp(r.ptr, prefixes[i], k) == 0) {
      r.ptr += k;
      r.len -= k;
      break;
    }
  }
  if(r.len > 7 && memcmp(r.ptr + r.len - 7, ":latest", 7) == 0 &&
     !memchr(r.ptr, '@', r.len))
    r.len -= 7;
  return r;
}

struct mdk_str mdk_fe_named_context(const struct mdk_fe_kv *named, size_t n,
                                    struct mdk_str ref)
{
  struct mdk_str want = familiar(ref);
  size_t i;
  for(i = 0; i < n; i++) {
    struct mdk_str name = familiar(named[i].key);
    if(name.len == want.len && memcmp(name.ptr, want.ptr, want.len) == 0)
      return named[i].val;
  }
  return ref;
}

const struct mdk_str *mdk_fe_stage_names(struct mdk_arena *a,
                                         const struct mdk_fe_sem *sem)
{
  struct mdk_str *names = mdk_arena_array(a, struct mdk_str,
                                          sem->nstages + 1);
  size_t i;
  for(i = 0; i < sem->nstages; i++)
    names[i] = sem->stages[i].name;
  return names;
}
