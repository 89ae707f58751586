/* gojson.c - strict JSON (RFC 8259) as Go's encoding/json reads it into
 * []interface{}: the whole input must be one value plus whitespace, invalid
 * UTF-8 and lone surrogates in strings decode to U+FFFD, nesting is capped at
 * 10000, and a number that overflows float64 is a decode error (so BuildKit
 * falls back to shell form). */
#include "frontend/gojson.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

enum { MAX_NEST = 10000 };

struct jp {
  const char *s;
  size_t n, i;
  int depth;
  bool overflow;
};

static void ws(struct jp *j)
{
  while(j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
                        j->s[j->i] == '\n' || j->s[j->i] == '\r'))
    j->i++;
}

static bool hex4(struct jp *j, size_t at, uint32_t *out)
{
  uint32_t v = 0;
  size_t k;
  if(at + 4 > j->n)
    return false;
  for(k = 0; k < 4; k++) {
    int h = mdk_hex_value(j->s[at + k]);
    if(h < 0)
      return false;
    v = v * 16 + (uint32_t)h;
  }
  *out = v;
  return true;
}

/* Parses a string at j->i; if b is non-NULL, appends the decoded value. */
static bool string_val(struct jp *j, struct mdk_buf *b)
{
  char enc[4];
  j->i++;   /* opening quote */
  while(j->i < j->n) {
    unsigned char c = (unsigned char)j->s[j->i];
    if(c == '"') {
      j->i++;
      return true;
    }
    if(c < 0x20)
      return false;
    if(c == '\\') {
      char e;
      if(j->i + 1 >= j->n)
        return false;
      e = j->s[j->i + 1];
      j->i += 2;
      switch(e) {
      case '"': case '\\': case '/':
        if(b)
          (void)mdk_buf_putc(b, e);
        break;
      case 'b': if(b) (void)mdk_buf_putc(b, '\b'); break;
      case 'f': if(b) (void)mdk_buf_putc(b, '\f'); break;
      case 'n': if(b) (void)mdk_buf_putc(b, '\n'); break;
      case 'r': if(b) (void)mdk_buf_putc(b, '\r'); break;
      case 't': if(b) (void)mdk_buf_putc(b, '\t'); break;
      case 'u': {
        uint32_t r, r2;
        if(!hex4(j, j->i, &r))
          return false;
        j->i += 4;
        if(r >= 0xD800 && r < 0xDC00) {
          /* a high surrogate pairs only with an escaped low surrogate */
          if(j->i + 6 <= j->n && j->s[j->i] == '\\' &&
             j->s[j->i + 1] == 'u' && hex4(j, j->i + 2, &r2) &&
             r2 >= 0xDC00 && r2 < 0xE000) {
            r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
            j->i += 6;
          }
          else {
            r = MDK_RUNE_ERROR;
          }
        }
        else if(r >= 0xDC00 && r < 0xE000) {
          r = MDK_RUNE_ERROR;
        }
        if(b)
          (void)mdk_buf_append(b, enc, mdk_utf8_encode(r, enc));
        break;
      }
      default:
        return false;
      }
      continue;
    }
    if(c < 0x80) {
      if(b)
        (void)mdk_buf_putc(b, (char)c);
      j->i++;
    }
    else {
      size_t w;
      uint32_t r = mdk_utf8_decode(j->s + j->i, j->n - j->i, &w);
      if(b) {
        if(r == MDK_RUNE_ERROR && w == 1)
          (void)mdk_buf_append(b, enc, mdk_utf8_encode(r, enc));
        else
          (void)mdk_buf_append(b, j->s + j->i, w);
      }
      j->i += w;
    }
  }
  return false;
}

static bool digits(struct jp *j)
{
  size_t st = j->i;
  while(j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
    j->i++;
  return j->i > st;
}

static bool number(struct jp *j)
{
  size_t st = j->i;
  char tmp[64], *big = NULL, *num = tmp;
  double d;
  if(j->s[j->i] == '-')
    j->i++;
  if(j->i < j->n && j->s[j->i] == '0')
    j->i++;
  else if(!digits(j))
    return false;
  if(j->i < j->n && j->s[j->i] == '.') {
    j->i++;
    if(!digits(j))
      return false;
  }
  if(j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
    j->i++;
    if(j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
      j->i++;
    if(!digits(j))
      return false;
  }
  if(j->i - st >= sizeof(tmp)) {
    big = malloc(j->i - st + 1);
    if(!big)
      abort();
    num = big;
  }
  memcpy(num, j->s + st, j->i - st);
  num[j->i - st] = '\0';
  errno = 0;
  d = strtod(num, NULL);
  if(errno == ERANGE && isinf(d))
    j->overflow = true;      /* Go: "cannot unmarshal number ... float64" */
  free(big);
  return true;
}

static bool literal(struct jp *j, const char *w)
{
  size_t n = strlen(w);
  if(j->i + n > j->n || memcmp(j->s + j->i, w, n) != 0)
    return false;
  j->i += n;
  return true;
}

static bool value(struct jp *j);

static bool container(struct jp *j, char close, bool object)
{
  if(++j->depth > MAX_NEST)
    return false;
  j->i++;
  ws(j);
  if(j->i < j->n && j->s[j->i] == close) {
    j->i++;
    j->depth--;
    return true;
  }
  for(;;) {
    ws(j);
    if(object) {
      if(j->i >= j->n || j->s[j->i] != '"' || !string_val(j, NULL))
        return false;
      ws(j);
      if(j->i >= j->n || j->s[j->i] != ':')
        return false;
      j->i++;
      ws(j);
    }
    if(!value(j))
      return false;
    ws(j);
    if(j->i >= j->n)
      return false;
    if(j->s[j->i] == ',') {
      j->i++;
      continue;
    }
    if(j->s[j->i] == close) {
      j->i++;
      j->depth--;
      return true;
    }
    return false;
  }
}

static bool value(struct jp *j)
{
  if(j->i >= j->n)
    return false;
  switch(j->s[j->i]) {
  case '"': return string_val(j, NULL);
  case '[': return container(j, ']', false);
  case '{': return container(j, '}', true);
  case 't': return literal(j, "true");
  case 'f': return literal(j, "false");
  case 'n': return literal(j, "null");
  default:
    if(j->s[j->i] == '-' || (j->s[j->i] >= '0' && j->s[j->i] <= '9'))
      return number(j);
    return false;
  }
}

enum mdk_fe_json_result mdk_fe_json_string_array(struct mdk_arena *a,
                                                 struct mdk_str text,
                                                 uint32_t base,
                                                 struct mdk_fe_arg **out,
                                                 size_t *n,
                                                 uint32_t *bad_off,
                                                 uint32_t *bad_len)
{
  struct jp j = {0};
  size_t lead = 0, w, count = 0, k;
  struct mdk_fe_arg *args;
  struct mdk_buf b;

  /* strings.TrimLeftFunc(rest, unicode.IsSpace) */
  while(lead < text.len &&
        mdk_rune_is_space(mdk_utf8_decode(text.ptr + lead, text.len - lead,
                                          &w)))
    lead += w;
  if(lead >= text.len || text.ptr[lead] != '[')
    return MDK_FE_JSON_INVALID;
  j.s = text.ptr + lead;
  j.n = text.len - lead;
  if(!value(&j))
    return MDK_FE_JSON_INVALID;
  ws(&j);
  if(j.i != j.n || j.overflow)
    return MDK_FE_JSON_INVALID;

  /* Valid: walk the top-level elements again, decoding strings. */
  args = mdk_arena_array(a, struct mdk_fe_arg, j.n / 2 + 1);
  j.i = 1;
  j.depth = 0;
  mdk_buf_init(&b, (size_t)1 << 30);
  for(;;) {
    size_t st;
    ws(&j);
    if(j.s[j.i] == ']')
      break;
    st = j.i;
    if(j.s[j.i] != '"') {
      (void)value(&j);
      *bad_off = base + (uint32_t)(lead + st);
      *bad_len = (uint32_t)(j.i - st);
      mdk_buf_free(&b);
      return MDK_FE_JSON_NOT_STRINGS;
    }
    mdk_buf_reset(&b);
    (void)string_val(&j, &b);
    k = count++;
    args[k].val = mdk_str_make(mdk_arena_strndup(a, b.ptr ? b.ptr : "",
                                                 b.len), b.len);
    args[k].off = base + (uint32_t)(lead + st);
    args[k].len = (uint32_t)(j.i - st);
    ws(&j);
    if(j.s[j.i] == ',')
      j.i++;
  }
  mdk_buf_free(&b);
  *out = args;
  *n = count;
  return MDK_FE_JSON_OK;
}
