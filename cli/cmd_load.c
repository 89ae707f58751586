/* cmd_load.c - mdock load: a docker-archive (docker save's output, or
 * mdock save's) from a file or stdin into the store. */
#include "cli/commands.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

enum { O_INPUT = 1, O_QUIET };

static const struct mdk_cli_opt opts[] = {
  {O_INPUT, "input", 'i', MDK_ARG_VALUE, "FILE", NULL,
   "read from FILE instead of stdin"},
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "print nothing"},
  {0}
};

/* stdin into a file of the store's tmp/ (libarchive reads a path) */
static int spool(const char *path)
{
  char buf[1 << 16];
  ssize_t n;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc = 0;
  if(fd < 0)
    return 1;
  while((n = read(0, buf, sizeof(buf))) > 0)
    if(write(fd, buf, (size_t)n) != n) {
      rc = 1;
      break;
    }
  close(fd);
  return rc || n < 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  struct mdk_err e;
  mdk_digest d;
  const char *name = NULL, *from;
  char tmp[4300] = "", dir[4200];
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len)
    rc = mdk_cli_usage_error(cmd, "load takes no operands (-i FILE, or "
                             "stdin)");
  if(!rc && !args.val[O_INPUT] && isatty(0))
    rc = mdk_cli_usage_error(cmd, "no archive: give -i FILE or pipe one "
                             "in");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  from = args.val[O_INPUT];
  if(!from) {
    snprintf(dir, sizeof(dir), "%s/tmp", s.root);
    from = mdk_temp_name(tmp, sizeof(tmp), dir, "load");
    if(spool(from)) {
      fprintf(stderr, "mdock: error: cannot read the archive from stdin\n");
      rc = 1;
      goto done;
    }
  }
  if(mdk_be_import(&s, &args.a, mdk_arena_printf(&args.a, "docker-archive:%s",
                                                 from), NULL, &name, d, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else if(!args.on[O_QUIET]) {
    struct mdk_be_image im;
    if(name)
      printf("Loaded image: %s\n", name);
    else if(mdk_be_image_load(&s, d, &im, NULL) == MDK_OK) {
      printf("Loaded image ID: %s\n", im.config_digest);
      mdk_be_image_free(&im);
    }
  }
done:
  if(tmp[0])
    unlink(tmp);
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_load = {
  "load", "[options]",
  "bring a docker-load archive into the store",
  "Reads a docker-archive (docker save's output) from FILE or stdin and\n"
  "stores its image, every document and blob checked; its name comes\n"
  "with it.",
  opts,
  "  mdock load -i app.tar\n"
  "  docker save app | mdock load\n",
  NULL, run, false, false
};
