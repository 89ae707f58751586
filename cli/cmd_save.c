/* cmd_save.c - mdock save: a stored image as a docker-load archive, to a
 * file or stdout (docker save's shape). */
#include "cli/commands.h"

#include <unistd.h>

enum { O_OUTPUT = 1 };

static const struct mdk_cli_opt opts[] = {
  {O_OUTPUT, "output", 'o', MDK_ARG_VALUE, "FILE", NULL,
   "write to FILE instead of stdout"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_output out = {MDK_BE_OUT_DOCKER_ARCHIVE, NULL};
  struct mdk_be_store s;
  struct mdk_be_image im;
  struct mdk_err e;
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
  /* stdout ("-") is streamed to as the archive is written */
  out.dest = args.val[O_OUTPUT] ? args.val[O_OUTPUT] : "-";
  rc = mdk_be_export(&s, &im, &out, mdk_be_ref_normalize(&args.a, image), &e)
         ? mdk_cli_fail(&e) : 0;
  mdk_be_image_free(&im);
done:
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
