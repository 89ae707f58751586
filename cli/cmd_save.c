/* cmd_save.c - mdock save: a stored image as a docker-load archive, to a
 * file or stdout (docker save's shape). */
#include "cli/commands.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

enum { O_OUTPUT = 1 };

static const struct mdk_cli_opt opts[] = {
  {O_OUTPUT, "output", 'o', MDK_ARG_VALUE, "FILE", NULL,
   "write to FILE instead of stdout"},
  {0}
};

/* the whole file to stdout */
static int cat(const char *path)
{
  char buf[1 << 16];
  ssize_t n;
  int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
  if(fd < 0)
    return 1;
  while((n = read(fd, buf, sizeof(buf))) > 0)
    if(fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
      rc = 1;
      break;
    }
  close(fd);
  return rc || n < 0 || fflush(stdout) ? 1 : 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_output out = {MDK_BE_OUT_DOCKER_ARCHIVE, NULL};
  struct mdk_be_store s;
  struct mdk_be_image im;
  struct mdk_err e;
  char tmp[4300] = "", dir[4200];
  const char *image;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len != 1)
    rc = mdk_cli_usage_error(cmd, "save takes one IMAGE");
  if(!rc && !args.val[O_OUTPUT] && isatty(1))
    rc = mdk_cli_usage_error(cmd, "refusing to write an archive to a "
                             "terminal: give -o FILE or redirect stdout");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  image = mdk_cli_operand(&args, 0);
  if(mdk_be_image_resolve(&s, &args.a, image, &im, &e)) {
    rc = mdk_cli_fail(&e);
    goto done;
  }
  snprintf(dir, sizeof(dir), "%s/tmp", s.root);
  out.dest = args.val[O_OUTPUT] ? args.val[O_OUTPUT]
                                : mdk_temp_name(tmp, sizeof(tmp), dir, "save");
  rc = mdk_be_export(&s, &im, &out, mdk_be_ref_normalize(&args.a, image), &e)
         ? mdk_cli_fail(&e) : 0;
  if(!rc && !args.val[O_OUTPUT] && cat(out.dest)) {
    fprintf(stderr, "mdock: error: cannot write the archive to stdout: %s\n",
            strerror(errno));
    rc = 1;
  }
  mdk_be_image_free(&im);
done:
  if(tmp[0])
    unlink(tmp);
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_save = {
  "save", "[options] IMAGE",
  "write an image as a docker-load archive",
  "Writes a stored image as a docker-archive (what docker load reads), to\n"
  "FILE or stdout.",
  opts,
  "  mdock save -o app.tar app\n"
  "  mdock save app | docker load\n",
  NULL, run, false, false
};
