/* cmd_unshare.c - mdock unshare: a command in the user namespace mdock's
 * rootless builds run in (as `buildah unshare` and `podman unshare`), where
 * the store's files have the image's owners: to look at them, or remove a
 * store whose files belong to subordinate IDs. */
#include "cli/commands.h"
#include "runtime/runtime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct mdk_cli_opt opts[] = {{0}};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  const char **av;
  const char *shell = getenv("SHELL");
  size_t i, n;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  if(mdk_rt_userns_enter() == MDK_RT_IDS_NONE) {
    fprintf(stderr, "mdock: error: %s\n", mdk_rt_userns_why());
    return mdk_cli_args_done(&args, 1);
  }
  n = args.operands.len;
  av = mdk_arena_array(&args.a, const char *, n + 2);
  for(i = 0; i < n; i++)
    av[i] = mdk_cli_operand(&args, i);
  if(!n)
    av[n++] = shell && *shell ? shell : "/bin/sh";
  av[n] = NULL;
  execvp(av[0], (char *const *)av);
  fprintf(stderr, "mdock: error: cannot run %s: %s\n", av[0],
          strerror(errno));
  return mdk_cli_args_done(&args, errno == ENOENT ? 127 : 126);
}

const struct mdk_cli_cmd mdk_cli_cmd_unshare = {
  "unshare", "[COMMAND [ARG...]]",
  "run a command in mdock's rootless user namespace",
  "Runs COMMAND (default: $SHELL) as root of the user namespace that "
  "mdock's rootless builds run in: you are root there, and the files of "
  "the store (and of type=local outputs made inside it) show the image's "
  "owners.  As root, it runs COMMAND as it is.",
  opts,
  "  mdock unshare ls -ln ~/.local/share/mdock/snapshots\n"
  "  mdock unshare rm -rf ~/.local/share/mdock\n",
  NULL, run, true, false
};
