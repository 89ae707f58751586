/* cmd_logout.c - mdock logout HOST: the saved credentials removed. */
#include "cli/commands.h"

#include <string.h>

static const struct mdk_cli_opt logout_opts[] = {{0}};

static int run_logout(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_err e;
  bool had = false;
  const char *host;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len != 1)
    rc = mdk_cli_usage_error(cmd, "logout takes one HOST");
  if(rc)
    return mdk_cli_args_done(&args, rc);
  host = mdk_cli_operand(&args, 0);
  memset(&e, 0, sizeof(e));
  if(mdk_be_creds_erase(host, &had, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else if(!had) {
    fprintf(stderr, "mdock: not logged in to %s\n", host);
    rc = 1;
  }
  else {
    printf("logged out of %s\n", host);
  }
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_logout = {
  "logout", "HOST",
  "remove the credentials of a registry",
  "Removes the credentials saved for HOST.",
  logout_opts, "  mdock logout registry.example.com\n",
  "exit status: 0 removed, 1 there were none\n", run_logout, false, false
};
