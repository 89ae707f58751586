/* agent_probe.c - a static program a RUN step runs to reach the SSH agent
 * of $SSH_AUTH_SOCK: asks for its identities (SSH_AGENTC_REQUEST_IDENTITIES)
 * and prints how many it holds and each key's comment.  Exit 1 when there
 * is no agent to ask. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *p, size_t n)
{
  while(n) {
    ssize_t got = read(fd, p, n);
    if(got <= 0)
      return -1;
    p += got;
    n -= (size_t)got;
  }
  return 0;
}

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

int main(void)
{
  const char *path = getenv("SSH_AUTH_SOCK");
  struct sockaddr_un sa;
  unsigned char req[5] = {0, 0, 0, 1, 11}, hdr[4], *msg;
  uint32_t len, n, i, off;
  int fd;
  if(!path || strlen(path) >= sizeof(sa.sun_path)) {
    puts("no agent");
    return 1;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sun_family = AF_UNIX;
  strcpy(sa.sun_path, path);
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if(fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
     write(fd, req, sizeof(req)) != sizeof(req) || read_all(fd, hdr, 4)) {
    puts("no agent");
    return 1;
  }
  len = be32(hdr);
  msg = malloc(len ? len : 1);
  if(!msg || len < 5 || len > (1 << 20) || read_all(fd, msg, len) ||
     msg[0] != 12) {
    puts("bad answer");
    return 1;
  }
  n = be32(msg + 1);
  printf("%u\n", n);
  for(i = 0, off = 5; i < n && off + 4 <= len; i++) {
    uint32_t blob = be32(msg + off), clen;
    off += 4 + blob;
    if(off + 4 > len)
      break;
    clen = be32(msg + off);
    if(off + 4 + clen > len)
      break;
    printf("%.*s\n", (int)clen, (const char *)msg + off + 4);
    off += 4 + clen;
  }
  return 0;
}
