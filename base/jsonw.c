#include "base/jsonw.h"

#include <stdio.h>

#include "base/utf8.h"

void mdk_jsonw_init(struct mdk_jsonw *w, struct mdk_buf *out)
{
  w->out = out;
  w->depth = 0;
  w->first = true;
  w->after_key = false;
}

/* a newline and the indentation in one append */
static void newline(struct mdk_jsonw *w)
{
  static const char spaces[] = "\n"
    "                                                                ";
  size_t want = 1 + 2 * (size_t)w->depth, have = sizeof(spaces) - 1, i;
  (void)mdk_buf_append(w->out, spaces, want < have ? want : have);
  for(i = have; i < want; i++)
    (void)mdk_buf_putc(w->out, ' ');
}

static void pre_value(struct mdk_jsonw *w)
{
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

/* Bytes that go out as they are: printable ASCII but '"' and '\\'. */
static inline bool plain(unsigned char c)
{
  return (unsigned char)(c - 0x20) < 0x5f && c != '"' && c != '\\';
}

void mdk_jsonw_quote(struct mdk_buf *b, struct mdk_str s)
{
  size_t i = 0, wd;
  char tmp[8];
  (void)mdk_buf_putc(b, '"');
  while(i < s.len) {
    unsigned char c = (unsigned char)s.ptr[i];
    size_t run = i;
    /* plain printable ASCII goes out as one run */
    while(run < s.len && plain((unsigned char)s.ptr[run]))
      run++;
    if(run > i) {
      (void)mdk_buf_append(b, s.ptr + i, run - i);
      i = run;
      continue;
    }
    if(c < 0x80) {
      switch(c) {
      case '"': (void)mdk_buf_puts(b, "\\\""); break;
      case '\\': (void)mdk_buf_puts(b, "\\\\"); break;
      case '\n': (void)mdk_buf_puts(b, "\\n"); break;
      case '\r': (void)mdk_buf_puts(b, "\\r"); break;
      case '\t': (void)mdk_buf_puts(b, "\\t"); break;
      default:
        if(c < 0x20 || c == 0x7f) {
          snprintf(tmp, sizeof(tmp), "\\u%04x", c);
          (void)mdk_buf_puts(b, tmp);
        }
        else {
          (void)mdk_buf_putc(b, (char)c);
        }
      }
      i++;
      continue;
    }
    {
      uint32_t r = mdk_utf8_decode(s.ptr + i, s.len - i, &wd);
      if(r == MDK_RUNE_ERROR && wd == 1)
        (void)mdk_buf_puts(b, "\\ufffd");   /* JSON output is valid UTF-8 */
      else
        (void)mdk_buf_append(b, s.ptr + i, wd);
      i += wd;
    }
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
  char tmp[24], *p = tmp + sizeof(tmp);
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  pre_value(w);
  do {                          /* printf is most of the cost otherwise */
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while(u);
  if(v < 0)
    *--p = '-';
  (void)mdk_buf_append(w->out, p, (size_t)(tmp + sizeof(tmp) - p));
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
