/* parser.y - the line structure of a Dockerfile (bison).
 *
 * Tokens are physical lines (grammar/lexer.re).  The grammar assembles them
 * into logical lines -- a text line continued by the escape character swallows
 * comment lines and (with a warning) blank lines -- and reads the heredoc
 * bodies an instruction asks for.  What an instruction means is decided in
 * frontend/ (parse.c, lineparse.c), never here. */
%code requires {
#include "frontend/scanner.h"
}

%code {
static int mdk_yylex(MDK_YYSTYPE *lval, struct mdk_fe_parser *p);
static void mdk_yyerror(struct mdk_fe_parser *p, const char *msg);
#define ABORT_IF_FAILED() do { if(mdk_fe_p_failed(p)) YYABORT; } while(0)
}

%define api.pure full
%define api.prefix {mdk_yy}
%define api.value.type {struct mdk_fe_tok}
%define parse.error verbose
%param {struct mdk_fe_parser *p}
%expect 0

%token T_DIRECTIVE "parser directive"
%token T_COMMENT "comment"
%token T_BLANK "blank line"
%token T_TEXT "line"
%token T_TEXT_CONT "continued line"
%token T_HD_LINE "heredoc line"
%token T_HD_END "heredoc terminator"
%token T_HD_UNTERM "end of file in heredoc"
%token T_TOOLONG "overlong line"
%token T_HD_TOOLONG "overlong heredoc line"
%token T_EOF "end of file"

%%

file
  : items T_EOF
  | items cont T_EOF          { mdk_fe_p_instruction(p); ABORT_IF_FAILED(); }
  ;

/* Flat: every line token is a step of items itself, an instruction right
 * as its last line is read (before the lexer reads its heredoc bodies),
 * and no empty list of heredocs: a third fewer parser steps than an item
 * rule, a mid-rule action and an empty heredoc list per instruction. */
items
  : %empty
  | items T_DIRECTIVE         { mdk_fe_p_directive(p, &$2); ABORT_IF_FAILED(); }
  | items T_COMMENT           { mdk_fe_p_comment(p, &$2); }
  | items T_BLANK
  | items T_TOOLONG           { mdk_fe_p_too_long(p, &$2); YYABORT; }
  | items logical
  | items logical heredocs
  ;

logical
  : T_TEXT                    { mdk_fe_p_text(p, &$1, true);
                                mdk_fe_p_instruction(p); ABORT_IF_FAILED(); }
  | cont T_TEXT               { mdk_fe_p_text(p, &$2, false);
                                mdk_fe_p_instruction(p); ABORT_IF_FAILED(); }
  ;

cont
  : T_TEXT_CONT               { mdk_fe_p_text(p, &$1, true); }
  | cont T_TEXT_CONT          { mdk_fe_p_text(p, &$2, false); }
  | cont T_COMMENT
  | cont T_BLANK              { mdk_fe_p_empty_continuation(p, &$2); }
  | cont T_TOOLONG            { mdk_fe_p_too_long(p, &$2); YYABORT; }
  ;

heredocs
  : heredoc
  | heredocs heredoc
  ;

heredoc
  : hd_body T_HD_END          { mdk_fe_p_heredoc_end(p, true); }
  | hd_body T_HD_UNTERM       { mdk_fe_p_heredoc_end(p, false); YYABORT; }
  ;

hd_body
  : %empty
  | hd_body T_HD_LINE         { mdk_fe_p_heredoc_line(p, &$2); }
  | hd_body T_HD_TOOLONG      { mdk_fe_p_too_long(p, &$2); YYABORT; }
  ;

%%

/* No locations: every token carries its own span, and the actions use
 * those (a location stack was a fifth of the parse loop). */
static int mdk_yylex(MDK_YYSTYPE *lval, struct mdk_fe_parser *p)
{
  struct mdk_scanner *sc = mdk_fe_p_scanner(p);
  int t = mdk_fe_lex(sc, lval);
  sc->last_start = lval->start;
  return t;
}

/* The grammar accepts every token sequence the lexer can produce, so this
 * only fires on an internal inconsistency. */
static void mdk_yyerror(struct mdk_fe_parser *p, const char *msg)
{
  mdk_fe_p_internal_error(p, mdk_fe_p_scanner(p)->last_start, msg);
}
