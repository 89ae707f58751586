/* opts.h - commands and their options as data, in the style of curl's
 * tool_getparam.c aliases[]: every command has one table of options (long
 * name, short letter, whether it takes a value, the values it allows, its
 * help), and the parser, the help text and the did-you-mean for a typo all
 * come from that table.  An option that is not in a command's table is an
 * error (exit 2), never ignored. */
#ifndef MDK_CLI_OPTS_H
#define MDK_CLI_OPTS_H

#include <stdbool.h>
#include <stdio.h>

enum mdk_cli_arg {
  MDK_ARG_NONE,                 /* a switch: --push, or --push=true|false */
  MDK_ARG_VALUE,                /* --file F, --file=F, -f F, -fF */
  MDK_ARG_OPTIONAL              /* --pull (val NULL) or --pull=VALUE only */
};

struct mdk_cli_opt {
  int id;                       /* what mdk_cli_next returns; > 0 */
  const char *name;             /* long name without "--" */
  char shrt;                    /* short letter, or 0 */
  enum mdk_cli_arg arg;
  const char *meta;             /* the value's name in help: FILE */
  const char *choices;          /* "json|buildkit": the value must be one */
  const char *help;             /* may hold '\n' */
};

struct mdk_cli_cmd {
  const char *name;
  const char *synopsis;         /* after "mdock NAME " in the usage line */
  const char *summary;          /* one line, for `mdock --help` */
  const char *about;            /* a paragraph, for `mdock NAME --help` */
  const struct mdk_cli_opt *opts;   /* ends with an entry of id 0 */
  const char *examples;         /* lines of examples, or NULL */
  const char *footer;           /* exit status, environment, or NULL */
  int (*run)(const struct mdk_cli_cmd *cmd, int argc, char **argv);
  /* options end at the first operand (`mdock run IMAGE CMD -x`) */
  bool stop_at_operand;
  bool hidden;                  /* not listed by `mdock --help` */
};

/* what mdk_cli_next returns besides an option's id */
enum {
  MDK_CLI_END = 0,              /* no more arguments */
  MDK_CLI_OPERAND = -1,         /* *val is an operand (not an option) */
  MDK_CLI_HELP = -2,            /* -h/--help: the help is printed; exit 0 */
  MDK_CLI_ERROR = -3            /* the error is printed; exit 2 */
};

struct mdk_cli_parser {
  const struct mdk_cli_cmd *cmd;
  int argc;
  char **argv;
  int i;
  bool operands_only;           /* after "--", or stop_at_operand */
  const char *bundle;           /* the short switches of "-it" still to
                                   read ("t"), or NULL */
};

void mdk_cli_parser_init(struct mdk_cli_parser *p,
                         const struct mdk_cli_cmd *cmd, int argc,
                         char **argv);
/* The next option (its id, *val its value: NULL for a switch given
 * without one, "true"/"false" for --switch=BOOL) or operand. */
int mdk_cli_next(struct mdk_cli_parser *p, const char **val);
/* Runs the parser over argv, calling on(ctx, id, val) for every option
 * and operand (id MDK_CLI_OPERAND).  Returns 0; -1 after --help; 2 after
 * a usage error; or the first non-zero value on returned. */
typedef int (*mdk_cli_on_fn)(void *ctx, int id, const char *val);
int mdk_cli_each(const struct mdk_cli_cmd *cmd, int argc, char **argv,
                 mdk_cli_on_fn on, void *ctx);
/* The arguments not yet read (after a stop at an operand). */
int mdk_cli_rest(const struct mdk_cli_parser *p, char ***argv);

/* A switch's value: NULL (given) and "true"/"1" are true. */
bool mdk_cli_on(const char *val);

/* "mdock: error: ..." and "hint: run 'mdock CMD --help'"; returns 2. */
struct mdk_platform;
/* --platform V into *p (normalised), or a usage error saying how to
 * write one (its exit status, 2) */
int mdk_cli_platform_arg(const struct mdk_cli_cmd *cmd, const char *v,
                         struct mdk_platform *p);
int mdk_cli_usage_error(const struct mdk_cli_cmd *cmd, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));

/* The whole help of a command: usage, about, every option, examples. */
void mdk_cli_help(const struct mdk_cli_cmd *cmd, FILE *out);

#endif
