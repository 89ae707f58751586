/* shlex.c - BuildKit's shell.Lex, rune for rune.
 *
 * The structure follows BuildKit's lex.go on purpose (processStopOn,
 * processDollar, processName, ...) so that a reader can check the two side by
 * side: every quirk there is a compatibility requirement here.  Notable ones,
 * kept deliberately:
 *  - the words buffer is shared by nested ${...} words and reset when one
 *    starts, so text before a ${V:-w} in the same split word is dropped;
 *  - "." in ${V#p} patterns does not match a newline (Go regexp);
 *  - ${V//p/r} expands "$0"/"$name" in r like Go's ReplaceAllString. */
#include "frontend/shlex.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define SC_EOF (-1)
enum { MAX_DEPTH = 256, WORD_LIMIT = 64u << 20 };

/* No expanded word may grow past MDK_LIMIT_EXPANSION (default 4 MiB, below
 * a word buffer's own 64 MiB): ARG a=$b$b$b$b... chains grow eightfold a
 * line, and a file of a dozen lines would ask for a terabyte.  Real words
 * are far smaller. */
static size_t expansion_limit(void)
{
  return (size_t)mdk_limit(MDK_LIMIT_EXPANSION);
}

struct scan {
  const char *p;
  size_t n, pos;
};

static int32_t sc_peek_w(const struct scan *s, size_t *w)
{
  if(s->pos >= s->n) {
    *w = 0;
    return SC_EOF;
  }
  return (int32_t)mdk_utf8_decode(s->p + s->pos, s->n - s->pos, w);
}

static int32_t sc_peek(const struct scan *s)
{
  size_t w;
  return sc_peek_w(s, &w);
}

static int32_t sc_next(struct scan *s)
{
  size_t w;
  int32_t r = sc_peek_w(s, &w);
  s->pos += w;
  return r;
}

struct words {
  struct mdk_buf *buf;       /* shared: see the file comment */
  struct mdk_vec list;       /* struct mdk_str */
  bool in_word;
};

struct sw {
  struct mdk_arena *a;
  const struct mdk_fe_shlex_opts *o;
  const struct mdk_fe_env *env;
  struct scan s;
  bool raw_escapes;
  struct mdk_buf wbuf;
  struct mdk_vec matched, unmatched, mods;
  int uses;
  int depth;
  const char *err;
  uint32_t err_off;
  bool err_limit;
};

static bool fail(struct sw *sw, size_t off, const char *msg)
{
  if(!sw->err) {
    sw->err = msg;
    sw->err_off = (uint32_t)off;
  }
  return false;
}

static bool too_big(struct sw *sw, size_t have, size_t more)
{
  size_t limit = expansion_limit();
  if(have + more <= limit)
    return false;
  if(!sw->err)
    sw->err_limit = true;
  fail(sw, sw->s.pos, mdk_arena_printf(sw->a, "the expansion grows past "
                                       "%zu bytes (%s raises the limit)",
                                       limit,
                                       mdk_limit_env(MDK_LIMIT_EXPANSION)));
  return true;
}

static void put_rune(struct mdk_buf *b, int32_t r)
{
  char enc[4];
  size_t n;
  if(r >= 0 && r < 0x80) {     /* ASCII, nearly every rune: no encoding */
    (void)mdk_buf_putc(b, (char)r);
    return;
  }
  n = mdk_utf8_encode(r < 0 ? MDK_RUNE_ERROR : (uint32_t)r, enc);
  (void)mdk_buf_append(b, enc, n);
}

static struct mdk_str buf_take(struct sw *sw, struct mdk_buf *b)
{
  struct mdk_str s = mdk_str_make(mdk_arena_strndup(sw->a, b->ptr ? b->ptr
                                                                   : "",
                                                    b->len),
                                  b->len);
  return s;
}

static void words_push(struct sw *sw, struct words *w)
{
  struct mdk_str s = buf_take(sw, w->buf);
  mdk_vec_push(sw->a, &w->list, &s);
  mdk_buf_reset(w->buf);
}

static void words_add_raw_char(struct words *w, int32_t ch)
{
  put_rune(w->buf, ch);
  w->in_word = true;
}

static void words_add_char(struct sw *sw, struct words *w, int32_t ch)
{
  bool sp = ch >= 0 && mdk_rune_is_space((uint32_t)ch);
  if(sp && w->in_word) {
    if(w->buf->len != 0) {
      words_push(sw, w);
      w->in_word = false;
    }
  }
  else if(!sp) {
    words_add_raw_char(w, ch);
  }
}

static bool ascii_word_byte(unsigned char c)
{
  return c < 0x80 && !mdk_ascii_is_space(c);
}

static void words_add_string(struct sw *sw, struct words *w, struct mdk_str s)
{
  size_t i = 0, wd;
  while(i < s.len) {
    int32_t r;
    if(ascii_word_byte((unsigned char)s.ptr[i])) {
      /* a run of ASCII that is not space: what words_add_char would do
       * byte by byte */
      size_t j = i + 1;
      while(j < s.len && ascii_word_byte((unsigned char)s.ptr[j]))
        j++;
      (void)mdk_buf_append(w->buf, s.ptr + i, j - i);
      w->in_word = true;
      i = j;
      continue;
    }
    r = (int32_t)mdk_utf8_decode(s.ptr + i, s.len - i, &wd);
    words_add_char(sw, w, r);
    i += wd;
  }
}

static void words_add_raw_string(struct words *w, struct mdk_str s)
{
  (void)mdk_buf_append(w->buf, s.ptr, s.len);
  w->in_word = true;
}

static void words_get(struct sw *sw, struct words *w)
{
  if(w->buf->len > 0) {
    words_push(sw, w);
    w->in_word = false;
  }
}

static void note_name(struct sw *sw, struct mdk_vec *v, struct mdk_str name)
{
  size_t i;
  for(i = 0; i < v->len; i++)
    if(mdk_str_eq(*mdk_vec_at(v, struct mdk_str, i), name))
      return;
  name = mdk_str_dup(sw->a, name);
  mdk_vec_push(sw->a, v, &name);
}

static bool get_env(struct sw *sw, struct mdk_str name, struct mdk_str *val)
{
  /* "" rather than NULL, set or not: pattern code does pointer arithmetic
   * on values (an empty value may come back as a NULL string) */
  if(sw->env && sw->env->get && sw->env->get(sw->env->ud, name, val)) {
    note_name(sw, &sw->matched, name);
    if(!val->ptr)
      *val = mdk_str_make("", 0);
    return true;
  }
  note_name(sw, &sw->unmatched, name);
  *val = mdk_str_make("", 0);
  return false;
}

static bool process_stop_on(struct sw *sw, int32_t stop, bool raw_escapes,
                            struct mdk_str *result, struct words *out_words);

static bool single_quote(struct sw *sw, struct mdk_str *out)
{
  struct mdk_buf b;
  size_t start = sw->s.pos;
  int32_t ch = sc_next(&sw->s);

  mdk_buf_init(&b, WORD_LIMIT);
  if(sw->o->raw_quotes)
    put_rune(&b, ch);
  for(;;) {
    ch = sc_next(&sw->s);
    if(ch == SC_EOF) {
      mdk_buf_free(&b);
      return fail(sw, start, "unexpected end of statement while looking for "
                             "matching single-quote");
    }
    if(ch == '\'') {
      if(sw->o->raw_quotes)
        put_rune(&b, ch);
      *out = buf_take(sw, &b);
      mdk_buf_free(&b);
      return true;
    }
    put_rune(&b, ch);
  }
}

static bool process_dollar(struct sw *sw, struct mdk_str *out);

static bool double_quote(struct sw *sw, struct mdk_str *out)
{
  struct mdk_buf b;
  size_t start = sw->s.pos;
  int32_t ch = sc_next(&sw->s);
  bool ok = true;

  mdk_buf_init(&b, WORD_LIMIT);
  if(sw->o->raw_quotes)
    put_rune(&b, ch);
  for(;;) {
    int32_t pk = sc_peek(&sw->s);
    if(pk == SC_EOF) {
      ok = fail(sw, start, "unexpected end of statement while looking for "
                           "matching double-quote");
      break;
    }
    if(pk == '"') {
      ch = sc_next(&sw->s);
      if(sw->o->raw_quotes)
        put_rune(&b, ch);
      break;
    }
    if(pk == '$') {
      struct mdk_str v;
      if(!process_dollar(sw, &v)) {
        ok = false;
        break;
      }
      if(too_big(sw, b.len, v.len)) {
        ok = false;
        break;
      }
      (void)mdk_buf_append(&b, v.ptr, v.len);
      continue;
    }
    ch = sc_next(&sw->s);
    if(ch == (int32_t)sw->o->escape) {
      int32_t nx;
      if(sw->raw_escapes)
        put_rune(&b, ch);
      nx = sc_peek(&sw->s);
      if(nx == SC_EOF)
        continue;    /* a lone escape at the end of the word is dropped */
      if(nx == '"' || nx == '$' || nx == (int32_t)sw->o->escape)
        ch = sc_next(&sw->s);
    }
    put_rune(&b, ch);
  }
  if(ok)
    *out = buf_take(sw, &b);
  mdk_buf_free(&b);
  return ok;
}

/* "<" or "<<" plus any following blanks: a heredoc marker with blanks before
 * its word stays one word when splitting (`RUN <<  EOF`). */
static bool possible_heredoc(struct sw *sw, struct mdk_str *out)
{
  size_t start = sw->s.pos;
  sc_next(&sw->s);
  if(sc_peek(&sw->s) != '<') {
    *out = mdk_str_make("<", 1);
    return true;
  }
  sc_next(&sw->s);
  for(;;) {
    int32_t pk = sc_peek(&sw->s);
    if(pk != ' ' && pk != '\t')
      break;
    sc_next(&sw->s);
  }
  *out = mdk_str_make(sw->s.p + start, sw->s.pos - start);
  return true;
}

static bool is_special_param(int32_t ch)
{
  switch(ch) {
  case '@': case '*': case '#': case '?': case '-': case '$': case '!':
  case '0':
    return true;
  }
  return false;
}

static struct mdk_str process_name(struct sw *sw)
{
  size_t start = sw->s.pos;
  for(;;) {
    int32_t ch = sc_peek(&sw->s);
    bool empty = sw->s.pos == start;
    if(ch == SC_EOF)
      break;
    if(empty && mdk_rune_is_digit((uint32_t)ch)) {
      while(sc_peek(&sw->s) != SC_EOF &&
            mdk_rune_is_digit((uint32_t)sc_peek(&sw->s)))
        sc_next(&sw->s);
      break;
    }
    if(empty && is_special_param(ch)) {
      sc_next(&sw->s);
      break;
    }
    if(!mdk_rune_is_letter((uint32_t)ch) && !mdk_rune_is_digit((uint32_t)ch) &&
       ch != '_')
      break;
    sc_next(&sw->s);
  }
  return mdk_str_make(sw->s.p + start, sw->s.pos - start);
}

/* --- glob patterns of ${V#p} ${V%p} ${V/p/r}: '*', '?' and literals, run as
 * a Pike VM so leftmost-first matching (Go's RE2) costs O(n*m). */

enum { I_CHAR, I_ANY, I_SPLIT, I_JMP, I_MATCH };
struct inst {
  int op;
  int32_t r;
  int x, y;
};
struct prog {
  struct inst *in;
  int n;
  bool anchored;
};

static bool compile_pattern(struct sw *sw, struct mdk_str pat, bool greedy,
                            bool anchored, struct prog *pg, size_t err_off)
{
  struct scan s = {pat.ptr, pat.len, 0};
  int cap = (int)pat.len * 3 + 2, n = 0;
  struct inst *in = mdk_arena_array(sw->a, struct inst, (size_t)cap);

  for(;;) {
    int32_t tok = sc_next(&s);
    if(tok == SC_EOF)
      break;
    if(tok == '*') {
      int split = n;
      in[n++] = (struct inst){I_SPLIT, 0, 0, 0};
      in[n++] = (struct inst){I_ANY, 0, 0, 0};
      in[n++] = (struct inst){I_JMP, 0, split, 0};
      if(greedy) {
        in[split].x = split + 1;
        in[split].y = n;
      }
      else {
        in[split].x = n;
        in[split].y = split + 1;
      }
      continue;
    }
    if(tok == '?') {
      in[n++] = (struct inst){I_ANY, 0, 0, 0};
      continue;
    }
    if(tok == '\\') {
      int32_t pk = sc_peek(&s);
      if(pk == '}' || pk == '/')
        continue;   /* the escape of a ${} terminator is not pattern text */
      tok = sc_next(&s);
      if(tok != '*' && tok != '?' && tok != '\\') {
        char ebuf[8];
        size_t el = mdk_utf8_encode(tok < 0 ? MDK_RUNE_ERROR : (uint32_t)tok,
                                    ebuf);
        sw->err = mdk_arena_printf(sw->a, "invalid pattern (%.*s) in "
                                   "substitution: invalid escape '\\%.*s'",
                                   MDK_STR_FMT(pat), (int)el, ebuf);
        sw->err_off = (uint32_t)err_off;
        return false;
      }
    }
    in[n++] = (struct inst){I_CHAR, tok, 0, 0};
  }
  in[n++] = (struct inst){I_MATCH, 0, 0, 0};
  pg->in = in;
  pg->n = n;
  pg->anchored = anchored;
  return true;
}

struct thread {
  int pc;
  size_t start;
};
struct tlist {
  struct thread *t;
  int n;
  unsigned *mark;   /* generation per pc */
};

static void add_thread(const struct prog *pg, struct tlist *l, unsigned gen,
                       int pc, size_t start, int *stack)
{
  int sp = 0;
  stack[sp++] = pc;
  while(sp) {
    pc = stack[--sp];
    if(l->mark[pc] == gen)
      continue;
    l->mark[pc] = gen;
    switch(pg->in[pc].op) {
    case I_JMP:
      stack[sp++] = pg->in[pc].x;
      break;
    case I_SPLIT:
      /* Push the lower-priority branch first so the preferred one runs
       * (and claims its threads) first. */
      stack[sp++] = pg->in[pc].y;
      stack[sp++] = pg->in[pc].x;
      break;
    default:
      l->t[l->n].pc = pc;
      l->t[l->n].start = start;
      l->n++;
    }
  }
}

/* Leftmost-first match of pg in s starting the search at from. */
static bool prog_find(const struct prog *pg, struct mdk_str s, size_t from,
                      size_t *ms, size_t *me)
{
  size_t np = (size_t)pg->n, pos = from, w;
  struct tlist cl, nl, tmp;
  unsigned gen = 1;
  bool found = false;
  int *stack = malloc(sizeof(int) * np * 2 + 8);

  cl.t = malloc(sizeof(struct thread) * np);
  nl.t = malloc(sizeof(struct thread) * np);
  cl.mark = calloc(np, sizeof(unsigned));
  nl.mark = calloc(np, sizeof(unsigned));
  if(!stack || !cl.t || !nl.t || !cl.mark || !nl.mark)
    abort();
  cl.n = 0;
  add_thread(pg, &cl, gen, 0, pos, stack);
  for(;;) {
    int32_t r = SC_EOF;
    int i;
    w = 0;
    if(pos < s.len)
      r = (int32_t)mdk_utf8_decode(s.ptr + pos, s.len - pos, &w);
    gen++;
    nl.n = 0;
    for(i = 0; i < cl.n; i++) {
      const struct inst *in = &pg->in[cl.t[i].pc];
      if(in->op == I_MATCH) {
        found = true;
        *ms = cl.t[i].start;
        *me = pos;
        break;   /* lower-priority threads are cut */
      }
      if(r == SC_EOF)
        continue;
      if((in->op == I_CHAR && in->r == r) || (in->op == I_ANY && r != '\n'))
        add_thread(pg, &nl, gen, cl.t[i].pc + 1, cl.t[i].start, stack);
    }
    if(r == SC_EOF)
      break;
    pos += w;
    /* Unanchored: a new attempt may start here, at lowest priority. */
    if(!found && !pg->anchored)
      add_thread(pg, &nl, gen, 0, pos, stack);
    if(nl.n == 0)
      break;
    tmp = cl;
    cl = nl;
    nl = tmp;
  }
  free(stack);
  free(cl.t);
  free(nl.t);
  free(cl.mark);
  free(nl.mark);
  return found;
}

/* Reverses runes; like Go's []rune conversion, invalid bytes become U+FFFD. */
static struct mdk_str reverse_string(struct sw *sw, struct mdk_str s)
{
  char *out = mdk_arena_alloc(sw->a, s.len * 3 + 1);
  size_t i = 0, o, w, total = 0;
  while(i < s.len) {
    uint32_t r = mdk_utf8_decode(s.ptr + i, s.len - i, &w);
    char enc[4];
    total += mdk_utf8_encode(r, enc);
    i += w;
  }
  o = total;
  i = 0;
  while(i < s.len) {
    uint32_t r = mdk_utf8_decode(s.ptr + i, s.len - i, &w);
    char enc[4];
    size_t n = mdk_utf8_encode(r, enc);
    o -= n;
    memcpy(out + o, enc, n);
    i += w;
  }
  return mdk_str_make(out, total);
}

/* Reverses a pattern keeping "\x" escapes in front of their character. */
static struct mdk_str reverse_pattern(struct sw *sw, struct mdk_str pat)
{
  uint32_t *runes = mdk_arena_array(sw->a, uint32_t, pat.len + 1);
  uint32_t *out;
  size_t n = 0, i = 0, w, k, last;
  struct mdk_buf b;
  struct mdk_str res;

  while(i < pat.len) {
    runes[n++] = mdk_utf8_decode(pat.ptr + i, pat.len - i, &w);
    i += w;
  }
  if(n == 0)
    return pat;
  out = mdk_arena_array(sw->a, uint32_t, n);
  last = n - 1;
  for(k = 0; k <= last;) {
    size_t oi = last - k;
    if(runes[k] == '\\' && k != last) {
      out[oi - 1] = runes[k];
      out[oi] = runes[k + 1];
      k += 2;
    }
    else {
      out[oi] = runes[k];
      k++;
    }
  }
  mdk_buf_init(&b, WORD_LIMIT);
  for(k = 0; k < n; k++)
    put_rune(&b, (int32_t)out[k]);
  res = buf_take(sw, &b);
  mdk_buf_free(&b);
  return res;
}

static bool trim_prefix(struct sw *sw, struct mdk_str pat, struct mdk_str val,
                        bool greedy, struct mdk_str *out, size_t err_off)
{
  struct prog pg;
  size_t ms, me;
  if(!compile_pattern(sw, pat, greedy, true, &pg, err_off))
    return false;
  if(prog_find(&pg, val, 0, &ms, &me))
    val = mdk_str_make(val.ptr + me, val.len - me);
  *out = val;
  return true;
}

static bool trim_suffix(struct sw *sw, struct mdk_str pat, struct mdk_str val,
                        bool greedy, struct mdk_str *out, size_t err_off)
{
  struct mdk_str r;
  if(!trim_prefix(sw, reverse_pattern(sw, pat), reverse_string(sw, val),
                  greedy, &r, err_off))
    return false;
  *out = reverse_string(sw, r);
  return true;
}

/* Go regexp.Expand of a replacement template: "$$", "$0" / "${0}" (the
 * match); any other $name names a group the pattern cannot have: "". */
static void expand_template(struct mdk_buf *b, struct mdk_str tpl,
                            struct mdk_str src, size_t ms, size_t me)
{
  size_t i = 0;
  while(i < tpl.len) {
    size_t j, w, ns, ne;
    bool brace, digits = true;
    if(tpl.ptr[i] != '$') {
      (void)mdk_buf_putc(b, tpl.ptr[i]);
      i++;
      continue;
    }
    i++;
    if(i < tpl.len && tpl.ptr[i] == '$') {
      (void)mdk_buf_putc(b, '$');
      i++;
      continue;
    }
    brace = i < tpl.len && tpl.ptr[i] == '{';
    j = ns = brace ? i + 1 : i;
    while(j < tpl.len) {
      uint32_t r = mdk_utf8_decode(tpl.ptr + j, tpl.len - j, &w);
      if(!mdk_rune_is_letter(r) && !mdk_rune_is_digit(r) && r != '_')
        break;
      j += w;
    }
    ne = j;
    if(ne == ns || (brace && (j >= tpl.len || tpl.ptr[j] != '}'))) {
      (void)mdk_buf_putc(b, '$');   /* malformed: the '$' is literal */
      continue;
    }
    for(j = ns; j < ne; j++)
      if(tpl.ptr[j] < '0' || tpl.ptr[j] > '9')
        digits = false;
    if(digits) {
      size_t k = ns;
      unsigned long num = 0;
      while(k < ne && num < 100000000UL)
        num = num * 10 + (unsigned long)(tpl.ptr[k++] - '0');
      if(k == ne && num == 0)
        (void)mdk_buf_append(b, src.ptr + ms, me - ms);
    }
    i = brace ? ne + 1 : ne;
  }
}

static bool replace(struct sw *sw, struct mdk_str pat, struct mdk_str repl,
                    struct mdk_str val, bool all, struct mdk_str *out,
                    size_t err_off)
{
  struct prog pg;
  struct mdk_buf b;
  size_t ms, me;

  if(!compile_pattern(sw, pat, true, false, &pg, err_off))
    return false;
  mdk_buf_init(&b, WORD_LIMIT);
  if(!all) {
    if(prog_find(&pg, val, 0, &ms, &me)) {
      (void)mdk_buf_append(&b, val.ptr, ms);
      (void)mdk_buf_append(&b, repl.ptr, repl.len);
      (void)mdk_buf_append(&b, val.ptr + me, val.len - me);
      *out = buf_take(sw, &b);
    }
    else {
      *out = val;
    }
    mdk_buf_free(&b);
    return true;
  }
  {
    /* Go's Regexp.replaceAll loop. */
    size_t search = 0, last_end = 0;
    bool first = true;
    while(search <= val.len) {
      size_t w = 0;
      if(!prog_find(&pg, val, search, &ms, &me))
        break;
      if(too_big(sw, b.len, ms - last_end + repl.len)) {
        mdk_buf_free(&b);
        return false;
      }
      (void)mdk_buf_append(&b, val.ptr + last_end, ms - last_end);
      if(me > last_end || ms == 0 || first)
        expand_template(&b, repl, val, ms, me);
      first = false;
      last_end = me;
      if(search < val.len)
        mdk_utf8_decode(val.ptr + search, val.len - search, &w);
      if(search + w > me)
        search += w;
      else if(search + 1 > me)
        search++;
      else
        search = me;
    }
    (void)mdk_buf_append(&b, val.ptr + last_end, val.len - last_end);
  }
  *out = buf_take(sw, &b);
  mdk_buf_free(&b);
  return true;
}

static void note_mod(struct sw *sw, size_t start, int kind, struct mdk_str name)
{
  struct mdk_fe_shlex_modifier m;
  m.off = (uint32_t)start;
  m.len = (uint32_t)(sw->s.pos - start);
  m.kind = kind;
  m.name = mdk_str_dup(sw->a, name);
  mdk_vec_push(sw->a, &sw->mods, &m);
  sw->uses |= kind;
}

static struct mdk_str rune_str(struct sw *sw, int32_t r)
{
  char enc[4];
  size_t n = mdk_utf8_encode(r < 0 ? MDK_RUNE_ERROR : (uint32_t)r, enc);
  return mdk_str_make(mdk_arena_strndup(sw->a, enc, n), n);
}

static bool process_dollar(struct sw *sw, struct mdk_str *out)
{
  size_t start = sw->s.pos;
  struct mdk_str name, val, word, chs;
  int32_t ch;
  bool set, null_is_unset = false;

  sc_next(&sw->s);
  if(sc_peek(&sw->s) != '{') {
    name = process_name(sw);
    if(name.len == 0) {
      *out = mdk_str_make("$", 1);
      return true;
    }
    set = get_env(sw, name, &val);
    if(!set && sw->o->skip_unset_env)
      *out = mdk_str_make(sw->s.p + start, sw->s.pos - start);
    else
      *out = val;
    return true;
  }
  sc_next(&sw->s);
  ch = sc_peek(&sw->s);
  if(ch == SC_EOF)
    return fail(sw, start, "syntax error: missing '}'");
  if(ch == '{' || ch == '}' || ch == ':')
    return fail(sw, start, "syntax error: bad substitution");
  name = process_name(sw);
  ch = sc_next(&sw->s);
  chs = rune_str(sw, ch);
  switch(ch) {
  case '}':
    set = get_env(sw, name, &val);
    if(!set && sw->o->skip_unset_env)
      *out = mdk_str_make(sw->s.p + start, sw->s.pos - start);
    else
      *out = val;
    return true;
  case SC_EOF:
    /* BuildKit's text: Go's string(EOF) is U+FFFD (the ${ is not closed;
     * expand.c's hint says so) */
    return fail(sw, start, "unsupported modifier (\xef\xbf\xbd) in "
                "substitution");
  case ':':
  case '+': case '-': case '?': case '#': case '%': {
    bool raw;
    if(ch == ':') {
      null_is_unset = true;
      ch = sc_next(&sw->s);
      chs = mdk_str_make(mdk_arena_printf(sw->a, ":%.*s",
                                          MDK_STR_FMT(rune_str(sw, ch))),
                         0);
      chs.len = strlen(chs.ptr);
    }
    raw = ch == '#' || ch == '%';
    if(null_is_unset && raw)
      return fail(sw, start, mdk_arena_printf(sw->a, "unsupported modifier "
                                              "(%.*s) in substitution",
                                              MDK_STR_FMT(chs)));
    if(!process_stop_on(sw, '}', raw, &word, NULL)) {
      if(sc_peek(&sw->s) == SC_EOF) {
        sw->err = NULL;
        return fail(sw, start, "syntax error: missing '}'");
      }
      return false;
    }
    set = get_env(sw, name, &val);
    if(sw->o->skip_unset_env && !set) {
      *out = mdk_str_make(sw->s.p + start, sw->s.pos - start);
      return true;
    }
    switch(ch) {
    case '-':
      note_mod(sw, start, MDK_FE_USE_DEFAULT, name);
      *out = (!set || (null_is_unset && val.len == 0)) ? word : val;
      return true;
    case '+':
      note_mod(sw, start, MDK_FE_USE_ALT, name);
      *out = (!set || (null_is_unset && val.len == 0)) ? MDK_STR_NULL : word;
      return true;
    case '?':
      note_mod(sw, start, MDK_FE_USE_ERROR, name);
      if(!set || (null_is_unset && val.len == 0)) {
        const char *m = !set ? "is not allowed to be unset"
                             : "is not allowed to be empty";
        return fail(sw, start,
                    mdk_arena_printf(sw->a, "%.*s: %.*s", MDK_STR_FMT(name),
                                     word.len ? (int)word.len : (int)strlen(m),
                                     word.len ? word.ptr : m));
      }
      *out = val;
      return true;
    case '%':
    case '#': {
      bool greedy = false;
      note_mod(sw, start, MDK_FE_USE_TRIM, name);
      if(word.len > 0 && word.ptr[0] == (char)ch) {
        greedy = true;
        word.ptr++;
        word.len--;
      }
      if(ch == '%')
        return trim_suffix(sw, word, val, greedy, out, start);
      return trim_prefix(sw, word, val, greedy, out, start);
    }
    default:
      return fail(sw, start, mdk_arena_printf(sw->a, "unsupported modifier "
                                              "(%.*s) in substitution",
                                              MDK_STR_FMT(chs)));
    }
  }
  case '/': {
    bool all = sc_peek(&sw->s) == '/';
    struct mdk_str pat, repl;
    if(all)
      sc_next(&sw->s);
    if(!process_stop_on(sw, '/', true, &pat, NULL)) {
      if(sc_peek(&sw->s) == SC_EOF) {
        sw->err = NULL;
        return fail(sw, start, "syntax error: missing '/' in ${}");
      }
      return false;
    }
    if(!process_stop_on(sw, '}', true, &repl, NULL)) {
      if(sc_peek(&sw->s) == SC_EOF) {
        sw->err = NULL;
        return fail(sw, start, "syntax error: missing '}'");
      }
      return false;
    }
    set = get_env(sw, name, &val);
    if(sw->o->skip_unset_env && !set) {
      *out = mdk_str_make(sw->s.p + start, sw->s.pos - start);
      return true;
    }
    note_mod(sw, start, MDK_FE_USE_REPLACE, name);
    return replace(sw, pat, repl, val, all, out, start);
  }
  default:
    return fail(sw, start, mdk_arena_printf(sw->a, "unsupported modifier "
                                            "(%.*s) in substitution",
                                            MDK_STR_FMT(chs)));
  }
}

/* The ASCII bytes process_stop_on never copies as they are: expansion,
 * quotes, a possible heredoc and spaces (what mdk_ascii_is_space says). */
static const bool not_plain[128] = {
  ['$'] = true, ['\''] = true, ['"'] = true, ['<'] = true, [' '] = true,
  ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true, ['\r'] = true};

/* An ASCII byte (c < 0x80) process_stop_on treats as a plain, non-space
 * character, where the escape character and stop are special too. */
static bool plain_byte(uint32_t escape, int32_t c, int32_t stop)
{
  return !not_plain[c] && c != stop && c != (int32_t)escape;
}

static bool process_stop_on(struct sw *sw, int32_t stop, bool raw_escapes,
                            struct mdk_str *result, struct words *out_words)
{
  struct mdk_buf res;
  struct words words;
  bool saved_raw = sw->raw_escapes, ok = true;

  if(++sw->depth > MAX_DEPTH) {
    sw->depth--;
    return fail(sw, sw->s.pos, "syntax error: substitutions nested too deep");
  }
  mdk_buf_init(&res, WORD_LIMIT);
  mdk_buf_reset(&sw->wbuf);
  words.buf = &sw->wbuf;
  words.list = MDK_VEC_INIT(struct mdk_str);
  words.in_word = false;
  sw->raw_escapes = raw_escapes;

  for(;;) {
    int32_t ch = sc_peek(&sw->s);
    struct mdk_str tmp;
    bool special = true;

    if(ch == SC_EOF)
      break;
    if(stop != SC_EOF && ch == stop) {
      sc_next(&sw->s);
      words_get(sw, &words);
      goto done;
    }
    if(ch == '$')
      ok = process_dollar(sw, &tmp);
    else if(ch == '\'' && !sw->o->skip_process_quotes)
      ok = single_quote(sw, &tmp);
    else if(ch == '"' && !sw->o->skip_process_quotes)
      ok = double_quote(sw, &tmp);
    else if(ch == '<')
      ok = possible_heredoc(sw, &tmp);
    else
      special = false;
    if(special) {
      if(!ok || (ok = !too_big(sw, res.len, tmp.len)) == false)
        goto done;
      (void)mdk_buf_append(&res, tmp.ptr, tmp.len);
      if(ch == '$')
        words_add_string(sw, &words, tmp);
      else
        words_add_raw_string(&words, tmp);
      continue;
    }
    if(ch >= 0 && ch < 0x80 && plain_byte(sw->o->escape, ch, stop)) {
      /* a run of plain ASCII: what the rune loop below would do for each
       * of its bytes, done once */
      size_t from = sw->s.pos, to = from + 1;
      while(to < sw->s.n && (unsigned char)sw->s.p[to] < 0x80 &&
            plain_byte(sw->o->escape, (unsigned char)sw->s.p[to], stop))
        to++;
      (void)mdk_buf_append(&res, sw->s.p + from, to - from);
      words_add_raw_string(&words, mdk_str_make(sw->s.p + from, to - from));
      sw->s.pos = to;
      continue;
    }
    ch = sc_next(&sw->s);
    if(ch == (int32_t)sw->o->escape) {
      if(sw->raw_escapes) {
        words_add_raw_char(&words, ch);
        put_rune(&res, ch);
      }
      ch = sc_next(&sw->s);
      if(ch == SC_EOF)
        break;
      words_add_raw_char(&words, ch);
    }
    else {
      words_add_char(sw, &words, ch);
    }
    put_rune(&res, ch);
  }
  if(stop != SC_EOF) {
    char sbuf[4];
    size_t sl = mdk_utf8_encode((uint32_t)stop, sbuf);
    ok = fail(sw, sw->s.pos,
              mdk_arena_printf(sw->a, "unexpected end of statement while "
                               "looking for matching %.*s", (int)sl, sbuf));
    goto done;
  }
  words_get(sw, &words);
done:
  if(ok) {
    *result = buf_take(sw, &res);
    if(out_words)
      *out_words = words;
  }
  mdk_buf_free(&res);
  sw->raw_escapes = saved_raw;
  sw->depth--;
  return ok;
}

/* Whether every byte of input is one process_stop_on copies unchanged into
 * one word (no BOM either, since each of its bytes is >= 0x80). */
static bool all_plain(const struct mdk_fe_shlex_opts *o, struct mdk_str input)
{
  size_t i;
  for(i = 0; i < input.len; i++) {
    unsigned char c = (unsigned char)input.ptr[i];
    if(c >= 0x80 || !plain_byte(o->escape, c, SC_EOF))
      return false;
  }
  return true;
}

enum mdk_status mdk_fe_shlex_process(struct mdk_arena *a,
                                     const struct mdk_fe_shlex_opts *opts,
                                     struct mdk_str input,
                                     const struct mdk_fe_env *env,
                                     struct mdk_fe_shlex_result *res)
{
  struct sw sw;
  struct words words;
  struct mdk_str word;
  bool ok;

  memset(res, 0, sizeof(*res));
  if(all_plain(opts, input)) {
    /* nothing to expand, unquote or split: most words of most files */
    res->word = mdk_str_make(mdk_arena_strndup(a, input.ptr, input.len),
                             input.len);
    if(input.len) {
      res->words = mdk_arena_new(a, struct mdk_str);
      res->words[0] = res->word;
      res->nwords = 1;
    }
    return MDK_OK;
  }
  memset(&sw, 0, sizeof(sw));
  sw.a = a;
  sw.o = opts;
  sw.env = env;
  sw.s.p = input.ptr;
  sw.s.n = input.len;
  /* text/scanner skips a byte order mark at the start of its input. */
  if(input.len >= 3 && memcmp(input.ptr, "\xEF\xBB\xBF", 3) == 0)
    sw.s.pos = 3;
  sw.raw_escapes = opts->raw_escapes;
  sw.matched = MDK_VEC_INIT(struct mdk_str);
  sw.unmatched = MDK_VEC_INIT(struct mdk_str);
  sw.mods = MDK_VEC_INIT(struct mdk_fe_shlex_modifier);
  mdk_buf_init(&sw.wbuf, WORD_LIMIT);

  ok = process_stop_on(&sw, SC_EOF, opts->raw_escapes, &word, &words);
  mdk_buf_free(&sw.wbuf);
  res->matched = sw.matched.items;
  res->nmatched = sw.matched.len;
  res->unmatched = sw.unmatched.items;
  res->nunmatched = sw.unmatched.len;
  res->mods = sw.mods.items;
  res->nmods = sw.mods.len;
  res->uses = sw.uses;
  if(!ok) {
    res->err = sw.err ? sw.err : "expansion failed";
    res->err_off = sw.err_off;
    res->err_limit = sw.err_limit;
    return MDK_EEXPAND;
  }
  res->word = word;
  res->words = words.list.items;
  res->nwords = words.list.len;
  return MDK_OK;
}

bool mdk_fe_kvlist_get(void *ud, struct mdk_str name, struct mdk_str *val)
{
  const struct mdk_fe_kvlist *l = ud;
  size_t i;
  for(i = l->len; i-- > 0;) {
    if(mdk_str_eq(l->items[i].key, name)) {
      *val = l->items[i].val;
      return true;
    }
  }
  return false;
}
