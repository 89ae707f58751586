/* dockerignore.c - moby/patternmatcher, pattern by pattern. */
#include "base/dockerignore.h"

#include <string.h>

/* path.Clean for '/'-separated patterns */
static struct mdk_str clean(struct mdk_arena *a, struct mdk_str p)
{
  struct mdk_str *st = mdk_arena_array(a, struct mdk_str, p.len / 2 + 2);
  size_t n = 0, i = 0, k, len = 0;
  bool abs = p.len && p.ptr[0] == '/';
  char *out;
  while(i <= p.len) {
    size_t e = i;
    struct mdk_str c;
    while(e < p.len && p.ptr[e] != '/')
      e++;
    c = mdk_str_make(p.ptr + i, e - i);
    i = e + 1;
    if(c.len == 0 || mdk_str_eq_c(c, "."))
      continue;
    if(mdk_str_eq_c(c, "..")) {
      if(n && !mdk_str_eq_c(st[n - 1], ".."))
        n--;
      else if(!abs)
        st[n++] = c;
      continue;
    }
    st[n++] = c;
  }
  for(k = 0; k < n; k++)
    len += st[k].len + 1;
  out = mdk_arena_alloc(a, len + 3);
  len = 0;
  if(abs)
    out[len++] = '/';
  for(k = 0; k < n; k++) {
    if(k)
      out[len++] = '/';
    memcpy(out + len, st[k].ptr, st[k].len);
    len += st[k].len;
  }
  if(len == 0)
    out[len++] = '.';
  out[len] = '\0';
  return mdk_str_make(out, len);
}

static bool should_escape(char c)
{
  return c == '.' || c == '+' || c == '(' || c == ')' || c == '|' ||
         c == '{' || c == '}' || c == '$' || c == '^';
}

/* The regular expression patternmatcher builds for a pattern. */
static void to_regex(struct mdk_buf *b, struct mdk_str p)
{
  size_t i = 0;
  (void)mdk_buf_putc(b, '^');
  while(i < p.len) {
    char ch = p.ptr[i++];
    if(ch == '*') {
      if(i < p.len && p.ptr[i] == '*') {
        i++;
        if(i < p.len && p.ptr[i] == '/')
          i++;               /* treat "**" + "/" as "**" */
        if(i >= p.len)
          (void)mdk_buf_puts(b, ".*");
        else
          (void)mdk_buf_puts(b, "(.*/)?");
      }
      else {
        (void)mdk_buf_puts(b, "[^/]*");
      }
    }
    else if(ch == '?') {
      (void)mdk_buf_puts(b, "[^/]");
    }
    else if(should_escape(ch)) {
      (void)mdk_buf_putc(b, '\\');
      (void)mdk_buf_putc(b, ch);
    }
    else if(ch == '\\') {
      if(i < p.len) {
        (void)mdk_buf_putc(b, '\\');
        (void)mdk_buf_putc(b, p.ptr[i++]);
      }
      else {
        (void)mdk_buf_puts(b, "\\\\");
      }
    }
    else {
      (void)mdk_buf_putc(b, ch);
    }
  }
  (void)mdk_buf_putc(b, '$');
}

void mdk_ignore_parse(struct mdk_arena *a, struct mdk_str text,
                         struct mdk_ignore *ig)
{
  struct mdk_vec pats = MDK_VEC_INIT(struct mdk_ignore_pat);
  size_t i = 0;
  memset(ig, 0, sizeof(*ig));
  while(i < text.len) {
    size_t e = i;
    struct mdk_str line;
    struct mdk_ignore_pat p;
    struct mdk_buf re;
    while(e < text.len && text.ptr[e] != '\n')
      e++;
    line = mdk_str_make(text.ptr + i, e - i);
    i = e + 1;
    /* strings.TrimSpace */
    while(line.len && strchr(" \t\r\v\f", line.ptr[0])) {
      line.ptr++;
      line.len--;
    }
    while(line.len && strchr(" \t\r\v\f", line.ptr[line.len - 1]))
      line.len--;
    if(!line.len || line.ptr[0] == '#')
      continue;
    memset(&p, 0, sizeof(p));
    if(line.ptr[0] == '!') {
      p.exclusion = true;
      line.ptr++;
      line.len--;
      while(line.len && strchr(" \t", line.ptr[0])) {
        line.ptr++;
        line.len--;
      }
      if(!line.len)
        continue;
    }
    line = clean(a, line);
    if(line.len > 1 && line.ptr[0] == '/') {
      line.ptr++;
      line.len--;
    }
    p.text = line;
    mdk_buf_init(&re, 1 << 20);
    to_regex(&re, line);
    p.ok = regcomp(&p.re, re.ptr, REG_EXTENDED | REG_NOSUB) == 0;
    mdk_buf_free(&re);
    if(p.exclusion)
      ig->has_exclusions = true;
    mdk_vec_push(a, &pats, &p);
  }
  ig->pats = pats.items;
  ig->n = pats.len;
}

void mdk_ignore_free(struct mdk_ignore *ig)
{
  size_t i;
  for(i = 0; i < ig->n; i++)
    if(ig->pats[i].ok)
      regfree(&ig->pats[i].re);
  ig->n = 0;
}

static bool pat_match(const struct mdk_ignore_pat *p, const char *path)
{
  char buf[4096];
  size_t n = strlen(path), k;
  if(!p->ok)
    return false;
  if(regexec(&p->re, path, 0, NULL, 0) == 0)
    return true;
  /* or one of the parent directories */
  if(n >= sizeof(buf))
    return false;
  memcpy(buf, path, n + 1);
  for(k = 0; k < n; k++) {
    if(buf[k] != '/')
      continue;
    buf[k] = '\0';
    if(regexec(&p->re, buf, 0, NULL, 0) == 0)
      return true;
    buf[k] = '/';
  }
  return false;
}

bool mdk_ignore_match(const struct mdk_ignore *ig, const char *path)
{
  bool matched = false;
  size_t i;
  for(i = 0; i < ig->n; i++)
    if(pat_match(&ig->pats[i], path))
      matched = !ig->pats[i].exclusion;
  return matched;
}

bool mdk_ignore_skip_dir(const struct mdk_ignore *ig, const char *dir)
{
  return !ig->has_exclusions && mdk_ignore_match(ig, dir);
}
