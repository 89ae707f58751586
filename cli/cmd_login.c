/* cmd_login.c - mdock login: credentials saved where Docker keeps them
 * (~/.docker/config.json, or the credential helper it names). */
#include "cli/commands.h"

#include <string.h>

enum { O_USER = 1, O_PASSWORD, O_PASSWORD_STDIN };

static const struct mdk_cli_opt login_opts[] = {
  {O_USER, "username", 'u', MDK_ARG_VALUE, "USER", NULL, "the user name"},
  {O_PASSWORD, "password", 'p', MDK_ARG_VALUE, "PASSWORD", NULL,
   "the password (insecure: it shows in ps and shell\nhistory; prefer "
   "--password-stdin)"},
  {O_PASSWORD_STDIN, "password-stdin", 0, MDK_ARG_NONE, NULL, NULL,
   "read the password from stdin (the default)"},
  {0}
};

/* the password's first line on stdin, without its newline */
static bool read_password(char *pass, size_t cap)
{
  size_t n;
  if(!fgets(pass, (int)cap, stdin))
    return false;
  n = strlen(pass);
  while(n && (pass[n - 1] == '\n' || pass[n - 1] == '\r'))
    pass[--n] = '\0';
  return true;
}

static int run_login(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  char pass[1024] = "";
  struct mdk_err e;
  const char *host;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && (args.operands.len != 1 || !args.val[O_USER]))
    rc = mdk_cli_usage_error(cmd, "login takes -u USER and one HOST (the "
                             "password is read from stdin)");
  if(rc)
    return mdk_cli_args_done(&args, rc);
  host = mdk_cli_operand(&args, 0);
  if(args.val[O_PASSWORD]) {
    fprintf(stderr, "mdock: warning: --password on the command line is "
            "insecure; use --password-stdin\n");
    snprintf(pass, sizeof(pass), "%s", args.val[O_PASSWORD]);
  }
  else if(!read_password(pass, sizeof(pass))) {
    fprintf(stderr, "mdock: error: no password on stdin\n");
    return mdk_cli_args_done(&args, 2);
  }
  memset(&e, 0, sizeof(e));
  if(mdk_be_creds_store(host, args.val[O_USER], pass, &e))
    rc = mdk_cli_fail(&e);
  else
    printf("credentials saved for %s\n", host);
  memset(pass, 0, sizeof(pass));
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_login = {
  "login", "[options] HOST",
  "save credentials for a registry",
  "Saves credentials for HOST where Docker keeps them: the credential\n"
  "helper ~/.docker/config.json names for it (credHelpers, credsStore), or\n"
  "its auths (0600).  The password is read from stdin.",
  login_opts,
  "  echo \"$TOKEN\" | mdock login -u me --password-stdin registry.example.com\n",
  NULL, run_login, false, false
};
