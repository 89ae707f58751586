/* net.c - see net.h. */
#include "runtime/net.h"

#include "base/base.h"

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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static char slirp_path[4200];
static char why_not[512];       /* "" when slirp4netns can be had */
static int notice_given;

static void probe(void)
{
  int fd;
  if(!mdk_find_program("slirp4netns", slirp_path, sizeof(slirp_path))) {
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

void mdk_rt_loopback_up(void)
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

static pthread_mutex_t shared_mu = PTHREAD_MUTEX_INITIALIZER;
static pid_t holder, slirp;
static char shared_path[64];
static char shared_err[600];
static bool tried;

/* at exit: both go at once, without waiting for the kernel to tear the
 * namespace down (the process is ending); were it killed, the pipe whose
 * write end it held tells them (EOF) */
static void end_shared(void)
{
  if(slirp > 0)
    kill(slirp, SIGKILL);
  if(holder > 0)
    kill(holder, SIGKILL);
}

static bool start_shared(void)
{
  int hp[2], life[2], rp[2], logfd;
  char b;
  if(pipe2(hp, O_CLOEXEC))
    return false;
  /* life: mdock keeps the write end for as long as it lives */
  if(pipe2(life, O_CLOEXEC)) {
    close(hp[0]);
    close(hp[1]);
    return false;
  }
  holder = fork();
  if(holder == 0) {
    /* the holder: a namespace with loopback up, until mdock is gone */
    close(hp[0]);
    close(life[1]);
    b = unshare(CLONE_NEWNET) ? 'n' : 'y';
    if(b == 'y')
      mdk_rt_loopback_up();
    (void)!write(hp[1], &b, 1);
    close(hp[1]);
    while(read(life[0], &b, 1) < 0 && errno == EINTR)
      ;
    _exit(0);
  }
  close(hp[1]);
  if(holder < 0 || !read_byte(hp[0], 10000)) {
    close(hp[0]);
    snprintf(shared_err, sizeof(shared_err), "cannot make a network "
             "namespace");
    return false;
  }
  close(hp[0]);
  snprintf(shared_path, sizeof(shared_path), "/proc/%ld/ns/net",
           (long)holder);
  if(pipe2(rp, O_CLOEXEC))
    return false;
  logfd = memfd_create("slirp4netns-log", MFD_CLOEXEC);
  slirp = fork();
  if(slirp == 0) {
    char readyarg[32], exitarg[32], pid[24];
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    /* dup'd: without close-on-exec, slirp4netns's own */
    int w = dup(rp[1]), x = dup(life[0]);
    snprintf(readyarg, sizeof(readyarg), "--ready-fd=%d", w);
    snprintf(exitarg, sizeof(exitarg), "--exit-fd=%d", x);
    snprintf(pid, sizeof(pid), "%ld", (long)holder);
    if(devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(logfd >= 0 ? logfd : devnull, 2);
    }
    execl(slirp_path, slirp_path, "--configure", "--mtu=65520", readyarg,
          exitarg, pid, "tap0", (char *)NULL);
    _exit(127);
  }
  close(rp[1]);
  close(life[0]);
  if(slirp < 0 || !read_byte(rp[0], 15000)) {
    char log[300] = "";
    ssize_t got = logfd >= 0 ? pread(logfd, log, sizeof(log) - 1, 0) : -1;
    if(got > 0) {
      log[got] = '\0';
      log[strcspn(log, "\n")] = '\0';
    }
    snprintf(shared_err, sizeof(shared_err), "slirp4netns did not set the "
             "step's network up%s%s", got > 0 ? ": " : "",
             got > 0 ? log : "");
    close(rp[0]);
    if(logfd >= 0)
      close(logfd);
    return false;
  }
  close(rp[0]);
  if(logfd >= 0)
    close(logfd);
  return true;
}

const char *mdk_rt_netns_shared(char *err, size_t cap)
{
  const char *out;
  pthread_mutex_lock(&shared_mu);
  if(!tried) {
    tried = true;
    pthread_once(&probe_once, probe);
    if(why_not[0])
      snprintf(shared_err, sizeof(shared_err), "%s", why_not);
    else if(!start_shared() && !shared_err[0])
      snprintf(shared_err, sizeof(shared_err), "cannot set the network "
               "up: %s", strerror(errno));
    atexit(end_shared);
  }
  out = shared_err[0] ? NULL : shared_path;
  if(!out)
    snprintf(err, cap, "%s", shared_err);
  pthread_mutex_unlock(&shared_mu);
  return out;
}
