/* words.c - small tests on words that several rule files share. */
#include <string.h>
#include <strings.h>

#include "lint/internal.h"

bool lint_contains(struct mdk_str s, const char *needle)
{
  size_t n = strlen(needle);
  if(n == 1)                    /* most needles: memchr is far cheaper */
    return s.len && memchr(s.ptr, needle[0], s.len) != NULL;
  return s.len && memmem(s.ptr, s.len, needle, n) != NULL;
}

bool lint_contains_nocase(struct mdk_str s, const char *needle)
{
  size_t n = strlen(needle), i;
  for(i = 0; n && i + n <= s.len; i++)
    if(strncasecmp(s.ptr + i, needle, n) == 0)
      return true;
  return false;
}

bool lint_ends_with(struct mdk_str s, const char *suf)
{
  size_t n = strlen(suf);
  return s.len >= n && memcmp(s.ptr + s.len - n, suf, n) == 0;
}

bool lint_is_any(struct mdk_str w, const char *const *names)
{
  size_t i;
  if(!w.len)
    return false;
  /* the first byte rules out nearly every name without a strlen */
  for(i = 0; names[i]; i++)
    if(names[i][0] == w.ptr[0] && strncmp(names[i], w.ptr, w.len) == 0 &&
       names[i][w.len] == '\0')
      return true;
  return false;
}

bool lint_truthy(struct mdk_str v)
{
  static const char *const t[] = {"1", "true", "True", "TRUE", "on", "On",
                                  "ON", "yes", "Yes", "YES", NULL};
  return lint_is_any(v, t);
}

struct mdk_str lint_unquote(struct mdk_str w)
{
  if(w.len >= 2 && (w.ptr[0] == '"' || w.ptr[0] == '\'') &&
     w.ptr[w.len - 1] == w.ptr[0])
    return mdk_str_make(w.ptr + 1, w.len - 2);
  return w;
}

bool lint_shell_name(struct mdk_str n)
{
  size_t i;
  if(!n.len || (n.ptr[0] >= '0' && n.ptr[0] <= '9'))
    return false;
  for(i = 0; i < n.len; i++) {
    char c = n.ptr[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}
