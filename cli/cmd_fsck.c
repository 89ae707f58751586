/* cmd_fsck.c - mdock fsck: every blob re-hashed, every tag, image and cache
 * entry checked. */
#include "cli/commands.h"

static const struct mdk_cli_opt opts[] = {{0}};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_fsck_report r;
  struct mdk_be_store s;
  enum mdk_status st;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len)
    rc = mdk_cli_usage_error(cmd, "fsck takes no operands ('%s')",
                             mdk_cli_operand(&args, 0));
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  st = mdk_be_fsck(&s, stdout, &r);
  printf("fsck: %zu blobs, %zu tags, %zu cache entries: %s (%zu corrupt, "
         "%zu broken tags, %zu stale cache entries, %zu orphans, %zu "
         "leftovers of interrupted writes)\n", r.blobs, r.tags, r.cache,
         st ? "PROBLEMS" : "clean", r.corrupt, r.broken_tags, r.stale_cache,
         r.orphans, r.leftovers);
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, st ? 1 : 0);
}

const struct mdk_cli_cmd mdk_cli_cmd_fsck = {
  "fsck", "",
  "re-hash every blob and check every image",
  "Re-hashes every blob and checks every tag, image and cache entry; lists\n"
  "orphans and leftovers of interrupted writes (prune removes them).",
  opts, "  mdock fsck\n",
  "exit status: 0 clean, 1 problems\n", run, false, false
};
