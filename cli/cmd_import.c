/* cmd_import.c - mdock import: an OCI layout or archive, or a docker save
 * archive, into the store (every document and blob checked). */
#include "cli/commands.h"

static const struct mdk_cli_opt opts[] = {{0}};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  struct mdk_err e;
  mdk_digest d;
  const char *name = NULL;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && (args.operands.len < 1 || args.operands.len > 2))
    rc = mdk_cli_usage_error(cmd, "import takes SOURCE [NAME[:TAG]]");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  if(mdk_be_import(&s, &args.a, mdk_cli_operand(&args, 0),
                   args.operands.len > 1 ? mdk_cli_operand(&args, 1) : NULL,
                   &name, d, &e))
    rc = mdk_cli_fail(&e);
  else
    printf("%s%s%s\n", d, name ? " " : "", name ? name : "");
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_import = {
  "import", "SOURCE [NAME[:TAG]]",
  "bring an OCI layout or archive, or a docker archive, into the store",
  "Imports an image: SOURCE is oci:DIR[:TAG], oci-archive:FILE[:TAG] or\n"
  "docker-archive:FILE.  Every document and blob is checked before it is\n"
  "stored; NAME tags it.",
  opts,
  "  mdock import oci:out/:app:latest\n"
  "  mdock import oci-archive:app.tar app:1\n"
  "  mdock import docker-archive:saved.tar\n",
  NULL, run, false, false
};
