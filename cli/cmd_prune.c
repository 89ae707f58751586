/* cmd_prune.c - mdock prune: what no image or cache entry uses, removed
 * (or, --dry-run, listed).  On a terminal it asks first, unless -f. */
#include "cli/commands.h"

#include <string.h>
#include <unistd.h>

enum { O_ALL = 1, O_DRY_RUN, O_FORCE };

static const struct mdk_cli_opt opts[] = {
  {O_ALL, "all", 'a', MDK_ARG_NONE, NULL, NULL,
   "the cache index too (every step rebuilds)"},
  {O_DRY_RUN, "dry-run", 0, MDK_ARG_NONE, NULL, NULL,
   "list what would be removed; remove nothing"},
  {O_FORCE, "force", 'f', MDK_ARG_NONE, NULL, NULL,
   "do not ask (prune asks on a terminal)"},
  {0}
};

/* docker's question; anything but y/yes is no */
static bool confirm(bool all)
{
  char line[64];
  fprintf(stderr, "WARNING! This will remove:\n"
          "  - blobs no image%s uses\n"
          "  - snapshots of untagged images\n"
          "  - leftovers of interrupted writes\n%s"
          "Are you sure you want to continue? [y/N] ",
          all ? "" : " or cache entry",
          all ? "  - the build cache index\n" : "");
  if(!fgets(line, sizeof(line), stdin))
    return false;
  line[strcspn(line, "\r\n")] = '\0';
  return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 ||
         strcmp(line, "yes") == 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_prune_report r;
  struct mdk_be_prune_opts po;
  struct mdk_be_store s;
  struct mdk_err e;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len)
    rc = mdk_cli_usage_error(cmd, "prune takes no operands ('%s')",
                             mdk_cli_operand(&args, 0));
  po.all = args.on[O_ALL];
  po.dry_run = args.on[O_DRY_RUN];
  po.list = po.dry_run ? stdout : NULL;
  if(!rc && !po.dry_run && !args.on[O_FORCE] && isatty(0) && !confirm(po.all)) {
    fprintf(stderr, "prune: nothing removed\n");
    return mdk_cli_args_done(&args, 1);
  }
  /* prune alone removes things: it waits for builds to finish */
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_EXCLUSIVE))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  if(mdk_be_prune(&s, &po, &r, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else {
    printf("prune: %s %zu blobs (%.1f MB), %zu snapshots, %zu temporary "
           "files%s\n", po.dry_run ? "would remove" : "removed", r.blobs,
           (double)r.bytes / 1e6, r.snapshots, r.tmp,
           po.all ? ", and the cache index" : "");
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_prune = {
  "prune", "[options]",
  "remove what no image or cache entry uses",
  "Removes blobs no tagged image or cache entry uses, snapshots of untagged\n"
  "images and leftovers of interrupted writes.  It waits for running builds\n"
  "(it takes the store's lock alone).",
  opts,
  "  mdock prune --dry-run\n"
  "  mdock prune -f\n"
  "  mdock prune --all -f\n",
  "On a terminal prune asks before it removes anything; -f does not ask.\n",
  run, false, false
};
