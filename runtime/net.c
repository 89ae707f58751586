/* net.c - see net.h. */
#include "runtime/net.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static char slirp_path[4200];
static char why_not[512];       /* "" when slirp4netns can be had */
static int notice_given;

static bool on_path(const char *name, char *out, size_t cap)
{
  const char *path = getenv("PATH");
  char dir[4096];
  if(!path || !*path)
    path = "/usr/local/bin:/usr/bin:/bin";
  while(*path) {
    size_t n = strcspn(path, ":");
    snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
    snprintf(out, cap, "%s/%s", n ? dir : ".", name);
    if(access(out, X_OK) == 0)
      return true;
    path += n + (path[n] == ':');
  }
  return false;
}

static void probe(void)
{
  int fd;
  if(!on_path("slirp4netns", slirp_path, sizeof(slirp_path))) {
    snprintf(why_not, sizeof(why_not), "slirp4netns is not installed "
             "(apt-get install slirp4netns)");
    return;
  }
  /* slirp4netns opens the tap device as this process would */
  fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if(fd < 0) {
    snprintf(why_not, sizeof(why_not), "slirp4netns cannot open "
             "/dev/net/tun: %s%s", strerror(errno), errno == EACCES
             ? " (as root: chmod 0666 /dev/net/tun, the mode Debian's udev "
               "gives it)" : "");
    return;
  }
  close(fd);
}

bool mdk_rt_net_mode(const char *value, enum mdk_rt_netmode *mode,
                     const char **notice)
{
  if(value && strcmp(value, "host") == 0) {
    *mode = MDK_RT_NET_HOST;
    return true;
  }
  if(value && strcmp(value, "none") == 0) {
    *mode = MDK_RT_NET_NONE;
    return true;
  }
  if(value && *value && strcmp(value, "default") != 0)
    return false;
  pthread_once(&probe_once, probe);
  if(!why_not[0]) {
    *mode = MDK_RT_NET_SLIRP;
    return true;
  }
  *mode = MDK_RT_NET_HOST;
  if(notice && !__atomic_exchange_n(&notice_given, 1, __ATOMIC_SEQ_CST))
    *notice = why_not;
  return true;
}

static void loopback_up(void)
{
  struct ifreq ifr;
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if(s < 0)
    return;
  memset(&ifr, 0, sizeof(ifr));
  snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
  if(ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    (void)ioctl(s, SIOCSIFFLAGS, &ifr);
  }
  close(s);
}

static void reap(pid_t *pid)
{
  if(*pid <= 0)
    return;
  kill(*pid, SIGKILL);
  while(waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
    ;
  *pid = 0;
}

void mdk_rt_netns_close(struct mdk_rt_netns *n)
{
  reap(&n->slirp);
  reap(&n->holder);
}

/* reads one byte within ms milliseconds */
static bool read_byte(int fd, int ms)
{
  struct pollfd p = {.fd = fd, .events = POLLIN};
  char b;
  int r;
  while((r = poll(&p, 1, ms)) < 0 && errno == EINTR)
    ;
  return r == 1 && read(fd, &b, 1) == 1;
}

bool mdk_rt_netns_open(struct mdk_rt_netns *n, char *err, size_t cap)
{
  int hp[2], rp[2];
  memset(n, 0, sizeof(*n));
  pthread_once(&probe_once, probe);
  if(why_not[0]) {
    snprintf(err, cap, "%s", why_not);
    return false;
  }
  if(pipe2(hp, O_CLOEXEC))
    goto fail_errno;
  n->holder = fork();
  if(n->holder == 0) {
    /* the holder: a namespace with loopback up, kept until killed */
    char b = 'y';
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(hp[0]);
    if(unshare(CLONE_NEWNET))
      b = 'n';
    else
      loopback_up();
    (void)!write(hp[1], &b, 1);
    close(hp[1]);
    for(;;)
      pause();
  }
  close(hp[1]);
  if(n->holder < 0 || !read_byte(hp[0], 10000)) {
    close(hp[0]);
    snprintf(err, cap, "cannot make a network namespace");
    mdk_rt_netns_close(n);
    return false;
  }
  close(hp[0]);
  snprintf(n->path, sizeof(n->path), "/proc/%ld/ns/net", (long)n->holder);
  if(pipe(rp))                  /* its write end goes to slirp4netns */
    goto fail_errno;
  n->slirp = fork();
  if(n->slirp == 0) {
    char fdarg[32], pid[24];
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(rp[0]);
    snprintf(fdarg, sizeof(fdarg), "--ready-fd=%d", rp[1]);
    snprintf(pid, sizeof(pid), "%ld", (long)n->holder);
    if(devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
    }
    execl(slirp_path, slirp_path, "--configure", "--mtu=65520", fdarg, pid,
          "tap0", (char *)NULL);
    _exit(127);
  }
  close(rp[1]);
  if(n->slirp < 0 || !read_byte(rp[0], 10000)) {
    close(rp[0]);
    snprintf(err, cap, "slirp4netns did not set the network up (its "
             "error, if any, is above)");
    mdk_rt_netns_close(n);
    return false;
  }
  close(rp[0]);
  return true;
fail_errno:
  snprintf(err, cap, "cannot set the network up: %s", strerror(errno));
  mdk_rt_netns_close(n);
  return false;
}
