/* commands.h - every command of mdock, one file each (cmd_NAME.c), and
 * what their files share.  cli.c lists them in the command table. */
#ifndef MDK_CLI_COMMANDS_H
#define MDK_CLI_COMMANDS_H

#include "backend/backend.h"
#include "base/base.h"
#include "cli/input.h"
#include "cli/opts.h"
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "registry/registry.h"
#include "store/store.h"

#include <time.h>

extern const struct mdk_cli_cmd mdk_cli_cmd_parse, mdk_cli_cmd_ir,
  mdk_cli_cmd_lint, mdk_cli_cmd_build, mdk_cli_cmd_run, mdk_cli_cmd_images,
  mdk_cli_cmd_inspect, mdk_cli_cmd_tag, mdk_cli_cmd_rmi, mdk_cli_cmd_import,
  mdk_cli_cmd_export, mdk_cli_cmd_pull, mdk_cli_cmd_push, mdk_cli_cmd_login,
  mdk_cli_cmd_logout, mdk_cli_cmd_prune, mdk_cli_cmd_fsck, mdk_cli_cmd_layer,
  mdk_cli_cmd_version, mdk_cli_cmd_history, mdk_cli_cmd_save,
  mdk_cli_cmd_load, mdk_cli_cmd_unshare;

/* The arguments of a command whose options are switches and plain values
 * (ids below MDK_CLI_MAX_ID): read in one call. */
enum { MDK_CLI_MAX_ID = 32 };
struct mdk_cli_args {
  struct mdk_arena a;           /* the command's arena */
  struct mdk_vec operands;      /* const char * */
  bool on[MDK_CLI_MAX_ID];      /* a switch given (and not =false) */
  const char *val[MDK_CLI_MAX_ID];   /* an option's value (the last given) */
};
/* 0; -1 after --help; 2 after a usage error (printed).  The arena is
 * initialised either way: end with mdk_cli_args_done. */
int mdk_cli_args_read(const struct mdk_cli_cmd *cmd, struct mdk_cli_args *args,
                      int argc, char **argv);
const char *mdk_cli_operand(const struct mdk_cli_args *args, size_t i);
/* Frees the arena; the exit code of rc (-1, help, is 0). */
int mdk_cli_args_done(struct mdk_cli_args *args, int rc);

/* Opens the store ($MDOCK_ROOT) for a command; prints the error. */
bool mdk_cli_store_open(struct mdk_be_store *s, enum mdk_be_lock lock);

/* The one way a failed operation is shown: located when it can be. */
int mdk_cli_fail(const struct mdk_err *e);

/* stderr wants colour: a terminal, and NO_COLOR unset */
bool mdk_cli_color(void);

/* docker's (go-units) forms: "2 minutes ago" for an RFC 3339 time, and
 * "4.26MB" for a size (out has room for 32 bytes) */
void mdk_cli_since(const char *rfc3339, char out[48]);
/* An RFC 3339 time (fraction and offset allowed) as Unix time; false if
 * it is not one. */
bool mdk_cli_time_parse(const char *rfc3339, struct timespec *out);
/* The time in the local zone as docker's CLI prints it: history's
 * CreatedAt is Go's RFC 3339 (2026-12-03T23:07:24Z), images' is Go's
 * time.String() (2026-12-03 23:07:24 +0000 UTC); "N/A" if unreadable. */
enum mdk_cli_time_form { MDK_CLI_TIME_RFC3339, MDK_CLI_TIME_GO_STRING };
void mdk_cli_time(const char *rfc3339, enum mdk_cli_time_form form,
                  char out[48]);
void mdk_cli_size(uint64_t bytes, char out[32]);
/* go-units' HumanSizeWithPrecision: digits significant digits (HumanSize,
 * docker's VirtualSize, is 4) */
void mdk_cli_size_prec(uint64_t bytes, int digits, char out[32]);
/* go-units' RAMInBytes (docker's --shm-size, --memory): "64m", "2g",
 * "1048576", "512MiB"; false when it is none */
bool mdk_cli_ram_bytes(const char *v, uint64_t *out);

#endif
