/* parse.c - drives the bison parser over one source and builds the AST: the
 * grammar's actions assemble logical lines, turn them into nodes (through
 * lineparse.c) and collect heredoc bodies. */
#include <string.h>

#include "base/base.h"
#include "frontend/frontend.h"
#include "frontend/lineparse.h"
#include "frontend/scanner.h"
#include "parser.h"

struct mdk_fe_parser {
  struct mdk_arena *a;
  struct mdk_diags *diags;
  const struct mdk_source *src;
  struct mdk_scanner sc;
  /* the logical line being assembled: its first physical line stays in
   * the source (first_pending) until a continuation needs it joined, so
   * a one-line instruction (most of them) is copied once, not twice */
  struct mdk_buf line;
  bool first_pending;
  uint32_t first_end;
  struct mdk_vec pieces;          /* struct mdk_fe_piece */
  uint32_t start_line;
  bool empty_continuation;
  /* heredoc bodies of the last node */
  struct mdk_fe_node *cur;
  struct mdk_buf body;
  uint32_t body_start;
  bool body_started;
  struct mdk_vec nodes, directives, warnings, comments;
  struct mdk_fe_checkcfg checks;
  bool failed;
};

static struct mdk_loc src_loc(struct mdk_fe_parser *p, uint32_t s, uint32_t e)
{
  struct mdk_loc l = {p->src, s, e};
  return l;
}

static void error_at(struct mdk_fe_parser *p, struct mdk_loc loc,
                     const char *hint, const char *msg)
{
  struct mdk_diag *d = mdk_diag_add(p->diags, MDK_SEV_ERROR, loc, "%s", msg);
  if(hint)
    mdk_diag_hint(p->diags, d, "%s", hint);
  p->failed = true;
}

/* An instruction or heredoc past MDK_LIMIT_INSTRUCTION bytes. */
static void limit_error(struct mdk_fe_parser *p, struct mdk_loc loc,
                        const char *what)
{
  error_at(p, loc, mdk_arena_printf(p->a, "a Dockerfile this large is a "
                                    "mistake or an attack; if it is meant, "
                                    "set %s to more bytes",
                                    mdk_limit_env(MDK_LIMIT_INSTRUCTION)),
           mdk_arena_printf(p->a, "%s longer than %llu bytes (%s)", what,
                            (unsigned long long)mdk_limit(
                              MDK_LIMIT_INSTRUCTION),
                            mdk_limit_env(MDK_LIMIT_INSTRUCTION)));
}

struct mdk_scanner *mdk_fe_p_scanner(struct mdk_fe_parser *p)
{
  return &p->sc;
}

bool mdk_fe_p_failed(const struct mdk_fe_parser *p)
{
  return p->failed;
}

void mdk_fe_p_internal_error(struct mdk_fe_parser *p, uint32_t off,
                             const char *msg)
{
  error_at(p, src_loc(p, off, off + 1), "this is a bug in mdock; please "
           "report it with the Dockerfile", msg);
}

void mdk_fe_p_directive(struct mdk_fe_parser *p, const struct mdk_fe_tok *t)
{
  struct mdk_fe_directive d;
  struct mdk_str key = mdk_str_make(p->src->data + t->k0, t->k1 - t->k0);
  size_t i;

  d.key = mdk_str_lower(p->a, key);
  d.value = mdk_str_make(p->src->data + t->v0, t->v1 - t->v0);
  d.line = p->sc.line_no;
  d.loc = src_loc(p, t->k0, t->v1);
  for(i = 0; i < p->directives.len; i++) {
    if(mdk_str_eq(mdk_vec_at(&p->directives, struct mdk_fe_directive, i)->key,
                  d.key)) {
      error_at(p, src_loc(p, t->k0, t->k1), "keep one of the two lines",
               mdk_arena_printf(p->a, "only one %.*s parser directive can be "
                                "used", MDK_STR_FMT(d.key)));
      return;
    }
  }
  if(mdk_str_eq_c(d.key, "escape") && !mdk_str_eq_c(d.value, "\\") &&
     !mdk_str_eq_c(d.value, "`")) {
    error_at(p, src_loc(p, t->v0, t->v1), "use '# escape=\\' (the default) "
             "or '# escape=`'",
             mdk_arena_printf(p->a, "invalid escape token '%.*s' does not "
                              "match ` or \\", MDK_STR_FMT(d.value)));
    return;
  }
  if(mdk_str_eq_c(d.key, "check")) {
    const char *err;
    size_t eoff;
    if(!mdk_fe_checkcfg_parse(p->a, d.value, &p->checks, &err, &eoff)) {
      error_at(p, src_loc(p, t->v0 + (uint32_t)eoff, t->v1),
               "write # check=skip=RuleA,RuleB;error=true;experimental=all",
               err);
      return;
    }
  }
  mdk_vec_push(p->a, &p->directives, &d);
}

void mdk_fe_p_comment(struct mdk_fe_parser *p, const struct mdk_fe_tok *t)
{
  struct mdk_str c = mdk_str_make(p->src->data + t->start, t->end - t->start);
  while(c.len && (c.ptr[0] == ' ' || c.ptr[0] == '\t')) {
    c.ptr++;
    c.len--;
  }
  while(c.len && (c.ptr[c.len - 1] == ' ' || c.ptr[c.len - 1] == '\t'))
    c.len--;
  /* an empty comment line ends a description block (BuildKit) */
  if(c.len == 0)
    p->comments.len = 0;
  else
    mdk_vec_push(p->a, &p->comments, &c);
}

void mdk_fe_p_text(struct mdk_fe_parser *p, const struct mdk_fe_tok *t,
                   bool first)
{
  uint32_t s = t->start;
  struct mdk_fe_piece piece;
  size_t w;

  if(first) {
    mdk_buf_reset(&p->line);
    p->pieces.len = 0;
    p->start_line = p->sc.line_no;
    p->empty_continuation = false;
    /* only the first line of an instruction loses its leading blanks */
    while(s < t->end && mdk_rune_is_space(mdk_utf8_decode(
                          p->src->data + s, t->end - s, &w)))
      s += (uint32_t)w;
  }
  else if(p->first_pending) {
    const struct mdk_fe_piece *f0 = p->pieces.items;
    p->first_pending = false;
    if(!p->failed && mdk_buf_append(&p->line, p->src->data + f0->sofs,
                                    p->first_end - f0->sofs))
      limit_error(p, src_loc(p, f0->sofs, f0->sofs), "instruction");
  }
  piece.lofs = (uint32_t)(first ? 0 : p->line.len);
  piece.sofs = s;
  mdk_vec_push_as(p->a, &p->pieces, struct mdk_fe_piece, piece);
  if(first) {
    p->first_pending = true;
    p->first_end = t->end;
    /* the limit the line buffer would have enforced */
    if(!p->failed && (size_t)(t->end - s) + 1 > p->line.limit)
      limit_error(p, src_loc(p, s, s), "instruction");
    return;
  }
  if(!p->failed && mdk_buf_append(&p->line, p->src->data + s, t->end - s))
    limit_error(p, src_loc(p, s, s), "instruction");
}

void mdk_fe_p_empty_continuation(struct mdk_fe_parser *p,
                                 const struct mdk_fe_tok *t)
{
  (void)t;
  p->empty_continuation = true;
}

void mdk_fe_p_too_long(struct mdk_fe_parser *p, const struct mdk_fe_tok *t)
{
  error_at(p, src_loc(p, t->start, t->start), "split the line with the "
           "escape character at its end",
           "dockerfile line greater than max allowed size of 65535");
}

void mdk_fe_p_instruction(struct mdk_fe_parser *p)
{
  struct mdk_fe_line *line = mdk_arena_new(p->a, struct mdk_fe_line);
  struct mdk_fe_node *node;
  struct mdk_fe_lperr err = {0};

  if(p->failed)
    return;
  if(p->nodes.len >= mdk_limit(MDK_LIMIT_INSTRUCTIONS)) {
    uint32_t at = p->pieces.len ?
      ((struct mdk_fe_piece *)p->pieces.items)[0].sofs : 0;
    error_at(p, src_loc(p, at, at),
             mdk_arena_printf(p->a, "split the build into several "
                              "Dockerfiles, or set %s to more",
                              mdk_limit_env(MDK_LIMIT_INSTRUCTIONS)),
             mdk_arena_printf(p->a, "more than %llu instructions (%s)",
                              (unsigned long long)mdk_limit(
                                MDK_LIMIT_INSTRUCTIONS),
                              mdk_limit_env(MDK_LIMIT_INSTRUCTIONS)));
    return;
  }
  if(p->first_pending) {
    const struct mdk_fe_piece *f0 = p->pieces.items;
    line->text = mdk_str_dup(p->a, mdk_str_make(p->src->data + f0->sofs,
                                                p->first_end - f0->sofs));
  }
  else
    line->text = mdk_str_dup(p->a, mdk_buf_str(&p->line));
  line->pieces = mdk_arena_array(p->a, struct mdk_fe_piece, p->pieces.len);
  memcpy(line->pieces, p->pieces.items,
         p->pieces.len * sizeof(struct mdk_fe_piece));
  line->npieces = p->pieces.len;
  line->src = p->src;

  if(p->empty_continuation) {
    struct mdk_fe_warning w;
    w.rule = "NoEmptyContinuation";
    w.msg = mdk_arena_printf(p->a, "Empty continuation line found in: %.*s",
                             MDK_STR_FMT(line->text));
    w.line = p->sc.line_no;
    w.loc = mdk_fe_line_loc(line, 0, 0);
    mdk_vec_push(p->a, &p->warnings, &w);
  }
  if(!mdk_fe_line_to_node(p->a, line, 0, p->sc.escape, &node, &err) ||
     !mdk_fe_node_heredocs(p->a, node, &err)) {
    error_at(p, mdk_fe_line_loc(line, err.off, err.len), err.hint, err.msg);
    return;
  }
  node->start_line = p->start_line;
  node->end_line = p->sc.line_no;
  node->comments = p->comments.items;
  node->ncomments = p->comments.len;
  p->comments = MDK_VEC_INIT(struct mdk_str);
  mdk_vec_push_as(p->a, &p->nodes, struct mdk_fe_node *, node);
  p->cur = node;
  p->body_started = false;
  mdk_buf_reset(&p->body);
  p->sc.pending = node->heredocs;
  p->sc.npending = node->nheredocs;
  p->sc.ipending = 0;
  /* a continuation that ran into the end of the file cannot be followed by
   * heredoc bodies */
  if(node->nheredocs && p->sc.eof_sent)
    mdk_fe_p_heredoc_end(p, false);
}

void mdk_fe_p_heredoc_line(struct mdk_fe_parser *p, const struct mdk_fe_tok *t)
{
  if(!p->body_started) {
    p->body_started = true;
    p->body_start = t->start;
  }
  if(!p->failed && mdk_buf_append(&p->body, p->src->data + t->start,
                                  t->line_end - t->start))
    limit_error(p, src_loc(p, t->start, t->start), "heredoc");
}

void mdk_fe_p_heredoc_end(struct mdk_fe_parser *p, bool terminated)
{
  struct mdk_fe_node *n = p->cur;
  size_t i = p->sc.ipending - (terminated ? 1 : 0);
  struct mdk_fe_heredoc *hd = &n->heredocs[i];

  if(!terminated) {
    uint32_t marker = hd->marker_off;
    error_at(p, mdk_fe_line_loc(n->line, marker, 2 + (uint32_t)hd->name.len),
             mdk_arena_printf(p->a, "end the heredoc with a line holding "
                              "only '%.*s'", MDK_STR_FMT(hd->name)),
             "unterminated heredoc");
    return;
  }
  hd->content = mdk_str_dup(p->a, mdk_buf_str(&p->body));
  hd->body_start = p->body_started ? p->body_start : p->sc.line_no;
  hd->body_end = hd->body_start + (uint32_t)p->body.len;
  n->end_line = p->sc.line_no;
  mdk_buf_reset(&p->body);
  p->body_started = false;
}

enum mdk_status mdk_fe_parse(struct mdk_arena *a, struct mdk_diags *diags,
                             const struct mdk_source *src,
                             struct mdk_fe_ast **out)
{
  struct mdk_fe_parser p;
  struct mdk_fe_ast *ast;
  int rc;

  memset(&p, 0, sizeof(p));
  p.a = a;
  p.diags = diags;
  p.src = src;
  mdk_fe_scanner_init(&p.sc, src);
  mdk_buf_init(&p.line, (size_t)mdk_limit(MDK_LIMIT_INSTRUCTION));
  mdk_buf_init(&p.body, (size_t)mdk_limit(MDK_LIMIT_INSTRUCTION));
  p.pieces = MDK_VEC_INIT(struct mdk_fe_piece);
  p.nodes = MDK_VEC_INIT(struct mdk_fe_node *);
  p.directives = MDK_VEC_INIT(struct mdk_fe_directive);
  p.warnings = MDK_VEC_INIT(struct mdk_fe_warning);
  p.comments = MDK_VEC_INIT(struct mdk_str);

  rc = mdk_yyparse(&p);
  mdk_buf_free(&p.line);
  mdk_buf_free(&p.body);
  if(rc && !p.failed)
    error_at(&p, src_loc(&p, 0, 0), NULL, "parser ran out of memory");
  if(!p.failed && p.nodes.len == 0) {
    struct mdk_diag *d = mdk_diag_add(diags, MDK_SEV_ERROR,
                                      src_loc(&p, (uint32_t)src->len,
                                              (uint32_t)src->len),
                                      "file with no instructions");
    mdk_diag_hint(diags, d, "a Dockerfile needs at least a FROM instruction");
    p.failed = true;
  }
  if(p.failed)
    return MDK_ESYNTAX;
  ast = mdk_arena_new(a, struct mdk_fe_ast);
  ast->src = src;
  ast->nodes = p.nodes.items;
  ast->nnodes = p.nodes.len;
  ast->directives = p.directives.items;
  ast->ndirectives = p.directives.len;
  ast->warnings = p.warnings.items;
  ast->nwarnings = p.warnings.len;
  ast->escape = p.sc.escape;
  ast->checks = p.checks;
  *out = ast;
  return MDK_OK;
}
