/* pragma.c - hadolint's pragmas: "#", blanks, "hadolint", blanks, then
 * "ignore=LIST", "global ignore=LIST" or "shell=NAME"; blanks are allowed
 * around '=' and ','; anything after the value that starts with '#' is a
 * comment.  A malformed pragma is an ordinary comment (as in hadolint). */
#include "lint/pragma.h"

#include <string.h>

static bool blank(char c)
{
  return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p, const char *e)
{
  while(p < e && blank(*p))
    p++;
  return p;
}

static bool word(const char **p, const char *e, const char *w)
{
  size_t n = strlen(w);
  if((size_t)(e - *p) < n || memcmp(*p, w, n) != 0)
    return false;
  *p += n;
  return true;
}

/* ruleName ( ',' ruleName )*: hadolint's codes (DL3008, SC2086) and, for
 * one comment to cover both tools, mdock's ids (MD004, StageNameCasing) */
static bool rule_list(const char *p, const char *e, struct mdk_str *out)
{
  const char *start = p, *end = p;
  for(;;) {
    const char *w = p;
    while(p < e && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9')))
      p++;
    if(p == w)
      return false;
    end = p;
    p = skip_blanks(p, e);
    if(p < e && *p == ',') {
      p = skip_blanks(p + 1, e);
      continue;
    }
    break;
  }
  if(p < e && *p != '#')
    return false;
  *out = mdk_str_make(start, (size_t)(end - start));
  return true;
}

static bool parse(const char *p, const char *e, struct mdk_lint_pragma *pr)
{
  p = skip_blanks(p, e);
  if(p >= e || *p != '#')
    return false;
  p = skip_blanks(p + 1, e);
  if(!word(&p, e, "hadolint") || p >= e || !blank(*p))
    return false;
  p = skip_blanks(p, e);
  if(word(&p, e, "shell")) {
    const char *v;
    p = skip_blanks(p, e);
    if(p >= e || *p != '=')
      return false;
    p = skip_blanks(p + 1, e);
    v = p;
    while(p < e && !blank(*p))
      p++;
    if(p == v || (skip_blanks(p, e) < e && *skip_blanks(p, e) != '#'))
      return false;
    pr->kind = MDK_PRAGMA_SHELL;
    pr->value = mdk_str_make(v, (size_t)(p - v));
    return true;
  }
  pr->kind = MDK_PRAGMA_IGNORE;
  if(word(&p, e, "global")) {
    if(p >= e || !blank(*p))
      return false;
    p = skip_blanks(p, e);
    pr->kind = MDK_PRAGMA_GLOBAL;
  }
  if(!word(&p, e, "ignore"))
    return false;
  p = skip_blanks(p, e);
  if(p >= e || *p != '=')
    return false;
  return rule_list(skip_blanks(p + 1, e), e, &pr->value);
}

void mdk_lint_pragmas_scan(struct mdk_arena *a, const struct mdk_source *src,
                           struct mdk_lint_pragmas *out)
{
  struct mdk_vec v = MDK_VEC_INIT(struct mdk_lint_pragma);
  const char *data = src->data, *end = src->data + src->len, *h = data;
  /* from one '#' to the next (most lines have none), and only a '#' that
   * starts its line's text and is followed by "hadolint" is read */
  while((h = memchr(h, '#', (size_t)(end - h))) != NULL) {
    const char *s = h, *e, *t = h + 1;
    struct mdk_lint_pragma pr;
    size_t i;
    while(s > data && (s[-1] == ' ' || s[-1] == '\t'))
      s--;
    h++;
    if(s > data && s[-1] != '\n')
      continue;                 /* a '#' inside the line: no pragma */
    while(t < end && (*t == ' ' || *t == '\t'))
      t++;
    if(end - t < 8 || memcmp(t, "hadolint", 8) != 0)
      continue;                 /* a comment, not a pragma */
    e = memchr(t, '\n', (size_t)(end - t));
    h = e = e ? e : end;
    while(e > s && e[-1] == '\r')
      e--;
    if(t + 8 > e || !parse(s, e, &pr))
      continue;
    i = mdk_source_line_index(src, (uint32_t)(s - data));
    pr.line = (uint32_t)i + 1;
    pr.loc.src = src;
    pr.loc.start = src->line_starts[i];
    pr.loc.end = (uint32_t)(e - data);
    mdk_vec_push(a, &v, &pr);
  }
  out->p = v.items;
  out->n = v.len;
}

bool mdk_lint_list_has(struct mdk_str list, const char *id, const char *alias)
{
  size_t i = 0;
  while(i < list.len) {
    size_t s, e;
    while(i < list.len && (list.ptr[i] == ',' || blank(list.ptr[i])))
      i++;
    s = i;
    while(i < list.len && list.ptr[i] != ',' && !blank(list.ptr[i]))
      i++;
    e = i;
    if(e > s && ((strlen(id) == e - s && memcmp(list.ptr + s, id, e - s) == 0)
                 || (alias && *alias && strlen(alias) == e - s &&
                     memcmp(list.ptr + s, alias, e - s) == 0)))
      return true;
  }
  return false;
}

bool mdk_lint_pragma_ignores(const struct mdk_lint_pragmas *ps, uint32_t line,
                             const char *id, const char *alias)
{
  size_t i;
  for(i = 0; i < ps->n; i++) {
    const struct mdk_lint_pragma *p = &ps->p[i];
    if((p->kind == MDK_PRAGMA_GLOBAL ||
        (p->kind == MDK_PRAGMA_IGNORE && p->line + 1 == line)) &&
       mdk_lint_list_has(p->value, id, alias))
      return true;
  }
  return false;
}

struct mdk_str mdk_lint_pragma_shell(const struct mdk_lint_pragmas *ps,
                                     uint32_t line)
{
  struct mdk_str s = MDK_STR_NULL;
  size_t i;
  for(i = 0; i < ps->n && ps->p[i].line < line; i++)
    if(ps->p[i].kind == MDK_PRAGMA_SHELL)
      s = ps->p[i].value;
  return s;
}
