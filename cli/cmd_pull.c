/* cmd_pull.c - mdock pull REF: an image from its registry into the store. */
#include "cli/commands.h"

#include <string.h>

enum { O_QUIET = 1, O_INSECURE, O_PLATFORM };

static const struct mdk_cli_opt opts[] = {
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "no progress"},
  {O_INSECURE, "insecure-registry", 0, MDK_ARG_VALUE, "HOST", NULL,
   "plain HTTP for HOST (localhost and 127.0.0.1\nalways)"},
  {O_PLATFORM, "platform", 0, MDK_ARG_VALUE, "OS/ARCH[/VARIANT]", NULL,
   "the platform to pick from an index (default:\nthis machine's); a comma "
   "list pulls each"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_pull_opts po = {.progress = stderr};
  struct mdk_be_store s;
  struct mdk_err e;
  mdk_digest d;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len != 1)
    rc = mdk_cli_usage_error(cmd, "pull takes one REF");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  po.insecure_host = args.val[O_INSECURE];
  if(args.on[O_QUIET])
    po.progress = NULL;
  {
    /* a comma list pulls each platform of the index; the tag names the
     * index, so all of them are found under it */
    struct mdk_arena a;
    const char *pl = args.val[O_PLATFORM];
    char *list, *t, *sv;
    mdk_arena_init(&a);
    list = pl ? mdk_arena_strndup(&a, pl, strlen(pl)) : NULL;
    t = list ? strtok_r(list, ",", &sv) : NULL;
    do {
      po.platform = t ? mdk_platform_normalize(&a, t) : NULL;
      if(mdk_be_pull(&s, mdk_cli_operand(&args, 0), &po, d, &e)) {
        rc = mdk_cli_fail(&e);
        break;
      }
      printf("%s\n", d);
    } while(t && (t = strtok_r(NULL, ",", &sv)));
    mdk_arena_fini(&a);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_pull = {
  "pull", "[options] REF",
  "pull an image from a registry into the store",
  "Pulls REF (Docker's normalisation: busybox is\n"
  "registry-1.docker.io/library/busybox:latest) with the credentials\n"
  "Docker keeps; blobs the store has are skipped, every blob is checked.",
  opts,
  "  mdock pull 127.0.0.1:5000/busybox\n"
  "  mdock pull --platform linux/arm64 127.0.0.1:5000/multi:1\n",
  NULL, run, false, false
};
