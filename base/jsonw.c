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

static void newline(struct mdk_jsonw *w)
{
  int i;
  (void)mdk_buf_putc(w->out, '\n');
  for(i = 0; i < w->depth; i++)
    (void)mdk_buf_puts(w->out, "  ");
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

static void quote(struct mdk_buf *b, struct mdk_str s)
{
  size_t i = 0, wd;
  char tmp[8];
  (void)mdk_buf_putc(b, '"');
  while(i < s.len) {
    unsigned char c = (unsigned char)s.ptr[i];
    size_t run = i;
    /* plain printable ASCII goes out as one run */
    while(run < s.len && (unsigned char)s.ptr[run] >= 0x20 &&
          (unsigned char)s.ptr[run] < 0x7f && s.ptr[run] != '"' &&
          s.ptr[run] != '\\')
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
  quote(w->out, mdk_str_c(key));
  (void)mdk_buf_puts(w->out, ": ");
  w->after_key = true;
}

void mdk_jsonw_str(struct mdk_jsonw *w, struct mdk_str s)
{
  pre_value(w);
  quote(w->out, s);
}

void mdk_jsonw_cstr(struct mdk_jsonw *w, const char *s)
{
  mdk_jsonw_str(w, mdk_str_c(s));
}

void mdk_jsonw_int(struct mdk_jsonw *w, int64_t v)
{
  pre_value(w);
  (void)mdk_buf_printf(w->out, "%lld", (long long)v);
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
