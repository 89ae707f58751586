/* cmd_push.c - mdock push IMAGE [REF]: a stored image to a registry. */
#include "cli/commands.h"

enum { O_QUIET = 1, O_INSECURE };

static const struct mdk_cli_opt opts[] = {
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "no progress"},
  {O_INSECURE, "insecure-registry", 0, MDK_ARG_VALUE, "HOST", NULL,
   "plain HTTP for HOST (localhost and 127.0.0.1\nalways)"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_pull_opts po = {.progress = stderr};
  struct mdk_be_push_report rep;
  struct mdk_be_store s;
  struct mdk_be_image im;
  struct mdk_err e;
  const char *image, *dest;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && (args.operands.len < 1 || args.operands.len > 2))
    rc = mdk_cli_usage_error(cmd, "push takes IMAGE [REF]");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  po.insecure_host = args.val[O_INSECURE];
  if(args.on[O_QUIET])
    po.progress = NULL;
  image = mdk_cli_operand(&args, 0);
  dest = args.operands.len > 1 ? mdk_cli_operand(&args, 1) : image;
  if(mdk_be_image_resolve(&s, &args.a, image, &im, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else {
    /* a multi-platform image: every platform the store has, then the
     * index under the tag */
    struct mdk_be_image *ims;
    size_t n;
    mdk_digest top;
    (void)mdk_be_name_platforms(&s, &args.a, image, top, &ims, &n, NULL);
    rc = (n > 1 ? mdk_be_push_index(&s, top, ims, n, dest, &po, &rep, &e)
                : mdk_be_push(&s, &im, dest, &po, &rep, &e))
       ? mdk_cli_fail(&e) : 0;
    if(!rc && po.progress)
      fprintf(stderr, "pushed %s: %zu blobs sent, %zu already there\n", dest,
              rep.pushed, rep.skipped);
    if(!rc)
      printf("%s\n", n > 1 ? top : im.manifest);
    mdk_be_index_images_free(ims, n);
    mdk_be_image_free(&im);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_push = {
  "push", "[options] IMAGE [REF]",
  "push a stored image to a registry",
  "Pushes IMAGE (to REF, else to the registry its name says): only the\n"
  "blobs the registry lacks are sent, blobs another repository has are\n"
  "mounted, large ones go in chunks; the manifest goes last.",
  opts,
  "  mdock push app 127.0.0.1:5000/app:1\n"
  "  mdock push 127.0.0.1:5000/app:1\n",
  NULL, run, false, false
};
