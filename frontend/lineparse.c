/* lineparse.c - BuildKit's per-line parsing (parser.go newNodeFromLine,
 * split_command.go, line_parsers.go), keeping the byte span of every flag and
 * argument in the logical line. */
#include "frontend/lineparse.h"

#include <string.h>

#include "base/base.h"
#include "frontend/gojson.h"
#include "frontend/shlex.h"

enum lp {
  LP_IGNORE, LP_JSON, LP_JSON_LIST, LP_NAME_OR_VAL, LP_ENV, LP_LABEL,
  LP_WORDS, LP_STRING, LP_SUB, LP_HEALTH
};

static const enum lp line_parser[MDK_FE__COUNT] = {
  [MDK_FE_UNKNOWN] = LP_IGNORE,
#define I(kw, e, lp, hd) [MDK_FE_##e] = lp,
#include "frontend/instructions.def"
#undef I
};

static const bool can_heredoc[MDK_FE__COUNT] = {
#define I(kw, e, lp, hd) [MDK_FE_##e] = hd,
#include "frontend/instructions.def"
#undef I
};

static const char *const kind_names[MDK_FE__COUNT] = {
  [MDK_FE_UNKNOWN] = "unknown",
#define I(kw, e, lp, hd) [MDK_FE_##e] = kw,
#include "frontend/instructions.def"
#undef I
};

const char *mdk_fe_kind_name(enum mdk_fe_kind k)
{
  return (unsigned)k < MDK_FE__COUNT ? kind_names[k] : "unknown";
}

enum mdk_fe_kind mdk_fe_kind_lookup(struct mdk_str kw)
{
  int k;
  char c0;
  if(!kw.len)
    return MDK_FE_UNKNOWN;
  /* the first letter, folded, rules out all but one or two names */
  c0 = (char)(kw.ptr[0] >= 'A' && kw.ptr[0] <= 'Z' ? kw.ptr[0] + 32
                                                      : kw.ptr[0]);
  for(k = 1; k < MDK_FE__COUNT; k++)
    if(kind_names[k][0] == c0 && strlen(kind_names[k]) == kw.len &&
       mdk_str_eq_ci(kw, kind_names[k]))
      return (enum mdk_fe_kind)k;
  return MDK_FE_UNKNOWN;
}

/* A view of part of the logical line, remembering where it starts. */
struct view {
  const char *p;
  size_t n;
  uint32_t off;
};

static struct view view_sub(struct view v, size_t from, size_t to)
{
  struct view r = {v.p + from, to - from, v.off + (uint32_t)from};
  return r;
}

static bool rune_space_at(struct view v, size_t i, size_t *w)
{
  unsigned char c = (unsigned char)v.p[i];
  if(c < 0x80) {                /* ASCII needs no decoding */
    *w = 1;
    return mdk_ascii_is_space(c);
  }
  return mdk_rune_is_space(mdk_utf8_decode(v.p + i, v.n - i, w));
}

/* strings.TrimSpace.  The end is trimmed backwards while it is ASCII; a
 * non-ASCII byte there sends it to a forward scan, so a multi-byte space
 * is decoded exactly as Go decodes it. */
static struct view trim_space(struct view v)
{
  size_t s = 0, e, i, w;
  while(s < v.n && rune_space_at(v, s, &w))
    s += w;
  e = v.n;
  while(e > s && (unsigned char)v.p[e - 1] < 0x80 &&
        rune_space_at(v, e - 1, &w))
    e--;
  if(e > s && (unsigned char)v.p[e - 1] >= 0x80) {
    size_t end = s;
    for(i = s; i < e; i += w)
      if(!rune_space_at(v, i, &w))
        end = i + w;
    e = end;
  }
  return view_sub(v, s, e);
}

static bool re_ws(char c)     /* [\t\v\f\r ] */
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/* unicode.IsSpace applied to a single byte as a rune (split_command.go and
 * parseHealthConfig index bytes, so 0x85 and 0xA0 count as spaces). */
static bool byte_space(unsigned char c)
{
  return mdk_rune_is_space(c);
}

static void push_arg(struct mdk_arena *a, struct mdk_vec *v, struct mdk_str val,
                     uint32_t off, uint32_t len)
{
  struct mdk_fe_arg arg = {val, off, len};
  mdk_vec_push(a, v, &arg);
}

static void push_view(struct mdk_arena *a, struct mdk_vec *v, struct view w)
{
  push_arg(a, v, mdk_str_make(w.p, w.n), w.off, (uint32_t)w.n);
}

static void put_byte_rune(struct mdk_buf *b, unsigned char c)
{
  char enc[4];
  (void)mdk_buf_append(b, enc, mdk_utf8_encode(c, enc));
}

/* extractBuilderFlags: leading "--" words, lexed with quotes and backslash
 * escapes.  Go indexes bytes and appends each as a rune, so a non-ASCII byte
 * is re-encoded as U+0080..U+00FF -- kept for byte-identical flags. */
static struct view extract_flags(struct mdk_arena *a, struct view line,
                                 struct mdk_vec *flags)
{
  enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
  struct mdk_buf word;
  size_t pos, wstart = 0;
  unsigned char quote = 0, ch = 0;
  bool blank_ok = false;
  struct view rest = view_sub(line, line.n, line.n);

  mdk_buf_init(&word, (size_t)1 << 24);
  for(pos = 0; pos <= line.n; pos++) {
    if(pos != line.n)
      ch = (unsigned char)line.p[pos];
    if(phase == IN_SPACES) {
      if(pos == line.n)
        break;
      if(byte_space(ch))
        continue;
      if(ch != '-' || pos + 1 == line.n || line.p[pos + 1] != '-') {
        rest = view_sub(line, pos, line.n);
        break;
      }
      phase = IN_WORD;
      wstart = pos;
    }
    if((phase == IN_WORD || phase == IN_QUOTE) && pos == line.n) {
      if(!(word.len == 2 && memcmp(word.ptr, "--", 2) == 0) &&
         (blank_ok || word.len > 0))
        push_arg(a, flags, mdk_str_dup(a, mdk_buf_str(&word)),
                 line.off + (uint32_t)wstart, (uint32_t)(pos - wstart));
      break;
    }
    if(phase == IN_WORD) {
      if(byte_space(ch)) {
        phase = IN_SPACES;
        if(word.len == 2 && memcmp(word.ptr, "--", 2) == 0) {
          rest = view_sub(line, pos, line.n);
          break;
        }
        if(blank_ok || word.len > 0)
          push_arg(a, flags, mdk_str_dup(a, mdk_buf_str(&word)),
                   line.off + (uint32_t)wstart, (uint32_t)(pos - wstart));
        mdk_buf_reset(&word);
        blank_ok = false;
        continue;
      }
      if(ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = IN_QUOTE;
        continue;
      }
      if(ch == '\\') {
        if(pos + 1 == line.n)
          continue;
        pos++;
        ch = (unsigned char)line.p[pos];
      }
      put_byte_rune(&word, ch);
      continue;
    }
    /* IN_QUOTE */
    if(ch == quote) {
      phase = IN_WORD;
      continue;
    }
    if(ch == '\\') {
      if(pos + 1 == line.n) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      ch = (unsigned char)line.p[pos];
    }
    put_byte_rune(&word, ch);
  }
  mdk_buf_free(&word);
  return rest;
}

/* parseWords: whitespace-separated words, quotes and escapes kept. */
/* The length of the run of ASCII bytes from pos that parse_words copies
 * as they are: outside quotes (quote 0) no space, quote or escape; inside
 * quotes neither the quote nor the escape.  rest.p[pos] is one of them. */
static size_t word_run(struct view rest, size_t pos, uint32_t escape,
                       uint32_t quote)
{
  size_t e = pos + 1;
  while(e < rest.n) {
    unsigned char c = (unsigned char)rest.p[e];
    if(c >= 0x80 || c == escape || (quote ? c == quote
                                          : (c == '\'' || c == '"' ||
                                             mdk_ascii_is_space(c))))
      break;
    e++;
  }
  return e - pos;
}

static void parse_words(struct mdk_arena *a, struct view rest, uint32_t escape,
                        struct mdk_vec *out)
{
  enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
  struct mdk_buf word;
  size_t pos, w = 0, wstart = 0;
  uint32_t ch = 0, quote = 0;
  bool blank_ok = false;

  mdk_buf_init(&word, (size_t)1 << 24);
  for(pos = 0; pos <= rest.n; pos += w) {
    if(pos != rest.n)
      ch = mdk_utf8_decode(rest.p + pos, rest.n - pos, &w);
    if(phase == IN_SPACES) {
      if(pos == rest.n)
        break;
      if(mdk_rune_is_space(ch))
        continue;
      phase = IN_WORD;
      wstart = pos;
    }
    if((phase == IN_WORD || phase == IN_QUOTE) && pos == rest.n) {
      if(blank_ok || word.len > 0)
        push_arg(a, out, mdk_str_dup(a, mdk_buf_str(&word)),
                 rest.off + (uint32_t)wstart, (uint32_t)(pos - wstart));
      break;
    }
    if(phase == IN_WORD) {
      if(mdk_rune_is_space(ch)) {
        phase = IN_SPACES;
        if(blank_ok || word.len > 0)
          push_arg(a, out, mdk_str_dup(a, mdk_buf_str(&word)),
                   rest.off + (uint32_t)wstart, (uint32_t)(pos - wstart));
        mdk_buf_reset(&word);
        blank_ok = false;
        continue;
      }
      if(ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = IN_QUOTE;
      }
      if(ch == escape) {
        if(pos + w == rest.n)
          continue;
        (void)mdk_buf_append(&word, rest.p + pos, w);
        pos += w;
        ch = mdk_utf8_decode(rest.p + pos, rest.n - pos, &w);
      } else if(phase == IN_WORD && ch < 0x80) {
        /* the run of plain ASCII from here goes in at once */
        w = word_run(rest, pos, escape, 0);
        (void)mdk_buf_append(&word, rest.p + pos, w);
        continue;
      }
      {
        char enc[4];
        (void)mdk_buf_append(&word, enc, mdk_utf8_encode(ch, enc));
      }
      continue;
    }
    /* IN_QUOTE */
    if(ch != quote && ch != escape && ch < 0x80) {
      w = word_run(rest, pos, escape, quote);
      (void)mdk_buf_append(&word, rest.p + pos, w);
      continue;
    }
    if(ch == quote)
      phase = IN_WORD;
    if(ch == escape && quote != '\'') {
      if(pos + w == rest.n) {
        phase = IN_WORD;
        continue;
      }
      (void)mdk_buf_append(&word, rest.p + pos, w);
      pos += w;
      ch = mdk_utf8_decode(rest.p + pos, rest.n - pos, &w);
    }
    {
      char enc[4];
      (void)mdk_buf_append(&word, enc, mdk_utf8_encode(ch, enc));
    }
  }
  mdk_buf_free(&word);
}

/* reWhitespace.Split(s, limit) with limit -1 (all) or 2. */
static void split_ws(struct mdk_arena *a, struct view s, int limit,
                     struct mdk_vec *out)
{
  size_t i = 0, start = 0;
  int n = 0;
  while(i < s.n) {
    if(re_ws(s.p[i]) && (limit < 0 || n + 1 < limit)) {
      size_t j = i;
      while(j < s.n && re_ws(s.p[j]))
        j++;
      push_view(a, out, view_sub(s, start, i));
      n++;
      start = i = j;
      continue;
    }
    i++;
  }
  push_view(a, out, view_sub(s, start, s.n));
}

static void set_err(struct mdk_fe_lperr *err, const char *msg,
                    const char *hint, uint32_t off, uint32_t len)
{
  err->msg = msg;
  err->hint = hint;
  err->off = off;
  err->len = len;
}

static bool parse_name_val(struct mdk_arena *a, struct view rest,
                           uint32_t escape, const char *key,
                           struct mdk_vec *args, struct mdk_fe_lperr *err)
{
  struct mdk_vec words = MDK_VEC_INIT(struct mdk_fe_arg);
  size_t i;

  parse_words(a, rest, escape, &words);
  if(words.len == 0)
    return true;
  if(mdk_str_index(mdk_vec_at(&words, struct mdk_fe_arg, 0)->val, '=') < 0) {
    /* legacy "KEY value...": one pair, the value is the raw rest */
    struct mdk_vec parts = MDK_VEC_INIT(struct mdk_fe_arg);
    split_ws(a, rest, 2, &parts);
    if(parts.len < 2) {
      set_err(err, mdk_arena_printf(a, "%s must have two arguments", key),
              mdk_arena_printf(a, "write %s NAME=VALUE", key), rest.off,
              (uint32_t)rest.n);
      return false;
    }
    mdk_vec_push(a, args, mdk_vec_at(&parts, struct mdk_fe_arg, 0));
    mdk_vec_push(a, args, mdk_vec_at(&parts, struct mdk_fe_arg, 1));
    push_arg(a, args, mdk_str_make("", 0), rest.off, 0);
    return true;
  }
  for(i = 0; i < words.len; i++) {
    struct mdk_fe_arg *wd = mdk_vec_at(&words, struct mdk_fe_arg, i);
    long eq = mdk_str_index(wd->val, '=');
    if(eq < 0) {
      set_err(err, mdk_arena_printf(a, "Syntax error - can't find = in \"%.*s\"."
                                    " Must be of the form: name=value",
                                    MDK_STR_FMT(wd->val)),
              "every word must be NAME=VALUE once the first one is; quote "
              "values that contain spaces", wd->off, wd->len);
      return false;
    }
    push_arg(a, args, mdk_str_make(wd->val.ptr, (size_t)eq), wd->off,
             (uint32_t)eq);
    push_arg(a, args, mdk_str_make(wd->val.ptr + eq + 1,
                                   wd->val.len - (size_t)eq - 1),
             wd->off + (uint32_t)eq + 1, wd->len - (uint32_t)eq - 1);
    push_arg(a, args, mdk_str_make("=", 1), wd->off + (uint32_t)eq, 1);
  }
  return true;
}

static enum mdk_fe_json_result parse_json(struct mdk_arena *a, struct view rest,
                                          struct mdk_vec *args,
                                          struct mdk_fe_lperr *err)
{
  struct mdk_fe_arg *vals;
  size_t n, i;
  uint32_t bo = 0, bl = 0;
  enum mdk_fe_json_result r;

  r = mdk_fe_json_string_array(a, mdk_str_make(rest.p, rest.n), rest.off,
                               &vals, &n, &bo, &bl);
  if(r == MDK_FE_JSON_NOT_STRINGS) {
    set_err(err, "when using JSON array syntax, arrays must be comprised of "
                 "strings only",
            "quote every element, e.g. [\"sleep\", \"10\"]", bo, bl);
    return r;
  }
  if(r == MDK_FE_JSON_OK)
    for(i = 0; i < n; i++)
      mdk_vec_push(a, args, &vals[i]);
  return r;
}

static bool line_parse(struct mdk_arena *a, const struct mdk_fe_line *line,
                       struct mdk_fe_node *node, struct view rest,
                       uint32_t escape, struct mdk_fe_lperr *err)
{
  struct mdk_vec args = MDK_VEC_INIT(struct mdk_fe_arg);
  enum mdk_fe_json_result jr;
  bool ok = true;

  switch(line_parser[node->kind]) {
  case LP_IGNORE:
    push_arg(a, &args, mdk_str_make("", 0), rest.off, 0);
    break;
  case LP_SUB:
    if(rest.n) {
      ok = mdk_fe_line_to_node(a, line, rest.off, escape, &node->child, err);
    }
    break;
  case LP_NAME_OR_VAL:
    parse_words(a, rest, escape, &args);
    break;
  case LP_ENV:
    ok = parse_name_val(a, rest, escape, "ENV", &args, err);
    break;
  case LP_LABEL:
    ok = parse_name_val(a, rest, escape, "LABEL", &args, err);
    break;
  case LP_WORDS:
    if(rest.n)
      split_ws(a, rest, -1, &args);
    break;
  case LP_STRING:
    if(rest.n)
      push_view(a, &args, rest);
    break;
  case LP_JSON:
    if(!rest.n)
      break;
    jr = parse_json(a, rest, &args, err);
    if(jr == MDK_FE_JSON_NOT_STRINGS)
      return false;
    if(jr == MDK_FE_JSON_OK)
      node->json = true;
    else
      push_view(a, &args, rest);
    break;
  case LP_JSON_LIST:
    jr = parse_json(a, rest, &args, err);
    if(jr == MDK_FE_JSON_NOT_STRINGS)
      return false;
    if(jr == MDK_FE_JSON_OK)
      node->json = true;
    else if(rest.n)
      split_ws(a, rest, -1, &args);
    break;
  case LP_HEALTH: {
    size_t sep = 0, next;
    while(sep < rest.n && !byte_space((unsigned char)rest.p[sep]))
      sep++;
    next = sep;
    while(next < rest.n && byte_space((unsigned char)rest.p[next]))
      next++;
    if(sep == 0)
      break;
    push_view(a, &args, view_sub(rest, 0, sep));
    if(next < rest.n) {
      struct view cmd = view_sub(rest, next, rest.n);
      jr = parse_json(a, cmd, &args, err);
      if(jr == MDK_FE_JSON_NOT_STRINGS)
        return false;
      if(jr == MDK_FE_JSON_OK)
        node->json = true;
      else
        push_view(a, &args, cmd);
    }
    break;
  }
  }
  node->args = args.items;
  node->nargs = args.len;
  return ok;
}

bool mdk_fe_line_to_node(struct mdk_arena *a, const struct mdk_fe_line *line,
                         uint32_t text_off, uint32_t escape,
                         struct mdk_fe_node **out, struct mdk_fe_lperr *err)
{
  struct mdk_fe_node *node = mdk_arena_new(a, struct mdk_fe_node);
  struct view all = {line->text.ptr + text_off, line->text.len - text_off,
                     text_off};
  struct view t = trim_space(all), rest = view_sub(t, t.n, t.n);
  struct mdk_vec flags = MDK_VEC_INIT(struct mdk_fe_arg);
  size_t i = 0;

  node->line = line;
  node->text_off = text_off;
  while(i < t.n && !re_ws(t.p[i]))
    i++;
  node->keyword = mdk_str_make(t.p, i);
  node->kw_off = t.off;
  if(i < t.n) {
    size_t j = i;
    while(j < t.n && re_ws(t.p[j]))
      j++;
    rest = extract_flags(a, view_sub(t, j, t.n), &flags);
    rest = trim_space(rest);
  }
  node->flags = flags.items;
  node->nflags = flags.len;
  node->kind = mdk_fe_kind_lookup(node->keyword);
  *out = node;
  return line_parse(a, line, node, rest, escape, err);
}

bool mdk_fe_word_is_heredoc(struct mdk_str w)
{
  size_t i = 0;
  while(i < w.len && w.ptr[i] >= '0' && w.ptr[i] <= '9')
    i++;
  if(i + 2 > w.len || w.ptr[i] != '<' || w.ptr[i + 1] != '<')
    return false;
  i += 2;
  if(i < w.len && w.ptr[i] == '-')
    i++;
  while(i < w.len && strchr(" \t\n\f\r", w.ptr[i]))
    i++;
  return i < w.len && !memchr(w.ptr + i, '<', w.len - i);
}

/* ^(\d*)<<(-?)\s*([^<]*)$ */
bool mdk_fe_parse_heredoc_word(struct mdk_arena *a, struct mdk_str word,
                               struct mdk_fe_heredoc *hd, bool *is_heredoc,
                               const char **err)
{
  size_t i = 0, d0, d1;
  struct mdk_str rest;
  struct mdk_fe_shlex_opts o = {'\\', false, false, false, true};
  struct mdk_fe_shlex_result r1, r2;
  size_t q1 = 0, q2 = 0, k;
  uint32_t fd = 0;
  bool chomp = false;

  *is_heredoc = false;
  *err = NULL;
  while(i < word.len && word.ptr[i] >= '0' && word.ptr[i] <= '9')
    i++;
  d0 = 0;
  d1 = i;
  if(i + 2 > word.len || word.ptr[i] != '<' || word.ptr[i + 1] != '<')
    return true;
  i += 2;
  if(i < word.len && word.ptr[i] == '-') {
    chomp = true;
    i++;
  }
  while(i < word.len && (word.ptr[i] == ' ' || word.ptr[i] == '\t' ||
                         word.ptr[i] == '\n' || word.ptr[i] == '\f' ||
                         word.ptr[i] == '\r'))
    i++;
  rest = mdk_str_make(word.ptr + i, word.len - i);
  if(mdk_str_index(rest, '<') >= 0 || rest.len == 0)
    return true;
  /* strconv.ParseUint, errors ignored: an overflowing fd reads as 0 */
  for(k = d0; k < d1; k++) {
    uint64_t nv = (uint64_t)fd * 10 + (uint64_t)(word.ptr[k] - '0');
    if(nv > UINT32_MAX) {
      fd = 0;
      break;
    }
    fd = (uint32_t)nv;
  }
  if(mdk_fe_shlex_process(a, &o, rest, NULL, &r1)) {
    *err = r1.err;
    return false;
  }
  if(r1.nwords != 1)
    return true;
  o.raw_quotes = true;
  if(mdk_fe_shlex_process(a, &o, rest, NULL, &r2)) {
    *err = r2.err;
    return false;
  }
  if(r2.nwords != r1.nwords) {
    *err = mdk_arena_printf(a, "internal lexing of heredoc produced "
                            "inconsistent results: %.*s", MDK_STR_FMT(rest));
    return false;
  }
  for(k = 0; k < r1.words[0].len; k++)
    q1 += r1.words[0].ptr[k] == '\'' || r1.words[0].ptr[k] == '"';
  for(k = 0; k < r2.words[0].len; k++)
    q2 += r2.words[0].ptr[k] == '\'' || r2.words[0].ptr[k] == '"';
  memset(hd, 0, sizeof(*hd));
  hd->name = r1.words[0];
  hd->expand = q1 == q2;
  hd->chomp = chomp;
  hd->fd = fd;
  *is_heredoc = true;
  return true;
}

/* The first "<<" in p[0..n), or NULL: memchr for '<' is much faster than
 * memmem on the long lines of RUN instructions. */
static const char *find_heredoc_marker(const char *p, size_t n)
{
  const char *end = p + n;
  while(p + 1 < end && (p = memchr(p, '<', (size_t)(end - p) - 1)) != NULL) {
    if(p[1] == '<')
      return p;
    p++;
  }
  return NULL;
}

bool mdk_fe_node_heredocs(struct mdk_arena *a, struct mdk_fe_node *node,
                          struct mdk_fe_lperr *err)
{
  const struct mdk_fe_node *inner = node;
  struct mdk_str text = node->line->text;
  struct mdk_fe_shlex_opts o = {'\\', true, true, false, true};
  struct mdk_fe_shlex_result r;
  struct mdk_vec docs = MDK_VEC_INIT(struct mdk_fe_heredoc);
  size_t i, search = 0;

  if(node->kind == MDK_FE_ONBUILD && node->child)
    inner = node->child;
  if(!can_heredoc[inner->kind] || inner->json)
    return true;
  if(!find_heredoc_marker(text.ptr, text.len))
    return true;
  /* Lex the whole line keeping quotes, escapes and unset variables; lexing
   * errors mean "no heredocs", as in BuildKit. */
  if(mdk_fe_shlex_process(a, &o, text, NULL, &r))
    return true;
  for(i = 0; i < r.nwords; i++) {
    struct mdk_fe_heredoc hd;
    bool is;
    const char *e;
    const char *at;
    if(!mdk_fe_parse_heredoc_word(a, r.words[i], &hd, &is, &e)) {
      set_err(err, e, "quote the heredoc delimiter as a single word, e.g. "
                      "<<'EOF'", node->kw_off, (uint32_t)node->keyword.len);
      return false;
    }
    if(!is)
      continue;
    /* Locate the marker for diagnostics: the next "<<" in the line. */
    at = find_heredoc_marker(text.ptr + search, text.len - search);
    if(at) {
      hd.marker_off = (uint32_t)(at - text.ptr);
      search = (size_t)(at - text.ptr) + 2;
    }
    mdk_vec_push(a, &docs, &hd);
  }
  node->heredocs = docs.items;
  node->nheredocs = docs.len;
  return true;
}
