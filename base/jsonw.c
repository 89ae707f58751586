#include "base/jsonw.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

void mdk_jsonw_init(struct mdk_jsonw *w, struct mdk_buf *out)
{
  w->out = out;
  w->sink = NULL;
  w->depth = 0;
  w->first = true;
  w->after_key = false;
  w->compact = false;
}

/* a newline and the indentation in one append */
static void newline(struct mdk_jsonw *w)
{
  static const char spaces[] = "\n"
    "                                                                ";
  size_t want = 1 + 2 * (size_t)w->depth, have = sizeof(spaces) - 1, i;
  if(w->compact)
    return;
  (void)mdk_buf_append(w->out, spaces, want < have ? want : have);
  for(i = have; i < want; i++)
    (void)mdk_buf_putc(w->out, ' ');
}

void mdk_jsonw_stream(struct mdk_jsonw *w, FILE *sink)
{
  w->sink = sink;
}

void mdk_jsonw_flush(struct mdk_jsonw *w)
{
  if(w->sink && w->out->len) {
    fwrite(w->out->ptr, 1, w->out->len, w->sink);
    mdk_buf_reset(w->out);
  }
}

static void pre_value(struct mdk_jsonw *w)
{
  if(w->sink && w->out->len >= (64 << 10))
    mdk_jsonw_flush(w);
  if(w->after_key) {
    w->after_key = false;
    return;
  }
  if(!w->first)
    (void)mdk_buf_putc(w->out, ',');
  if(w->depth)
    newline(w);
  w->first = false;
}

void mdk_jsonw_begin(struct mdk_jsonw *w, char open)
{
  pre_value(w);
  (void)mdk_buf_putc(w->out, open);
  w->depth++;
  w->first = true;
}

void mdk_jsonw_end(struct mdk_jsonw *w, char close)
{
  w->depth--;
  if(!w->first)
    newline(w);
  (void)mdk_buf_putc(w->out, close);
  w->first = false;
}

/* What escape_to does with a byte: 0 copy, 1 escape, 2 check UTF-8. */
static const unsigned char byte_class[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* Whether none of the 8 bytes in x needs escape_to's attention: each is
 * printable ASCII (0x20..0x7e) other than '"' and '\\'.  (The classic
 * has-a-byte-less-than tests: exact about whether any byte is, which is
 * all this asks.) */
static bool plain8(uint64_t x)
{
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\'), d = x ^ (ones * 0x7f);
  uint64_t bad = ((x - ones * 0x20) & ~x) |      /* below 0x20 */
                 ((q - ones) & ~q) | ((b - ones) & ~b) | ((d - ones) & ~d) |
                 x;                              /* 0x80 and up */
  return (bad & high) == 0;
}

/* s escaped at p, which has room for 6 * s.len bytes; returns the end */
static char *escape_to(char *p, struct mdk_str s)
{
  static const char hex[] = "0123456789abcdef";
  size_t i = 0, wd;
  while(i < s.len) {
    unsigned char c;
    uint64_t x;
    /* messages and paths are mostly plain: eight bytes at a time */
    while(i + 8 <= s.len && (memcpy(&x, s.ptr + i, 8), plain8(x))) {
      memcpy(p, &x, 8);
      p += 8;
      i += 8;
    }
    if(i >= s.len)
      break;
    c = (unsigned char)s.ptr[i];
    if(!byte_class[c]) {        /* plain printable ASCII: copied as a run */
      size_t j = i + 1;
      while(j < s.len && !byte_class[(unsigned char)s.ptr[j]])
        j++;
      memcpy(p, s.ptr + i, j - i);
      p += j - i;
      i = j;
      continue;
    }
    if(byte_class[c] == 1) {
      *p++ = '\\';
      switch(c) {
      case '"': *p++ = '"'; break;
      case '\\': *p++ = '\\'; break;
      case '\n': *p++ = 'n'; break;
      case '\r': *p++ = 'r'; break;
      case '\t': *p++ = 't'; break;
      default:                  /* control characters and DEL */
        memcpy(p, "u00", 3);
        p[3] = hex[c >> 4];
        p[4] = hex[c & 15];
        p += 5;
      }
      i++;
      continue;
    }
    if(mdk_utf8_decode(s.ptr + i, s.len - i, &wd) == MDK_RUNE_ERROR &&
       wd == 1) {
      memcpy(p, "\\ufffd", 6);  /* JSON output is valid UTF-8 */
      p += 6;
    } else {
      memcpy(p, s.ptr + i, wd);
      p += wd;
    }
    i += wd;
  }
  return p;
}

char *mdk_jsonw_quote_to(char *p, struct mdk_str s)
{
  *p++ = '"';
  p = escape_to(p, s);
  *p++ = '"';
  return p;
}

void mdk_jsonw_quote(struct mdk_buf *b, struct mdk_str s)
{
  enum { CHUNK = 1 << 16 };
  (void)mdk_buf_putc(b, '"');
  while(s.len) {
    /* a long string goes in chunks that end before a UTF-8 lead byte, so
     * no sequence is split and the room needed stays small */
    size_t n = s.len;
    char *at;
    if(n > CHUNK) {
      n = CHUNK;
      while(n > 1 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
        n--;
    }
    at = mdk_buf_reserve(b, 6 * n);
    if(!at)
      return;                   /* over the buffer's limit: it is full */
    mdk_buf_commit(b, (size_t)(escape_to(at, mdk_str_make(s.ptr, n)) - at));
    s.ptr += n;
    s.len -= n;
  }
  (void)mdk_buf_putc(b, '"');
}

void mdk_jsonw_key(struct mdk_jsonw *w, const char *key)
{
  pre_value(w);
  mdk_jsonw_quote(w->out, mdk_str_c(key));
  (void)mdk_buf_puts(w->out, ": ");
  w->after_key = true;
}

void mdk_jsonw_str(struct mdk_jsonw *w, struct mdk_str s)
{
  pre_value(w);
  mdk_jsonw_quote(w->out, s);
}

void mdk_jsonw_cstr(struct mdk_jsonw *w, const char *s)
{
  mdk_jsonw_str(w, mdk_str_c(s));
}

void mdk_jsonw_int(struct mdk_jsonw *w, int64_t v)
{
  char tmp[24];
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  pre_value(w);
  (void)mdk_buf_append(w->out, tmp, mdk_fmt_dec(tmp, u, v < 0));
}

void mdk_jsonw_bool(struct mdk_jsonw *w, bool v)
{
  pre_value(w);
  (void)mdk_buf_puts(w->out, v ? "true" : "false");
}

void mdk_jsonw_null(struct mdk_jsonw *w)
{
  pre_value(w);
  (void)mdk_buf_puts(w->out, "null");
}

void mdk_jsonw_raw(struct mdk_jsonw *w, struct mdk_str json)
{
  pre_value(w);
  (void)mdk_buf_append(w->out, json.ptr, json.len);
}
