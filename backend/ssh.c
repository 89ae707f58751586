/* ssh.c - SSH agents for RUN --mount=type=ssh.  A socket given is bound
 * into the step as it is; key files are served by Debian's ssh-agent,
 * started for the build in the foreground (-D, so its pid is ours to stop)
 * and loaded with ssh-add -- BuildKit serves keys from an agent of its
 * own in the same way. */
#include "backend/ssh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

bool mdk_be_ssh_parse(struct mdk_arena *a, const char *spec,
                      struct mdk_be_ssh *out, const char **why)
{
  const char *eq = strchr(spec, '=');
  struct stat st;
  size_t n = 0;
  const char *p;
  memset(out, 0, sizeof(*out));
  if(!*spec || spec[0] == '=') {
    *why = mdk_arena_printf(a, "--ssh takes default, ID, ID=SOCKET or "
                            "ID=KEY[,KEY...], not '%s'", spec);
    return false;
  }
  out->id = eq ? mdk_arena_strndup(a, spec, (size_t)(eq - spec)) : spec;
  if(!eq || !eq[1]) {
    const char *sock = getenv("SSH_AUTH_SOCK");
    if(!sock || !*sock) {
      *why = mdk_arena_printf(a, "--ssh %s: SSH_AUTH_SOCK is not set (start "
                              "an agent, or give %s=SOCKET or %s=KEY)",
                              spec, out->id, out->id);
      return false;
    }
    out->socket = sock;
    return true;
  }
  p = eq + 1;
  if(!strchr(p, ',') && stat(p, &st) == 0 && S_ISSOCK(st.st_mode)) {
    out->socket = p;
    return true;
  }
  out->keys = mdk_arena_array(a, const char *, strlen(p) / 2 + 2);
  while(*p) {
    size_t len = strcspn(p, ",");
    const char *k = mdk_arena_strndup(a, p, len);
    if(access(k, R_OK) != 0) {
      *why = mdk_arena_printf(a, "--ssh %s: %s is neither an agent socket "
                              "nor a readable key file (%s)", spec, k,
                              strerror(errno));
      return false;
    }
    out->keys[n++] = k;
    p += len + (p[len] == ',');
  }
  out->nkeys = n;
  return true;
}

/* in a child: no input, and stdout away from mdock's (stderr stays, for
 * the tools' own errors) */
static void quiet_stdio(void)
{
  int null = open("/dev/null", O_RDWR);
  if(null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
  }
}

/* runs argv with SSH_AUTH_SOCK=sock, stdin from /dev/null; its status */
static int run_with_sock(const char *const *argv, const char *sock)
{
  pid_t pid = fork();
  int status;
  if(pid < 0)
    return -1;
  if(pid == 0) {
    quiet_stdio();
    setenv("SSH_AUTH_SOCK", sock, 1);
    unsetenv("SSH_ASKPASS");
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static enum mdk_status start_one(struct mdk_arena *a, struct mdk_be_ssh *s,
                                 const char *dir, size_t i, struct mdk_err *e)
{
  const char *sock = mdk_arena_printf(a, "%s/ssh-agent.%zu.sock", dir, i);
  const char **argv = mdk_arena_array(a, const char *, s->nkeys + 2);
  struct stat st;
  int tries;
  size_t k;
  pid_t pid = fork();
  if(pid < 0)
    return mdk_fail(e, MDK_EIO, "--ssh %s: cannot start ssh-agent: %s",
                    s->id, strerror(errno));
  if(pid == 0) {
    quiet_stdio();
    execlp("ssh-agent", "ssh-agent", "-D", "-a", sock, (char *)NULL);
    _exit(127);
  }
  s->agent = pid;
  s->socket = sock;
  for(tries = 0; tries < 500 && stat(sock, &st) != 0; tries++) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    int status;
    if(waitpid(pid, &status, WNOHANG) == pid) {
      s->agent = 0;
      return mdk_fail_hint(e, mdk_fail(e, MDK_EIO, "--ssh %s: ssh-agent "
                                       "did not start", s->id),
                           "install openssh-client (ssh-agent, ssh-add)");
    }
    nanosleep(&ts, NULL);
  }
  argv[0] = "ssh-add";
  for(k = 0; k < s->nkeys; k++)
    argv[k + 1] = s->keys[k];
  argv[k + 1] = NULL;
  if(run_with_sock(argv, sock) != 0)
    return mdk_fail_hint(e, mdk_fail(e, MDK_EINPUT, "--ssh %s: ssh-add "
                                     "could not load the key(s)", s->id),
                         "a key with a passphrase needs an agent of your "
                         "own: ssh-add it and give --ssh ID=$SSH_AUTH_SOCK");
  return MDK_OK;
}

enum mdk_status mdk_be_ssh_start(struct mdk_arena *a, struct mdk_be_ssh *ssh,
                                 size_t n, const char *dir,
                                 struct mdk_err *e)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(ssh[i].nkeys && start_one(a, &ssh[i], dir, i, e)) {
      mdk_be_ssh_stop(ssh, n);
      return MDK_EIO;
    }
  return MDK_OK;
}

void mdk_be_ssh_stop(struct mdk_be_ssh *ssh, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(ssh[i].agent > 0) {
      kill(ssh[i].agent, SIGTERM);
      while(waitpid(ssh[i].agent, NULL, 0) < 0 && errno == EINTR)
        ;
      ssh[i].agent = 0;
    }
}

const struct mdk_be_ssh *mdk_be_ssh_find(const struct mdk_be_ssh *ssh,
                                         size_t n, const char *id)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(strcmp(ssh[i].id, id ? id : "default") == 0)
      return &ssh[i];
  return NULL;
}
