/* gotmpl.c - a Go text/template subset over JSON values, run straight from
 * the template's text: a block is executed (or skipped, emit false) by
 * reading it, and a range reads its body once per element.  Skipped text
 * is still parsed, so a check is a run that emits nothing. */
#include "cli/gotmpl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_VARS = 32, MAX_ARGS = 16, MAX_DEPTH = 64 };

struct var {
  char name[32];
  json_t *v;                    /* a reference of its own */
};

struct run {
  const char *src;
  FILE *out;
  json_t *root;
  struct var vars[MAX_VARS];
  size_t nvars;
  const char *last_field;       /* names a missing value when it prints */
  size_t last_len;
  char err[200];                /* the first error, or "" */
  size_t err_at;
  int depth;
  bool trim_next;               /* the last action ended with -}} */
  bool strict;                  /* a missing field is an error (a row of
                                   known fields, as docker's typed ones) */
};

static void fail(struct run *r, const char *at, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
static void fail(struct run *r, const char *at, const char *fmt, ...)
{
  va_list ap;
  if(r->err[0])
    return;
  va_start(ap, fmt);
  vsnprintf(r->err, sizeof(r->err), fmt, ap);
  va_end(ap);
  r->err_at = (size_t)(at - r->src);
}

/* ---- printing values as Go does ---------------------------------- */

static bool is_list_field(const char *f, size_t n)
{
  static const char *const names[] = {"Env", "Cmd", "Entrypoint", "OnBuild",
    "Shell", "RepoTags", "RepoDigests", "Layers", "Test", NULL};
  size_t i;
  for(i = 0; names[i]; i++)
    if(strlen(names[i]) == n && memcmp(names[i], f, n) == 0)
      return true;
  return false;
}

static bool is_map_field(const char *f, size_t n)
{
  static const char *const names[] = {"Labels", "Volumes", "ExposedPorts",
                                      NULL};
  size_t i;
  for(i = 0; names[i]; i++)
    if(strlen(names[i]) == n && memcmp(names[i], f, n) == 0)
      return true;
  return false;
}

static int key_cmp(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* an object's keys, sorted as Go ranges and prints a map (malloc'd) */
static const char **sorted_keys(json_t *o, size_t *n)
{
  const char **k = malloc((json_object_size(o) + 1) * sizeof(*k));
  const char *key;
  json_t *v;
  *n = 0;
  if(!k)
    return NULL;
  json_object_foreach(o, key, v)
    k[(*n)++] = key;
  qsort(k, *n, sizeof(*k), key_cmp);
  return k;
}

static void print_value(FILE *out, json_t *v)
{
  size_t i, n;
  if(json_is_string(v))
    fwrite(json_string_value(v), 1, json_string_length(v), out);
  else if(json_is_integer(v))
    fprintf(out, "%lld", (long long)json_integer_value(v));
  else if(json_is_real(v))
    fprintf(out, "%g", json_real_value(v));
  else if(json_is_boolean(v))
    fputs(json_is_true(v) ? "true" : "false", out);
  else if(json_is_array(v)) {
    fputc('[', out);
    for(i = 0; i < json_array_size(v); i++) {
      if(i)
        fputc(' ', out);
      print_value(out, json_array_get(v, i));
    }
    fputc(']', out);
  }
  else if(json_is_object(v)) {
    const char **k = sorted_keys(v, &n);
    fputs("map[", out);
    for(i = 0; k && i < n; i++) {
      fprintf(out, "%s%s:", i ? " " : "", k[i]);
      print_value(out, json_object_get(v, k[i]));
    }
    fputc(']', out);
    free(k);
  }
  else
    fputs("<nil>", out);
}

/* text made with stdio, then a JSON string (functions that print) */
struct memtext {
  char *s;
  size_t len;
  FILE *f;
};

static bool text_open(struct memtext *t)
{
  t->s = NULL;
  t->len = 0;
  t->f = open_memstream(&t->s, &t->len);
  return t->f != NULL;
}

static json_t *text_json(struct memtext *t)
{
  json_t *v;
  fclose(t->f);
  v = json_stringn(t->s ? t->s : "", t->len);
  free(t->s);
  return v;
}

/* {{X}} at the top of an action: a missing value as Go shows its type */
static void print_top(struct run *r, json_t *v)
{
  if(v && !json_is_null(v))
    print_value(r->out, v);
  else if(r->last_field && is_list_field(r->last_field, r->last_len))
    fputs("[]", r->out);
  else if(r->last_field && is_map_field(r->last_field, r->last_len))
    fputs("map[]", r->out);
  else
    fputs(v ? "<nil>" : "<no value>", r->out);
}

static char *to_text(json_t *v)
{
  char *s = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&s, &n);
  if(!f)
    return NULL;
  print_value(f, v);
  fclose(f);
  return s;
}

static bool truthy(json_t *v)
{
  if(!v || json_is_null(v) || json_is_false(v))
    return false;
  if(json_is_string(v))
    return json_string_length(v) > 0;
  if(json_is_integer(v))
    return json_integer_value(v) != 0;
  if(json_is_real(v))
    return json_real_value(v) != 0;
  if(json_is_array(v))
    return json_array_size(v) > 0;
  if(json_is_object(v))
    return json_object_size(v) > 0;
  return true;
}

/* ---- functions ---------------------------------------------------- */

char *mdk_tmpl_go_json(json_t *v, int indent)
{
  char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER |
                       (indent ? JSON_INDENT(indent) : JSON_COMPACT));
  char *o, *q;
  const char *p;
  if(!s)
    return NULL;
  /* the characters only appear inside strings, so all are replaced */
  o = malloc(strlen(s) * 6 + 1);
  if(!o)
    return s;
  for(p = s, q = o; *p; p++) {
    if(*p == '<' || *p == '>' || *p == '&')
      q += sprintf(q, "\\u%04x", *p);
    else
      *q++ = *p;
  }
  *q = 0;
  free(s);
  return o;
}

static json_t *fn_json(json_t **a, size_t n)
{
  char *s = mdk_tmpl_go_json(n ? a[0] : json_null(), 0);
  json_t *v = json_string(s ? s : "null");
  free(s);
  return v;
}

static json_t *fn_index(json_t **a, size_t n)
{
  json_t *v = n ? a[0] : NULL;
  size_t i;
  for(i = 1; v && i < n; i++) {
    if(json_is_array(v) && json_is_integer(a[i]))
      v = json_array_get(v, (size_t)json_integer_value(a[i]));
    else if(json_is_object(v) && json_is_string(a[i]))
      v = json_object_get(v, json_string_value(a[i]));
    else
      v = NULL;
  }
  return v ? json_incref(v) : json_null();
}

static json_t *fn_len(json_t **a, size_t n)
{
  json_t *v = n ? a[0] : NULL;
  size_t len = json_is_array(v) ? json_array_size(v)
             : json_is_object(v) ? json_object_size(v)
             : json_is_string(v) ? json_string_length(v) : 0;
  return json_integer((json_int_t)len);
}

static json_t *fn_join(json_t **a, size_t n)
{
  struct memtext t;
  size_t i;
  if(!text_open(&t))
    return json_null();
  for(i = 0; n >= 1 && i < json_array_size(a[0]); i++) {
    if(i && n >= 2)
      print_value(t.f, a[1]);
    print_value(t.f, json_array_get(a[0], i));
  }
  return text_json(&t);
}

static json_t *fn_split(json_t **a, size_t n)
{
  json_t *out = json_array();
  const char *s = n >= 1 ? json_string_value(a[0]) : NULL;
  const char *sep = n >= 2 ? json_string_value(a[1]) : NULL;
  const char *p;
  if(!s || !sep || !*sep)
    return out;
  while((p = strstr(s, sep))) {
    json_array_append_new(out, json_stringn(s, (size_t)(p - s)));
    s = p + strlen(sep);
  }
  json_array_append_new(out, json_string(s));
  return out;
}

static json_t *map_chars(json_t **a, size_t n, int how)
{
  char *s = n ? to_text(a[0]) : NULL, *p;
  json_t *v;
  bool start = true;
  if(!s)
    return json_string("");
  for(p = s; *p; p++) {
    if(how == 'l')
      *p = (char)tolower((unsigned char)*p);
    else if(how == 'u' || (how == 't' && start))
      *p = (char)toupper((unsigned char)*p);
    start = isspace((unsigned char)*p);
  }
  v = json_string(s);
  free(s);
  return v;
}
static json_t *fn_lower(json_t **a, size_t n) { return map_chars(a, n, 'l'); }
static json_t *fn_upper(json_t **a, size_t n) { return map_chars(a, n, 'u'); }
static json_t *fn_title(json_t **a, size_t n) { return map_chars(a, n, 't'); }

/* print and println: Go puts a space between two operands when neither is
 * a string (print) or always (println) */
static json_t *print_args(json_t **a, size_t n, bool ln)
{
  struct memtext t;
  size_t i;
  if(!text_open(&t))
    return json_null();
  for(i = 0; i < n; i++) {
    if(i && (ln || (!json_is_string(a[i - 1]) && !json_is_string(a[i]))))
      fputc(' ', t.f);
    print_value(t.f, a[i]);
  }
  if(ln)
    fputc('\n', t.f);
  return text_json(&t);
}
static json_t *fn_print(json_t **a, size_t n) { return print_args(a, n, 0); }
static json_t *fn_println(json_t **a, size_t n) { return print_args(a, n, 1); }

/* printf with the verbs scripts use: %s %v %d %q %%, widths for %s/%d */
static json_t *fn_printf(json_t **a, size_t n)
{
  const char *f = n ? json_string_value(a[0]) : NULL;
  struct memtext t;
  size_t arg = 1;
  FILE *o;
  if(!f || !text_open(&t))
    return json_string("");
  o = t.f;
  for(; *f; f++) {
    char spec[16], *text;
    size_t k = 0;
    if(*f != '%') {
      fputc(*f, o);
      continue;
    }
    spec[k++] = *f++;
    while((*f == '-' || isdigit((unsigned char)*f)) && k < 10)
      spec[k++] = *f++;
    if(*f == '%') {
      fputc('%', o);
      continue;
    }
    if(!*f)
      break;
    text = arg < n ? to_text(a[arg]) : NULL;
    if(*f == 'q') {
      json_t *str = json_string(text ? text : ""), *quoted = fn_json(&str, 1);
      fputs(json_string_value(quoted), o);
      json_decref(quoted);
      json_decref(str);
    }
    else if(*f == 'd' && arg < n && json_is_integer(a[arg])) {
      spec[k++] = 'l';
      spec[k++] = 'l';
      spec[k++] = 'd';
      spec[k] = 0;
      fprintf(o, spec, (long long)json_integer_value(a[arg]));
    }
    else {
      spec[k++] = 's';
      spec[k] = 0;
      fprintf(o, spec, text ? text : "%!v(MISSING)");
    }
    free(text);
    arg++;
  }
  return text_json(&t);
}

static json_t *fn_eq(json_t **a, size_t n)
{
  size_t i;
  for(i = 1; i < n; i++)
    if(json_equal(a[0], a[i]))
      return json_true();
  return json_false();
}
static json_t *fn_ne(json_t **a, size_t n)
{
  return json_boolean(n == 2 && !json_equal(a[0], a[1]));
}
static json_t *fn_not(json_t **a, size_t n)
{
  return json_boolean(!(n && truthy(a[0])));
}
static json_t *fn_and(json_t **a, size_t n)
{
  size_t i;
  for(i = 0; i + 1 < n && truthy(a[i]); i++)
    ;
  return n ? json_incref(a[i]) : json_null();
}
static json_t *fn_or(json_t **a, size_t n)
{
  size_t i;
  for(i = 0; i + 1 < n && !truthy(a[i]); i++)
    ;
  return n ? json_incref(a[i]) : json_null();
}

/* docker's truncate (s, n) and pad (s, left, right) */
static json_t *fn_truncate(json_t **a, size_t n)
{
  char *s = n ? to_text(a[0]) : NULL;
  json_t *v;
  if(!s)
    return json_string("");
  if(n >= 2 && json_is_integer(a[1]) && json_integer_value(a[1]) >= 0 &&
     strlen(s) > (size_t)json_integer_value(a[1]))
    s[json_integer_value(a[1])] = 0;
  v = json_string(s);
  free(s);
  return v;
}
static json_t *fn_pad(json_t **a, size_t n)
{
  char *s = n ? to_text(a[0]) : NULL;
  int l = n >= 2 ? (int)json_integer_value(a[1]) : 0;
  int rt = n >= 3 ? (int)json_integer_value(a[2]) : 0;
  char buf[4096];
  if(!s)
    return json_string("");
  snprintf(buf, sizeof(buf), "%*s%s%*s", l, "", s, rt, "");
  free(s);
  return json_string(buf);
}

static const struct fn {
  const char *name;
  json_t *(*call)(json_t **a, size_t n);
} fns[] = {
  {"json", fn_json}, {"index", fn_index}, {"len", fn_len},
  {"join", fn_join}, {"split", fn_split}, {"lower", fn_lower},
  {"upper", fn_upper}, {"title", fn_title}, {"print", fn_print},
  {"println", fn_println}, {"printf", fn_printf}, {"eq", fn_eq},
  {"ne", fn_ne}, {"not", fn_not}, {"and", fn_and}, {"or", fn_or},
  {"truncate", fn_truncate}, {"pad", fn_pad}, {NULL, NULL}
};

/* ---- expressions -------------------------------------------------- */

struct lex {
  const char *p, *end;
};

static void skip_ws(struct lex *l)
{
  while(l->p < l->end && isspace((unsigned char)*l->p))
    l->p++;
}

static bool ident_char(char c)
{
  return isalnum((unsigned char)c) || c == '_';
}

static json_t *pipeline(struct run *r, struct lex *l, json_t *dot);

/* .A.B after a value (v is consumed) */
static json_t *fields(struct run *r, struct lex *l, json_t *v)
{
  while(l->p < l->end && *l->p == '.' && l->p + 1 < l->end &&
        ident_char(l->p[1])) {
    const char *f = ++l->p;
    json_t *next;
    char key[128];
    while(l->p < l->end && ident_char(*l->p))
      l->p++;
    snprintf(key, sizeof(key), "%.*s", (int)(l->p - f), f);
    next = json_is_object(v) ? json_object_get(v, key) : NULL;
    if(!next && r->strict && json_is_object(v))
      fail(r, f - 1, "can't evaluate field %s", key);
    r->last_field = f;
    r->last_len = (size_t)(l->p - f);
    json_decref(v);
    v = next ? json_incref(next) : NULL;
  }
  return v;
}

static json_t *variable(struct run *r, struct lex *l)
{
  const char *n = l->p++;
  size_t i;
  while(l->p < l->end && ident_char(*l->p))
    l->p++;
  if(l->p - n == 1)
    return json_incref(r->root);
  for(i = r->nvars; i-- > 0;)
    if(strlen(r->vars[i].name) == (size_t)(l->p - n) &&
       memcmp(r->vars[i].name, n, (size_t)(l->p - n)) == 0)
      return json_incref(r->vars[i].v);
  fail(r, n, "undefined variable \"%.*s\"", (int)(l->p - n), n);
  return NULL;
}

static json_t *string_lit(struct run *r, struct lex *l)
{
  char q = *l->p++;
  char *buf = malloc((size_t)(l->end - l->p) + 1);
  size_t k = 0;
  json_t *v;
  if(!buf)
    return NULL;
  while(l->p < l->end && *l->p != q) {
    char c = *l->p++;
    if(q == '"' && c == '\\' && l->p < l->end) {
      c = *l->p++;
      c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
    }
    buf[k++] = c;
  }
  if(l->p >= l->end)
    fail(r, l->p, "unterminated quoted string");
  else
    l->p++;
  v = json_stringn(buf, k);
  free(buf);
  return v;
}

/* one argument: ., .A.B, $x.A, "s", `s`, 12, true, false, nil, (pipe) */
static json_t *operand(struct run *r, struct lex *l, json_t *dot)
{
  const char *s;
  skip_ws(l);
  s = l->p;
  if(l->p >= l->end)
    return NULL;
  if(*s == '.') {
    if(l->p + 1 < l->end && ident_char(l->p[1]))
      return fields(r, l, json_incref(dot));
    l->p++;
    r->last_field = NULL;
    return dot ? json_incref(dot) : NULL;
  }
  if(*s == '$')
    return fields(r, l, variable(r, l));
  if(*s == '"' || *s == '`')
    return string_lit(r, l);
  if(*s == '(') {
    json_t *v;
    l->p++;
    v = pipeline(r, l, dot);
    skip_ws(l);
    if(l->p < l->end && *l->p == ')')
      l->p++;
    else
      fail(r, l->p, "unclosed left paren");
    return fields(r, l, v);
  }
  if(isdigit((unsigned char)*s) || *s == '-') {
    char *e;
    long long n = strtoll(s, &e, 10);
    l->p = e > l->end ? l->end : e;
    return json_integer(n);
  }
  while(l->p < l->end && ident_char(*l->p))
    l->p++;
  if(l->p - s == 4 && memcmp(s, "true", 4) == 0)
    return json_true();
  if(l->p - s == 5 && memcmp(s, "false", 5) == 0)
    return json_false();
  if(l->p - s == 3 && memcmp(s, "nil", 3) == 0)
    return json_null();
  if(l->p == s)
    l->p++;
  fail(r, s, "unexpected \"%.*s\" in operand", (int)(l->p - s), s);
  return NULL;
}

static bool at_command_end(struct lex *l)
{
  skip_ws(l);
  return l->p >= l->end || *l->p == '|' || *l->p == ')';
}

/* a function call or one operand; piped is the previous command's value
 * (consumed), passed as the last argument */
static json_t *command(struct run *r, struct lex *l, json_t *dot,
                       json_t *piped)
{
  const char *s;
  size_t n = 0, i;
  const struct fn *f;
  json_t *args[MAX_ARGS + 1], *v;
  skip_ws(l);
  s = l->p;
  while(l->p < l->end && ident_char(*l->p))
    l->p++;
  for(f = fns; l->p > s && !isdigit((unsigned char)*s) && f->name; f++)
    if(strlen(f->name) == (size_t)(l->p - s) &&
       memcmp(f->name, s, (size_t)(l->p - s)) == 0)
      break;
  if(l->p > s && !isdigit((unsigned char)*s) && !f->name &&
     !(l->p - s == 4 && memcmp(s, "true", 4) == 0) &&
     !(l->p - s == 5 && memcmp(s, "false", 5) == 0) &&
     !(l->p - s == 3 && memcmp(s, "nil", 3) == 0)) {
    fail(r, s, "function \"%.*s\" not defined", (int)(l->p - s), s);
    json_decref(piped);
    return NULL;
  }
  if(l->p == s || isdigit((unsigned char)*s) || !f->name) {
    l->p = s;
    v = operand(r, l, dot);
    if(piped) {
      fail(r, s, "can't give argument to non-function");
      json_decref(piped);
    }
    if(!at_command_end(l))
      fail(r, l->p, "unexpected \"%.*s\" after operand",
           (int)(l->end - l->p), l->p);
    return v;
  }
  while(!at_command_end(l) && n < MAX_ARGS && !r->err[0]) {
    json_t *a = operand(r, l, dot);
    args[n++] = a ? a : json_null();
  }
  if(piped)
    args[n++] = piped;
  v = f->call(args, n);
  for(i = 0; i < n; i++)
    json_decref(args[i]);
  r->last_field = NULL;
  return v;
}

static json_t *pipeline(struct run *r, struct lex *l, json_t *dot)
{
  json_t *v = command(r, l, dot, NULL);
  skip_ws(l);
  while(l->p < l->end && *l->p == '|' && !r->err[0]) {
    l->p++;
    v = command(r, l, dot, v);
    skip_ws(l);
  }
  return v;
}

/* a whole action's expression, which must be used up */
static json_t *eval(struct run *r, const char *s, const char *e, json_t *dot)
{
  struct lex l = {s, e};
  json_t *v;
  skip_ws(&l);
  if(l.p >= l.end) {
    fail(r, s, "missing value for command");
    return NULL;
  }
  v = pipeline(r, &l, dot);
  skip_ws(&l);
  if(l.p < l.end)
    fail(r, l.p, "unexpected \"%.*s\"", (int)(l.end - l.p), l.p);
  return v;
}

/* ---- actions and blocks ------------------------------------------- */

static void set_var(struct run *r, const char *name, size_t n, json_t *v)
{
  size_t i;
  for(i = r->nvars; i-- > 0;)
    if(strlen(r->vars[i].name) == n && memcmp(r->vars[i].name, name, n) == 0) {
      json_decref(r->vars[i].v);
      r->vars[i].v = v ? json_incref(v) : json_null();
      return;
    }
  if(r->nvars == MAX_VARS || n >= sizeof(r->vars[0].name)) {
    fail(r, name, "too many variables");
    return;
  }
  snprintf(r->vars[r->nvars].name, sizeof(r->vars[0].name), "%.*s", (int)n,
           name);
  r->vars[r->nvars++].v = v ? json_incref(v) : json_null();
}

static void drop_vars(struct run *r, size_t keep)
{
  while(r->nvars > keep)
    json_decref(r->vars[--r->nvars].v);
}

/* where the action opened at p ends ("}}" outside quotes), or NULL */
static const char *action_end(const char *p)
{
  char q = 0;
  for(; *p; p++) {
    if(q) {
      if(*p == '\\' && q == '"' && p[1])
        p++;
      else if(*p == q)
        q = 0;
    }
    else if(*p == '"' || *p == '`')
      q = *p;
    else if(p[0] == '}' && p[1] == '}')
      return p;
  }
  return NULL;
}

enum term { T_EOF, T_END, T_ELSE };

static bool word(const char **s, const char *e, const char *w)
{
  size_t n = strlen(w);
  if((size_t)(e - *s) >= n && memcmp(*s, w, n) == 0 &&
     ((size_t)(e - *s) == n || !ident_char((*s)[n]))) {
    *s += n;
    return true;
  }
  return false;
}

static enum term block(struct run *r, const char **pp, json_t *dot,
                       bool emit, const char **else_s, const char **else_e);

/* "$v :=" or "$k, $v :=" at the head of a range or an action: the names */
static const char *decl(const char *s, const char *e, const char **n1,
                        size_t *l1, const char **n2, size_t *l2)
{
  const char *p = s, *a;
  *n1 = *n2 = NULL;
  while(p < e && isspace((unsigned char)*p))
    p++;
  if(p >= e || *p != '$')
    return s;
  for(a = p++; p < e && ident_char(*p); p++)
    ;
  *n1 = a;
  *l1 = (size_t)(p - a);
  while(p < e && isspace((unsigned char)*p))
    p++;
  if(p < e && *p == ',') {
    p++;
    while(p < e && isspace((unsigned char)*p))
      p++;
    if(p >= e || *p != '$') {
      *n1 = NULL;
      return s;
    }
    for(a = p++; p < e && ident_char(*p); p++)
      ;
    *n2 = a;
    *l2 = (size_t)(p - a);
    while(p < e && isspace((unsigned char)*p))
      p++;
  }
  if(p + 1 < e && p[0] == ':' && p[1] == '=')
    return p + 2;
  if(p < e && p[0] == '=' && *n2 == NULL)
    return p + 1;
  *n1 = *n2 = NULL;
  return s;
}

/* if / with: the chain of else branches up to end */
static void conditional(struct run *r, const char **pp, json_t *dot,
                        bool emit, const char *s, const char *e, bool with)
{
  json_t *c = eval(r, s, e, dot);
  bool taken = truthy(c);
  const char *es, *ee;
  size_t keep = r->nvars;
  enum term t = block(r, pp, with && taken ? c : dot, emit && taken, &es,
                      &ee);
  json_decref(c);
  drop_vars(r, keep);
  while(t == T_ELSE && !r->err[0]) {
    const char *p = es;
    while(p < ee && isspace((unsigned char)*p))
      p++;
    if(word(&p, ee, "if") || word(&p, ee, "with")) {
      json_t *c2 = eval(r, p, ee, dot);
      bool now = !taken && truthy(c2);
      t = block(r, pp, dot, emit && now, &es, &ee);
      taken = taken || now;
      json_decref(c2);
    }
    else {
      t = block(r, pp, dot, emit && !taken, &es, &ee);
      if(t == T_ELSE)
        fail(r, es, "expected end; found else");
    }
    drop_vars(r, keep);
  }
  if(t != T_END)
    fail(r, s, "unexpected EOF: %s without end", with ? "with" : "if");
}

static void range(struct run *r, const char **pp, json_t *dot, bool emit,
                  const char *s, const char *e)
{
  const char *n1, *n2, *es, *ee, *body = *pp;
  size_t l1 = 0, l2 = 0, n, i, keep = r->nvars;
  const char *x = decl(s, e, &n1, &l1, &n2, &l2);
  json_t *c = eval(r, x, e, dot);
  const char **keys = NULL;
  enum term t = T_END;
  n = json_is_array(c) ? json_array_size(c)
    : json_is_object(c) ? json_object_size(c) : 0;
  if(json_is_object(c))
    keys = sorted_keys(c, &n);
  for(i = 0; emit && i < n && !r->err[0]; i++) {
    json_t *k = keys ? json_string(keys[i]) : json_integer((json_int_t)i);
    json_t *v = keys ? json_object_get(c, keys[i]) : json_array_get(c, i);
    if(n1 && n2) {
      set_var(r, n1, l1, k);
      set_var(r, n2, l2, v);
    }
    else if(n1)
      set_var(r, n1, l1, v);
    json_decref(k);
    *pp = body;
    t = block(r, pp, v, true, &es, &ee);
    drop_vars(r, keep);
  }
  if(!emit || n == 0) {
    /* read the body without running it; the else runs for nothing */
    if(n1)
      set_var(r, n1, l1, NULL);
    if(n2)
      set_var(r, n2, l2, NULL);
    t = block(r, pp, NULL, false, &es, &ee);
    drop_vars(r, keep);
    if(t == T_ELSE)
      t = block(r, pp, dot, emit, &es, &ee);
  }
  else if(t == T_ELSE) {
    t = block(r, pp, dot, false, &es, &ee);
  }
  free(keys);
  json_decref(c);
  if(t != T_END)
    fail(r, s, "unexpected EOF: range without end");
}

/* text up to the next action: written when emit, trimmed by - markers */
static const char *text(struct run *r, const char *p, bool emit)
{
  const char *open = strstr(p, "{{"), *end = open ? open : p + strlen(p);
  if(r->trim_next)
    while(p < end && isspace((unsigned char)*p))
      p++;
  r->trim_next = false;
  if(open && open[2] == '-' && isspace((unsigned char)open[3]))
    while(end > p && isspace((unsigned char)end[-1]))
      end--;
  if(emit)
    fwrite(p, 1, (size_t)(end - p), r->out);
  return open;
}

static enum term block(struct run *r, const char **pp, json_t *dot,
                       bool emit, const char **else_s, const char **else_e)
{
  enum term result = T_EOF;
  if(++r->depth > MAX_DEPTH) {
    fail(r, *pp, "too deeply nested");
    *pp += strlen(*pp);
  }
  while(!r->err[0]) {
    const char *open = text(r, *pp, emit), *close, *s, *e;
    if(!open) {
      *pp += strlen(*pp);
      break;
    }
    close = action_end(open + 2);
    if(!close) {
      fail(r, open, "unclosed action");
      break;
    }
    s = open + 2;
    e = close;
    if(*s == '-' && isspace((unsigned char)s[1]))
      s++;
    if(e - s >= 2 && e[-1] == '-' && isspace((unsigned char)e[-2])) {
      e--;
      r->trim_next = true;
    }
    *pp = close + 2;
    while(s < e && isspace((unsigned char)*s))
      s++;
    while(e > s && isspace((unsigned char)e[-1]))
      e--;
    if(e - s >= 4 && memcmp(s, "/*", 2) == 0 && memcmp(e - 2, "*/", 2) == 0)
      continue;
    if(word(&s, e, "end")) {
      result = T_END;
      break;
    }
    if(word(&s, e, "else")) {
      *else_s = s;
      *else_e = e;
      result = T_ELSE;
      break;
    }
    if(word(&s, e, "if"))
      conditional(r, pp, dot, emit, s, e, false);
    else if(word(&s, e, "with"))
      conditional(r, pp, dot, emit, s, e, true);
    else if(word(&s, e, "range"))
      range(r, pp, dot, emit, s, e);
    else if(word(&s, e, "define") || word(&s, e, "template") ||
            word(&s, e, "block") || word(&s, e, "break") ||
            word(&s, e, "continue"))
      fail(r, open, "{{%.*s}} is not supported by mdock's templates",
           (int)(close - open - 2), open + 2);
    else {
      const char *n1, *n2;
      size_t l1 = 0, l2 = 0;
      const char *x = decl(s, e, &n1, &l1, &n2, &l2);
      json_t *v = eval(r, x, e, dot);
      if(n1)
        set_var(r, n1, l1, v);
      else if(emit && !r->err[0])
        print_top(r, v);
      json_decref(v);
    }
  }
  r->depth--;
  return result;
}

static bool execute(const char *tpl, json_t *dot, FILE *out, bool strict,
                    struct mdk_err *e)
{
  struct run r;
  const char *p = tpl, *es, *ee;
  enum term t;
  FILE *sink = out ? out : fopen("/dev/null", "w");
  memset(&r, 0, sizeof(r));
  r.src = tpl;
  r.out = sink;
  r.root = dot;
  r.strict = strict;
  t = block(&r, &p, dot, out != NULL, &es, &ee);
  if(!r.err[0] && t != T_EOF)
    fail(&r, p, "unexpected {{%s}}", t == T_END ? "end" : "else");
  drop_vars(&r, 0);
  if(!out && sink)
    fclose(sink);
  if(r.err[0] && e) {
    mdk_fail(e, MDK_EUSAGE, "template: at byte %zu of '%s': %s",
             r.err_at + 1, tpl, r.err);
    mdk_fail_hint(e, MDK_EUSAGE, "Go template syntax: {{.Field}}, "
                  "{{json .Field}}, {{index .Map \"key\"}}, "
                  "{{range .List}}...{{end}}");
  }
  return !r.err[0];
}

enum mdk_status mdk_tmpl_check(const char *tpl, json_t *fields,
                               struct mdk_err *e)
{
  json_t *none = json_object();
  bool ok = execute(tpl, fields ? fields : none, NULL, fields != NULL, e);
  json_decref(none);
  return ok ? MDK_OK : MDK_EUSAGE;
}

void mdk_tmpl_run(const char *tpl, json_t *dot, FILE *out)
{
  execute(tpl, dot, out, false, NULL);
}
