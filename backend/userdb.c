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
