/* lineparse.h - one logical line to one AST node: BuildKit's splitCommand,
 * extractBuilderFlags and the per-instruction line parsers
 * (parser/line_parsers.go), plus heredoc detection. */
#ifndef MDK_FE_LINEPARSE_H
#define MDK_FE_LINEPARSE_H

#include "frontend/ast.h"

struct mdk_fe_lperr {
  const char *msg;
  const char *hint;
  uint32_t off, len;            /* logical-line span the error is about */
};

/* Parses line->text[text_off..] into a node. */
bool mdk_fe_line_to_node(struct mdk_arena *a, const struct mdk_fe_line *line,
                         uint32_t text_off, uint32_t escape,
                         struct mdk_fe_node **out, struct mdk_fe_lperr *err);

/* The heredocs a RUN/COPY/ADD line (or ONBUILD of one) announces, in order;
 * bodies are filled in later by the grammar. */
bool mdk_fe_node_heredocs(struct mdk_arena *a, struct mdk_fe_node *node,
                          struct mdk_fe_lperr *err);

/* Does a COPY/ADD argument announce a heredoc ("<<EOF", "3<<-'E'")?  The
 * cheap shape test of BuildKit's reHeredoc, without lexing. */
bool mdk_fe_word_is_heredoc(struct mdk_str word);

/* BuildKit's ParseHeredoc on one word: is it "[n]<<[-]WORD"? */
bool mdk_fe_parse_heredoc_word(struct mdk_arena *a, struct mdk_str word,
                               struct mdk_fe_heredoc *hd, bool *is_heredoc,
                               const char **err);

#endif
