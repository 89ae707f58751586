/* checkcfg.c - `# check=` values as linter.ParseLintOptions reads them. */
#include "frontend/checkcfg.h"

#include <string.h>

static bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

static struct mdk_str trim(struct mdk_str s)
{
  while(s.len && is_space(s.ptr[0])) {
    s.ptr++;
    s.len--;
  }
  while(s.len && is_space(s.ptr[s.len - 1]))
    s.len--;
  return s;
}

/* strconv.ParseBool */
static bool parse_bool(struct mdk_str s, bool *v)
{
  static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
  size_t i;
  for(i = 0; i < 6; i++) {
    if(mdk_str_eq_c(s, t[i])) {
      *v = true;
      return true;
    }
    if(mdk_str_eq_c(s, f[i])) {
      *v = false;
      return true;
    }
  }
  return false;
}

/* A comma list of rule names, each trimmed. */
static void names(struct mdk_arena *a, struct mdk_str v, struct mdk_str **out,
                  size_t *n)
{
  struct mdk_vec list = MDK_VEC_INIT(struct mdk_str);
  size_t i = 0;
  for(;;) {
    size_t e = i;
    struct mdk_str item;
    while(e < v.len && v.ptr[e] != ',')
      e++;
    item = trim(mdk_str_make(v.ptr + i, e - i));
    mdk_vec_push(a, &list, &item);
    if(e >= v.len)
      break;
    i = e + 1;
  }
  *out = list.items;
  *n = list.len;
}

bool mdk_fe_checkcfg_parse(struct mdk_arena *a, struct mdk_str s,
                           struct mdk_fe_checkcfg *out, const char **err,
                           size_t *err_off)
{
  const char *base = s.ptr;
  int part = 0;

  memset(out, 0, sizeof(*out));
  s = trim(s);
  if(!s.len)
    return true;
  while(s.len) {
    size_t e = 0;
    struct mdk_str p, k, v;
    long eq;
    /* strings.SplitN(s, ";", 3): the third part keeps any further ';' */
    if(part < 2)
      while(e < s.len && s.ptr[e] != ';')
        e++;
    else
      e = s.len;
    p = mdk_str_make(s.ptr, e);
    eq = mdk_str_index(p, '=');
    *err_off = (size_t)(p.ptr - base);
    if(eq < 0) {
      *err = mdk_arena_printf(a, "invalid check option \"%.*s\"",
                              MDK_STR_FMT(p));
      return false;
    }
    k = trim(mdk_str_make(p.ptr, (size_t)eq));
    v = trim(mdk_str_make(p.ptr + eq + 1, p.len - (size_t)eq - 1));
    if(mdk_str_eq_c(k, "skip")) {
      if(mdk_str_eq_c(v, "all"))
        out->skip_all = true;
      else
        names(a, v, &out->skip, &out->nskip);
    }
    else if(mdk_str_eq_c(k, "error")) {
      if(!parse_bool(v, &out->error)) {
        *err = mdk_arena_printf(a, "failed to parse check option \"%.*s\": "
                                "strconv.ParseBool: parsing \"%.*s\": invalid "
                                "syntax", MDK_STR_FMT(p), MDK_STR_FMT(v));
        return false;
      }
    }
    else if(mdk_str_eq_c(k, "experimental")) {
      if(mdk_str_eq_c(v, "all"))
        out->experimental_all = true;
      else
        names(a, v, &out->experimental, &out->nexperimental);
    }
    else {
      *err = mdk_arena_printf(a, "invalid check option \"%.*s\"",
                              MDK_STR_FMT(k));
      return false;
    }
    part++;
    if(e >= s.len)
      break;
    s = mdk_str_make(s.ptr + e + 1, s.len - e - 1);
  }
  return true;
}
