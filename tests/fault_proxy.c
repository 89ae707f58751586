/* fault_proxy.c - an HTTP proxy on loopback that misbehaves on purpose, in
 * front of a real registry, for the registry fault tests.
 *
 *   fault_proxy LISTEN_PORT UPSTREAM_PORT [RULE...]
 *
 * Every request is forwarded to 127.0.0.1:UPSTREAM_PORT on a connection of
 * its own (Connection: close), unless a rule takes it.  A rule is
 * KIND:MATCH:COUNT[:BYTES] and applies to the first COUNT requests whose
 * request line contains MATCH:
 *   500    answer 500 Internal Server Error without asking upstream
 *   cut    forward, but close the connection after BYTES bytes of the
 *          response (a connection reset in the middle of a blob)
 *   stall  forward BYTES bytes of the response, then send nothing more
 *          while keeping the connection open
 * It prints "ready" once it listens and logs one line per request on
 * stderr ("500 GET /v2/...", with " range=bytes=N-" for a Range request).  Connections are served by forked children;
 * the rule counters live in shared memory. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_RULES = 16, HEAD_MAX = 65536 };

struct rule {
  char kind[8];
  char match[256];
  long bytes;
  atomic_long left;
};

static struct rule *rules;
static int nrules, upstream_port;

static int connect_upstream(void)
{
  struct sockaddr_in a = {0};
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)upstream_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
    if(fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

static bool write_all(int fd, const char *p, size_t n)
{
  while(n) {
    ssize_t w = write(fd, p, n);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

/* The request head with its Connection header replaced by "close". */
static size_t rewrite_head(const char *head, size_t n, char *out, size_t cap)
{
  size_t o = 0, i = 0;
  while(i < n) {
    const char *eol = memmem(head + i, n - i, "\r\n", 2);
    size_t l = eol ? (size_t)(eol - (head + i)) : n - i;
    if(l == 0) {                /* the blank line that ends the head */
      o += (size_t)snprintf(out + o, cap - o, "Connection: close\r\n\r\n");
      return o;
    }
    if(!(l >= 11 && strncasecmp(head + i, "Connection:", 11) == 0) &&
       o + l + 2 < cap) {
      memcpy(out + o, head + i, l);
      memcpy(out + o + l, "\r\n", 2);
      o += l + 2;
    }
    i += l + 2;
  }
  return o;
}

static void serve(int cfd)
{
  static char head[HEAD_MAX], out[HEAD_MAX + 64], buf[65536];
  size_t n = 0, hn, line;
  char *end = NULL;
  struct rule *r = NULL;
  long sent = 0;
  int ufd, i;
  while(!end && n < sizeof(head) - 1) {
    ssize_t got = read(cfd, head + n, sizeof(head) - 1 - n);
    if(got <= 0)
      return;
    n += (size_t)got;
    end = memmem(head, n, "\r\n\r\n", 4);
  }
  if(!end)
    return;
  hn = (size_t)(end + 4 - head);
  line = (size_t)((char *)memchr(head, '\r', n) - head);
  for(i = 0; i < nrules && !r; i++)
    if(memmem(head, line, rules[i].match, strlen(rules[i].match)) &&
       atomic_fetch_sub(&rules[i].left, 1) > 0)
      r = &rules[i];
  {
    const char *rg = strcasestr(head, "\r\nRange: ");
    int rl = rg && rg < head + hn ? (int)strcspn(rg + 9, "\r") : 0;
    fprintf(stderr, "%s %.*s%s%.*s\n", r ? r->kind : "pass", (int)line,
            head, rl ? " range=" : "", rl, rl ? rg + 9 : "");
  }
  if(r && strcmp(r->kind, "500") == 0) {
    /* the request body is read first, as a server would */
    const char *cl = strcasestr(head, "\r\nContent-Length:");
    long left = cl && cl < head + hn ? strtol(cl + 17, NULL, 10) -
                                       (long)(n - hn) : 0;
    while(left > 0) {
      ssize_t got = read(cfd, buf, sizeof(buf));
      if(got <= 0)
        break;
      left -= got;
    }
    static const char resp[] = "HTTP/1.1 500 Internal Server Error\r\n"
                               "Content-Length: 0\r\nConnection: close\r\n\r\n";
    (void)write_all(cfd, resp, sizeof(resp) - 1);
    return;
  }
  ufd = connect_upstream();
  if(ufd < 0)
    return;
  {
    size_t on = rewrite_head(head, hn, out, sizeof(out));
    if(!write_all(ufd, out, on) || !write_all(ufd, head + hn, n - hn))
      return;
  }
  for(;;) {
    struct pollfd p[2] = {{cfd, POLLIN, 0}, {ufd, POLLIN, 0}};
    if(poll(p, 2, -1) < 0 && errno != EINTR)
      return;
    if(p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t got = read(cfd, buf, sizeof(buf));
      if(got <= 0)
        return;
      if(!write_all(ufd, buf, (size_t)got))
        return;
    }
    if(p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t got = read(ufd, buf, sizeof(buf));
      long give = got;
      if(got <= 0)
        return;
      if(r && sent + got > r->bytes)
        give = r->bytes - sent;
      if(give > 0 && !write_all(cfd, buf, (size_t)give))
        return;
      sent += give;
      if(r && sent >= r->bytes) {
        if(strcmp(r->kind, "cut") == 0)
          return;               /* the reset: both sockets close */
        for(;;)                 /* stall until the client gives up */
          if(read(cfd, buf, sizeof(buf)) <= 0)
            return;
      }
    }
  }
}

int main(int argc, char **argv)
{
  struct sockaddr_in a = {0};
  int lfd, one = 1, i;
  if(argc < 3) {
    fputs("usage: fault_proxy LISTEN_PORT UPSTREAM_PORT [KIND:MATCH:COUNT"
          "[:BYTES]...]\n", stderr);
    return 2;
  }
  upstream_port = atoi(argv[2]);
  rules = mmap(NULL, sizeof(*rules) * MAX_RULES, PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if(rules == MAP_FAILED)
    return 1;
  for(i = 3; i < argc && nrules < MAX_RULES; i++) {
    struct rule *r = &rules[nrules];
    long count = 0;
    if(sscanf(argv[i], "%7[^:]:%255[^:]:%ld:%ld", r->kind, r->match, &count,
              &r->bytes) < 3) {
      fprintf(stderr, "fault_proxy: bad rule %s\n", argv[i]);
      return 2;
    }
    atomic_store(&r->left, count);
    nrules++;
  }
  signal(SIGCHLD, SIG_IGN);     /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);
  lfd = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
     listen(lfd, 64) != 0) {
    perror("fault_proxy: listen");
    return 1;
  }
  puts("ready");
  fflush(stdout);
  for(;;) {
    int cfd = accept(lfd, NULL, NULL);
    if(cfd < 0)
      continue;
    if(fork() == 0) {
      close(lfd);
      serve(cfd);
      _exit(0);
    }
    close(cfd);
  }
}
