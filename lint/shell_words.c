/* shell_words.c - a small shell tokenizer for lint rules.  It does not
 * evaluate anything; $(...) and `...` stay inside their word. */
#include "lint/shell_words.h"

#include <string.h>

struct st {
  struct mdk_arena *a;
  struct mdk_vec cmds, words;
  struct mdk_buf text;          /* the word's text, once it is not verbatim */
  size_t raw_start;
  bool in_word, quoted;
  bool verbatim;                /* the word's text is its raw bytes so far */
  int depth;
  char sep;
  uint32_t line;
  int in_case;               /* case ... esac nesting */
  bool pattern;              /* in a case pattern: '|' and ')' are syntax */
};

/* Most words are written as they are meant (no quotes, no escapes): their
 * text is their raw bytes, never copied.  The first quote or escape copies
 * what came before it into the text buffer, which then takes the rest. */
static void unverbatim(struct st *s, const char *base, size_t pos)
{
  if(s->verbatim) {
    (void)mdk_buf_append(&s->text, base + s->raw_start, pos - s->raw_start);
    s->verbatim = false;
  }
}

static void end_word(struct st *s, const char *base, size_t pos)
{
  struct mdk_sh_word w;
  struct mdk_str text;
  if(!s->in_word)
    return;
  w.raw = mdk_str_make(base + s->raw_start, pos - s->raw_start);
  text = s->verbatim ? w.raw : mdk_buf_str(&s->text);
  /* "case WORD in": patterns follow; "esac" ends the construct */
  if(s->words.len == 0 && mdk_str_eq_c(text, "case"))
    s->in_case++;
  else if(s->in_case && mdk_str_eq_c(text, "in") && s->words.len >= 2)
    s->pattern = true;
  else if(s->in_case && mdk_str_eq_c(text, "esac")) {
    s->in_case--;
    s->pattern = false;
  }
  w.text = s->verbatim ? w.raw : mdk_str_dup(s->a, text);
  w.quoted = s->quoted;
  mdk_vec_push_as(s->a, &s->words, struct mdk_sh_word, w);
  mdk_buf_reset(&s->text);
  s->in_word = false;
  s->quoted = false;
}

static void end_cmd(struct st *s, char next_sep, bool piped)
{
  struct mdk_sh_cmd c;
  if(!s->words.len) {
    if(next_sep)
      s->sep = next_sep;
    return;
  }
  /* the words move to an array of their own size; the growing vector is
   * reused by the next command (no regrowth from 2 for each command) */
  c.w = mdk_arena_alloc_raw(s->a, s->words.len * sizeof(struct mdk_sh_word));
  memcpy(c.w, s->words.items, s->words.len * sizeof(struct mdk_sh_word));
  c.n = s->words.len;
  c.sep_before = s->sep;
  c.piped = piped;
  c.depth = s->depth;
  c.line = s->line;
  mdk_vec_push_as(s->a, &s->cmds, struct mdk_sh_cmd, c);
  s->words.len = 0;
  s->sep = next_sep;
}

/* The bytes mdk_sh_parse has a branch for; all others are plain. */
static const bool special_bytes[256] = {
  ['\\'] = true, ['\''] = true, ['"'] = true, ['$'] = true, ['`'] = true,
  ['#'] = true, [' '] = true, ['\t'] = true, ['|'] = true, [')'] = true,
  [';'] = true, ['\n'] = true, ['&'] = true, ['('] = true, ['{'] = true,
  ['}'] = true,
};

static bool special(unsigned char c)
{
  return special_bytes[c];
}

/* Where a run inside quotes stops: its closing quote, a newline (counted)
 * and, between double quotes, an escape. */
static const bool ends_single[256] = {['\''] = true, ['\n'] = true};
static const bool ends_double[256] = {['"'] = true, ['\n'] = true,
                                      ['\\'] = true};

static void start(struct st *s, size_t pos)
{
  if(!s->in_word) {
    s->in_word = true;
    s->verbatim = true;
    s->raw_start = pos;
  }
}

void mdk_sh_parse(struct mdk_arena *a, struct mdk_str t,
                  struct mdk_sh_script *out)
{
  struct st s;
  size_t i = 0;
  memset(&s, 0, sizeof(s));
  s.a = a;
  s.cmds = MDK_VEC_INIT(struct mdk_sh_cmd);
  s.words = MDK_VEC_INIT(struct mdk_sh_word);
  mdk_buf_init(&s.text, (size_t)1 << 24);
  s.line = 1;
  while(i < t.len) {
    char c = t.ptr[i];
    if(!special((unsigned char)c)) {
      /* a plain character: take the run of them up to the next one the
       * branches below may treat specially */
      size_t j = i + 1;
      start(&s, i);
      while(j < t.len && !special((unsigned char)t.ptr[j]))
        j++;
      if(!s.verbatim)
        (void)mdk_buf_append(&s.text, t.ptr + i, j - i);
      i = j;
      continue;
    }
    if(c == ' ' || c == '\t') {
      /* the commonest special byte: a blank ends the word, and the
       * indentation of a continued line is one run */
      end_word(&s, t.ptr, i);
      while(++i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t'))
        ;
      continue;
    }
    if(c == '\\' && i + 1 < t.len) {
      if(t.ptr[i + 1] == '\n') {      /* line continuation */
        if(s.in_word)
          unverbatim(&s, t.ptr, i);
        i += 2;
        continue;
      }
      start(&s, i);
      unverbatim(&s, t.ptr, i);
      (void)mdk_buf_putc(&s.text, t.ptr[i + 1]);
      i += 2;
      continue;
    }
    if(c == '\'' || c == '"') {
      const bool *ends = c == '"' ? ends_double : ends_single;
      size_t j = i + 1;
      start(&s, i);
      unverbatim(&s, t.ptr, i);
      s.quoted = true;
      while(j < t.len && t.ptr[j] != c) {
        size_t k = j;
        if(c == '"' && t.ptr[j] == '\\' && j + 1 < t.len)
          k = ++j;
        else if(t.ptr[j] != '\n')
          while(k + 1 < t.len && !ends[(unsigned char)t.ptr[k + 1]])
            k++;              /* a run with no quote, escape or newline */
        if(t.ptr[k] == '\n')
          s.line++;
        (void)mdk_buf_append(&s.text, t.ptr + j, k + 1 - j);
        j = k + 1;
      }
      i = j < t.len ? j + 1 : j;
      continue;
    }
    if(c == '$' && i + 1 < t.len && t.ptr[i + 1] == '(') {
      /* $(...) is one word part, nested parentheses counted */
      size_t j = i + 2;
      int d = 1;
      start(&s, i);
      while(j < t.len && d) {
        if(t.ptr[j] == '(')
          d++;
        else if(t.ptr[j] == ')')
          d--;
        j++;
      }
      if(!s.verbatim)
        (void)mdk_buf_append(&s.text, t.ptr + i, j - i);
      i = j;
      continue;
    }
    if(c == '`') {
      size_t j = i + 1;
      start(&s, i);
      while(j < t.len && t.ptr[j] != '`')
        j++;
      if(!s.verbatim)
        (void)mdk_buf_append(&s.text, t.ptr + i,
                             (j < t.len ? j + 1 : j) - i);
      i = j < t.len ? j + 1 : j;
      continue;
    }
    if(c == '#' && !s.in_word) {
      while(i < t.len && t.ptr[i] != '\n')
        i++;
      continue;
    }
    if(s.pattern && (c == '|' || c == ')')) {
      /* alternation and end of a case pattern, not a pipe or subshell */
      end_word(&s, t.ptr, i);
      if(c == ')') {
        s.pattern = false;
        s.words.len = 0;
      }
      i++;
      continue;
    }
    if(c == ';' && i + 1 < t.len && t.ptr[i + 1] == ';' && s.in_case) {
      end_word(&s, t.ptr, i);
      end_cmd(&s, ';', false);
      s.pattern = true;       /* the next pattern follows ";;" */
      i += 2;
      continue;
    }
    if(c == '\n' || c == ';') {
      end_word(&s, t.ptr, i);
      end_cmd(&s, ';', false);
      if(c == '\n')
        s.line++;
      i++;
      continue;
    }
    if(c == '&' || c == '|') {
      bool dbl = i + 1 < t.len && t.ptr[i + 1] == c;
      end_word(&s, t.ptr, i);
      if(c == '|' && !dbl)
        end_cmd(&s, '|', true);
      else
        end_cmd(&s, c == '&' ? (dbl ? '&' : ';') : 'o', false);
      i += dbl ? 2 : 1;
      continue;
    }
    if((c == '(' || c == '{') && !s.in_word) {
      end_cmd(&s, s.sep, false);
      s.depth++;
      i++;
      continue;
    }
    if((c == ')' || c == '}') && !s.in_word) {
      end_cmd(&s, ';', false);
      if(s.depth)
        s.depth--;
      i++;
      continue;
    }
    if(c == '(' && s.in_word && i + 1 < t.len && t.ptr[i + 1] == ')') {
      /* "name()": a function definition follows */
      end_word(&s, t.ptr, i);
      end_cmd(&s, ';', false);
      i += 2;
      continue;
    }
    /* a special byte no branch took here ('#' in a word, '$' not before
     * '(', ...) is part of the word */
    start(&s, i);
    if(!s.verbatim)
      (void)mdk_buf_putc(&s.text, c);
    i++;
  }
  end_word(&s, t.ptr, i);
  end_cmd(&s, 0, false);
  mdk_buf_free(&s.text);
  out->c = s.cmds.items;
  out->n = s.cmds.len;
}

struct mdk_str mdk_sh_cmd_name(const struct mdk_sh_cmd *c, size_t *at)
{
  size_t i = 0;
  while(i < c->n) {
    struct mdk_str w = c->w[i].text;
    long eq = mdk_str_index(w, '=');
    if(eq > 0 && !c->w[i].quoted && mdk_str_index(mdk_str_make(w.ptr,
                                                               (size_t)eq),
                                                  '/') < 0) {
      i++;
      continue;
    }
    if(mdk_str_eq_c(w, "sudo") || mdk_str_eq_c(w, "command") ||
       mdk_str_eq_c(w, "time") || mdk_str_eq_c(w, "nice")) {
      i++;
      while(i < c->n && c->w[i].text.len && c->w[i].text.ptr[0] == '-')
        i++;
      continue;
    }
    break;
  }
  if(at)
    *at = i;
  return i < c->n ? c->w[i].text : MDK_STR_NULL;
}

bool mdk_sh_has_word(const struct mdk_sh_cmd *c, const char *w)
{
  size_t i;
  for(i = 0; i < c->n; i++)
    if(mdk_str_eq_c(c->w[i].text, w))
      return true;
  return false;
}
