/* ast.h - the syntax tree: one node per instruction, shaped like BuildKit's
 * parser.Node (keyword, flags, argument list, ONBUILD child, heredocs) so its
 * dump is byte-identical, plus what BuildKit loses: source spans for every
 * flag and argument. */
#ifndef MDK_FE_AST_H
#define MDK_FE_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"
#include "frontend/checkcfg.h"

enum mdk_fe_kind {
  MDK_FE_UNKNOWN = 0,
#define I(kw, e, lp, hd) MDK_FE_##e,
#include "frontend/instructions.def"
#undef I
  MDK_FE__COUNT
};

const char *mdk_fe_kind_name(enum mdk_fe_kind k);       /* "from", ... */
enum mdk_fe_kind mdk_fe_kind_lookup(struct mdk_str keyword);

/* Maps offsets of the joined logical line back to the file: piece i covers
 * logical bytes [lofs, next lofs) that start at source byte sofs. */
struct mdk_fe_piece {
  uint32_t lofs, sofs;
};

/* One flag or argument: its value and the span of its raw text in the
 * logical line. */
struct mdk_fe_arg {
  struct mdk_str val;
  uint32_t off, len;
};

struct mdk_fe_heredoc {
  struct mdk_str name;         /* delimiter word, quotes removed */
  struct mdk_str content;      /* raw body, newlines kept, not chomped */
  uint32_t fd;                 /* "3<<EOF" */
  bool expand;                 /* delimiter unquoted */
  bool chomp;                  /* "<<-" */
  uint32_t marker_off;         /* logical-line offset of its "<<" */
  uint32_t body_start, body_end;   /* source byte span of the body */
};

struct mdk_fe_line {           /* a logical line, shared by a node and its
                                  ONBUILD child */
  struct mdk_str text;
  struct mdk_fe_piece *pieces;
  size_t npieces;
  const struct mdk_source *src;
};

struct mdk_fe_node {
  enum mdk_fe_kind kind;
  struct mdk_str keyword;      /* as written */
  uint32_t kw_off;             /* logical offset of the keyword */
  const struct mdk_fe_line *line;
  uint32_t text_off;           /* this node's text within line->text */
  struct mdk_fe_arg *flags;
  size_t nflags;
  struct mdk_fe_arg *args;     /* BuildKit's Next chain */
  size_t nargs;
  struct mdk_fe_node *child;   /* ONBUILD trigger */
  bool json;                   /* exec (JSON) form */
  struct mdk_fe_heredoc *heredocs;
  size_t nheredocs;
  uint32_t start_line, end_line;   /* 1-based, heredoc bodies included */
  struct mdk_str *comments;    /* comment lines directly above */
  size_t ncomments;
};

struct mdk_fe_directive {
  struct mdk_str key;          /* lower-cased */
  struct mdk_str value;
  uint32_t line;
  struct mdk_loc loc;
};

struct mdk_fe_warning {
  const char *rule;            /* BuildKit check name */
  const char *msg;
  uint32_t line;
  struct mdk_loc loc;
};

struct mdk_fe_ast {
  const struct mdk_source *src;
  struct mdk_fe_node **nodes;
  size_t nnodes;
  struct mdk_fe_directive *directives;
  size_t ndirectives;
  struct mdk_fe_warning *warnings;
  size_t nwarnings;
  uint32_t escape;             /* '\\' or '`' */
  struct mdk_fe_checkcfg checks;   /* from "# check=" */
};

/* Source span of logical bytes [off, off+len) of a node's line. */
struct mdk_loc mdk_fe_line_loc(const struct mdk_fe_line *line, uint32_t off,
                               uint32_t len);
struct mdk_loc mdk_fe_arg_loc(const struct mdk_fe_node *n,
                              const struct mdk_fe_arg *a);
struct mdk_loc mdk_fe_node_loc(const struct mdk_fe_node *n);   /* keyword */
/* text, then each heredoc of n as "\n" + body + delimiter: an instruction
 * as one string (BuildKit's ONBUILD expression, a dockerfile_commands
 * entry) */
struct mdk_str mdk_fe_text_with_heredocs(struct mdk_arena *a,
                                         struct mdk_str text,
                                         const struct mdk_fe_node *n);
/* Directive value lookup (NULL when absent). */
const struct mdk_fe_directive *mdk_fe_ast_directive(const struct mdk_fe_ast *,
                                                    const char *key);

/* BuildKit's Node.Dump() of the whole file, one line per instruction. */
enum mdk_status mdk_fe_ast_dump_buildkit(const struct mdk_fe_ast *ast,
                                         struct mdk_buf *out);

#endif
