/* ssh.h - `mdock build --ssh`: the SSH agents RUN --mount=type=ssh steps
 * reach.  docker build's forms: `default` or `ID` (the agent of
 * $SSH_AUTH_SOCK), `ID=SOCKET` (that agent), `ID=KEY[,KEY...]` (key
 * files, served by an ssh-agent mdock starts for the build). */
#ifndef MDK_BE_SSH_H
#define MDK_BE_SSH_H

#include <sys/types.h>

#include "base/base.h"

struct mdk_be_ssh {
  const char *id;
  const char *socket;           /* the agent's socket (set by start for keys) */
  const char **keys;            /* key files, or NULL */
  size_t nkeys;
  pid_t agent;                  /* an agent of mdock's own, or 0 */
};

/* False with *why when spec is none of the forms (or names no agent). */
bool mdk_be_ssh_parse(struct mdk_arena *a, const char *spec,
                      struct mdk_be_ssh *out, const char **why);

/* Starts an agent (ssh-agent, with ssh-add) for each entry given keys; its
 * socket goes in dir.  On failure the ones started are stopped. */
enum mdk_status mdk_be_ssh_start(struct mdk_arena *a, struct mdk_be_ssh *ssh,
                                 size_t n, const char *dir,
                                 struct mdk_err *e);
void mdk_be_ssh_stop(struct mdk_be_ssh *ssh, size_t n);

/* The entry of id ("default" when NULL), or NULL. */
const struct mdk_be_ssh *mdk_be_ssh_find(const struct mdk_be_ssh *ssh,
                                         size_t n, const char *id);

#endif
