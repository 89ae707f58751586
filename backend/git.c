/* git.c - ADD of a git repository through git(1), as BuildKit's git source
 * does it: ls-remote names the commit (the key's input), a shallow fetch of
 * that commit checks it out, submodules follow, .git goes unless kept. */
#include "backend/git.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define GIT_OUT_MAX ((size_t)1 << 20)
#define GIT_ERR_MAX 2048

/* Runs git with argv (argv[0] "git"), in cwd when given, stdin empty, no
 * prompt for credentials; its stdout (at most 1 MiB) in *out when out,
 * the end of its stderr in err.  Returns its exit status, -1 when it does
 * not run. */
static int run_git(struct mdk_arena *a, const char *const *argv, char **out,
                   char err[GIT_ERR_MAX])
{
  int po[2], pe[2], status = 0;
  struct mdk_buf ob;
  size_t en = 0;
  pid_t pid;
  err[0] = '\0';
  if(pipe2(po, O_CLOEXEC))
    return -1;
  if(pipe2(pe, O_CLOEXEC)) {
    close(po[0]);
    close(po[1]);
    return -1;
  }
  pid = fork();
  if(pid == 0) {
    int nul = open("/dev/null", O_RDONLY);
    if(nul >= 0)
      dup2(nul, 0);
    dup2(po[1], 1);
    dup2(pe[1], 2);
    umask(022);                 /* checked-out modes: 0644 and 0755 */
    setenv("GIT_TERMINAL_PROMPT", "0", 1);
    setenv("GIT_ASKPASS", "/bin/false", 1);
    setenv("LC_ALL", "C", 1);
    execvp("git", (char *const *)argv);
    _exit(127);
  }
  close(po[1]);
  close(pe[1]);
  if(pid < 0) {
    close(po[0]);
    close(pe[0]);
    return -1;
  }
  mdk_buf_init(&ob, GIT_OUT_MAX);
  {
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[4096];
    while(open_fds > 0) {
      int i;
      if(poll(fds, 2, -1) < 0) {
        if(errno == EINTR)
          continue;
        break;
      }
      for(i = 0; i < 2; i++) {
        ssize_t r;
        if(fds[i].fd < 0 || !fds[i].revents)
          continue;
        r = read(fds[i].fd, buf, sizeof(buf));
        if(r < 0 && errno == EINTR)
          continue;
        if(r <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          open_fds--;
          continue;
        }
        if(i == 0)
          (void)mdk_buf_append(&ob, buf, (size_t)r);
        else {
          /* keep the end: git's last lines say why */
          size_t n = (size_t)r < GIT_ERR_MAX - 1 ? (size_t)r : GIT_ERR_MAX - 1;
          if(en + n >= GIT_ERR_MAX) {
            size_t drop = en + n - (GIT_ERR_MAX - 1);
            memmove(err, err + drop, en - drop);
            en -= drop;
          }
          memcpy(err + en, buf + (size_t)r - n, n);
          en += n;
          err[en] = '\0';
        }
      }
    }
  }
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  while(en && (err[en - 1] == '\n' || err[en - 1] == ' '))
    err[--en] = '\0';
  if(out)
    *out = mdk_arena_strndup(a, ob.ptr ? ob.ptr : "", ob.len);
  mdk_buf_free(&ob);
  if(!WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

static enum mdk_status git_failed(struct mdk_err *e, int rc, const char *what,
                                  const char *remote, const char *err)
{
  if(rc == 127 || rc < 0) {
    mdk_fail(e, MDK_EINPUT, "ADD of a git repository needs git(1), which "
             "did not run");
    return mdk_fail_hint(e, MDK_EINPUT, "install git (apt-get install git)");
  }
  return mdk_fail(e, MDK_EINPUT, "git %s %s failed: %s", what, remote,
                  *err ? err : "(no message)");
}

static bool is_hex(const char *s, size_t min, size_t max)
{
  size_t n = strlen(s), i;
  if(n < min || n > max)
    return false;
  for(i = 0; i < n; i++)
    if(!isxdigit((unsigned char)s[i]))
      return false;
  return true;
}

static bool opt_true(const char *v)
{
  return !*v || strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

enum mdk_status mdk_be_git_parse(struct mdk_arena *a, const char *src,
                                 struct mdk_be_git_src *out,
                                 struct mdk_err *e)
{
  char *s = mdk_arena_strndup(a, src, strlen(src));
  char *frag = strchr(s, '#'), *q;
  memset(out, 0, sizeof(*out));
  out->ref = "";
  out->subdir = "";
  out->submodules = true;
  if(frag) {
    char *colon;
    *frag++ = '\0';
    colon = strchr(frag, ':');
    if(colon) {
      *colon = '\0';
      out->subdir = colon + 1;
    }
    out->ref = frag;
  }
  /* BuildKit's query form: every key one of its own, else the query is the
   * remote's */
  q = strchr(s, '?');
  if(q) {
    static const char *const keys[] = {"ref", "branch", "tag", "subdir",
                                       "checksum", "keep-git-dir",
                                       "submodules"};
    char *copy = mdk_arena_strndup(a, q + 1, strlen(q + 1)), *save = NULL,
         *kv;
    bool ours = *copy != '\0';
    struct mdk_be_git_src o = *out;
    for(kv = strtok_r(copy, "&", &save); kv && ours;
        kv = strtok_r(NULL, "&", &save)) {
      char *eq = strchr(kv, '=');
      const char *v = eq ? eq + 1 : "";
      size_t k;
      if(eq)
        *eq = '\0';
      for(k = 0; k < sizeof(keys) / sizeof(keys[0]) &&
                 strcmp(kv, keys[k]); k++)
        ;
      if(k == sizeof(keys) / sizeof(keys[0])) {
        ours = false;
        break;
      }
      if(k <= 2)
        o.ref = v;
      else if(k == 3)
        o.subdir = v;
      else if(k == 4)
        o.checksum = v;
      else if(k == 5)
        o.keep_git_dir = opt_true(v);
      else
        o.submodules = opt_true(v);
    }
    if(ours) {
      if(frag) {
        mdk_fail(e, MDK_EINPUT, "git reference %s sets its ref both in the "
                 "query and after #", src);
        return mdk_fail_hint(e, MDK_EINPUT, "use one of ?ref=REF or #REF");
      }
      *q = '\0';
      *out = o;
    }
  }
  while(*out->subdir == '/')
    out->subdir++;
  if(strstr(out->subdir, "..")) {
    mdk_fail(e, MDK_EINPUT, "git reference %s: the subdirectory may not "
             "climb out with ..", src);
    return mdk_fail_hint(e, MDK_EINPUT, "name a directory inside the "
                         "repository");
  }
  out->remote = s;
  if(!*s)
    return mdk_fail(e, MDK_EINPUT, "git reference %s has no remote", src);
  return MDK_OK;
}

enum mdk_status mdk_be_git_resolve(struct mdk_arena *a,
                                   const struct mdk_be_git_src *g,
                                   char commit[41], struct mdk_err *e)
{
  const char *ref = *g->ref ? g->ref : "HEAD";
  const char *argv[] = {"git", "ls-remote", "--", g->remote, ref, NULL, NULL};
  char err[GIT_ERR_MAX], *out = NULL, *line, *save = NULL;
  const char *want[4];
  char found[4][41];
  int rc, i;
  commit[0] = '\0';
  if(is_hex(ref, 40, 40)) {
    for(i = 0; i < 40; i++)
      commit[i] = (char)tolower((unsigned char)ref[i]);
    commit[40] = '\0';
  }
  else {
    /* in order of preference: an annotated tag's commit, the ref as a
     * full name, a branch, a tag */
    want[0] = mdk_arena_printf(a, "refs/tags/%s^{}", ref);
    want[1] = ref;
    want[2] = mdk_arena_printf(a, "refs/heads/%s", ref);
    want[3] = mdk_arena_printf(a, "refs/tags/%s", ref);
    memset(found, 0, sizeof(found));
    argv[5] = mdk_arena_printf(a, "%s^{}", ref);
    rc = run_git(a, argv, &out, err);
    if(rc)
      return git_failed(e, rc, "ls-remote", g->remote, err);
    for(line = strtok_r(out, "\n", &save); line;
        line = strtok_r(NULL, "\n", &save)) {
      char *tab = strchr(line, '\t');
      if(!tab || tab - line != 40)
        continue;
      *tab = '\0';
      for(i = 0; i < 4; i++)
        if(!found[i][0] && strcmp(tab + 1, want[i]) == 0)
          snprintf(found[i], 41, "%s", line);
    }
    for(i = 0; i < 4 && !commit[0]; i++)
      if(found[i][0])
        memcpy(commit, found[i], 41);
    if(!commit[0]) {
      mdk_fail(e, MDK_EINPUT, "git reference %s: %s names no branch or tag "
               "there", g->remote, ref);
      return mdk_fail_hint(e, MDK_EINPUT, is_hex(ref, 4, 39)
                           ? "write a commit with all 40 hex digits"
                           : "check the name after # (git ls-remote lists "
                             "them)");
    }
  }
  if(g->checksum && *g->checksum &&
     strncasecmp(commit, g->checksum, strlen(g->checksum)) != 0) {
    mdk_fail(e, MDK_EINPUT, "expected checksum to match %s, got %s",
             g->checksum, commit);
    return mdk_fail_hint(e, MDK_EINPUT, "the ref moved, or --checksum names "
                         "another commit");
  }
  return MDK_OK;
}

enum mdk_status mdk_be_git_checkout(struct mdk_arena *a,
                                    const struct mdk_be_git_src *g,
                                    const char *commit, const char *dir,
                                    bool keep_git_dir, struct mdk_err *e)
{
  char err[GIT_ERR_MAX], *head = NULL;
  int rc;
  const char *init[] = {"git", "init", "-q", dir, NULL};
  const char *remote[] = {"git", "-C", dir, "remote", "add", "origin",
                          g->remote, NULL};
  const char *fetch[] = {"git", "-C", dir, "fetch", "-q", "--depth=1",
                         "--no-tags", "origin", commit, NULL};
  /* a server that gives no commit by its hash: everything, then pick */
  const char *fetch_all[] = {"git", "-C", dir, "fetch", "-q", "--tags",
                             "origin", "+refs/heads/*:refs/remotes/origin/*",
                             NULL};
  const char *checkout[] = {"git", "-C", dir, "-c", "advice.detachedHead=false",
                            "checkout", "-q", commit, NULL};
  const char *rev[] = {"git", "-C", dir, "rev-parse", "HEAD", NULL};
  const char *subs[] = {"git", "-C", dir, "submodule", "-q", "update",
                        "--init", "--recursive", "--depth=1", NULL};
  if((rc = run_git(a, init, NULL, err)))
    return git_failed(e, rc, "init", dir, err);
  if((rc = run_git(a, remote, NULL, err)))
    return git_failed(e, rc, "remote add", g->remote, err);
  if(run_git(a, fetch, NULL, err) &&
     (rc = run_git(a, fetch_all, NULL, err)))
    return git_failed(e, rc, "fetch", g->remote, err);
  if((rc = run_git(a, checkout, NULL, err)))
    return git_failed(e, rc, "checkout", commit, err);
  if((rc = run_git(a, rev, &head, err)))
    return git_failed(e, rc, "rev-parse", dir, err);
  if(strncmp(head, commit, 40) != 0)
    return mdk_fail(e, MDK_EINPUT, "git checkout of %s gave %.40s, not %s",
                    g->remote, head, commit);
  if(g->submodules) {
    struct stat sb;
    char *gm = mdk_arena_printf(a, "%s/.gitmodules", dir);
    if(stat(gm, &sb) == 0 && (rc = run_git(a, subs, NULL, err)))
      return git_failed(e, rc, "submodule update in", g->remote, err);
  }
  if(!keep_git_dir && mdk_rmtree(mdk_arena_printf(a, "%s/.git", dir)))
    return mdk_fail(e, MDK_EIO, "cannot remove %s/.git: %s", dir,
                    strerror(errno));
  return MDK_OK;
}
