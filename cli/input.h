/* input.h - what parse, ir and build read: a Dockerfile (-f, or
 * CONTEXT/Dockerfile), or a Modal-style dockerfile_commands list
 * (--command, --commands-file, --from), with the build arguments, dialect,
 * platform and target that give it meaning.  The options are shared rows
 * of those commands' tables; one handler and one loader serve all three. */
#ifndef MDK_CLI_INPUT_H
#define MDK_CLI_INPUT_H

#include "backend/backend.h"
#include "cli/opts.h"
#include "frontend/frontend.h"

enum {
  MDK_IN_FILE = 100, MDK_IN_COMMAND, MDK_IN_COMMANDS_FILE, MDK_IN_FROM,
  MDK_IN_BUILD_ARG, MDK_IN_SECRET_BUILD_ARG, MDK_IN_DIALECT, MDK_IN_PLATFORM,
  MDK_IN_TARGET
};

#define MDK_IN_OPT_FILE(help) \
  {MDK_IN_FILE, "file", 'f', MDK_ARG_VALUE, "FILE", NULL, help}
#define MDK_IN_OPT_COMMANDS \
  {MDK_IN_COMMAND, "command", 0, MDK_ARG_VALUE, "LINE", NULL, \
   "one dockerfile_commands entry (repeatable)"}, \
  {MDK_IN_COMMANDS_FILE, "commands-file", 0, MDK_ARG_VALUE, "FILE", NULL, \
   "a JSON array of strings, or one command per line\n(\"-\" reads stdin)"}, \
  {MDK_IN_FROM, "from", 0, MDK_ARG_VALUE, "IMAGE", NULL, \
   "the base image the commands apply to"}
#define MDK_IN_OPT_BUILD_ARG \
  {MDK_IN_BUILD_ARG, "build-arg", 0, MDK_ARG_VALUE, "K[=V]", NULL, \
   "build argument (V from the environment when\nomitted; repeatable)"}
#define MDK_IN_OPT_DIALECT(help) \
  {MDK_IN_DIALECT, "dialect", 0, MDK_ARG_VALUE, NULL, "docker|modal", help}
#define MDK_IN_OPT_PLATFORM \
  {MDK_IN_PLATFORM, "platform", 0, MDK_ARG_VALUE, "OS/ARCH[/VARIANT]", NULL, \
   "target platform (default: this machine's); build\ntakes a comma list "\
   "and makes an image index"}
#define MDK_IN_OPT_TARGET \
  {MDK_IN_TARGET, "target", 0, MDK_ARG_VALUE, "STAGE", NULL, \
   "build this stage (default: the last)"}

struct mdk_cli_input {
  const char *file;             /* -f; "-" is stdin */
  struct mdk_vec commands;      /* struct mdk_str */
  const char *commands_file;
  const char *from;
  struct mdk_vec build_args;    /* struct mdk_fe_kv */
  struct mdk_vec secret_args;   /* struct mdk_be_secret_arg */
  enum mdk_fe_dialect dialect;
  const char *platform;
  const char *target;
  const char *context;          /* the CONTEXT operand, or NULL */
};

void mdk_cli_input_init(struct mdk_cli_input *in);
/* Handles one of the shared options: true when id was one of them. */
bool mdk_cli_input_opt(struct mdk_arena *a, struct mdk_cli_input *in, int id,
                       const char *val);
/* A --command list was given (not a Dockerfile). */
bool mdk_cli_input_is_list(const struct mdk_cli_input *in);
/* The Dockerfile path: -f, else CONTEXT/Dockerfile. */
const char *mdk_cli_input_dockerfile(struct mdk_arena *a,
                                     const struct mdk_cli_input *in);
/* Reads the Dockerfile or builds the source of a --command list; an error
 * is printed (usage errors with cmd's help hint).  Returns an exit code. */
int mdk_cli_input_load(struct mdk_arena *a, const struct mdk_cli_input *in,
                       const struct mdk_cli_cmd *cmd,
                       struct mdk_source **src);
/* Reads one file; an error is printed.  Returns an exit code. */
int mdk_cli_read_file(struct mdk_arena *a, const char *path,
                      struct mdk_source **src);

#endif
