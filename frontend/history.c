/* history.c - see history.h. */
#include "frontend/history.h"

#include <stdio.h>
#include <string.h>

/* strconv.Quote for the bytes a Dockerfile holds: \" \\ \n \t \r, other
 * control bytes as \x.., UTF-8 kept */
static void go_quote(struct mdk_buf *b, struct mdk_str s)
{
  size_t i;
  mdk_buf_putc(b, '"');
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    switch(c) {
    case '"': mdk_buf_puts(b, "\\\""); break;
    case '\\': mdk_buf_puts(b, "\\\\"); break;
    case '\n': mdk_buf_puts(b, "\\n"); break;
    case '\t': mdk_buf_puts(b, "\\t"); break;
    case '\r': mdk_buf_puts(b, "\\r"); break;
    case '\a': mdk_buf_puts(b, "\\a"); break;
    case '\b': mdk_buf_puts(b, "\\b"); break;
    case '\f': mdk_buf_puts(b, "\\f"); break;
    case '\v': mdk_buf_puts(b, "\\v"); break;
    default:
      if(c < 0x20 || c == 0x7f)
        mdk_buf_printf(b, "\\x%02x", c);
      else
        mdk_buf_putc(b, (char)c);
    }
  }
  mdk_buf_putc(b, '"');
}

static char *finish(struct mdk_arena *a, struct mdk_buf *b)
{
  char *out = mdk_arena_strndup(a, b->ptr ? b->ptr : "", b->len);
  mdk_buf_free(b);
  return out;
}

/* [a b], each element quoted (Go's %q) or not (%v) */
static char *go_slice(struct mdk_arena *a, const struct mdk_str *v, size_t n,
                      bool quote)
{
  struct mdk_buf b;
  size_t i;
  mdk_buf_init(&b, (size_t)1 << 30);
  mdk_buf_putc(&b, '[');
  for(i = 0; i < n; i++) {
    if(i)
      mdk_buf_putc(&b, ' ');
    if(quote)
      go_quote(&b, v[i]);
    else
      mdk_buf_append(&b, v[i].ptr, v[i].len);
  }
  mdk_buf_putc(&b, ']');
  return finish(a, &b);
}

char *mdk_fe_go_quoted(struct mdk_arena *a, const struct mdk_str *v, size_t n)
{
  return go_slice(a, v, n, true);
}

char *mdk_fe_go_list(struct mdk_arena *a, const struct mdk_str *v, size_t n)
{
  return go_slice(a, v, n, false);
}

/* the fraction of v (in units of 10^prec) without trailing zeros */
static void frac(char *out, size_t cap, uint64_t v, int prec)
{
  char digits[24];
  int n;
  snprintf(digits, sizeof(digits), "%0*llu", prec, (unsigned long long)v);
  n = (int)strlen(digits);
  while(n > 0 && digits[n - 1] == '0')
    n--;
  if(n)
    snprintf(out, cap, ".%.*s", n, digits);
  else
    out[0] = '\0';
}

char *mdk_fe_go_duration(struct mdk_arena *a, int64_t ns)
{
  uint64_t u = ns < 0 ? (uint64_t)(-(ns + 1)) + 1 : (uint64_t)ns;
  const char *sign = ns < 0 ? "-" : "";
  char f[32];
  if(u == 0)
    return mdk_arena_printf(a, "0s");
  if(u < 1000)
    return mdk_arena_printf(a, "%s%lluns", sign, (unsigned long long)u);
  if(u < 1000000) {
    frac(f, sizeof(f), u % 1000, 3);
    return mdk_arena_printf(a, "%s%llu%sµs", sign,
                            (unsigned long long)(u / 1000), f);
  }
  if(u < 1000000000) {
    frac(f, sizeof(f), u % 1000000, 6);
    return mdk_arena_printf(a, "%s%llu%sms", sign,
                            (unsigned long long)(u / 1000000), f);
  }
  {
    uint64_t secs = u / 1000000000, h = secs / 3600, m = secs / 60 % 60;
    frac(f, sizeof(f), u % 1000000000, 9);
    if(h)
      return mdk_arena_printf(a, "%s%lluh%llum%llu%ss", sign,
                              (unsigned long long)h, (unsigned long long)m,
                              (unsigned long long)(secs % 60), f);
    if(m)
      return mdk_arena_printf(a, "%s%llum%llu%ss", sign, (unsigned long long)m,
                              (unsigned long long)(secs % 60), f);
    return mdk_arena_printf(a, "%s%llu%ss", sign, (unsigned long long)secs,
                            f);
  }
}

char *mdk_fe_heredoc_summary(struct mdk_arena *a, struct mdk_str doc)
{
  size_t s = 0, e = doc.len, nl;
  while(s < e && mdk_ascii_is_space((unsigned char)doc.ptr[s]))
    s++;
  while(e > s && mdk_ascii_is_space((unsigned char)doc.ptr[e - 1]))
    e--;
  for(nl = s; nl < e && doc.ptr[nl] != '\n'; nl++)
    ;
  {
    size_t l = nl;
    if(l > s && doc.ptr[l - 1] == '\r')
      l--;
    return mdk_arena_printf(a, "%.*s%s", (int)(l - s), doc.ptr + s,
                            nl < e ? "..." : "");
  }
}
