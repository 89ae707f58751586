/* cmd_layer.c - mdock layer DIR: a directory tree as a layer blob (overlay
 * whiteouts converted), printed as its descriptor; for benchmarks and
 * debugging. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>

enum { O_COMPRESSION = 1 };

static const struct mdk_cli_opt opts[] = {
  {O_COMPRESSION, "compression", 0, MDK_ARG_VALUE, "C", NULL,
   "gzip[:1-12] (default), zstd[:1-19] or uncompressed"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_layer_opts o;
  struct mdk_be_layer_desc d;
  struct mdk_be_store s;
  struct mdk_err e;
  const char *ep = getenv("SOURCE_DATE_EPOCH");
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  memset(&o, 0, sizeof(o));
  o.epoch = ep && *ep ? strtoll(ep, NULL, 10) : -1;
  if(!rc && args.operands.len != 1)
    rc = mdk_cli_usage_error(cmd, "layer takes one DIR");
  if(!rc && args.val[O_COMPRESSION] &&
     !mdk_be_compression_parse(args.val[O_COMPRESSION], &o.comp))
    rc = mdk_cli_usage_error(cmd, "--compression takes gzip[:1-12], "
                             "zstd[:1-19] or uncompressed, not '%s'",
                             args.val[O_COMPRESSION]);
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  if(mdk_be_layer_from_dir(&s, mdk_cli_operand(&args, 0), &o, &d, &e))
    rc = mdk_cli_fail(&e);
  else
    printf("{\"mediaType\": \"%s\", \"digest\": \"%s\", \"size\": %llu, "
           "\"diff_id\": \"%s\"}\n", d.media_type, d.digest,
           (unsigned long long)d.size, d.diff_id);
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_layer = {
  "layer", "[options] DIR",
  "a directory as a layer blob (for benchmarks and debugging)",
  "Writes a directory tree into the store as a layer blob (overlay\n"
  "whiteouts converted) and prints its descriptor.",
  opts, "  mdock layer --compression zstd:3 rootfs/\n", NULL, run, false,
  false
};
