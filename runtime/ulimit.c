/* ulimit.c - docker's --ulimit NAME=SOFT[:HARD] as go-units reads it: the
 * names of setrlimit's resources, -1 for unlimited, the soft limit at most
 * the hard one. */
#include "runtime/run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const struct {
  const char *name;
  int resource;
} names[] = {
  {"core", RLIMIT_CORE}, {"cpu", RLIMIT_CPU}, {"data", RLIMIT_DATA},
  {"fsize", RLIMIT_FSIZE}, {"locks", RLIMIT_LOCKS},
  {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE},
  {"nice", RLIMIT_NICE}, {"nofile", RLIMIT_NOFILE}, {"nproc", RLIMIT_NPROC},
  {"rss", RLIMIT_RSS}, {"rtprio", RLIMIT_RTPRIO},
  {"rttime", RLIMIT_RTTIME}, {"sigpending", RLIMIT_SIGPENDING},
  {"stack", RLIMIT_STACK},
};

/* a limit: a decimal, or -1 for none */
static bool limit(const char *s, size_t n, uint64_t *out)
{
  char buf[32], *end;
  long long v;
  if(!n || n >= sizeof(buf))
    return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  errno = 0;
  v = strtoll(buf, &end, 10);
  if(errno || *end || v < -1)
    return false;
  *out = v == -1 ? (uint64_t)RLIM_INFINITY : (uint64_t)v;
  return true;
}

bool mdk_rt_ulimit_parse(const char *s, struct mdk_rt_ulimit *u,
                         const char **why)
{
  const char *eq = strchr(s, '='), *colon;
  size_t i, nl;
  *why = NULL;
  if(!eq) {
    *why = "a ulimit is NAME=SOFT[:HARD] (nofile=1024:2048)";
    return false;
  }
  nl = (size_t)(eq - s);
  u->resource = -1;
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(strlen(names[i].name) == nl && strncmp(names[i].name, s, nl) == 0)
      u->resource = names[i].resource;
  if(u->resource < 0) {
    *why = "not a ulimit name (core, cpu, data, fsize, locks, memlock, "
           "msgqueue, nice, nofile, nproc, rss, rtprio, rttime, "
           "sigpending, stack)";
    return false;
  }
  colon = strchr(eq + 1, ':');
  if(!limit(eq + 1, colon ? (size_t)(colon - eq - 1) : strlen(eq + 1),
            &u->soft) ||
     !(colon ? limit(colon + 1, strlen(colon + 1), &u->hard)
             : (u->hard = u->soft, true))) {
    *why = "a limit is a number, or -1 for unlimited";
    return false;
  }
  if(u->soft > u->hard) {
    *why = "the soft limit must be at most the hard one";
    return false;
  }
  return true;
}

const char *mdk_rt_ulimit_oci_name(int resource)
{
  static const char *const oci[] = {
    "RLIMIT_CORE", "RLIMIT_CPU", "RLIMIT_DATA", "RLIMIT_FSIZE",
    "RLIMIT_LOCKS", "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
    "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_RSS", "RLIMIT_RTPRIO",
    "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};
  size_t i;
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(names[i].resource == resource)
      return oci[i];
  return "RLIMIT_NOFILE";
}
