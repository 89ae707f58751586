/* userns.c - see userns.h.  The process unshares its user namespace
 * itself (so it keeps its pid, its terminal and its exit status); a helper
 * forked before that stays outside and runs newuidmap/newgidmap on it,
 * which only a process of the parent namespace can do for a range. */
#include "runtime/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int entered = -1;        /* enum mdk_rt_ids, -1 before entering */
static char why[512];
static char notice[512];        /* the one-ID warning, until taken */
static int notice_taken;
static unsigned long sub_uid, sub_uid_n, sub_gid, sub_gid_n;
static unsigned long my_uid, my_gid;

/* The first range of the user (by name or number) in /etc/subuid or
 * /etc/subgid ("name:start:count" lines, as shadow's tools read them). */
static bool sub_range(const char *file, const char *name, unsigned long id,
                      unsigned long *start, unsigned long *count)
{
  char line[512], idtext[32];
  FILE *f = fopen(file, "re");
  bool found = false;
  if(!f)
    return false;
  snprintf(idtext, sizeof(idtext), "%lu", id);
  while(!found && fgets(line, sizeof(line), f)) {
    char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if(!c2 || line[0] == '#')
      continue;
    *c1 = '\0';
    if(strcmp(line, idtext) != 0 && (!name || strcmp(line, name) != 0))
      continue;
    *start = strtoul(c1 + 1, NULL, 10);
    *count = strtoul(c2 + 1, NULL, 10);
    found = *count > 0;
  }
  fclose(f);
  return found;
}

static bool write_file(const char *path, const char *text)
{
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  bool ok;
  if(fd < 0)
    return false;
  ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
  close(fd);
  return ok;
}

static long read_long(const char *path)
{
  char buf[32] = {0};
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;
  if(fd < 0)
    return -1;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* unshare(CLONE_NEWUSER) was refused: the setting or the policy that did
 * it, and what to change */
static void explain_refusal(int err)
{
  if(read_long("/proc/sys/user/max_user_namespaces") == 0)
    snprintf(why, sizeof(why), "user namespaces are turned off here "
             "(/proc/sys/user/max_user_namespaces is 0): as root, `sysctl "
             "-w user.max_user_namespaces=15000`; in a container, ask for "
             "one where user namespaces are allowed");
  else if(err == ENOSPC || err == EUSERS)
    snprintf(why, sizeof(why), "the limit of user namespaces is reached "
             "(user.max_user_namespaces, here or in a namespace enclosing "
             "this one, e.g. a container's): raise it with sysctl as root "
             "of that namespace");
  else if(read_long("/proc/sys/kernel/unprivileged_userns_clone") == 0)
    snprintf(why, sizeof(why), "unprivileged user namespaces are turned "
             "off (/proc/sys/kernel/unprivileged_userns_clone is 0): as "
             "root, `sysctl -w kernel.unprivileged_userns_clone=1`");
  else if(read_long("/proc/sys/kernel/apparmor_restrict_unprivileged_userns")
          == 1)
    snprintf(why, sizeof(why), "AppArmor restricts unprivileged user "
             "namespaces (kernel.apparmor_restrict_unprivileged_userns is "
             "1): give mdock an AppArmor profile with `userns,` or set the "
             "sysctl to 0 as root");
  else if(err == EPERM)
    snprintf(why, sizeof(why), "unshare(CLONE_NEWUSER) is refused "
             "(Operation not permitted): a seccomp profile or a security "
             "module forbids user namespaces -- in a container, run it with "
             "a seccomp profile that allows unshare (docker/podman: "
             "--security-opt seccomp=unconfined; Kubernetes: "
             "seccompProfile Unconfined), or run mdock as root");
  else
    snprintf(why, sizeof(why), "cannot create a user namespace: %s",
             strerror(err));
}

/* Runs newuidmap then newgidmap on pid; their own errors reach stderr. */
static bool run_map(const char *helper, pid_t pid, unsigned long id,
                    unsigned long start, unsigned long count)
{
  char a_pid[24], a_id[24], a_start[24], a_count[24];
  pid_t c;
  int status;
  snprintf(a_pid, sizeof(a_pid), "%ld", (long)pid);
  snprintf(a_id, sizeof(a_id), "%lu", id);
  snprintf(a_start, sizeof(a_start), "%lu", start);
  snprintf(a_count, sizeof(a_count), "%lu", count);
  c = fork();
  if(c < 0)
    return false;
  if(c == 0) {
    execl(helper, helper, a_pid, "0", a_id, "1", "1", a_start, a_count,
          (char *)NULL);
    _exit(127);
  }
  while(waitpid(c, &status, 0) < 0)
    if(errno != EINTR)
      return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The helper: waits until the parent has unshared, maps it, says how it
 * went (one byte) and exits. */
static void helper_main(int go, int done, const char *uidmap,
                        const char *gidmap)
{
  char b;
  pid_t parent = getppid();
  bool ok;
  ssize_t n;
  while((n = read(go, &b, 1)) < 0 && errno == EINTR)
    ;
  if(n != 1)
    _exit(1);
  ok = run_map(uidmap, parent, my_uid, sub_uid, sub_uid_n) &&
       run_map(gidmap, parent, my_gid, sub_gid, sub_gid_n);
  b = ok ? 'y' : 'n';
  (void)!write(done, &b, 1);
  _exit(0);
}

static enum mdk_rt_ids enter_range(const char *uidmap, const char *gidmap)
{
  int go[2], done[2];
  pid_t helper;
  char b = 'n';
  ssize_t n;
  if(pipe2(go, O_CLOEXEC))
    return MDK_RT_IDS_NONE;
  if(pipe2(done, O_CLOEXEC)) {
    close(go[0]);
    close(go[1]);
    return MDK_RT_IDS_NONE;
  }
  helper = fork();
  if(helper == 0) {
    close(go[1]);
    close(done[0]);
    helper_main(go[0], done[1], uidmap, gidmap);
  }
  close(go[0]);
  close(done[1]);
  if(helper < 0 || unshare(CLONE_NEWUSER)) {
    int err = errno;
    close(go[1]);               /* the helper reads EOF and leaves */
    close(done[0]);
    if(helper > 0)
      (void)waitpid(helper, NULL, 0);
    explain_refusal(err);
    return MDK_RT_IDS_NONE;
  }
  (void)!write(go[1], "g", 1);
  close(go[1]);
  while((n = read(done[0], &b, 1)) < 0 && errno == EINTR)
    ;
  close(done[0]);
  (void)waitpid(helper, NULL, 0);
  if(b != 'y') {
    /* an unmapped namespace is of no use, and cannot be left */
    fprintf(stderr, "mdock: fatal: %s could not map your subordinate IDs "
            "(its error is above): check /etc/subuid and /etc/subgid\n",
            uidmap);
    exit(1);
  }
  return MDK_RT_IDS_RANGE;
}

static enum mdk_rt_ids enter_single(void)
{
  char map[64];
  if(unshare(CLONE_NEWUSER)) {
    explain_refusal(errno);
    return MDK_RT_IDS_NONE;
  }
  snprintf(map, sizeof(map), "0 %lu 1\n", my_uid);
  if(!write_file("/proc/self/uid_map", map) ||
     !write_file("/proc/self/setgroups", "deny") ||
     (snprintf(map, sizeof(map), "0 %lu 1\n", my_gid),
      !write_file("/proc/self/gid_map", map))) {
    fprintf(stderr, "mdock: fatal: cannot map your ID in a user namespace: "
            "%s\n", strerror(errno));
    exit(1);
  }
  return MDK_RT_IDS_SINGLE;
}

enum mdk_rt_ids mdk_rt_userns_enter(void)
{
  struct passwd *pw;
  const char *name;
  char uidmap[4200], gidmap[4200];
  bool ranges;
  if(entered >= 0)
    return (enum mdk_rt_ids)entered;
  if(geteuid() == 0) {
    entered = MDK_RT_IDS_ROOT;
    return MDK_RT_IDS_ROOT;
  }
  my_uid = geteuid();
  my_gid = getegid();
  pw = getpwuid((uid_t)my_uid);
  name = pw ? pw->pw_name : NULL;
  ranges = sub_range("/etc/subuid", name, my_uid, &sub_uid, &sub_uid_n) &&
           sub_range("/etc/subgid", name, my_uid, &sub_gid, &sub_gid_n);
  if(ranges && mdk_find_program("newuidmap", uidmap, sizeof(uidmap)) &&
     mdk_find_program("newgidmap", gidmap, sizeof(gidmap))) {
    entered = enter_range(uidmap, gidmap);
  }
  else {
    entered = enter_single();
    if(entered == MDK_RT_IDS_SINGLE)
      snprintf(notice, sizeof(notice), "rootless with one ID (yours, as "
               "root): %s, so a RUN that uses another user (chown, useradd, "
               "USER) and a base image with files of other owners will "
               "fail; %s", ranges ? "newuidmap/newgidmap are not installed"
                                  : "/etc/subuid and /etc/subgid give you "
                                    "no range",
               ranges ? "install them (apt-get install uidmap)"
                      : "as root: usermod --add-subuids 100000-165535 "
                        "--add-subgids 100000-165535 YOU");
  }
  if(entered != MDK_RT_IDS_NONE) {
    /* root of the namespace, with only its own groups */
    if(setresgid(0, 0, 0) || setresuid(0, 0, 0) ||
       (entered == MDK_RT_IDS_RANGE && setgroups(0, NULL))) {
      fprintf(stderr, "mdock: fatal: cannot become root of the user "
              "namespace: %s\n", strerror(errno));
      exit(1);
    }
    mdk_userns_forget();
  }
  return (enum mdk_rt_ids)entered;
}

enum mdk_rt_ids mdk_rt_userns_ids(void)
{
  if(entered >= 0)
    return (enum mdk_rt_ids)entered;
  if(geteuid() != 0)
    return MDK_RT_IDS_NONE;
  return mdk_userns_rootless() ? MDK_RT_IDS_RANGE : MDK_RT_IDS_ROOT;
}

const char *mdk_rt_userns_notice(void)
{
  if(!notice[0] || __atomic_exchange_n(&notice_taken, 1, __ATOMIC_SEQ_CST))
    return NULL;
  return notice;
}

const char *mdk_rt_userns_why(void)
{
  return why;
}

void mdk_rt_userns_describe(char *buf, size_t cap)
{
  if(mdk_rt_userns_ids() == MDK_RT_IDS_SINGLE)
    snprintf(buf, cap, "only ID 0 is mapped (you): give yourself "
             "subordinate IDs (as root: usermod --add-subuids "
             "100000-165535 --add-subgids 100000-165535 YOU)");
  else if(sub_uid_n)
    snprintf(buf, cap, "IDs 0-%lu are mapped (you and %lu-%lu)", sub_uid_n,
             sub_uid, sub_uid + sub_uid_n - 1);
  else
    snprintf(buf, cap, "the IDs of this user namespace are mapped");
}
