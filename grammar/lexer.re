/* lexer.re - physical lines of a Dockerfile (re2c).
 *
 * BuildKit's parser is line oriented, so tokens are whole physical lines,
 * classified the way parser.go classifies them: blank, comment (or parser
 * directive, while the leading directive block lasts), text, and text that
 * continues on the next line (the escape character, then only blanks).  While
 * the grammar has heredocs pending, lines are heredoc body lines instead.
 * The escape character is a runtime value (# escape=), so it is compared in
 * the actions, not in the regular expressions. */
#include <string.h>

#include "base/base.h"
#include "frontend/scanner.h"
#include "parser.h"

/*!re2c
  re2c:api:style = free-form;
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = sc->cur;
  re2c:define:YYMARKER = sc->mar;
  re2c:define:YYLIMIT = sc->lim;
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  // Go's unicode.IsSpace, as UTF-8.
  sp = [ \t\v\f\r] | "\xC2\x85" | "\xC2\xA0" | "\xE1\x9A\x80"
     | "\xE2\x80" [\x80-\x8A\xA8\xA9\xAF] | "\xE2\x81\x9F" | "\xE3\x80\x80";
  eol = "\n";
  rest = [^\n]*;
*/

void mdk_fe_scanner_init(struct mdk_scanner *sc, const struct mdk_source *src)
{
  memset(sc, 0, sizeof(*sc));
  sc->src = src;
  sc->base = (const unsigned char *)src->data;
  sc->cur = sc->base;
  sc->lim = sc->base + src->len;
  sc->escape = '\\';
  /* A UTF-8 byte order mark is dropped from the first line. */
  if(src->len >= 3 && memcmp(src->data, "\xEF\xBB\xBF", 3) == 0)
    sc->cur += 3;
}

static uint32_t off(const struct mdk_scanner *sc, const unsigned char *p)
{
  return (uint32_t)(p - sc->base);
}

/* Fills tok with the physical line [ts, sc->cur): content excludes the
 * newline and any CR/LF before it (BuildKit's trimNewline). */
static bool fill_line(struct mdk_scanner *sc, const unsigned char *ts,
                      struct mdk_fe_tok *tok)
{
  const unsigned char *e = sc->cur;
  memset(tok, 0, sizeof(*tok));
  tok->line_end = off(sc, e);
  while(e > ts && (e[-1] == '\n' || e[-1] == '\r'))
    e--;
  tok->start = off(sc, ts);
  tok->end = off(sc, e);
  sc->line_no++;
  /* bufio.Scanner refuses a line that does not fit 64 KiB with its newline. */
  return (size_t)(sc->cur - ts) - (sc->cur[-1] == '\n') <= MDK_FE_MAX_LINE;
}

static bool is_re_space(unsigned char c)    /* RE2's \s */
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` over [p, e), with a known
 * key (syntax, escape, check). */
static bool match_directive(struct mdk_scanner *sc, const unsigned char *p,
                            const unsigned char *e, struct mdk_fe_tok *tok)
{
  const unsigned char *k0, *k1, *v0, *v1, *ws;
  struct mdk_str key;

  if(p >= e || *p != '#')
    return false;
  p++;
  while(p < e && is_re_space(*p))
    p++;
  if(p >= e || !is_alpha(*p))
    return false;
  k0 = p;
  while(p < e && (is_alpha(*p) || (*p >= '0' && *p <= '9')))
    p++;
  k1 = p;
  while(p < e && is_re_space(*p))
    p++;
  if(p >= e || *p != '=')
    return false;
  p++;
  ws = p;
  while(p < e && is_re_space(*p))
    p++;
  if(p == e) {
    /* `.+?` must take one character: the last blank, if any. */
    if(ws == e)
      return false;
    v0 = e - 1;
    v1 = e;
  }
  else {
    v0 = p;
    v1 = e;
    while(v1 > v0 && is_re_space(v1[-1]))
      v1--;
  }
  key = mdk_str_make((const char *)k0, (size_t)(k1 - k0));
  if(!mdk_str_eq_ci(key, "syntax") && !mdk_str_eq_ci(key, "escape") &&
     !mdk_str_eq_ci(key, "check"))
    return false;
  tok->k0 = off(sc, k0);
  tok->k1 = off(sc, k1);
  tok->v0 = off(sc, v0);
  tok->v1 = off(sc, v1);
  /* The escape character changes how every following line is read, so it
   * takes effect here; the grammar validates and reports. */
  if(mdk_str_eq_ci(key, "escape") && v1 - v0 == 1 &&
     (*v0 == '\\' || *v0 == '`'))
    sc->escape = *v0;
  return true;
}

/* BuildKit's continuation regex `([^E])E[ \t]*$|^E[ \t]*$`: the last
 * non-blank byte is the escape and is not itself escaped. */
static bool continues(const struct mdk_scanner *sc, struct mdk_fe_tok *tok)
{
  const unsigned char *s = sc->base + tok->start, *e = sc->base + tok->end;
  while(e > s && (e[-1] == ' ' || e[-1] == '\t'))
    e--;
  if(e == s || e[-1] != sc->escape)
    return false;
  if(e - 1 > s && e[-2] == sc->escape)
    return false;
  tok->end = off(sc, e - 1);
  return true;
}

/* The token of a text line [ts, sc->cur): continued or not. */
static int text_line(struct mdk_scanner *sc, const unsigned char *ts,
                     struct mdk_fe_tok *tok)
{
  if(!fill_line(sc, ts, tok))
    return T_TOOLONG;
  return continues(sc, tok) ? T_TEXT_CONT : T_TEXT;
}

/* The token of a comment line [ts, sc->cur) whose '#' is at hash: a parser
 * directive while the leading block of them lasts. */
static int comment_line(struct mdk_scanner *sc, const unsigned char *ts,
                        const unsigned char *hash, bool was_done,
                        struct mdk_fe_tok *tok)
{
  if(!fill_line(sc, ts, tok))
    return T_TOOLONG;
  if(!was_done && match_directive(sc, hash, sc->base + tok->end, tok)) {
    sc->directives_done = false;
    return T_DIRECTIVE;
  }
  tok->start = off(sc, hash + 1);
  return T_COMMENT;
}

static int lex_line(struct mdk_scanner *sc, struct mdk_fe_tok *tok)
{
  const unsigned char *ts = sc->cur, *p;
  bool was_done = sc->directives_done;

  sc->directives_done = true;
  /* The common lines, text or a comment whose first non-blank byte is
   * plain ASCII and blank lines, are found without the DFA (which takes a
   * step a byte): what `[^\n]+ eol?` or `sp* "#" rest eol?` below would
   * match is the line up to and with its newline. */
  for(p = ts; p < sc->lim && (*p == ' ' || *p == '\t' || *p == '\v' ||
                              *p == '\f' || *p == '\r'); p++)
    ;
  if(p < sc->lim && *p < 0x80 && *p != '\n') {
    /* the source's line index already has where the next line starts
     * (tokens are physical lines: this one is line line_no) */
    const struct mdk_source *src = sc->src;
    sc->cur = sc->line_no + 1 < src->nlines
              ? sc->base + src->line_starts[sc->line_no + 1] : sc->lim;
    if(*p == '#')
      return comment_line(sc, ts, p, was_done, tok);
    return text_line(sc, ts, tok);
  }
  if(p == sc->lim ? p > ts : *p == '\n') {
    /* blanks only: what `sp+ eol? | eol` below matches */
    sc->cur = p == sc->lim ? p : p + 1;
    return fill_line(sc, ts, tok) ? T_BLANK : T_TOOLONG;
  }
  /*!re2c
    $ {
      sc->directives_done = was_done;
      if(sc->eof_sent)
        return 0;
      sc->eof_sent = true;
      return T_EOF;
    }
    sp+ eol? | eol {
      if(!fill_line(sc, ts, tok))
        return T_TOOLONG;
      return T_BLANK;
    }
    sp* "#" rest eol? {
      p = ts;
      while(*p != '#')
        p++;
      return comment_line(sc, ts, p, was_done, tok);
    }
    [^\n]+ eol? {
      return text_line(sc, ts, tok);
    }
  */
}

static int lex_heredoc(struct mdk_scanner *sc, struct mdk_fe_tok *tok)
{
  const unsigned char *ts = sc->cur, *s;
  const struct mdk_fe_heredoc *hd = &sc->pending[sc->ipending];
  /*!re2c
    $ {
      memset(tok, 0, sizeof(*tok));
      tok->start = tok->end = tok->line_end = off(sc, sc->cur);
      return T_HD_UNTERM;
    }
    rest eol | [^\n]+ {
      if(!fill_line(sc, ts, tok))
        return T_HD_TOOLONG;
      s = sc->base + tok->start;
      if(hd->chomp)
        while(s < sc->base + tok->end && *s == '\t')
          s++;
      if((size_t)(sc->base + tok->end - s) == hd->name.len &&
         memcmp(s, hd->name.ptr, hd->name.len) == 0) {
        sc->ipending++;
        return T_HD_END;
      }
      return T_HD_LINE;
    }
  */
}

int mdk_fe_lex(struct mdk_scanner *sc, struct mdk_fe_tok *tok)
{
  if(sc->ipending < sc->npending)
    return lex_heredoc(sc, tok);
  return lex_line(sc, tok);
}
