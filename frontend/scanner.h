/* scanner.h - the state shared by the re2c lexer (grammar/lexer.re) and the
 * bison grammar (grammar/parser.y).  The lexer hands out physical lines; the
 * grammar assembles logical lines and heredoc bodies. */
#ifndef MDK_FE_SCANNER_H
#define MDK_FE_SCANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "frontend/ast.h"

/* Longest physical line BuildKit's bufio.Scanner accepts. */
#define MDK_FE_MAX_LINE 65535

/* Semantic value of every token: spans in the source. */
struct mdk_fe_tok {
  uint32_t start, end;         /* content, newline and trailing CRs excluded */
  uint32_t line_end;           /* end of the physical line, newline included */
  uint32_t k0, k1, v0, v1;     /* T_DIRECTIVE: key and value spans */
};

struct mdk_scanner {
  const struct mdk_source *src;
  const unsigned char *base, *cur, *lim, *mar;
  uint32_t escape;
  bool directives_done;
  bool eof_sent;
  uint32_t line_no;            /* physical lines consumed so far */
  uint32_t last_start;         /* the last token's start, for errors */
  /* heredoc bodies the grammar asked for, read in order */
  struct mdk_fe_heredoc *pending;
  size_t npending, ipending;
};

struct mdk_fe_parser;          /* frontend/parse.c */

int mdk_fe_lex(struct mdk_scanner *sc, struct mdk_fe_tok *tok);
void mdk_fe_scanner_init(struct mdk_scanner *sc,
                         const struct mdk_source *src);

/* Grammar actions, implemented in frontend/parse.c. */
void mdk_fe_p_directive(struct mdk_fe_parser *p, const struct mdk_fe_tok *t);
void mdk_fe_p_comment(struct mdk_fe_parser *p, const struct mdk_fe_tok *t);
void mdk_fe_p_text(struct mdk_fe_parser *p, const struct mdk_fe_tok *t,
                   bool first);
void mdk_fe_p_empty_continuation(struct mdk_fe_parser *p,
                                 const struct mdk_fe_tok *t);
void mdk_fe_p_instruction(struct mdk_fe_parser *p);
void mdk_fe_p_heredoc_line(struct mdk_fe_parser *p,
                           const struct mdk_fe_tok *t);
void mdk_fe_p_heredoc_end(struct mdk_fe_parser *p, bool terminated);
void mdk_fe_p_too_long(struct mdk_fe_parser *p, const struct mdk_fe_tok *t);
void mdk_fe_p_internal_error(struct mdk_fe_parser *p, uint32_t off,
                             const char *msg);
bool mdk_fe_p_failed(const struct mdk_fe_parser *p);
struct mdk_scanner *mdk_fe_p_scanner(struct mdk_fe_parser *p);

#endif
