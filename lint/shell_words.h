/* shell_words.h - just enough POSIX shell to lint RUN scripts and
 * entrypoint scripts: simple commands (words with quotes removed) split on
 * newlines, ';', '&&', '||', '|' and '&', with the operator before each and
 * the function/subshell nesting it sits in. */
#ifndef MDK_FE_SHELL_WORDS_H
#define MDK_FE_SHELL_WORDS_H

#include "base/base.h"

struct mdk_sh_word {
  struct mdk_str text;      /* quotes removed, escapes applied */
  struct mdk_str raw;       /* as written */
  bool quoted;              /* some part was quoted */
};

struct mdk_sh_cmd {
  struct mdk_sh_word *w;
  size_t n;
  char sep_before;          /* 0 (start), ';', '&' (&&), 'o' (||), '|' */
  bool piped;               /* its output goes to a '|' */
  int depth;                /* inside functions / subshells / braces */
  uint32_t line;            /* 1-based line in the script */
};

struct mdk_sh_script {
  struct mdk_sh_cmd *c;
  size_t n;
};

void mdk_sh_parse(struct mdk_arena *a, struct mdk_str text,
                  struct mdk_sh_script *out);
/* The command word, skipping env assignments (A=b cmd) and sudo. */
struct mdk_str mdk_sh_cmd_name(const struct mdk_sh_cmd *c, size_t *at);
bool mdk_sh_has_word(const struct mdk_sh_cmd *c, const char *w);

#endif
