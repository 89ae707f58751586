#include "base/userns.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* -1 unknown, 0 the initial namespace, 1 another */
static int rootless = -1;

/* The initial namespace maps every ID to itself: "0 0 4294967295". */
static int read_map(void)
{
  char buf[256];
  unsigned long in, out, count;
  int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
  ssize_t n;
  if(fd < 0)
    return 0;                   /* no /proc: assume the plain case */
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if(n <= 0)
    return 0;
  buf[n] = '\0';
  if(sscanf(buf, "%lu %lu %lu", &in, &out, &count) == 3 && in == 0 &&
     out == 0 && count == 4294967295UL && !strchr(strchr(buf, '\n') ?
                                                  strchr(buf, '\n') + 1 : "",
                                                  ' '))
    return 0;
  return 1;
}

bool mdk_userns_rootless(void)
{
  int r = __atomic_load_n(&rootless, __ATOMIC_ACQUIRE);
  if(r < 0) {
    r = read_map();
    __atomic_store_n(&rootless, r, __ATOMIC_RELEASE);
  }
  return r == 1;
}

void mdk_userns_forget(void)
{
  __atomic_store_n(&rootless, -1, __ATOMIC_RELEASE);
}

const char *mdk_userns_opaque_xattr(void)
{
  return mdk_userns_rootless() ? "user.overlay.opaque"
                               : "trusted.overlay.opaque";
}

const char *mdk_userns_overlay_opts(void)
{
  return mdk_userns_rootless() ? ",userxattr" : "";
}
