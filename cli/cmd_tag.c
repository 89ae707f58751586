/* cmd_tag.c - mdock tag: another name for a stored image. */
#include "cli/commands.h"

static const struct mdk_cli_opt opts[] = {{0}};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  struct mdk_be_image im;
  struct mdk_err e;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len != 2)
    rc = mdk_cli_usage_error(cmd, "tag takes IMAGE and NAME[:TAG]");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  if(mdk_be_image_resolve(&s, &args.a, mdk_cli_operand(&args, 0), &im, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else {
    const char *name = mdk_be_ref_normalize(&args.a,
                                            mdk_cli_operand(&args, 1));
    rc = mdk_be_tag_set(&s, name, im.manifest, &e) ? mdk_cli_fail(&e) : 0;
    mdk_be_image_free(&im);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_tag = {
  "tag", "IMAGE NAME[:TAG]",
  "give a stored image another name",
  "Names a stored image (by name, ID or manifest digest) NAME[:TAG].",
  opts,
  "  mdock tag app app:v2\n"
  "  mdock tag app registry.example.com/app:1\n",
  NULL, run, false, false
};
