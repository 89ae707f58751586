/* ast.c - AST locations and BuildKit's Node.Dump() format. */
#include "frontend/ast.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"

struct mdk_loc mdk_fe_line_loc(const struct mdk_fe_line *line, uint32_t off,
                               uint32_t len)
{
  struct mdk_loc loc = {line->src, 0, 0};
  size_t lo = 0, hi = line->npieces;
  uint32_t start, end;

  if(!line->npieces)
    return loc;
  /* piece holding off (the last piece whose lofs <= off) */
  while(hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if(line->pieces[mid].lofs <= off)
      lo = mid;
    else
      hi = mid;
  }
  start = line->pieces[lo].sofs + (off - line->pieces[lo].lofs);
  end = start + len;
  /* a span crossing into a continuation line is cut at its piece's end */
  if(lo + 1 < line->npieces &&
     off + len > line->pieces[lo + 1].lofs)
    end = start + (line->pieces[lo + 1].lofs - off);
  loc.start = start;
  loc.end = end;
  return loc;
}

struct mdk_loc mdk_fe_arg_loc(const struct mdk_fe_node *n,
                              const struct mdk_fe_arg *a)
{
  return mdk_fe_line_loc(n->line, a->off, a->len);
}

struct mdk_loc mdk_fe_node_loc(const struct mdk_fe_node *n)
{
  return mdk_fe_line_loc(n->line, n->kw_off, (uint32_t)n->keyword.len);
}

const struct mdk_fe_directive *mdk_fe_ast_directive(const struct mdk_fe_ast *a,
                                                    const char *key)
{
  size_t i;
  for(i = 0; i < a->ndirectives; i++)
    if(mdk_str_eq_c(a->directives[i].key, key))
      return &a->directives[i];
  return NULL;
}

static bool rune_printable(uint32_t r)
{
  /* strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the
   * ASCII space.  Without Go's tables, treat the non-ASCII ranges that are
   * not printable (C1 controls, format characters, separators other than
   * U+0020, surrogates, non-characters, private use) as such. */
  if(r < 0x20 || r == 0x7F)
    return false;
  if(r < 0x7F)
    return true;
  if(r < 0xA0 || r == 0xAD)
    return false;
  if(mdk_rune_is_space(r) && r != ' ')
    return false;
  if((r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) ||
     (r >= 0x2060 && r <= 0x206F) || r == 0xFEFF ||
     (r >= 0xFFF0 && r <= 0xFFFB) || (r >= 0xE000 && r <= 0xF8FF) ||
     r >= 0xF0000 || (r & 0xFFFE) == 0xFFFE || r == 0x061C ||
     (r >= 0xFDD0 && r <= 0xFDEF) || r == 0x180E)
    return false;
  return true;
}

/* Go strconv.Quote */
static void go_quote(struct mdk_buf *b, struct mdk_str s)
{
  size_t i = 0, w;
  char tmp[16];
  (void)mdk_buf_putc(b, '"');
  while(i < s.len) {
    unsigned char c = (unsigned char)s.ptr[i];
    uint32_t r = mdk_utf8_decode(s.ptr + i, s.len - i, &w);
    if(r == MDK_RUNE_ERROR && w == 1) {
      snprintf(tmp, sizeof(tmp), "\\x%02x", c);
      (void)mdk_buf_puts(b, tmp);
      i++;
      continue;
    }
    i += w;
    if(r == '"' || r == '\\') {
      (void)mdk_buf_putc(b, '\\');
      (void)mdk_buf_putc(b, (char)r);
      continue;
    }
    if(rune_printable(r)) {
      (void)mdk_buf_append(b, s.ptr + i - w, w);
      continue;
    }
    switch(r) {
    case '\a': (void)mdk_buf_puts(b, "\\a"); continue;
    case '\b': (void)mdk_buf_puts(b, "\\b"); continue;
    case '\f': (void)mdk_buf_puts(b, "\\f"); continue;
    case '\n': (void)mdk_buf_puts(b, "\\n"); continue;
    case '\r': (void)mdk_buf_puts(b, "\\r"); continue;
    case '\t': (void)mdk_buf_puts(b, "\\t"); continue;
    case '\v': (void)mdk_buf_puts(b, "\\v"); continue;
    }
    if(r < ' ' || r == 0x7F)
      snprintf(tmp, sizeof(tmp), "\\x%02x", r);
    else if(r < 0x10000)
      snprintf(tmp, sizeof(tmp), "\\u%04x", r);
    else
      snprintf(tmp, sizeof(tmp), "\\U%08x", r);
    (void)mdk_buf_puts(b, tmp);
  }
  (void)mdk_buf_putc(b, '"');
}

static void dump_node(const struct mdk_fe_node *n, struct mdk_buf *b)
{
  size_t i;
  struct mdk_buf kw;

  mdk_buf_init(&kw, (size_t)1 << 20);
  for(i = 0; i < n->keyword.len; i++) {
    char c = n->keyword.ptr[i];
    (void)mdk_buf_putc(&kw, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
  }
  (void)mdk_buf_append(b, kw.ptr ? kw.ptr : "", kw.len);
  mdk_buf_free(&kw);
  if(n->nflags) {
    (void)mdk_buf_puts(b, " [");
    for(i = 0; i < n->nflags; i++) {
      if(i)
        (void)mdk_buf_putc(b, ' ');
      go_quote(b, n->flags[i].val);
    }
    (void)mdk_buf_putc(b, ']');
  }
  if(n->child) {
    (void)mdk_buf_puts(b, " (");
    dump_node(n->child, b);
    (void)mdk_buf_putc(b, ')');
  }
  for(i = 0; i < n->nargs; i++) {
    (void)mdk_buf_putc(b, ' ');
    go_quote(b, n->args[i].val);
  }
}

enum mdk_status mdk_fe_ast_dump_buildkit(const struct mdk_fe_ast *ast,
                                         struct mdk_buf *out)
{
  size_t i;
  for(i = 0; i < ast->nnodes; i++) {
    size_t mark;
    (void)mdk_buf_putc(out, '(');
    mark = out->len;
    dump_node(ast->nodes[i], out);
    /* Dump() TrimSpaces: with no keyword the first item loses its space */
    if(ast->nodes[i]->keyword.len == 0 && out->len > mark &&
       out->ptr[mark] == ' ') {
      memmove(out->ptr + mark, out->ptr + mark + 1, out->len - mark - 1);
      out->len--;
    }
    if(mdk_buf_puts(out, ")\n"))
      return MDK_ENOMEM;
  }
  return MDK_OK;
}

struct mdk_str mdk_fe_text_with_heredocs(struct mdk_arena *a,
                                         struct mdk_str text,
                                         const struct mdk_fe_node *n)
{
  struct mdk_buf b;
  struct mdk_str r;
  size_t i;
  mdk_buf_init(&b, (size_t)1 << 30);
  (void)mdk_buf_append(&b, text.ptr, text.len);
  for(i = 0; i < n->nheredocs; i++) {
    (void)mdk_buf_putc(&b, '\n');
    (void)mdk_buf_append(&b, n->heredocs[i].content.ptr,
                         n->heredocs[i].content.len);
    (void)mdk_buf_append(&b, n->heredocs[i].name.ptr,
                         n->heredocs[i].name.len);
  }
  r = mdk_str_dup(a, mdk_buf_str(&b));
  mdk_buf_free(&b);
  return r;
}
