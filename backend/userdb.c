/* userdb.c - user and group names resolved from an image's /etc/passwd and
 * /etc/group, read inside the image root (never the host's). */
#include "backend/userdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/layer.h"

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

/* Finds name in a passwd/group file; field 2 (uid/gid) and, for passwd,
 * field 3 (primary gid). */
static bool lookup(int rootfd, const char *file, const char *name, size_t n,
                   uint32_t *id, uint32_t *gid)
{
  char buf[65536];
  ssize_t got;
  size_t len = 0;
  char *line, *save = NULL;
  int fd = rootfd >= 0 ? mdk_be_open_in_root(rootfd, file, O_RDONLY, 0) : -1;
  if(fd < 0)
    return false;
  while(len < sizeof(buf) - 1 &&
        (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
    len += (size_t)got;
  close(fd);
  buf[len] = '\0';
  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[4] = {line, NULL, NULL, NULL};
    int k;
    for(k = 1; k < 4; k++) {
      char *c = f[k - 1] ? strchr(f[k - 1], ':') : NULL;
      if(!c)
        break;
      *c = '\0';
      f[k] = c + 1;
    }
    if(k < 3 || strlen(f[0]) != n || strncmp(f[0], name, n) != 0)
      continue;
    {
      char *c = strchr(f[2], ':');
      if(c)
        *c = '\0';
      if(!numeric(f[2], strlen(f[2]), id))
        return false;
    }
    if(gid && f[3]) {
      char *c = strchr(f[3], ':');
      if(c)
        *c = '\0';
      if(!numeric(f[3], strlen(f[3]), gid))
        *gid = 0;
    }
    return true;
  }
  return false;
}

enum mdk_status mdk_be_user_resolve(int rootfd, const char *spec,
                                    uint32_t *uid, uint32_t *gid,
                                    struct mdk_be_err *e)
{
  const char *colon = strchr(spec, ':');
  size_t un = colon ? (size_t)(colon - spec) : strlen(spec);
  uint32_t pg = 0;
  *uid = *gid = 0;
  if(un && !numeric(spec, un, uid)) {
    if(!lookup(rootfd, "/etc/passwd", spec, un, uid, &pg))
      return mdk_be_fail(e, MDK_EINPUT, "unknown user '%.*s': not in the "
                         "image's /etc/passwd (use a numeric uid, or create "
                         "the user first)", (int)un, spec);
    (void)pg;
  }
  /* Docker: "a username without groupname or a UID without GID will use
   * the same numeric UID as the GID" */
  *gid = *uid;
  if(colon && colon[1]) {
    const char *g = colon + 1;
    if(!numeric(g, strlen(g), gid) &&
       !lookup(rootfd, "/etc/group", g, strlen(g), gid, NULL))
      return mdk_be_fail(e, MDK_EINPUT, "unknown group '%s': not in the "
                         "image's /etc/group (use a numeric gid)", g);
  }
  return MDK_OK;
}

/* The passwd line of a uid or a name: its name and primary gid. */
static bool passwd_entry(int rootfd, const char *name, size_t n, uint32_t uid,
                         char *name_out, size_t cap, uint32_t *gid)
{
  char buf[65536], *line, *save = NULL;
  ssize_t got;
  size_t len = 0;
  int fd = rootfd >= 0 ? mdk_be_open_in_root(rootfd, "/etc/passwd", O_RDONLY,
                                             0) : -1;
  if(fd < 0)
    return false;
  while(len < sizeof(buf) - 1 &&
        (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
    len += (size_t)got;
  close(fd);
  buf[len] = '\0';
  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[4] = {line, NULL, NULL, NULL};
    int k;
    uint32_t u;
    for(k = 1; k < 4; k++) {
      char *c = f[k - 1] ? strchr(f[k - 1], ':') : NULL;
      if(!c)
        break;
      *c = '\0';
      f[k] = c + 1;
    }
    if(k < 4)
      continue;
    {
      char *c = strchr(f[3], ':');
      if(c)
        *c = '\0';
    }
    if(name ? (strlen(f[0]) == n && strncmp(f[0], name, n) == 0)
            : (numeric(f[2], strlen(f[2]), &u) && u == uid)) {
      snprintf(name_out, cap, "%s", f[0]);
      if(!numeric(f[3], strlen(f[3]), gid))
        *gid = 0;
      return true;
    }
  }
  return false;
}

/* Supplementary groups: every /etc/group line that lists the user. */
static size_t member_groups(int rootfd, const char *user, uint32_t *out,
                            size_t max)
{
  char buf[65536], *line, *save = NULL;
  ssize_t got;
  size_t len = 0, n = 0;
  int fd = rootfd >= 0 ? mdk_be_open_in_root(rootfd, "/etc/group", O_RDONLY,
                                             0) : -1;
  if(fd < 0 || !*user) {
    if(fd >= 0)
      close(fd);
    return 0;
  }
  while(len < sizeof(buf) - 1 &&
        (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
    len += (size_t)got;
  close(fd);
  buf[len] = '\0';
  for(line = strtok_r(buf, "\n", &save); line && n < max;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[4] = {line, NULL, NULL, NULL}, *m, *sv = NULL;
    int k;
    uint32_t g;
    for(k = 1; k < 4; k++) {
      char *c = f[k - 1] ? strchr(f[k - 1], ':') : NULL;
      if(!c)
        break;
      *c = '\0';
      f[k] = c + 1;
    }
    if(k < 4 || !numeric(f[2], strlen(f[2]), &g))
      continue;
    for(m = strtok_r(f[3], ",", &sv); m; m = strtok_r(NULL, ",", &sv))
      if(strcmp(m, user) == 0) {
        out[n++] = g;
        break;
      }
  }
  return n;
}

enum mdk_status mdk_be_user_resolve_run(int rootfd, const char *spec,
                                        uint32_t *uid, uint32_t *gid,
                                        uint32_t *groups, size_t *ngroups,
                                        size_t max, struct mdk_be_err *e)
{
  const char *colon = strchr(spec, ':');
  size_t un = colon ? (size_t)(colon - spec) : strlen(spec);
  char name[256] = "";
  uint32_t pg = 0;
  *uid = *gid = 0;
  *ngroups = 0;
  if(un && !numeric(spec, un, uid)) {
    if(!passwd_entry(rootfd, spec, un, 0, name, sizeof(name), &pg) ||
       !lookup(rootfd, "/etc/passwd", spec, un, uid, NULL))
      return mdk_be_fail(e, MDK_EINPUT, "unable to find user %.*s: no "
                         "matching entries in the image's /etc/passwd (create "
                         "the user first, or use a numeric uid)", (int)un,
                         spec);
  }
  else if(un) {
    /* a numeric uid: its passwd entry gives the name and group, if any */
    (void)passwd_entry(rootfd, NULL, 0, *uid, name, sizeof(name), &pg);
  }
  else {
    (void)passwd_entry(rootfd, NULL, 0, 0, name, sizeof(name), &pg);
  }
  *gid = pg;
  if(colon && colon[1]) {
    const char *g = colon + 1;
    if(!numeric(g, strlen(g), gid) &&
       !lookup(rootfd, "/etc/group", g, strlen(g), gid, NULL))
      return mdk_be_fail(e, MDK_EINPUT, "unable to find group %s: no "
                         "matching entries in the image's /etc/group", g);
  }
  else {
    *ngroups = member_groups(rootfd, name, groups, max);
  }
  return MDK_OK;
}
