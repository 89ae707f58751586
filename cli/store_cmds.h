/* store_cmds.h - the store's commands: images, inspect, tag, rmi, import,
 * export, prune, fsck. */
#ifndef MDK_CLI_STORE_CMDS_H
#define MDK_CLI_STORE_CMDS_H

/* Runs command cmd; -1 when cmd is not one of these. */
int mdk_cli_store_cmd(const char *cmd, int argc, char **argv);

#endif
