/* stdin_context.c - the build context read from stdin.  What docker does:
 * a stream that starts like an archive is the context, anything else is
 * the Dockerfile. */
#include "cli/stdin_context.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

/* tar ("ustar" at 257) or one of the compressions docker accepts */
static bool is_archive(const unsigned char *b, size_t n)
{
  return (n >= 2 && b[0] == 0x1f && b[1] == 0x8b) ||
         (n >= 3 && memcmp(b, "BZh", 3) == 0) ||
         (n >= 6 && memcmp(b, "\xfd" "7zXZ\0", 6) == 0) ||
         (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0) ||
         (n >= 262 && memcmp(b + 257, "ustar", 5) == 0);
}

/* all of fd into path; the first bytes are head */
static bool drain(int fd, const char *path, const unsigned char *head,
                  size_t n, int *err)
{
  char buf[1 << 16];
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ssize_t got;
  bool ok = out >= 0 && mdk_write_all(out, head, n);
  while(ok && (got = read(fd, buf, sizeof(buf))) != 0) {
    if(got < 0 && errno == EINTR)
      continue;
    ok = got > 0 && mdk_write_all(out, buf, (size_t)got);
  }
  *err = errno;
  if(out >= 0 && close(out))
    ok = false;
  return ok;
}

int mdk_cli_stdin_context(struct mdk_arena *a, struct mdk_cli_input *in,
                          const char *tmpdir, char **dir)
{
  unsigned char head[512];
  size_t n = 0;
  ssize_t got;
  char name[4300];
  const char *raw, *ctx;
  int err = 0;
  if(in->file && strcmp(in->file, "-") == 0) {
    fprintf(stderr, "mdock: error: the context and the Dockerfile cannot "
            "both come from stdin (-f - with context -)\n");
    return 2;
  }
  *dir = mdk_arena_printf(a, "%s", mdk_temp_name(name, sizeof(name), tmpdir,
                                                 "stdin"));
  ctx = mdk_arena_printf(a, "%s/context", *dir);
  raw = mdk_arena_printf(a, "%s/Dockerfile", *dir);
  if(mkdir(*dir, 0700) || mkdir(ctx, 0755)) {
    fprintf(stderr, "mdock: error: cannot create %s: %s\n", *dir,
            strerror(errno));
    return 1;
  }
  while(n < sizeof(head) && (got = read(0, head + n, sizeof(head) - n))) {
    if(got < 0 && errno == EINTR)
      continue;
    if(got < 0) {
      fprintf(stderr, "mdock: error: cannot read stdin: %s\n",
              strerror(errno));
      return 1;
    }
    n += (size_t)got;
  }
  if(!drain(0, raw, head, n, &err)) {
    fprintf(stderr, "mdock: error: cannot keep stdin in %s: %s\n", raw,
            strerror(err));
    return 1;
  }
  in->context = ctx;
  if(!is_archive(head, n)) {
    /* a Dockerfile alone: the context is empty */
    in->file = raw;
    return 0;
  }
  {
    struct mdk_be_unpack_opts uo = {.devices = false};
    struct mdk_err e;
    int fd = open(raw, O_RDONLY | O_CLOEXEC);
    enum mdk_status st = fd < 0 ? MDK_EIO
                                : mdk_be_unpack_fd(fd, ctx, &uo, &e);
    if(fd >= 0)
      close(fd);
    if(st) {
      fprintf(stderr, "mdock: error: the context on stdin: %s\n",
              fd < 0 ? strerror(errno) : e.msg);
      return 1;
    }
    unlink(raw);
  }
  /* -f names a file inside the archive, as docker reads it */
  if(in->file && in->file[0] != '/')
    in->file = mdk_arena_printf(a, "%s/%s", ctx, in->file);
  return 0;
}
