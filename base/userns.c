#include "base/userns.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

/* -1 unknown, 0 the initial namespace, 1 another */
static int rootless = -1;

/* The initial namespace maps every ID to itself: "0 0 4294967295". */
static int read_map(void)
{
  char buf[256];
  const char *nl;
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
  nl = strchr(buf, '\n');
  if(sscanf(buf, "%lu %lu %lu", &in, &out, &count) == 3 && in == 0 &&
     out == 0 && count == 4294967295UL && (!nl || !nl[1]))
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

const char *const mdk_userns_opaque_names[] = {
  "trusted.overlay.opaque", "user.overlay.opaque",
  "user.fuseoverlayfs.opaque", NULL
};

bool mdk_userns_opaque_name(const char *name)
{
  size_t i;
  for(i = 0; mdk_userns_opaque_names[i]; i++)
    if(strcmp(name, mdk_userns_opaque_names[i]) == 0)
      return true;
  return false;
}

bool mdk_userns_overlay_xattr(const char *name)
{
  return strncmp(name, "trusted.overlay.", 16) == 0 ||
         strncmp(name, "user.overlay.", 13) == 0 ||
         strncmp(name, "user.fuseoverlayfs.", 19) == 0;
}

bool mdk_userns_dir_opaque(const char *path)
{
  char v[4];
  size_t i;
  for(i = 0; mdk_userns_opaque_names[i]; i++)
    if(getxattr(path, mdk_userns_opaque_names[i], v, sizeof(v)) == 1 &&
       v[0] == 'y')
      return true;
  return false;
}
