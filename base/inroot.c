/* inroot.c - see inroot.h. */
#include "base/inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { NAME_MAX_LEN = 4096 };

int mdk_open_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
  struct open_how how;
  const char *p = path;
  char phys[NAME_MAX_LEN];
  int fd;
  while(*p == '/')
    p++;
  if(!*p)
    p = ".";
  memset(&how, 0, sizeof(how));
  how.flags = (uint64_t)(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) ? mode : 0;
  /* "/" and ".." stop at rootfd; /proc magic links are refused */
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  fd = (int)syscall(SYS_openat2, rootfd, p, &how, sizeof(how));
  if(fd >= 0 || errno != ENOSYS)
    return fd;
  /* no openat2 (kernels before 5.6, valgrind): resolve the path as the
   * kernel would, then open what it names without following a link */
  if(!mdk_resolve_in_root(rootfd, p, phys, sizeof(phys))) {
    errno = ELOOP;
    return -1;
  }
  return openat(rootfd, *phys ? phys : ".", flags | O_NOFOLLOW | O_CLOEXEC,
                mode);
}

bool mdk_resolve_in_root(int rootfd, const char *path, char *out,
                            size_t cap)
{
  /* pending: what is left to walk; out: what is resolved so far */
  char pending[2 * NAME_MAX_LEN], link[NAME_MAX_LEN], comp[NAME_MAX_LEN];
  size_t o = 0;
  int hops = 0;
  bool missing = false;
  if(strlen(path) >= sizeof(pending) / 2)
    return false;
  snprintf(pending, sizeof(pending), "%s", path);
  out[0] = '\0';
  while(pending[0]) {
    char *p = pending, *e;
    size_t n;
    struct stat sb;
    while(*p == '/')
      p++;
    e = strchr(p, '/');
    n = e ? (size_t)(e - p) : strlen(p);
    if(n >= sizeof(comp))
      return false;
    memcpy(comp, p, n);
    comp[n] = '\0';
    memmove(pending, p + n, strlen(p + n) + 1);
    if(!n || strcmp(comp, ".") == 0)
      continue;
    if(strcmp(comp, "..") == 0) {
      char *slash = strrchr(out, '/');
      o = slash ? (size_t)(slash - out) : 0;
      out[o] = '\0';
      missing = false;
      continue;
    }
    if(o + n + 2 > cap)
      return false;
    if(o)
      out[o++] = '/';
    memcpy(out + o, comp, n + 1);
    o += n;
    if(missing || fstatat(rootfd, out, &sb, AT_SYMLINK_NOFOLLOW)) {
      missing = true;
      continue;
    }
    if(S_ISLNK(sb.st_mode)) {
      ssize_t l = readlinkat(rootfd, out, link, sizeof(link) - 1);
      char *slash;
      if(l < 0 || ++hops > 40)
        return false;
      link[l] = '\0';
      if(strlen(link) + strlen(pending) + 2 >= sizeof(pending))
        return false;
      /* the link's target replaces it: absolute from the root */
      memmove(pending + l + 1, pending, strlen(pending) + 1);
      memcpy(pending, link, (size_t)l);
      pending[l] = '/';
      if(link[0] == '/') {
        o = 0;
      }
      else {
        slash = strrchr(out, '/');
        o = slash ? (size_t)(slash - out) : 0;
      }
      out[o] = '\0';
    }
  }
  return true;
}
