/* run.c - see runtime.h.  The process tree of one step:
 *
 *   mdock ── waiter (unshared namespaces) ── init (pid 1): mounts, pivot_root,
 *                                                    credentials, exec
 *
 * The waiter exists because a new pid namespace applies to children only.
 * When init exits the kernel kills whatever it left behind. */
#include "runtime/run.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "runtime/userns.h"
#include "runtime/copyroot.h"

extern char **environ;

bool mdk_rt_available(char *why, size_t n)
{
  if(geteuid() != 0) {
    /* not root, and no user namespace could be had (runtime/userns.c) */
    snprintf(why, n, "RUN needs root or a user namespace: %s",
             *mdk_rt_userns_why() ? mdk_rt_userns_why()
                                  : "this process has neither");
    return false;
  }
  return true;
}

/* Messages from the child: "E text" (setup failed) and "M path" (a mount
 * point it had to create, to be removed from the layer). */
static int msg_fd = -1;

static void say(char kind, const char *fmt, ...)
{
  char buf[700];
  va_list ap;
  int n;
  buf[0] = kind;
  buf[1] = ' ';
  va_start(ap, fmt);
  n = vsnprintf(buf + 2, sizeof(buf) - 3, fmt, ap);
  va_end(ap);
  if(n < 0)
    return;
  n = n > (int)sizeof(buf) - 4 ? (int)sizeof(buf) - 4 : n;
  buf[2 + n] = '\n';
  if(write(msg_fd, buf, (size_t)n + 3) < 0)
    _exit(127);
}

/* The path execvp would run for name (PATH of the step's environment). */
static bool find_program(const char *name, char *out, size_t cap)
{
  const char *path = getenv("PATH"), *p;
  if(strchr(name, '/')) {
    snprintf(out, cap, "%s", name);
    return true;
  }
  for(p = path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                 "/usr/bin:/sbin:/bin"; *p;) {
    size_t n = strcspn(p, ":");
    snprintf(out, cap, "%.*s/%s", (int)n, p, name);
    if(access(out, X_OK) == 0)
      return true;
    p += n + (p[n] == ':');
  }
  return false;
}

/* the ELF machine of the file at path (following one #! line), 0 when it
 * is no ELF file (the kernel decides then) */
static int elf_machine_of(const char *path, int depth, char *prog,
                          size_t cap)
{
  unsigned char h[128];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  snprintf(prog, cap, "%s", path);
  if(fd < 0)
    return 0;
  n = read(fd, h, sizeof(h) - 1);
  close(fd);
  if(n >= 20 && memcmp(h, "\x7f" "ELF", 4) == 0)
    return h[5] == 2 ? h[18] << 8 | h[19] : h[18] | h[19] << 8;
  if(n > 2 && h[0] == '#' && h[1] == '!' && depth == 0) {
    char interp[128];
    size_t i = 2, k = 0;
    h[n] = '\0';
    while(h[i] == ' ' || h[i] == '\t')
      i++;
    while(h[i] && h[i] != ' ' && h[i] != '\t' && h[i] != '\n' &&
          k + 1 < sizeof(interp))
      interp[k++] = (char)h[i++];
    interp[k] = '\0';
    return k ? elf_machine_of(interp, 1, prog, cap) : 0;
  }
  return 0;
}

static const char *machine_name(int m)
{
  switch(m) {
  case 3: return "x86 (386)";
  case 8: return "MIPS";
  case 20: return "PowerPC";
  case 21: return "PowerPC 64";
  case 22: return "s390x";
  case 40: return "ARM (arm)";
  case 62: return "x86-64 (amd64)";
  case 183: return "AArch64 (arm64)";
  case 243: return "RISC-V";
  case 258: return "LoongArch";
  default: return "another machine's";
  }
}

/* A program of another machine than the image's platform would run as
 * the host's (an x86-64 binary in a riscv64 image runs natively): refused
 * with what is wrong, exit 126 as for any program that cannot run. */
static void check_machine(const struct mdk_rt_spec *sp)
{
  char path[4096], prog[4096];
  int m;
  if(!find_program(sp->argv[0], path, sizeof(path)))
    return;                     /* execvp reports it */
  m = elf_machine_of(path, 0, prog, sizeof(prog));
  if(m && m != sp->elf_machine) {
    say('X', "cannot run %s: it is built for %s and the image is for %s "
        "(its binaries are not for the platform its config names; build "
        "it from a base for %s)", prog, machine_name(m),
        sp->platform ? sp->platform : "another platform",
        sp->platform ? sp->platform : "that platform");
    _exit(126);
  }
}

static void die(const char *what)
{
  say('E', "%s: %s", what, strerror(errno));
  _exit(127);
}

/* The merged root, open while init sets it up: every path an image
 * controls is resolved in it (a layer's /etc may be a symlink to a host
 * directory; its /proc to ../../..). */
static int root_fd = -1;

/* Makes path (as the container will see it, in the merged root) exist as a
 * dir or an empty file, and gives its host path in full, which holds no
 * symlink: mounts on it land inside the root.  A created one is reported,
 * so that it stays out of the layer. */
static void ensure(const char *merged, const char *path, bool dir,
                   char *full, size_t cap)
{
  char phys[4096];
  struct stat sb;
  size_t i;
  if(!mdk_resolve_in_root(root_fd, path, phys, sizeof(phys))) {
    errno = ELOOP;
    die(path);
  }
  snprintf(full, cap, "%s/%s", merged, phys);
  if(lstat(full, &sb) == 0)
    return;
  /* the missing tail: its parents first (none of it is a symlink) */
  for(i = 0; phys[i]; i++) {
    if(phys[i] != '/')
      continue;
    phys[i] = '\0';
    if(mkdirat(root_fd, phys, 0755) == 0)
      say('M', "/%s", phys);
    else if(errno != EEXIST)
      die(full);
    phys[i] = '/';
  }
  if(dir ? mkdirat(root_fd, phys, 0755)
         : close(openat(root_fd, phys, O_WRONLY | O_CREAT | O_EXCL |
                        O_NOFOLLOW | O_CLOEXEC, 0644)))
    die(full);
  say('M', "/%s", phys);
}

static void mount_or_die(const char *src, const char *dst, const char *type,
                         unsigned long flags, const char *data)
{
  if(mount(src, dst, type, flags, data))
    die(dst);
}

static void bind_file(const char *merged, const char *host,
                      const char *inside, bool ro)
{
  char dst[4200];
  ensure(merged, inside, false, dst, sizeof(dst));
  mount_or_die(host, dst, NULL, MS_BIND, NULL);
  if(ro)
    mount_or_die(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}

static void setup_dev(const char *merged, uint64_t shm_size)
{
  static const char *const nodes[] = {"null", "zero", "full", "random",
                                      "urandom", "tty", NULL};
  char dev[4200], p[4300];
  int i;
  ensure(merged, "/dev", true, dev, sizeof(dev));
  mount_or_die("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755");
  for(i = 0; nodes[i]; i++) {
    char host[64];
    int fd;
    snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
    snprintf(p, sizeof(p), "%s/%s", dev, nodes[i]);
    fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if(fd >= 0)
      close(fd);
    if(mount(host, p, NULL, MS_BIND, NULL))
      die(p);
  }
  snprintf(p, sizeof(p), "%s/pts", dev);
  mkdir(p, 0755);
  (void)mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
              "newinstance,ptmxmode=0666,mode=0620");
  snprintf(p, sizeof(p), "%s/shm", dev);
  mkdir(p, 01777);
  {
    /* docker's default is 64 MiB; docker build --shm-size sets another */
    char opts[64];
    snprintf(opts, sizeof(opts), "mode=1777,size=%llu",
             (unsigned long long)(shm_size ? shm_size : 64ULL << 20));
    (void)mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts);
  }
  snprintf(p, sizeof(p), "%s/ptmx", dev);
  (void)symlink("pts/ptmx", p);
  snprintf(p, sizeof(p), "%s/fd", dev);
  (void)symlink("/proc/self/fd", p);
  snprintf(p, sizeof(p), "%s/stdin", dev);
  (void)symlink("/proc/self/fd/0", p);
  snprintf(p, sizeof(p), "%s/stdout", dev);
  (void)symlink("/proc/self/fd/1", p);
  snprintf(p, sizeof(p), "%s/stderr", dev);
  (void)symlink("/proc/self/fd/2", p);
}

static void write_small(const char *path, const char *text)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0)
    die(path);
  if(write(fd, text, strlen(text)) < 0)
    die(path);
  close(fd);
}

bool mdk_rt_overlay_opts(const struct mdk_rt_spec *sp, char *buf,
                         size_t cap)
{
  size_t i, o = (size_t)snprintf(buf, cap, "lowerdir=");
  for(i = 0; i < sp->nlowers && o < cap; i++)
    o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ":" : "",
                          sp->lowers[i]);
  if(o < cap)
    o += (size_t)snprintf(buf + o, cap - o, ",upperdir=%s,workdir=%s",
                          sp->upper, sp->work);
  return o < cap;
}

static void init_main(const struct mdk_rt_spec *sp)
{
  char opts[16384], p[4200], hosts[4200], resolv[4200];
  size_t i;
  const char *m = sp->merged;

  if(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
    die("making mounts private");
  /* the root: the layers under a fresh upper dir */
  if(!mdk_rt_overlay_opts(sp, opts, sizeof(opts))) {
    errno = E2BIG;
    die("overlay options");
  }
  if(sp->overlay == MDK_RT_OVL_COPY) {
    /* the copy of the layers (runtime/copyroot.h), a mount point for
     * pivot_root */
    mount_or_die(m, m, NULL, MS_BIND | MS_REC, NULL);
  }
  else {
    char err[300] = "";
    if(mdk_rt_overlay_mount(sp->overlay, opts, m, err, sizeof(err))) {
      if(err[0]) {
        say('E', "%s", err);
        _exit(127);
      }
      die(m);
    }
  }
  root_fd = open(m, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if(root_fd < 0)
    die(m);
  ensure(m, "/proc", true, p, sizeof(p));
  mount_or_die("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  setup_dev(m, sp->shm_size);
  ensure(m, "/sys", true, p, sizeof(p));
  if(mount("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
           NULL))
    (void)mount("/sys", p, NULL, MS_BIND | MS_REC | MS_RDONLY, NULL);
  /* hosts and resolv.conf: the builder's, never the layer's */
  snprintf(hosts, sizeof(hosts), "%s.hosts", sp->work);
  snprintf(resolv, sizeof(resolv), "%s.resolv", sp->work);
  {
    char text[8192];
    snprintf(text, sizeof(text), "127.0.0.1\tlocalhost %s\n::1\tlocalhost "
             "ip6-localhost ip6-loopback\n%s%s", sp->hostname ? sp->hostname
                                                               : "localhost",
             sp->network == MDK_RT_NET_SLIRP
               ? MDK_RT_SLIRP_HOST "\t" MDK_RT_SLIRP_HOST_NAME "\n" : "",
             sp->extra_hosts ? sp->extra_hosts : "");
    write_small(hosts, text);
    if(sp->network == MDK_RT_NET_SLIRP) {
      write_small(resolv, "nameserver " MDK_RT_SLIRP_DNS "\n");
    }
    else if(sp->network == MDK_RT_NET_HOST &&
            access("/etc/resolv.conf", R_OK) == 0) {
      char buf[4096] = {0};
      int fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
      ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
      if(fd >= 0)
        close(fd);
      write_small(resolv, n > 0 ? buf : "");
    }
    else {
      write_small(resolv, "");
    }
  }
  bind_file(m, hosts, "/etc/hosts", false);
  bind_file(m, resolv, "/etc/resolv.conf", false);
  for(i = 0; i < sp->nmounts; i++) {
    const struct mdk_rt_mount *mt = &sp->mounts[i];
    ensure(m, mt->target, !mt->file, p, sizeof(p));
    if(mt->type == MDK_RT_TMPFS) {
      char topts[256];
      snprintf(topts, sizeof(topts), "mode=1777%s%s", mt->options ? "," : "",
               mt->options ? mt->options : "");
      mount_or_die("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, topts);
      continue;
    }
    if(mt->scratch && !mt->file) {
      /* writable here, discarded after: the source stays as it was */
      char o2[12800], up[4200], wk[4200], err[300] = "";
      snprintf(up, sizeof(up), "%s/upper", mt->scratch);
      snprintf(wk, sizeof(wk), "%s/work", mt->scratch);
      mkdir(mt->scratch, 0700);
      mkdir(up, 0755);
      mkdir(wk, 0700);
      snprintf(o2, sizeof(o2), "lowerdir=%s,upperdir=%s,workdir=%s",
               mt->source, up, wk);
      if(sp->overlay == MDK_RT_OVL_COPY) {
        const char *src[1] = {mt->source};
        if(!mdk_rt_copy_layers(src, 1, up, err, sizeof(err))) {
          say('E', "%s", err);
          _exit(127);
        }
        mount_or_die(up, p, NULL, MS_BIND | MS_REC, NULL);
      }
      else if(mdk_rt_overlay_mount(sp->overlay, o2, p, err, sizeof(err))) {
        if(err[0]) {
          say('E', "%s", err);
          _exit(127);
        }
        die(p);
      }
      continue;
    }
    mount_or_die(mt->source, p, NULL, MS_BIND | MS_REC, NULL);
    if(mt->readonly)
      mount_or_die(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
  }
  if(sp->hostname)
    (void)sethostname(sp->hostname, strlen(sp->hostname));
  if(sp->network != MDK_RT_NET_HOST)
    mdk_rt_loopback_up();
  close(root_fd);
  /* fuse-overlayfs's daemons stay in this mount namespace, with the host's
   * root: pivot_root in it would make their own mount their root, and
   * every lookup of theirs wait on themselves */
  if(sp->overlay == MDK_RT_OVL_FUSE &&
     (unshare(CLONE_NEWNS) ||
      mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)))
    die("a mount namespace for the step");
  if(chdir(m) || syscall(SYS_pivot_root, ".", ".") ||
     umount2(".", MNT_DETACH) || chdir("/"))
    die("pivot_root");
  /* docker build --ulimit, while the step is still root here */
  {
    size_t k;
    for(k = 0; k < sp->nulimits; k++) {
      struct rlimit rl = {(rlim_t)sp->ulimits[k].soft,
                          (rlim_t)sp->ulimits[k].hard};
      if(setrlimit(sp->ulimits[k].resource, &rl)) {
        say('E', "--ulimit: setrlimit %d: %s", sp->ulimits[k].resource,
            strerror(errno));
        _exit(127);
      }
    }
  }
  /* rootless with one ID, setgroups is denied (the kernel's rule for an
   * unprivileged gid map): the step keeps no supplementary groups then */
  if((setgroups(sp->ngroups ? sp->ngroups : 1,
                sp->ngroups ? sp->groups : &sp->gid) &&
      !(errno == EPERM && mdk_userns_rootless())) ||
     setgid(sp->gid) || setuid(sp->uid))
    die("setting the user");
  if(chdir(sp->cwd && *sp->cwd ? sp->cwd : "/")) {
    say('E', "the working directory %s: %s", sp->cwd, strerror(errno));
    _exit(127);
  }
  {
    int in = sp->in_fd >= 0 ? sp->in_fd : open("/dev/null", O_RDONLY |
                                                           O_CLOEXEC);
    if(in < 0 || dup2(in, 0) < 0 || dup2(sp->out_fd, 1) < 0 ||
       dup2(sp->err_fd >= 0 ? sp->err_fd : sp->out_fd, 2) < 0)
      die("redirecting output");
    /* a session of its own whose terminal is the pty: ^C and window
     * sizes reach the command as on docker run -t */
    if(sp->tty && (setsid() < 0 || ioctl(0, TIOCSCTTY, 0) < 0))
      die("making the terminal the command's");
  }
  environ = (char **)sp->env;
  if(sp->elf_machine)
    check_machine(sp);
  execvp(sp->argv[0], (char *const *)sp->argv);
  {
    /* docker's codes: 127 not found, 126 found but not runnable */
    int err = errno;
    say('X', "cannot run %s: %s", sp->argv[0], strerror(err));
    _exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
  }
}

/* The steps running now (their waiter, or the OCI runtime's process), so
 * that Ctrl-C can kill them from a signal handler: slots of pids, set and
 * cleared atomically. */
enum { TRACKED = 64 };
static pid_t tracked[TRACKED];

void mdk_rt_track(pid_t pid)
{
  int i;
  for(i = 0; i < TRACKED; i++) {
    pid_t none = 0;
    if(__atomic_compare_exchange_n(&tracked[i], &none, pid, false,
                                   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return;
  }
}

void mdk_rt_untrack(pid_t pid)
{
  int i;
  for(i = 0; i < TRACKED; i++) {
    pid_t p = pid;
    if(__atomic_compare_exchange_n(&tracked[i], &p, 0, false,
                                   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return;
  }
}

void mdk_rt_kill_all(void)
{
  int i;
  for(i = 0; i < TRACKED; i++) {
    pid_t p = __atomic_load_n(&tracked[i], __ATOMIC_SEQ_CST);
    if(p > 0)
      kill(p, SIGKILL);       /* the step's namespace dies with it */
  }
}

/* Waiters that sent their step's status and are still tearing their
 * namespaces down (a mount or IPC namespace's last exit waits for an RCU
 * grace period, up to ~100 ms): reaped later, not waited for. */
static pid_t exiting[64];
static size_t nexiting;
static pthread_mutex_t exiting_mu = PTHREAD_MUTEX_INITIALIZER;

static void reap_exiting(void)
{
  size_t i = 0;
  pthread_mutex_lock(&exiting_mu);
  while(i < nexiting) {
    if(waitpid(exiting[i], NULL, WNOHANG) != 0)
      exiting[i] = exiting[--nexiting];
    else
      i++;
  }
  pthread_mutex_unlock(&exiting_mu);
}

/* true when the waiter is left to finish on its own */
static bool let_exit(pid_t waiter)
{
  bool kept = false;
  pthread_mutex_lock(&exiting_mu);
  if(nexiting < sizeof(exiting) / sizeof(exiting[0])) {
    exiting[nexiting++] = waiter;
    kept = true;
  }
  pthread_mutex_unlock(&exiting_mu);
  return kept;
}

enum mdk_status mdk_rt_with_root(const struct mdk_rt_spec *spec,
                                 struct mdk_rt_result *res,
                                 mdk_rt_step_fn step, void *ctx)
{
  struct mdk_rt_spec sp = *spec;
  struct mdk_rt_copy_index *ix = NULL;
  enum mdk_status st;
  memset(res, 0, sizeof(*res));
  res->exit_code = -1;
  if(sp.network == MDK_RT_NET_SLIRP &&
     !(sp.netns = mdk_rt_netns_shared(res->error, sizeof(res->error))))
    return MDK_EIO;
  if(sp.overlay == MDK_RT_OVL_COPY &&
     (!mdk_rt_copy_layers(sp.lowers, sp.nlowers, sp.merged, res->error,
                          sizeof(res->error)) ||
      !(ix = mdk_rt_copy_index(sp.merged)))) {
    if(!res->error[0])
      snprintf(res->error, sizeof(res->error), "cannot index the copy of "
               "the layers (out of memory)");
    return MDK_EIO;
  }
  st = step(&sp, res, ctx);
  if(ix) {
    char err[512];
    if(!st && !mdk_rt_copy_diff(ix, sp.merged, sp.upper, err, sizeof(err))) {
      snprintf(res->error, sizeof(res->error), "%s", err);
      st = MDK_EIO;
    }
    mdk_rt_copy_index_free(ix);
  }
  return st;
}

static enum mdk_status run_step(const struct mdk_rt_spec *sp,
                                struct mdk_rt_result *res, void *ctx);

enum mdk_status mdk_rt_run(const struct mdk_rt_spec *spec,
                           struct mdk_rt_result *res)
{
  return mdk_rt_with_root(spec, res, run_step, NULL);
}

static enum mdk_status run_step(const struct mdk_rt_spec *sp,
                                struct mdk_rt_result *res, void *ctx)
{
  int pfd[2], sfd[2], status, sent = -1;
  pid_t waiter;
  memset(res, 0, sizeof(*res));
  res->exit_code = -1;
  res->error[0] = '\0';
  reap_exiting();
  if(pipe2(pfd, O_CLOEXEC))
    return MDK_EIO;
  if(pipe2(sfd, O_CLOEXEC)) {
    close(pfd[0]);
    close(pfd[1]);
    return MDK_EIO;
  }
  waiter = fork();
  if(waiter < 0) {
    close(pfd[0]);
    close(pfd[1]);
    close(sfd[0]);
    close(sfd[1]);
    snprintf(res->error, sizeof(res->error), "fork: %s", strerror(errno));
    return MDK_EIO;
  }
  if(waiter == 0) {
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC |
                (sp->network == MDK_RT_NET_NONE ? CLONE_NEWNET : 0);
    pid_t init;
    /* Ctrl-C kills the waiter, and with it the step (PDEATHSIG) */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    close(pfd[0]);
    close(sfd[0]);
    msg_fd = pfd[1];
    /* the step dies with mdock */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if(sp->network == MDK_RT_NET_SLIRP) {
      /* the namespace slirp4netns serves (runtime/net.c) */
      int nfd = open(sp->netns, O_RDONLY | O_CLOEXEC);
      if(nfd < 0 || setns(nfd, CLONE_NEWNET))
        die("joining the step's network namespace");
      close(nfd);
    }
    if(unshare(flags))
      die("unshare (namespaces)");
    init = fork();
    if(init < 0)
      die("fork");
    if(init == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      init_main(sp);
    }
    close(pfd[1]);
    for(;;) {
      if(waitpid(init, &status, 0) < 0) {
        if(errno == EINTR)
          continue;
        _exit(127);
      }
      break;
    }
    /* the status first: tearing the namespaces down is not the step's */
    status = WIFEXITED(status) ? WEXITSTATUS(status)
                               : 128 + WTERMSIG(status);
    (void)!write(sfd[1], &status, sizeof(status));
    _exit(status);
  }
  close(pfd[1]);
  close(sfd[1]);
  mdk_rt_track(waiter);
  {
    /* the child's messages: until exec closes the pipe */
    char buf[8192];
    size_t have = 0;
    ssize_t n;
    while(have < sizeof(buf) - 1 &&
          (n = read(pfd[0], buf + have, sizeof(buf) - 1 - have)) != 0) {
      if(n < 0) {
        if(errno == EINTR)
          continue;
        break;
      }
      have += (size_t)n;
    }
    buf[have] = '\0';
    close(pfd[0]);
    res->mounts_text[0] = '\0';
    {
      char *line, *save = NULL;
      size_t mo = 0;
      for(line = strtok_r(buf, "\n", &save); line;
          line = strtok_r(NULL, "\n", &save)) {
        if(line[0] == 'E' && line[1] == ' ' && !res->error[0])
          snprintf(res->error, sizeof(res->error), "%s", line + 2);
        else if(line[0] == 'X' && line[1] == ' ' && !res->exec_error[0])
          snprintf(res->exec_error, sizeof(res->exec_error), "%s", line + 2);
        else if(line[0] == 'M' && line[1] == ' ' &&
                mo + strlen(line) + 1 < sizeof(res->mounts_text)) {
          mo += (size_t)snprintf(res->mounts_text + mo,
                                 sizeof(res->mounts_text) - mo, "%s\n",
                                 line + 2);
        }
      }
    }
  }
  {
    ssize_t n;
    while((n = read(sfd[0], &sent, sizeof(sent))) < 0 && errno == EINTR)
      ;
    if(n != (ssize_t)sizeof(sent))
      sent = -1;
    close(sfd[0]);
  }
  if(sent >= 0 && let_exit(waiter)) {
    mdk_rt_untrack(waiter);
    res->exit_code = sent;
    return res->error[0] ? MDK_EIO : MDK_OK;
  }
  while(waitpid(waiter, &status, 0) < 0)
    if(errno != EINTR) {
      mdk_rt_untrack(waiter);
      snprintf(res->error, sizeof(res->error), "waitpid: %s",
               strerror(errno));
      return MDK_EIO;
    }
  mdk_rt_untrack(waiter);
  res->exit_code = WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
  return res->error[0] ? MDK_EIO : MDK_OK;
}
