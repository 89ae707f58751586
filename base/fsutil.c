#include "base/fsutil.h"
#include "base/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ftw.h>
#include <time.h>
#include <unistd.h>

enum mdk_status mdk_write_atomic(const char *path, const void *data,
                                 size_t len, int *err)
{
  return mdk_write_atomic_mode(path, data, len, 0644, err);
}

enum mdk_status mdk_write_atomic_mode(const char *path, const void *data,
                                      size_t len, mode_t mode, int *err)
{
  size_t n = strlen(path);
  char *tmp = malloc(n + 48), *dir;
  const char *slash;
  int fd, dfd;

  static unsigned long counter;
  /* the process and a count: two threads writing one path (the platforms
   * of a build saving one stat cache) each rename a temp file of their own */
  unsigned long k = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);

  *err = 0;
  if(!tmp)
    return MDK_ENOMEM;
  snprintf(tmp, n + 48, "%s.tmp.%ld.%lu", path, (long)getpid(), k);
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if(fd < 0)
    goto fail;
  if(!mdk_write_all(fd, data, len)) {
    close(fd);
    goto fail_unlink;
  }
  if(fsync(fd) || close(fd))
    goto fail_unlink;
  if(rename(tmp, path))
    goto fail_unlink;
  /* the rename itself must reach the disk */
  slash = strrchr(path, '/');
  dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path))
              : strdup(".");
  if(dir) {
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if(dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
    free(dir);
  }
  free(tmp);
  return MDK_OK;
fail_unlink:
  *err = errno;
  unlink(tmp);
  free(tmp);
  return MDK_EIO;
fail:
  *err = errno;
  free(tmp);
  return MDK_EIO;
}

enum mdk_status mdk_mkdir_p(const char *path, int *err)
{
  char *p = strdup(path), *s;
  *err = 0;
  if(!p)
    return MDK_ENOMEM;
  for(s = p + 1; *s; s++) {
    if(*s != '/')
      continue;
    *s = '\0';
    if(mkdir(p, 0755) && errno != EEXIST) {
      *err = errno;
      free(p);
      return MDK_EIO;
    }
    *s = '/';
  }
  if(mkdir(p, 0755) && errno != EEXIST) {
    *err = errno;
    free(p);
    return MDK_EIO;
  }
  free(p);
  return MDK_OK;
}

char *mdk_state_root(void)
{
  const char *r = getenv("MDOCK_ROOT"), *x, *home;
  char *out;
  if(r && *r)
    return strdup(r);
  /* rootless (root of a user namespace): the user's own store */
  if(geteuid() == 0 && !mdk_userns_rootless())
    return strdup("/var/lib/mdock");
  x = getenv("XDG_DATA_HOME");
  if(x && *x) {
    out = malloc(strlen(x) + 8);
    if(out)
      sprintf(out, "%s/mdock", x);
    return out;
  }
  home = getenv("HOME");
  if(!home)
    home = "/tmp";
  out = malloc(strlen(home) + 32);
  if(out)
    sprintf(out, "%s/.local/share/mdock", home);
  return out;
}

enum mdk_status mdk_copy_file(const char *from, const char *to, int *err)
{
  char buf[65536];
  struct stat sb;
  int in = open(from, O_RDONLY | O_CLOEXEC), out;
  ssize_t n;
  *err = 0;
  if(in < 0 || fstat(in, &sb) || !S_ISREG(sb.st_mode)) {
    *err = in < 0 ? errno : EINVAL;
    if(in >= 0)
      close(in);
    return MDK_EIO;
  }
  out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
             sb.st_mode & 07777);
  if(out < 0) {
    *err = errno;
    close(in);
    return MDK_EIO;
  }
  while((n = read(in, buf, sizeof(buf))) > 0)
    if(write(out, buf, (size_t)n) != n) {
      n = -1;
      break;
    }
  if(n < 0)
    *err = errno;
  close(in);
  if(close(out) && !*err)
    *err = errno;
  return *err ? MDK_EIO : MDK_OK;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *f)
{
  (void)sb;
  (void)flag;
  (void)f;
  (void)remove(p);      /* go on: remove what can be removed */
  return 0;
}

int mdk_rmtree(const char *path)
{
  return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

char *mdk_read_small(const char *path, size_t max, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if(!f)
    return NULL;
  if(fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || (size_t)n > max ||
     fseek(f, 0, SEEK_SET)) {
    fclose(f);
    return NULL;
  }
  buf = malloc((size_t)n + 1);
  if(buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  if(buf) {
    buf[n] = '\0';
    if(len)
      *len = (size_t)n;
  }
  fclose(f);
  return buf;
}

char *mdk_temp_name(char *out, size_t cap, const char *dir, const char *tag)
{
  static unsigned long counter;
  unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
  snprintf(out, cap, "%s/%s-%ld-%lu", dir, tag, (long)getpid(), n);
  return out;
}

double mdk_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool mdk_write_all(int fd, const void *p, size_t n)
{
  const char *c = p;
  while(n) {
    ssize_t w = write(fd, c, n);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0) {
      if(w == 0)
        errno = EIO;
      return false;
    }
    c += w;
    n -= (size_t)w;
  }
  return true;
}

bool mdk_find_program(const char *name, char *out, size_t cap)
{
  const char *path = getenv("PATH");
  if(!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  while(*path) {
    size_t n = strcspn(path, ":");
    snprintf(out, cap, "%.*s/%s", (int)(n ? n : 1), n ? path : ".", name);
    if(access(out, X_OK) == 0)
      return true;
    path += n + (path[n] == ':');
  }
  snprintf(out, cap, "/usr/bin/%s", name);
  return access(out, X_OK) == 0;
}
