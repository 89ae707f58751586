/* rules_labels.c - LABEL keys (hadolint's DL3048) and the config's
 * label-schema: labels the image must carry, of a type (text, url, email,
 * rfc3339, spdx, hash, semver), and with strict-labels none outside it. */
#include <string.h>

#include "lint/internal.h"

static bool lower_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Docker's label key format, as hadolint checks it: lower-case letters,
 * digits, '.' and '-', starting with a letter and ending with a letter or
 * digit, no ".." or "--", and not in Docker's own namespaces */
static const char *bad_key(struct mdk_str k)
{
  size_t i;
  if(mdk_str_has_prefix(k, "com.docker.") ||
     mdk_str_has_prefix(k, "io.docker.") ||
     mdk_str_has_prefix(k, "org.dockerproject."))
    return "is in a namespace Docker reserves";
  if(!k.len || k.ptr[0] < 'a' || k.ptr[0] > 'z' ||
     !lower_alnum(k.ptr[k.len - 1]))
    return "must start with a lower-case letter and end with one or a digit";
  for(i = 0; i < k.len; i++) {
    char c = k.ptr[i];
    if(!lower_alnum(c) && c != '.' && c != '-')
      return "may only hold lower-case letters, digits, '.' and '-'";
    if(i && (c == '.' || c == '-') && k.ptr[i - 1] == c)
      return "may not hold \"..\" or \"--\"";
  }
  return NULL;
}

static bool digits(const char *p, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(p[i] < '0' || p[i] > '9')
      return false;
  return true;
}

/* RFC 3339: 2006-01-02T15:04:05[.frac](Z|+hh:mm) ('t' and ' ' accepted) */
static bool is_rfc3339(struct mdk_str v)
{
  const char *p = v.ptr;
  size_t i = 19;
  if(v.len < 20 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) ||
     p[7] != '-' || !digits(p + 8, 2) || !strchr("Tt ", p[10]) ||
     !digits(p + 11, 2) || p[13] != ':' || !digits(p + 14, 2) ||
     p[16] != ':' || !digits(p + 17, 2))
    return false;
  if(i < v.len && p[i] == '.') {
    size_t s = ++i;
    while(i < v.len && p[i] >= '0' && p[i] <= '9')
      i++;
    if(i == s)
      return false;
  }
  if(i + 1 == v.len && (p[i] == 'Z' || p[i] == 'z'))
    return true;
  return i + 6 == v.len && (p[i] == '+' || p[i] == '-') &&
         digits(p + i + 1, 2) && p[i + 3] == ':' && digits(p + i + 4, 2);
}

/* scheme://host[...]: a scheme of letters (digits, + - .) and a host */
static bool is_url(struct mdk_str v)
{
  size_t i = 0;
  if(!v.len || !((v.ptr[0] >= 'a' && v.ptr[0] <= 'z') ||
                 (v.ptr[0] >= 'A' && v.ptr[0] <= 'Z')))
    return false;
  while(i < v.len && v.ptr[i] != ':') {
    char c = v.ptr[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
      return false;
    i++;
  }
  if(i + 3 >= v.len || memcmp(v.ptr + i, "://", 3) != 0)
    return false;
  for(i += 3; i < v.len; i++)
    if((unsigned char)v.ptr[i] <= ' ')
      return false;
  return true;
}

/* local@domain.tld, RFC 5322's common form */
static bool is_email(struct mdk_str v)
{
  long at = mdk_str_index(v, '@');
  size_t i;
  struct mdk_str dom;
  if(at <= 0 || (size_t)at + 1 >= v.len)
    return false;
  for(i = 0; i < (size_t)at; i++)
    if((unsigned char)v.ptr[i] <= ' ' || strchr("()<>[]:;@\\,\"", v.ptr[i]))
      return false;
  dom = mdk_str_make(v.ptr + at + 1, v.len - (size_t)at - 1);
  if(mdk_str_index(dom, '.') <= 0 || dom.ptr[dom.len - 1] == '.')
    return false;
  for(i = 0; i < dom.len; i++)
    if(!(lower_alnum(dom.ptr[i]) || (dom.ptr[i] >= 'A' && dom.ptr[i] <= 'Z')
         || dom.ptr[i] == '.' || dom.ptr[i] == '-'))
      return false;
  return true;
}

/* a git commit: 40 hex digits (64 for SHA-256 repositories) */
static bool is_hash(struct mdk_str v)
{
  size_t i;
  if(v.len != 40 && v.len != 64)
    return false;
  for(i = 0; i < v.len; i++)
    if(!strchr("0123456789abcdefABCDEF", v.ptr[i]) || !v.ptr[i])
      return false;
  return true;
}

static bool semver_num(const char *p, size_t n)
{
  return n && digits(p, n) && !(n > 1 && p[0] == '0');
}

/* semver.org 2.0.0: MAJOR.MINOR.PATCH[-pre][+build] */
static bool is_semver(struct mdk_str v)
{
  size_t i = 0, part, s;
  for(part = 0; part < 3; part++) {
    s = i;
    while(i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9')
      i++;
    if(!semver_num(v.ptr + s, i - s))
      return false;
    if(part < 2) {
      if(i >= v.len || v.ptr[i] != '.')
        return false;
      i++;
    }
  }
  if(i < v.len && (v.ptr[i] == '-' || v.ptr[i] == '+')) {
    size_t j;
    for(j = i + 1; j < v.len; j++) {
      char c = v.ptr[j];
      if(!(lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'
           || c == '+'))
        return false;
    }
    return j > i + 1 && v.ptr[v.len - 1] != '.';
  }
  return i == v.len;
}

/* SPDX license identifiers in use in images (the list's common part) */
static const char *const spdx_ids[] = {
  "0BSD", "AFL-3.0", "AGPL-1.0", "AGPL-3.0", "AGPL-3.0-only",
  "AGPL-3.0-or-later", "Apache-1.0", "Apache-1.1", "Apache-2.0",
  "APSL-2.0", "Artistic-1.0", "Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause",
  "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause",
  "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "BUSL-1.1", "CAL-1.0",
  "CC-BY-3.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0",
  "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1",
  "CECILL-2.1", "CPAL-1.0", "CPL-1.0", "ECL-2.0", "EFL-2.0", "EPL-1.0",
  "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "GFDL-1.3", "GFDL-1.3-only",
  "GFDL-1.3-or-later", "GPL-1.0", "GPL-1.0-only", "GPL-1.0-or-later",
  "GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later",
  "GPL-2.0-with-classpath-exception", "GPL-3.0", "GPL-3.0+", "GPL-3.0-only",
  "GPL-3.0-or-later", "HPND", "ICU", "IPL-1.0", "ISC", "LGPL-2.0",
  "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+",
  "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0+",
  "LGPL-3.0-only", "LGPL-3.0-or-later", "LPL-1.02", "LPPL-1.3c", "MIT",
  "MIT-0", "MIT-CMU", "MPL-1.0", "MPL-1.1", "MPL-2.0",
  "MPL-2.0-no-copyleft-exception", "MS-PL", "MS-RL", "MulanPSL-2.0",
  "NCSA", "ODbL-1.0", "OFL-1.1", "OpenSSL", "OSL-3.0", "PHP-3.0", "PHP-3.01",
  "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "SSPL-1.0", "Unicode-DFS-2016",
  "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.0",
  "ZPL-2.1", "curl", "libpng-2.0", "bzip2-1.0.6", "Classpath-exception-2.0",
  "LLVM-exception", "GCC-exception-3.1", "Autoconf-exception-3.0",
  "Bison-exception-2.2", "OpenJDK-assembly-exception-1.0", NULL};

static bool spdx_id(struct mdk_str w)
{
  size_t i;
  if(w.len && w.ptr[w.len - 1] == '+')
    w.len--;
  if(mdk_str_has_prefix(w, "LicenseRef-") ||
     mdk_str_has_prefix(w, "DocumentRef-"))
    return w.len > 11;
  for(i = 0; spdx_ids[i]; i++)
    if(w.len == strlen(spdx_ids[i]) &&
       strncasecmp(w.ptr, spdx_ids[i], w.len) == 0)
      return true;
  return false;
}

/* an SPDX license expression: ids joined by AND, OR, WITH, in parens */
static bool is_spdx(struct mdk_str v)
{
  size_t i = 0;
  bool want_id = true, any = false;
  while(i < v.len) {
    size_t s;
    struct mdk_str w;
    if(v.ptr[i] == ' ' || v.ptr[i] == '(' || v.ptr[i] == ')') {
      i++;
      continue;
    }
    s = i;
    while(i < v.len && v.ptr[i] != ' ' && v.ptr[i] != '(' && v.ptr[i] != ')')
      i++;
    w = mdk_str_make(v.ptr + s, i - s);
    if(want_id) {
      if(!spdx_id(w))
        return false;
      any = true;
      want_id = false;
    }
    else {
      if(!mdk_str_eq_c(w, "AND") && !mdk_str_eq_c(w, "OR") &&
         !mdk_str_eq_c(w, "WITH") && !mdk_str_eq_c(w, "and") &&
         !mdk_str_eq_c(w, "or") && !mdk_str_eq_c(w, "with"))
        return false;
      want_id = true;
    }
  }
  return any && !want_id;
}

static const struct mdk_lint_label_rule *schema(const struct lint *l,
                                                struct mdk_str key)
{
  size_t i;
  for(i = 0; i < l->o->nlabels; i++)
    if(mdk_str_eq_c(key, l->o->labels[i].name))
      return &l->o->labels[i];
  return NULL;
}

static void typed_value(struct lint *l, const struct mdk_fe_node *n,
                        const struct mdk_lint_label_rule *r,
                        struct mdk_str v)
{
  static const struct {
    bool (*ok)(struct mdk_str);
    enum mdk_fe_rule rule;
    const char *what;
  } types[] = {
    [MDK_LABEL_URL] = {is_url, MDK_LINT_LABEL_URL, "a URL"},
    [MDK_LABEL_RFC3339] = {is_rfc3339, MDK_LINT_LABEL_TIME,
                           "an RFC 3339 time (2024-01-31T12:00:00Z)"},
    [MDK_LABEL_SPDX] = {is_spdx, MDK_LINT_LABEL_SPDX,
                        "an SPDX license identifier (MIT, Apache-2.0...)"},
    [MDK_LABEL_HASH] = {is_hash, MDK_LINT_LABEL_HASH,
                        "a git commit hash (40 hex digits)"},
    [MDK_LABEL_SEMVER] = {is_semver, MDK_LINT_LABEL_SEMVER,
                          "a semantic version (1.2.3)"},
    [MDK_LABEL_EMAIL] = {is_email, MDK_LINT_LABEL_EMAIL,
                         "an email address"},
  };
  if(!v.len) {
    lint_report(l, MDK_LINT_LABEL_EMPTY, n, mdk_fe_node_loc(n), n->start_line,
                "label %s is empty", r->name);
    return;
  }
  if(r->type == MDK_LABEL_TEXT || !types[r->type].ok ||
     types[r->type].ok(v))
    return;
  lint_report(l, types[r->type].rule, n, mdk_fe_node_loc(n), n->start_line,
              "label %s is \"%.*s\", not %s", r->name, MDK_STR_FMT(v),
              types[r->type].what);
}

void lint_labels(struct lint *l)
{
  const struct mdk_fe_file *file = l->file;
  size_t ns = l->sem->nstages, i, j, k;
  /* per stage and schema label: set (inherited by FROM <stage>) */
  bool *have = mdk_arena_array(l->a, bool, (ns + 1) * (l->o->nlabels + 1));
  const struct mdk_fe_node **froms = mdk_arena_array(
    l->a, const struct mdk_fe_node *, ns + 1);
  int cur = -1;
  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    if(c->invalid)
      continue;
    if(c->kind == MDK_FE_FROM) {
      cur = x->stage;
      if(cur >= 0) {
        int p = l->sem->stages[cur].parent;
        froms[cur] = c->node;
        if(p >= 0)
          memcpy(have + (size_t)cur * (l->o->nlabels + 1),
                 have + (size_t)p * (l->o->nlabels + 1),
                 l->o->nlabels * sizeof(bool));
      }
      continue;
    }
    if(c->kind != MDK_FE_LABEL)
      continue;
    for(j = 0, k = 0; j < x->nvals; j++) {
      struct mdk_str key, val;
      const struct mdk_lint_label_rule *r;
      const char *why;
      if(strcmp(x->vals[j].what, "key") != 0)
        continue;
      key = x->vals[j].val;
      val = j + 1 < x->nvals && strcmp(x->vals[j + 1].what, "value") == 0
              ? x->vals[j + 1].val : MDK_STR_NULL;
      k++;
      /* the key as written: a $ in it is no label key character */
      if((why = bad_key(lint_unquote(x->vals[j].raw))))
        lint_report(l, MDK_LINT_LABEL_KEY, c->node, mdk_fe_node_loc(c->node),
                    c->node->start_line, "label key \"%.*s\" %s",
                    MDK_STR_FMT(key), why);
      r = schema(l, key);
      if(r) {
        if(cur >= 0)
          have[(size_t)cur * (l->o->nlabels + 1) + (size_t)(r - l->o->labels)]
            = true;
        typed_value(l, c->node, r, val);
      }
      else if(l->o->strict_labels && l->o->nlabels)
        lint_report(l, MDK_LINT_LABEL_EXTRA, c->node,
                    mdk_fe_node_loc(c->node), c->node->start_line,
                    "label %.*s is not in the label-schema (strict-labels)",
                    MDK_STR_FMT(key));
    }
    (void)k;
  }
  /* every stage must carry every schema label, itself or from the stage
   * it is built on (hadolint reports each stage at its FROM) */
  for(i = 0; i < ns; i++)
    for(k = 0; froms[i] && k < l->o->nlabels; k++)
      if(!have[i * (l->o->nlabels + 1) + k])
        lint_report(l, MDK_LINT_LABEL_MISSING, froms[i],
                    mdk_fe_node_loc(froms[i]), froms[i]->start_line,
                    "label %s of the label-schema is missing",
                    l->o->labels[k].name);
}
