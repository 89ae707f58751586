/* overlay.c - see overlay.h. */
#include "runtime/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/base.h"

/* rootless, the kernel's overlay keeps its marks in user.overlay.* */
static const char *userxattr(void)
{
  return mdk_userns_rootless() ? ",userxattr" : "";
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int kind = -1;
static char fuse_path[4200];
static char why[600];
static int notice_given;

/* Whether the kernel mounts an overlay here: in a child, in a mount
 * namespace of its own (nothing stays mounted), on directories under
 * scratch. */
static bool kernel_works(const char *scratch)
{
  char base[4200], l[4300], u[4300], w[4300], m[4300], opts[17400];
  pid_t c;
  int status;
  bool ok = false;
  snprintf(base, sizeof(base), "%s/ovl-probe.%ld", scratch, (long)getpid());
  snprintf(l, sizeof(l), "%s/l", base);
  snprintf(u, sizeof(u), "%s/u", base);
  snprintf(w, sizeof(w), "%s/w", base);
  snprintf(m, sizeof(m), "%s/m", base);
  if((mkdir(base, 0700) && errno != EEXIST) || mkdir(l, 0755) ||
     mkdir(u, 0755) || mkdir(w, 0700) || mkdir(m, 0755)) {
    mdk_rmtree(base);
    return false;
  }
  snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s%s", l, u,
           w, userxattr());
  c = fork();
  if(c == 0) {
    if(unshare(CLONE_NEWNS) ||
       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
       mount("overlay", m, "overlay", 0, opts))
      _exit(1);
    _exit(0);
  }
  if(c > 0) {
    while(waitpid(c, &status, 0) < 0 && errno == EINTR)
      ;
    ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  mdk_rmtree(base);
  return ok;
}

static bool fuse_works(void)
{
  int fd;
  if(!mdk_find_program("fuse-overlayfs", fuse_path, sizeof(fuse_path))) {
    snprintf(why, sizeof(why), "the kernel refuses overlay mounts in a user "
             "namespace (Linux 5.11 and later allow them) and "
             "fuse-overlayfs is not installed (apt-get install "
             "fuse-overlayfs)");
    return false;
  }
  fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if(fd < 0) {
    snprintf(why, sizeof(why), "the kernel refuses overlay mounts in a user "
             "namespace (Linux 5.11 and later allow them) and "
             "fuse-overlayfs cannot open /dev/fuse: %s%s", strerror(errno),
             errno == EACCES ? " (as root: chmod 0666 /dev/fuse, the mode "
                               "Debian's udev gives it)" : "");
    return false;
  }
  close(fd);
  return true;
}

enum mdk_rt_overlay mdk_rt_overlay_kind(const char *scratch_dir,
                                        const char **notice)
{
  enum mdk_rt_overlay k;
  const char *force = getenv("MDOCK_OVERLAY");
  pthread_mutex_lock(&mu);
  if(kind < 0) {
    if(force && strcmp(force, "copy") == 0) {
      kind = MDK_RT_OVL_COPY;
      snprintf(why, sizeof(why), "MDOCK_OVERLAY=copy");
    }
    else if(force && strcmp(force, "fuse") == 0)
      kind = fuse_works() ? MDK_RT_OVL_FUSE : MDK_RT_OVL_COPY;
    else if((force && strcmp(force, "kernel") == 0) ||
            !mdk_userns_rootless() || kernel_works(scratch_dir))
      kind = MDK_RT_OVL_KERNEL;
    else
      kind = fuse_works() ? MDK_RT_OVL_FUSE : MDK_RT_OVL_COPY;
  }
  k = (enum mdk_rt_overlay)kind;
  pthread_mutex_unlock(&mu);
  if(notice && (mdk_userns_rootless() || k == MDK_RT_OVL_COPY) &&
     !__atomic_exchange_n(&notice_given, 1, __ATOMIC_SEQ_CST)) {
    static char copying[800];
    snprintf(copying, sizeof(copying), "no overlay mount: every RUN works "
             "on a copy of its image (slow; the layers are the same): %s",
             why);
    *notice = k == MDK_RT_OVL_KERNEL
              ? "rootless: the kernel's overlay, in the user namespace"
              : k == MDK_RT_OVL_FUSE
              ? "rootless: fuse-overlayfs (the kernel refuses overlay "
                "mounts in a user namespace before Linux 5.11)"
              : copying;
  }
  return k;
}

int mdk_rt_overlay_mount(enum mdk_rt_overlay k, const char *opts,
                         const char *target, char *err, size_t cap)
{
  char full[17000];
  pid_t c;
  int status;
  if(k == MDK_RT_OVL_KERNEL) {
    snprintf(full, sizeof(full), "%s%s", opts, userxattr());
    return mount("overlay", target, "overlay", 0, full);
  }
  if(k != MDK_RT_OVL_FUSE) {
    snprintf(err, cap, "%s", why);
    errno = ENODEV;
    return -1;
  }
  /* fuse-overlayfs mounts, then stays as the mount's daemon: it ends when
   * the mount goes (the step's mount namespace with it) */
  c = fork();
  if(c == 0) {
    int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if(nul >= 0) {
      dup2(nul, 0);
      dup2(nul, 1);
    }
    execl(fuse_path, fuse_path, "-o", opts, target, (char *)NULL);
    _exit(127);
  }
  if(c < 0)
    return -1;
  while(waitpid(c, &status, 0) < 0)
    if(errno != EINTR)
      return -1;
  if(!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    snprintf(err, cap, "fuse-overlayfs could not mount the step's root "
             "(its error is above)");
    errno = EIO;
    return -1;
  }
  return 0;
}

/* Whether some layer below has a directory at rel ("" is the root). */
static bool dir_below(const char *const *lowers, size_t nl, const char *rel)
{
  char p[8400];
  struct stat sb;
  size_t i;
  for(i = 0; i < nl; i++) {
    snprintf(p, sizeof(p), "%s/%s", lowers[i], rel);
    if(lstat(p, &sb) == 0)
      return S_ISDIR(sb.st_mode);
  }
  return false;
}

static void normalize_dir(int dfd, char *rel, size_t rlen, size_t cap,
                          const char *const *lowers, size_t nl, int depth)
{
  char proc[64], v[8];
  size_t n = 0, i;
  bool opaque = false;
  char **names;
  snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dfd);
  for(i = 0; mdk_userns_opaque_names[i]; i++) {
    if(getxattr(proc, mdk_userns_opaque_names[i], v, sizeof(v)) > 0)
      opaque = true;
    (void)removexattr(proc, mdk_userns_opaque_names[i]);
  }
  if(unlinkat(dfd, ".wh..wh..opq", 0) == 0)
    opaque = true;
  {
    /* and its whiteout-style mark: a 0/0 device named ".wh..opq" */
    struct stat ws;
    if(fstatat(dfd, ".wh..opq", &ws, AT_SYMLINK_NOFOLLOW) == 0 &&
       S_ISCHR(ws.st_mode) && ws.st_rdev == 0 &&
       unlinkat(dfd, ".wh..opq", 0) == 0)
      opaque = true;
  }
  /* opaque only means something over a directory below */
  if(opaque && dir_below(lowers, nl, rel))
    (void)setxattr(proc, mdk_userns_opaque_xattr(), "y", 1, 0);
  if(depth > 256 || !(names = mdk_dir_names(dfd, &n)))
    return;
  for(i = 0; i < n; i++) {
    struct stat sb;
    int cfd;
    size_t l = strlen(names[i]);
    if(fstatat(dfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) ||
       !S_ISDIR(sb.st_mode) || rlen + l + 2 >= cap)
      continue;
    cfd = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                 O_CLOEXEC);
    if(cfd < 0)
      continue;
    snprintf(rel + rlen, cap - rlen, "%s%s", rlen ? "/" : "", names[i]);
    normalize_dir(cfd, rel, rlen + l + (rlen ? 1 : 0), cap, lowers, nl,
                  depth + 1);
    rel[rlen] = '\0';
    close(cfd);
  }
  mdk_dir_names_free(names, n);
}

void mdk_rt_overlay_normalize(const char *upper, const char *const *lowers,
                              size_t nl)
{
  char rel[8192] = "";
  int fd = open(upper, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd < 0)
    return;
  normalize_dir(fd, rel, 0, sizeof(rel), lowers, nl, 0);
  close(fd);
}
