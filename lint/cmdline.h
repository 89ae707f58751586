/* cmdline.h - a command's words read as its program reads them: which
 * words are options (short clusters like -qy, --long, --long=value), which
 * options take the next word as their value (from the tool's table), and
 * where `--` ends the options.  What is left are the operands: packages,
 * files, subcommands. */
#ifndef MDK_LINT_CMDLINE_H
#define MDK_LINT_CMDLINE_H

#include "lint/shell_words.h"

/* A tool's options that take a value: short letters ("tXp") and long
 * names without dashes (NULL-terminated).  A value is the rest of a short
 * cluster (-t name or -tname) or after '=' (--opt=v), else the next word. */
struct mdk_lint_tool {
  const char *short_val;
  const char *const *long_val;
  bool dashdash_ends;           /* words after `--` are not operands */
};

struct mdk_lint_opt {
  char shrt;                    /* the letter, or 0 for a long option */
  struct mdk_str name;          /* long name, without dashes or =value */
  struct mdk_str val;           /* its value, if any */
  bool has_val;
};

struct mdk_lint_cmdline {
  struct mdk_lint_opt *opts;
  size_t nopts;
  size_t *ops;                  /* operand word indexes */
  size_t nops;
};

/* Reads words [from, sc->n) of a command. */
void mdk_lint_cmdline(struct mdk_arena *a, const struct mdk_sh_cmd *sc,
                      size_t from, const struct mdk_lint_tool *t,
                      struct mdk_lint_cmdline *out);
/* Whether the short letter (0: none) or the long name (NULL: none) is
 * among the options. */
bool mdk_lint_has_opt(const struct mdk_lint_cmdline *cl, char shrt,
                      const char *name);
/* The value of the last such option, or NULL str. */
struct mdk_str mdk_lint_opt_val(const struct mdk_lint_cmdline *cl, char shrt,
                                const char *name);
/* The operand text i. */
static inline struct mdk_str mdk_lint_op(const struct mdk_sh_cmd *sc,
                                         const struct mdk_lint_cmdline *cl,
                                         size_t i)
{
  return sc->w[cl->ops[i]].text;
}

#endif
