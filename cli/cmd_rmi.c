/* cmd_rmi.c - mdock rmi: names removed; prune frees the space. */
#include "cli/commands.h"

enum { O_FORCE = 1 };

static const struct mdk_cli_opt opts[] = {
  {O_FORCE, "force", 'f', MDK_ARG_NONE, NULL, NULL,
   "a name that is not there is no error"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  size_t i;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && !args.operands.len)
    rc = mdk_cli_usage_error(cmd, "no image name given");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  for(i = 0; i < args.operands.len; i++) {
    struct mdk_err e;
    mdk_digest d;
    const char *t = mdk_be_ref_normalize(&args.a, mdk_cli_operand(&args, i));
    if(args.on[O_FORCE] && !mdk_be_tag_get(&s, t, d))
      continue;
    if(mdk_be_tag_rm(&s, t, &e))
      rc = mdk_cli_fail(&e);
    else
      printf("untagged %s\n", t);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_rmi = {
  "rmi", "[options] NAME[:TAG]...",
  "remove image names",
  "Removes names from the store; `mdock prune` then frees the space of\n"
  "images no name or cache entry uses.",
  opts,
  "  mdock rmi app:v2\n"
  "  mdock rmi -f app:maybe-there\n",
  NULL, run, false, false
};
