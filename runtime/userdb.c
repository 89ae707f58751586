/* userdb.c - user and group names resolved from an image's /etc/passwd and
 * /etc/group, read inside the image root (never the host's). */
#include "runtime/userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

static bool numeric(const char *s, size_t n, uint32_t *out)
{
  uint64_t v = 0;
  size_t i;
  if(!n)
    return false;
  for(i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(s[i] - '0');
    if(v > 0xffffffffu)
      return false;
  }
  *out = (uint32_t)v;
  return true;
}

/* A file of the image (passwd, group), whole, in buf; false if absent. */
static bool read_db(int rootfd, const char *file, char *buf, size_t cap)
{
  ssize_t got;
  size_t len = 0;
  int fd = rootfd >= 0 ? mdk_open_in_root(rootfd, file, O_RDONLY, 0) : -1;
  if(fd < 0)
    return false;
  while(len < cap - 1 && (got = read(fd, buf + len, cap - 1 - len)) > 0)
    len += (size_t)got;
  close(fd);
  buf[len] = '\0';
  return true;
}

/* Splits a line at ':' into at most max fields (the last keeps any rest);
 * returns how many. */
static int split(char *line, char **f, int max)
{
  int k = 1;
  f[0] = line;
  while(k < max) {
    char *c = strchr(f[k - 1], ':');
    if(!c)
      break;
    *c = '\0';
    f[k++] = c + 1;
  }
  return k;
}

struct pwent {
  char name[256];
  uint32_t uid, gid;            /* gid 0 when the field is not a number */
  char home[1024];              /* "/" when the line has none */
};

/* The passwd line of a name (name != NULL) or of a uid; false when there
 * is none, or when the name's uid is not a number. */
static bool find_passwd(int rootfd, const char *name, size_t n, uint32_t uid,
                        struct pwent *pw)
{
  char buf[65536], *line, *save = NULL;
  if(!read_db(rootfd, "/etc/passwd", buf, sizeof(buf)))
    return false;
  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[7];
    int k = split(line, f, 7);
    uint32_t u;
    bool num;
    if(k < 4)
      continue;
    num = numeric(f[2], strlen(f[2]), &u);
    if(name ? strlen(f[0]) != n || strncmp(f[0], name, n) != 0
            : !num || u != uid)
      continue;
    if(!num)
      return false;
    snprintf(pw->name, sizeof(pw->name), "%s", f[0]);
    pw->uid = u;
    if(!numeric(f[3], strlen(f[3]), &pw->gid))
      pw->gid = 0;
    snprintf(pw->home, sizeof(pw->home), "%s", k >= 6 ? f[5] : "/");
    return true;
  }
  return false;
}

/* The gid of a group name in /etc/group. */
static bool find_group(int rootfd, const char *name, size_t n, uint32_t *gid)
{
  char buf[65536], *line, *save = NULL;
  if(!read_db(rootfd, "/etc/group", buf, sizeof(buf)))
    return false;
  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[4];
    if(split(line, f, 4) < 3 || strlen(f[0]) != n ||
       strncmp(f[0], name, n) != 0)
      continue;
    return numeric(f[2], strlen(f[2]), gid);
  }
  return false;
}

enum mdk_status mdk_rt_user_resolve(int rootfd, const char *spec,
                                    uint32_t *uid, uint32_t *gid,
                                    struct mdk_err *e)
{
  const char *colon = strchr(spec, ':');
  size_t un = colon ? (size_t)(colon - spec) : strlen(spec);
  struct pwent pw;
  *uid = *gid = 0;
  if(un && !numeric(spec, un, uid)) {
    if(!find_passwd(rootfd, spec, un, 0, &pw))
      return mdk_fail(e, MDK_EINPUT, "unknown user '%.*s': not in the "
                         "image's /etc/passwd (use a numeric uid, or create "
                         "the user first)", (int)un, spec);
    *uid = pw.uid;
  }
  /* Docker: "a username without groupname or a UID without GID will use
   * the same numeric UID as the GID" */
  *gid = *uid;
  if(colon && colon[1]) {
    const char *g = colon + 1;
    if(!numeric(g, strlen(g), gid) && !find_group(rootfd, g, strlen(g), gid))
      return mdk_fail(e, MDK_EINPUT, "unknown group '%s': not in the "
                         "image's /etc/group (use a numeric gid)", g);
  }
  return MDK_OK;
}

/* Supplementary groups: every /etc/group line that lists the user. */
static size_t member_groups(int rootfd, const char *user, uint32_t *out,
                            size_t max)
{
  char buf[65536], *line, *save = NULL;
  size_t n = 0;
  if(!*user || !read_db(rootfd, "/etc/group", buf, sizeof(buf)))
    return 0;
  for(line = strtok_r(buf, "\n", &save); line && n < max;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[4], *m, *sv = NULL;
    uint32_t g;
    if(split(line, f, 4) < 4 || !numeric(f[2], strlen(f[2]), &g))
      continue;
    for(m = strtok_r(f[3], ",", &sv); m; m = strtok_r(NULL, ",", &sv))
      if(strcmp(m, user) == 0) {
        out[n++] = g;
        break;
      }
  }
  return n;
}

enum mdk_status mdk_rt_user_resolve_run(int rootfd, const char *spec,
                                        uint32_t *uid, uint32_t *gid,
                                        uint32_t *groups, size_t *ngroups,
                                        size_t max, struct mdk_err *e)
{
  const char *colon = strchr(spec, ':');
  size_t un = colon ? (size_t)(colon - spec) : strlen(spec);
  struct pwent pw;
  bool known;
  *uid = *gid = 0;
  *ngroups = 0;
  if(un && !numeric(spec, un, uid)) {
    if(!find_passwd(rootfd, spec, un, 0, &pw))
      return mdk_fail(e, MDK_EINPUT, "unable to find user %.*s: no "
                         "matching entries in the image's /etc/passwd (create "
                         "the user first, or use a numeric uid)", (int)un,
                         spec);
    *uid = pw.uid;
    known = true;
  }
  else {
    /* a numeric uid: its passwd entry gives the name and group, if any */
    known = find_passwd(rootfd, NULL, 0, *uid, &pw);
  }
  *gid = known ? pw.gid : 0;
  if(colon && colon[1]) {
    const char *g = colon + 1;
    if(!numeric(g, strlen(g), gid) && !find_group(rootfd, g, strlen(g), gid))
      return mdk_fail(e, MDK_EINPUT, "unable to find group %s: no "
                         "matching entries in the image's /etc/group", g);
  }
  else if(known) {
    *ngroups = member_groups(rootfd, pw.name, groups, max);
  }
  return MDK_OK;
}

void mdk_rt_user_home(int rootfd, uint32_t uid, char *home, size_t cap)
{
  struct pwent pw;
  snprintf(home, cap, "%s", find_passwd(rootfd, NULL, 0, uid, &pw) ? pw.home
                                                                  : "/");
}
