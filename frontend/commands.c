/* commands.c - AST node -> typed instruction, with BuildKit's flag rules
 * (bflag.go) and per-instruction checks (instructions/parse.go). */
#include "frontend/commands.h"
#include "frontend/lineparse.h"
#include "frontend/mount.h"
#include "ir/ir.h"

#include <limits.h>
#include <stdarg.h>
#include <string.h>

struct flagdef {
  const char *name;
  enum mdk_fe_flag_type type;
};

#define B MDK_FE_FLAG_BOOL
#define S MDK_FE_FLAG_STRING
#define SS MDK_FE_FLAG_STRINGS
static const struct flagdef flags_add[] = {
  {"chown", S}, {"chmod", S}, {"link", B}, {"keep-git-dir", B},
  {"checksum", S}, {"unpack", B}, {"exclude", SS}, {NULL, 0}};
static const struct flagdef flags_copy[] = {
  {"from", S}, {"chown", S}, {"chmod", S}, {"link", B}, {"parents", B},
  {"exclude", SS}, {NULL, 0}};
static const struct flagdef flags_from[] = {{"platform", S}, {NULL, 0}};
static const struct flagdef flags_run[] = {
  {"mount", SS}, {"network", S}, {"security", S}, {NULL, 0}};
static const struct flagdef flags_health[] = {
  {"interval", S}, {"timeout", S}, {"start-period", S},
  {"start-interval", S}, {"retries", S}, {NULL, 0}};
static const struct flagdef flags_none[] = {{NULL, 0}};
#undef B
#undef S
#undef SS

static const struct flagdef *flag_table(enum mdk_fe_kind k)
{
  switch(k) {
  case MDK_FE_ADD: return flags_add;
  case MDK_FE_COPY: return flags_copy;
  case MDK_FE_FROM: return flags_from;
  case MDK_FE_RUN: return flags_run;
  case MDK_FE_HEALTHCHECK: return flags_health;
  default: return flags_none;
  }
}

struct ctx {
  struct mdk_arena *a;
  struct mdk_diags *diags;
  const struct mdk_fe_node *node;
  bool failed;
};

static struct mdk_diag *err_at(struct ctx *c, struct mdk_loc loc,
                               const char *hint, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
static struct mdk_diag *err_at(struct ctx *c, struct mdk_loc loc,
                               const char *hint, const char *fmt, ...)
{
  va_list ap;
  char *m;
  struct mdk_diag *d;
  va_start(ap, fmt);
  m = mdk_arena_vprintf(c->a, fmt, ap);
  va_end(ap);
  d = mdk_diag_add(c->diags, MDK_SEV_ERROR, loc, "%s", m);
  if(hint)
    mdk_diag_hint(c->diags, d, "%s", hint);
  c->failed = true;
  return d;
}

static struct mdk_loc arg_loc(struct ctx *c, const struct mdk_fe_arg *a)
{
  return mdk_fe_arg_loc(c->node, a);
}

static struct mdk_loc kw_loc(struct ctx *c)
{
  return mdk_fe_node_loc(c->node);
}

/* --- suggestions ------------------------------------------------------ */

/* Instruction name in upper case, as users write it. */
static const char *upper(struct ctx *c, enum mdk_fe_kind k)
{
  const char *n = mdk_fe_kind_name(k);
  char *u = mdk_arena_strndup(c->a, n, strlen(n));
  char *p;
  for(p = u; *p; p++)
    if(*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 'a' + 'A');
  return u;
}

/* --- flags (bflag.go) ------------------------------------------------- */

static bool parse_flags(struct ctx *c, struct mdk_fe_cmd *cmd)
{
  const struct flagdef *defs = flag_table(cmd->kind);
  const struct mdk_fe_node *n = c->node;
  size_t nd = 0, i, k;

  while(defs[nd].name)
    nd++;
  cmd->flags = mdk_arena_array(c->a, struct mdk_fe_flagval, nd + 1);
  cmd->nflags = nd;
  for(k = 0; k < nd; k++) {
    cmd->flags[k].name = defs[k].name;
    cmd->flags[k].type = defs[k].type;
  }
  for(i = 0; i < n->nflags; i++) {
    const struct mdk_fe_arg *f = &n->flags[i];
    struct mdk_str word = f->val, name, value;
    long eq;
    bool has_value;
    struct mdk_fe_flagval *fv = NULL;

    if(!mdk_str_has_prefix(word, "--")) {
      err_at(c, arg_loc(c, f), NULL, "arg should start with -- : %.*s",
             MDK_STR_FMT(word));
      return false;
    }
    if(word.len == 2)
      return true;
    eq = mdk_str_index(word, '=');
    has_value = eq >= 0;
    name = mdk_str_make(word.ptr + 2, (has_value ? (size_t)eq : word.len) - 2);
    value = has_value ? mdk_str_make(word.ptr + eq + 1, word.len - (size_t)eq
                                                         - 1)
                      : MDK_STR_NULL;
    for(k = 0; k < nd; k++)
      if(mdk_str_eq_c(name, defs[k].name))
        fv = &cmd->flags[k];
    if(!fv) {
      const char *cands[8];
      const char *s;
      struct mdk_diag *d;
      for(k = 0; k < nd; k++)
        cands[k] = defs[k].name;
      s = mdk_str_suggest(name, cands, nd);
      d = err_at(c, arg_loc(c, f), NULL, "unknown flag: --%.*s",
                 MDK_STR_FMT(name));
      if(s)
        mdk_diag_hint(c->diags, d, "did you mean --%s?", s);
      else if(nd) {
        struct mdk_buf b;
        mdk_buf_init(&b, 4096);
        for(k = 0; k < nd; k++)
          mdk_buf_printf(&b, "%s--%s", k ? ", " : "", defs[k].name);
        mdk_diag_hint(c->diags, d, "%s accepts %s", upper(c, n->kind),
                      b.ptr);
        mdk_buf_free(&b);
      }
      else {
        mdk_diag_hint(c->diags, d, "%.*s takes no flags",
                      MDK_STR_FMT(n->keyword));
      }
      return false;
    }
    if(fv->set && fv->type != MDK_FE_FLAG_STRINGS) {
      err_at(c, arg_loc(c, f), "give the flag once",
             "duplicate flag specified: --%.*s", MDK_STR_FMT(name));
      return false;
    }
    fv->set = true;
    switch(fv->type) {
    case MDK_FE_FLAG_BOOL:
      if(has_value && value.len == 0) {
        err_at(c, arg_loc(c, f), mdk_arena_printf(c->a, "write --%s or "
                                                  "--%s=true|false", fv->name,
                                                  fv->name),
               "missing a value on flag: --%.*s", MDK_STR_FMT(name));
        return false;
      }
      if(!has_value || mdk_str_eq_ci(value, "true"))
        fv->bval = true;
      else if(mdk_str_eq_ci(value, "false"))
        fv->bval = false;
      else {
        err_at(c, arg_loc(c, f), "use true or false",
               "expecting boolean value for flag --%.*s, not: %.*s",
               MDK_STR_FMT(name), MDK_STR_FMT(value));
        return false;
      }
      break;
    case MDK_FE_FLAG_STRING:
    case MDK_FE_FLAG_STRINGS:
      if(!has_value) {
        err_at(c, arg_loc(c, f), mdk_arena_printf(c->a, "write --%s=VALUE "
                                                  "(with '=', not a space)",
                                                  fv->name),
               "missing a value on flag: --%.*s", MDK_STR_FMT(name));
        /* a set string flag always has a value: lint reads on after
         * this error, and takes the last one */
        fv->set = fv->nvals > 0;
        return false;
      }
      if(!fv->vals)             /* room for every use, on the first */
        fv->vals = mdk_arena_array(c->a, struct mdk_fe_arg, n->nflags + 1);
      fv->vals[fv->nvals] = *f;
      fv->vals[fv->nvals].val = value;
      fv->vals[fv->nvals].off = f->off + 2 + (uint32_t)name.len + 1;
      fv->vals[fv->nvals].len = f->len > (uint32_t)(2 + name.len + 1)
                                  ? f->len - (uint32_t)(2 + name.len + 1) : 0;
      fv->nvals++;
      break;
    }
  }
  return true;
}

const struct mdk_fe_flagval *mdk_fe_cmd_flag(const struct mdk_fe_cmd *c,
                                             const char *name)
{
  size_t i;
  /* the first byte rules out most of the kind's flags without a call */
  for(i = 0; i < c->nflags; i++)
    if(c->flags[i].name[0] == name[0] && strcmp(c->flags[i].name, name) == 0)
      return &c->flags[i];
  return NULL;
}

static const struct mdk_fe_arg *flag_value(const struct mdk_fe_cmd *c,
                                           const char *name)
{
  const struct mdk_fe_flagval *f = mdk_fe_cmd_flag(c, name);
  return f && f->set && f->nvals ? &f->vals[f->nvals - 1] : NULL;
}

/* --- durations (Go time.ParseDuration) -------------------------------- */

bool mdk_fe_parse_duration(struct mdk_str s, int64_t *ns)
{
  static const struct { const char *u; int64_t mul; } units[] = {
    {"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000},
    {"ms", 1000000}, {"s", 1000000000LL}, {"m", 60000000000LL},
    {"h", 3600000000000LL}};
  size_t i = 0;
  bool neg = false;
  double total = 0;

  if(s.len && (s.ptr[0] == '-' || s.ptr[0] == '+')) {
    neg = s.ptr[0] == '-';
    i++;
  }
  if(s.len - i == 1 && s.ptr[i] == '0') {
    *ns = 0;
    return true;
  }
  if(i == s.len)
    return false;
  while(i < s.len) {
    double v = 0, frac = 0, scale = 1;
    bool digits = false;
    size_t u, best = 0, bl = 0;
    while(i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
      v = v * 10 + (s.ptr[i++] - '0');
      digits = true;
    }
    if(i < s.len && s.ptr[i] == '.') {
      i++;
      while(i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
        frac = frac * 10 + (s.ptr[i++] - '0');
        scale *= 10;
        digits = true;
      }
    }
    if(!digits)
      return false;
    for(u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
      size_t ul = strlen(units[u].u);
      if(ul > bl && i + ul <= s.len && memcmp(s.ptr + i, units[u].u, ul) == 0)
      {
        best = u;
        bl = ul;
      }
    }
    if(!bl)
      return false;
    i += bl;
    total += (v + frac / scale) * (double)units[best].mul;
    if(total > 9.2e18)
      return false;
  }
  *ns = (int64_t)(neg ? -total : total);
  return true;
}

/* --- RUN --mount (commands_runmount.go) ------------------------------- */

struct mdk_str mdk_fe_mount_get(const struct mdk_fe_mount *m, const char *key,
                                bool *found)
{
  size_t i;
  struct mdk_str v = MDK_STR_NULL;
  *found = false;
  for(i = 0; i < m->nfields; i++)
    if(mdk_str_eq_c(m->fields[i].key, key)) {
      v = m->fields[i].val;
      *found = true;
    }
  return v;
}

/* encoding/csv of one record: fields split on ',', "..." quoting with ""
 * for a quote.  Returns false on a bare quote in an unquoted field. */
static bool csv_split(struct mdk_arena *a, struct mdk_str s, struct mdk_vec *out)
{
  size_t i = 0;
  for(;;) {
    struct mdk_buf b;
    struct mdk_str f;
    mdk_buf_init(&b, 1 << 20);
    if(i < s.len && s.ptr[i] == '"') {
      i++;
      for(;;) {
        if(i >= s.len) {
          mdk_buf_free(&b);
          return false;
        }
        if(s.ptr[i] == '"') {
          if(i + 1 < s.len && s.ptr[i + 1] == '"') {
            (void)mdk_buf_putc(&b, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        (void)mdk_buf_putc(&b, s.ptr[i++]);
      }
      if(i < s.len && s.ptr[i] != ',') {
        mdk_buf_free(&b);
        return false;
      }
    }
    else {
      while(i < s.len && s.ptr[i] != ',') {
        if(s.ptr[i] == '"') {
          mdk_buf_free(&b);
          return false;
        }
        (void)mdk_buf_putc(&b, s.ptr[i++]);
      }
    }
    f = mdk_str_dup(a, mdk_buf_str(&b));
    mdk_buf_free(&b);
    mdk_vec_push(a, out, &f);
    if(i >= s.len)
      return true;
    i++;   /* the comma */
  }
}

/* Parse time (BuildKit's parseMount without an expander): the CSV, and a
 * variable in from, which is never expanded.  Every other value is checked
 * after expansion (mdk_fe_mount_resolve, from expand.c); the type here is
 * the literal one, for readers of the raw file (lint, parse --json). */
static bool parse_mount(struct ctx *c, const struct mdk_fe_arg *flag,
                        struct mdk_fe_mount *m)
{
  struct mdk_vec fields = MDK_VEC_INIT(struct mdk_str);
  struct mdk_vec out = MDK_VEC_INIT(struct mdk_fe_mount_field);
  struct mdk_loc loc = arg_loc(c, flag);
  size_t i;

  memset(m, 0, sizeof(*m));
  m->flag = flag;
  if(!csv_split(c->a, flag->val, &fields)) {
    err_at(c, loc, "quote a whole field: \"target=/a,b\"",
           "failed to parse csv mounts: bad quoting in '%.*s'",
           MDK_STR_FMT(flag->val));
    return false;
  }
  for(i = 0; i < fields.len; i++) {
    struct mdk_str f = *mdk_vec_at(&fields, struct mdk_str, i);
    struct mdk_fe_mount_field mf;
    long eq = mdk_str_index(f, '=');
    const char *canon;
    mf.raw = f;
    mf.bare = eq < 0;
    mf.written = eq < 0 ? f : mdk_str_make(f.ptr, (size_t)eq);
    mf.val = eq < 0 ? MDK_STR_NULL
                    : mdk_str_make(f.ptr + eq + 1, f.len - (size_t)eq - 1);
    mf.key = mdk_str_lower(c->a, mf.written);
    canon = mdk_fe_mount_canon_key(mf.key);
    if(canon)
      mf.key = mdk_str_c(canon);
    if(canon && !strcmp(canon, "from") && !mf.bare) {
      long d = mdk_str_index(mf.val, '$');
      if(d >= 0 && (size_t)d + 1 != mf.val.len) {
        err_at(c, loc, "declare the stage with FROM ${ARG} AS name and use "
               "from=name", "'from' doesn't support variable expansion, "
               "define alias stage instead");
        return false;
      }
    }
    mdk_vec_push(c->a, &out, &mf);
  }
  m->fields = out.items;
  m->nfields = out.len;
  /* the literal type (bind until expansion says otherwise) */
  for(i = 0; i < m->nfields; i++)
    if(mdk_str_eq_c(m->fields[i].key, "type")) {
      size_t k;
      for(k = MDK_FE_MOUNT_BIND; k <= MDK_FE_MOUNT_SSH; k++)
        if(mdk_str_eq_ci(m->fields[i].val,
                         mdk_fe_mount_type_name((enum mdk_fe_mount_type)k)))
          m->type = (enum mdk_fe_mount_type)k;
    }
  return true;
}

/* --- instructions ----------------------------------------------------- */

static bool need_args(struct ctx *c, size_t n, size_t min, const char *name)
{
  if(n >= min)
    return true;
  err_at(c, kw_loc(c), NULL, "%s requires at least one argument", name);
  return false;
}

static bool is_stage_name(struct mdk_str s)
{
  size_t i;
  if(!s.len || s.ptr[0] < 'a' || s.ptr[0] > 'z')
    return false;
  for(i = 1; i < s.len; i++) {
    char ch = s.ptr[i];
    if(!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
         ch == '_' || ch == '.'))
      return false;
  }
  return true;
}


/* BuildKit: `(?i)^\s*ONBUILD\s*` removed from the logical line, then each
 * heredoc appended as "\n" + body + delimiter. */
static struct mdk_str onbuild_expr(struct ctx *c, const struct mdk_fe_node *n)
{
  struct mdk_str t = n->line->text;
  size_t i = 0;
  while(i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t' ||
                      t.ptr[i] == '\v' || t.ptr[i] == '\f' ||
                      t.ptr[i] == '\r' || t.ptr[i] == '\n'))
    i++;
  if(t.len - i >= 7 && mdk_str_eq_ci(mdk_str_make(t.ptr + i, 7), "onbuild"))
    i += 7;
  while(i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t' ||
                      t.ptr[i] == '\v' || t.ptr[i] == '\f' ||
                      t.ptr[i] == '\r' || t.ptr[i] == '\n'))
    i++;
  return mdk_fe_text_with_heredocs(c->a, mdk_str_make(t.ptr + i, t.len - i),
                                   n);
}

static bool type_health(struct ctx *c, struct mdk_fe_cmd *cmd)
{
  const struct mdk_fe_node *n = c->node;
  static const char *const names[] = {"interval", "timeout", "start-period",
                                      "start-interval"};
  int64_t *dst[] = {&cmd->hc_interval, &cmd->hc_timeout,
                    &cmd->hc_start_period, &cmd->hc_start_interval};
  const struct mdk_fe_arg *r;
  size_t i;

  if(!need_args(c, n->nargs, 1, "HEALTHCHECK"))
    return false;
  cmd->hc_type = n->args[0].val;
  if(mdk_str_eq_ci(cmd->hc_type, "NONE")) {
    cmd->hc_type = mdk_str_c("NONE");
    if(n->nargs > 1) {
      err_at(c, arg_loc(c, &n->args[1]), "remove the arguments after NONE",
             "HEALTHCHECK NONE takes no arguments");
      return false;
    }
    return true;
  }
  if(!mdk_str_eq_ci(cmd->hc_type, "CMD")) {
    err_at(c, arg_loc(c, &n->args[0]), "write HEALTHCHECK [OPTIONS] CMD "
           "command", "Unknown type \"%.*s\" in HEALTHCHECK (try CMD)",
           MDK_STR_FMT(cmd->hc_type));
    return false;
  }
  cmd->hc_type = mdk_str_c("CMD");
  if(n->nargs < 2) {
    err_at(c, arg_loc(c, &n->args[0]), "give the command to run",
           "Missing command after HEALTHCHECK CMD");
    return false;
  }
  cmd->args = n->args + 1;
  cmd->nargs = n->nargs - 1;
  cmd->json = n->json;
  if(!parse_flags(c, cmd))
    return false;
  for(i = 0; i < 4; i++) {
    const struct mdk_fe_arg *v = flag_value(cmd, names[i]);
    /* an empty value is unset, as BuildKit's parseOptInterval reads it */
    if(!v || !v->val.len)
      continue;
    if(!mdk_fe_parse_duration(v->val, dst[i])) {
      err_at(c, arg_loc(c, v), "use a Go duration such as 30s, 1m30s or "
             "500ms", "time: invalid duration \"%.*s\"", MDK_STR_FMT(v->val));
      return false;
    }
    if(*dst[i] < 0) {
      err_at(c, arg_loc(c, v), NULL, "Interval \"%s\" cannot be negative",
             names[i]);
      return false;
    }
    if(*dst[i] != 0 && *dst[i] < 1000000) {
      err_at(c, arg_loc(c, v), "use 0 for the default or at least 1ms",
             "Interval \"%s\" cannot be less than 1ms", names[i]);
      return false;
    }
  }
  r = flag_value(cmd, "retries");
  if(r && r->val.len) {         /* "" is unset (BuildKit) */
    long long v = 0;
    size_t i2 = 0;
    bool neg = r->val.len && r->val.ptr[0] == '-';
    if(neg || (r->val.len && r->val.ptr[0] == '+'))
      i2 = 1;
    if(i2 == r->val.len)
      v = -1;
    for(; i2 < r->val.len && v >= 0; i2++) {
      if(r->val.ptr[i2] < '0' || r->val.ptr[i2] > '9' || v > INT_MAX)
        v = -1;
      else
        v = v * 10 + (r->val.ptr[i2] - '0');
    }
    if(v < 0) {
      err_at(c, arg_loc(c, r), "use a whole number",
             "strconv.ParseInt: parsing \"%.*s\": invalid syntax",
             MDK_STR_FMT(r->val));
      return false;
    }
    if(neg && v > 0) {
      err_at(c, arg_loc(c, r), NULL, "--retries cannot be negative (-%lld)",
             v);
      return false;
    }
    cmd->hc_retries = v;
  }
  return true;
}

static bool type_one(struct ctx *c, const struct mdk_fe_node *n,
                     struct mdk_fe_cmd *cmd)
{
  const char *NAME = upper(c, n->kind);
  size_t i;

  c->node = n;
  cmd->kind = n->kind;
  cmd->node = n;
  cmd->args = n->args;
  cmd->nargs = n->nargs;
  cmd->json = n->json;
  /* ARG and STOPSIGNAL never parse their flags in BuildKit: ignored. */
  if(n->kind != MDK_FE_ARG && n->kind != MDK_FE_STOPSIGNAL &&
     n->kind != MDK_FE_HEALTHCHECK && n->kind != MDK_FE_UNKNOWN &&
     !parse_flags(c, cmd))
    return false;

  switch(n->kind) {
  case MDK_FE_UNKNOWN: {
    const char *names[MDK_FE__COUNT - 1];
    const char *s;
    struct mdk_diag *d;
    for(i = 1; i < MDK_FE__COUNT; i++)
      names[i - 1] = upper(c, (enum mdk_fe_kind)i);
    s = mdk_str_suggest(n->keyword, names, MDK_FE__COUNT - 1);
    d = err_at(c, kw_loc(c), NULL, "unknown instruction: %.*s",
               MDK_STR_FMT(n->keyword));
    mdk_diag_hint(c->diags, d, s ? "did you mean %s?" : "%s",
                  s ? s : "instructions are FROM, RUN, COPY, ADD, ENV, ARG, "
                          "WORKDIR, USER, ... (see the Dockerfile reference)");
    return false;
  }
  case MDK_FE_FROM:
    if(n->nargs != 1 && n->nargs != 3) {
      err_at(c, kw_loc(c), "write FROM image[:tag] [AS name]",
             "FROM requires either one or three arguments");
      return false;
    }
    if(n->nargs == 3 && !mdk_str_eq_ci(n->args[1].val, "as")) {
      err_at(c, arg_loc(c, &n->args[1]), "write FROM image AS name",
             "FROM requires either one or three arguments");
      return false;
    }
    cmd->base = &n->args[0];
    if(n->nargs == 3) {
      cmd->stage_arg = &n->args[2];
      cmd->stage_name = mdk_str_lower(c->a, n->args[2].val);
      if(!is_stage_name(cmd->stage_name)) {
        err_at(c, arg_loc(c, &n->args[2]), "stage names start with a letter "
               "and hold letters, digits, '-', '_' and '.'",
               "invalid name for build stage: \"%.*s\", name can't start "
               "with a number or contain symbols",
               MDK_STR_FMT(n->args[2].val));
        return false;
      }
    }
    return true;
  case MDK_FE_RUN:
    /* no argument is no error: BuildKit runs `/bin/sh -c ""` */
    {
      const struct mdk_fe_flagval *mf = mdk_fe_cmd_flag(cmd, "mount");
      const struct mdk_fe_arg *net = flag_value(cmd, "network");
      const struct mdk_fe_arg *sec = flag_value(cmd, "security");
      cmd->mounts = mdk_arena_array(c->a, struct mdk_fe_mount,
                                    mf->nvals + 1);
      for(i = 0; i < mf->nvals; i++)
        if(!parse_mount(c, &mf->vals[i], &cmd->mounts[i]))
          return false;
      cmd->nmounts = mf->nvals;
      if(net && !mdk_str_eq_c(net->val, "default") &&
         !mdk_str_eq_c(net->val, "none") && !mdk_str_eq_c(net->val, "host")) {
        err_at(c, arg_loc(c, net), "use default, none or host",
               "invalid network mode \"%.*s\"", MDK_STR_FMT(net->val));
        return false;
      }
      if(sec && !mdk_str_eq_c(sec->val, "sandbox") &&
         !mdk_str_eq_c(sec->val, "insecure")) {
        err_at(c, arg_loc(c, sec), "use sandbox or insecure",
               "security mode \"%.*s\" is not supported",
               MDK_STR_FMT(sec->val));
        return false;
      }
    }
    return true;
  case MDK_FE_CMD:
  case MDK_FE_ENTRYPOINT:
    return true;
  case MDK_FE_SHELL:
    if(!n->json) {
      err_at(c, n->nargs ? arg_loc(c, &n->args[0]) : kw_loc(c),
             "write SHELL [\"/bin/bash\", \"-c\"]",
             "SHELL requires the arguments to be in JSON form");
      return false;
    }
    return need_args(c, n->nargs, 1, NAME);
  case MDK_FE_ENV:
  case MDK_FE_LABEL:
    if(!need_args(c, n->nargs, 1, NAME))
      return false;
    cmd->keys = n->args;
    cmd->npairs = n->nargs / 3;
    cmd->legacy = n->nargs >= 3 && n->args[2].val.len == 0;
    for(i = 0; i < cmd->npairs; i++)
      if(n->args[i * 3].val.len == 0) {
        err_at(c, arg_loc(c, &n->args[i * 3]), "give the variable a name",
               "%s names can not be blank", NAME);
        return false;
      }
    return true;
  case MDK_FE_ARG:
    if(!need_args(c, n->nargs, 1, NAME))
      return false;
    cmd->argdefs = mdk_arena_array(c->a, struct mdk_fe_argdef, n->nargs);
    for(i = 0; i < n->nargs; i++) {
      struct mdk_fe_argdef *d = &cmd->argdefs[i];
      long eq = mdk_str_index(n->args[i].val, '=');
      d->arg = &n->args[i];
      if(eq >= 0) {
        d->name = mdk_str_make(n->args[i].val.ptr, (size_t)eq);
        d->value = mdk_str_make(n->args[i].val.ptr + eq + 1,
                                n->args[i].val.len - (size_t)eq - 1);
        d->has_value = true;
      }
      else {
        d->name = n->args[i].val;
      }
      if(d->name.len == 0) {
        err_at(c, arg_loc(c, &n->args[i]), "write ARG NAME[=default]",
               "ARG names can not be blank");
        return false;
      }
    }
    cmd->nargdefs = n->nargs;
    return true;
  case MDK_FE_EXPOSE:
  case MDK_FE_VOLUME:
    if(!need_args(c, n->nargs, 1, NAME))
      return false;
    if(n->kind == MDK_FE_VOLUME)
      for(i = 0; i < n->nargs; i++)
        if(n->args[i].val.len == 0) {
          err_at(c, arg_loc(c, &n->args[i]), "remove the empty path",
                 "VOLUME specified can not be an empty string");
          return false;
        }
    return true;
  case MDK_FE_WORKDIR:
  case MDK_FE_USER:
  case MDK_FE_MAINTAINER:
  case MDK_FE_STOPSIGNAL:
    if(n->nargs != 1) {
      err_at(c, kw_loc(c), NULL, "%s requires exactly one argument", NAME);
      return false;
    }
    return true;
  case MDK_FE_ADD:
  case MDK_FE_COPY: {
    const struct mdk_fe_arg *from = flag_value(cmd, "from");
    const struct mdk_fe_arg *sum = flag_value(cmd, "checksum");
    if(n->nargs + n->nheredocs < 2 || n->nargs < 1) {
      err_at(c, kw_loc(c), "give one or more sources and a destination",
             "%s requires at least two arguments, but only one was provided. "
             "Destination could not be determined", NAME);
      return false;
    }
    if(!n->json) {
      /* the destination is the last word: it may not be a heredoc */
      bool is = false;
      struct mdk_fe_heredoc hd;
      const char *e;
      if(mdk_fe_parse_heredoc_word(c->a, n->args[n->nargs - 1].val, &hd, &is,
                                   &e) && is) {
        err_at(c, arg_loc(c, &n->args[n->nargs - 1]), "put the destination "
               "path last", "%s cannot accept a heredoc as a destination",
               NAME);
        return false;
      }
    }
    if(from && mdk_str_index(from->val, '$') >= 0) {
      err_at(c, arg_loc(c, from), "add ARG X=stage before the first FROM, "
             "then FROM ${X} AS src, and COPY --from=src",
             "variable expansion is not supported for --from, define a new "
             "stage with FROM using ARG from global scope as a workaround");
      return false;
    }
    if(sum && n->nargs + n->nheredocs > 2) {
      err_at(c, arg_loc(c, sum), "use one ADD per download",
             "checksum can't be specified for multiple sources");
      return false;
    }
    if(sum && n->nargs == 2 &&
       mdk_ir_source_kind(n->args[0].val) != MDK_IR_SRC_HTTP &&
       mdk_ir_source_kind(n->args[0].val) != MDK_IR_SRC_GIT) {
      err_at(c, arg_loc(c, sum), "--checksum verifies downloads: use it "
             "with an http(s) or git source", "checksum requires an HTTP or "
             "git source");
      return false;
    }
    return true;
  }
  case MDK_FE_ONBUILD:
    if(!n->child) {
      err_at(c, kw_loc(c), NULL, "ONBUILD requires at least one argument");
      return false;
    }
    if(n->child->kind == MDK_FE_ONBUILD) {
      c->node = n;
      err_at(c, mdk_fe_node_loc(n->child), NULL, "Chaining ONBUILD via "
             "`ONBUILD ONBUILD` isn't allowed");
      return false;
    }
    if(n->child->kind == MDK_FE_FROM || n->child->kind == MDK_FE_MAINTAINER) {
      err_at(c, mdk_fe_node_loc(n->child), NULL, "%s isn't allowed as an "
             "ONBUILD trigger", upper(c, n->child->kind));
      return false;
    }
    {
      struct mdk_fe_cmd *sub = mdk_arena_new(c->a, struct mdk_fe_cmd);
      bool ok = type_one(c, n->child, sub);
      c->node = n;
      cmd->onbuild = n->child;
      cmd->onbuild_expr = onbuild_expr(c, n);
      cmd->trigger = sub;
      return ok;
    }
  case MDK_FE_HEALTHCHECK:
    return type_health(c, cmd);
  case MDK_FE__COUNT:
    break;
  }
  return true;
}

enum mdk_status mdk_fe_type(struct mdk_arena *a, struct mdk_diags *diags,
                            const struct mdk_fe_ast *ast,
                            struct mdk_fe_file **out)
{
  struct mdk_fe_file *f = mdk_arena_new(a, struct mdk_fe_file);
  struct ctx c = {a, diags, NULL, false};
  bool seen_from = false;
  size_t i;

  f->ast = ast;
  f->cmds = mdk_arena_array(a, struct mdk_fe_cmd, ast->nnodes + 1);
  f->ncmds = ast->nnodes;
  for(i = 0; i < ast->nnodes; i++) {
    const struct mdk_fe_node *n = ast->nodes[i];
    const char *nul = n->line ? memchr(n->line->text.ptr, '\0',
                                       n->line->text.len) : NULL;
    if(!type_one(&c, n, &f->cmds[i]))
      f->cmds[i].invalid = true;
    if(nul) {
      /* BuildKit parses it, and the kernel refuses it in a command or a
       * name; C would silently cut the word there */
      c.node = n;
      err_at(&c, mdk_fe_line_loc(n->line, (uint32_t)(nul - n->line->text.ptr),
                                 1),
             "remove the NUL byte (it may come from a file saved as UTF-16 "
             "or from binary data pasted in)",
             "the instruction holds a NUL byte, which no command, path or "
             "value can carry");
      f->cmds[i].invalid = true;
    }
    if(n->kind == MDK_FE_FROM)
      seen_from = true;
    else if(!seen_from && n->kind != MDK_FE_ARG && n->kind != MDK_FE_UNKNOWN) {
      c.node = n;
      err_at(&c, kw_loc(&c), "start the build with FROM (only ARG may "
             "precede it)", "no build stage in current context");
    }
  }
  *out = f;
  return c.failed ? MDK_ESYNTAX : MDK_OK;
}

struct mdk_fe_file *mdk_fe_apply_onbuild(struct mdk_arena *a,
                                         const struct mdk_fe_file *f)
{
  struct mdk_fe_file *out = mdk_arena_new(a, struct mdk_fe_file);
  struct mdk_vec cmds = MDK_VEC_INIT(struct mdk_fe_cmd);
  /* per stage: first command index and stage name */
  size_t *first = mdk_arena_array(a, size_t, f->ncmds + 1);
  size_t *last = mdk_arena_array(a, size_t, f->ncmds + 1);
  struct mdk_str *names = mdk_arena_array(a, struct mdk_str, f->ncmds + 1);
  size_t nst = 0, i, j, k;

  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_cmd *c = &f->cmds[i];
    mdk_vec_push(a, &cmds, c);
    if(c->kind != MDK_FE_FROM) {
      if(nst)
        last[nst - 1] = i + 1;
      continue;
    }
    first[nst] = i + 1;
    last[nst] = i + 1;
    names[nst] = c->stage_name;
    /* FROM <earlier stage>: run its triggers here, in registration order */
    if(c->base && mdk_str_index(c->base->val, '$') < 0) {
      struct mdk_str base = mdk_str_lower(a, c->base->val);
      for(j = 0; j < nst; j++) {
        if(!names[j].len || !mdk_str_eq(names[j], base))
          continue;
        for(k = first[j]; k < last[j]; k++) {
          const struct mdk_fe_cmd *ob = &f->cmds[k];
          struct mdk_fe_cmd t;
          struct mdk_fe_node *n;
          if(ob->kind != MDK_FE_ONBUILD || !ob->trigger)
            continue;
          t = *ob->trigger;
          /* heredoc bodies belong to the ONBUILD line */
          n = mdk_arena_new(a, struct mdk_fe_node);
          *n = *t.node;
          n->heredocs = ob->node->heredocs;
          n->nheredocs = ob->node->nheredocs;
          n->start_line = ob->node->start_line;
          n->end_line = ob->node->end_line;
          t.node = n;
          t.from_onbuild = true;
          mdk_vec_push(a, &cmds, &t);
        }
      }
    }
    nst++;
  }
  out->ast = f->ast;
  out->cmds = cmds.items;
  out->ncmds = cmds.len;
  return out;
}
