/* opts.c - see opts.h. */
#include "cli/opts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void mdk_cli_parser_init(struct mdk_cli_parser *p,
                         const struct mdk_cli_cmd *cmd, int argc,
                         char **argv)
{
  memset(p, 0, sizeof(*p));
  p->cmd = cmd;
  p->argc = argc;
  p->argv = argv;
}

int mdk_cli_rest(const struct mdk_cli_parser *p, char ***argv)
{
  *argv = p->argv + p->i;
  return p->argc - p->i;
}

bool mdk_cli_on(const char *val)
{
  return !val || strcmp(val, "true") == 0 || strcmp(val, "1") == 0;
}

static void hint_help(const struct mdk_cli_cmd *cmd)
{
  fprintf(stderr, "hint: run 'mdock %s --help' for its options\n", cmd->name);
}

int mdk_cli_usage_error(const struct mdk_cli_cmd *cmd, const char *fmt, ...)
{
  va_list ap;
  fputs("mdock: error: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  hint_help(cmd);
  return 2;
}

static size_t nopts(const struct mdk_cli_cmd *cmd)
{
  size_t n = 0;
  while(cmd->opts && cmd->opts[n].id)
    n++;
  return n;
}

/* unknown option: the closest long name of this command, if one is close */
static int unknown(const struct mdk_cli_parser *p, const char *arg)
{
  const char *cands[128], *best = NULL;
  size_t n = nopts(p->cmd), k, m = 0, len;
  const char *name = arg + strspn(arg, "-");
  len = strcspn(name, "=");
  for(k = 0; k < n && m < 128; k++)
    cands[m++] = p->cmd->opts[k].name;
  if(len > 1)
    best = mdk_str_suggest(mdk_str_make(name, len), cands, m);
  fprintf(stderr, "mdock: error: unknown option '%.*s' for 'mdock %s'\n",
          (int)(name - arg + len), arg, p->cmd->name);
  if(best)
    fprintf(stderr, "hint: did you mean --%s?\n", best);
  hint_help(p->cmd);
  return MDK_CLI_ERROR;
}

/* "a|b|c" holds v */
static bool choice_ok(const char *choices, const char *v)
{
  size_t n = strlen(v);
  const char *c = choices;
  while(*c) {
    size_t l = strcspn(c, "|");
    if(l == n && strncmp(c, v, n) == 0)
      return true;
    c += l + (c[l] == '|');
  }
  return false;
}

static int bad_choice(const struct mdk_cli_parser *p,
                      const struct mdk_cli_opt *o, const char *v)
{
  char list[512];
  const char *c = o->choices, *cands[32], *best;
  size_t out = 0, m = 0;
  while(*c && m < 32) {
    size_t l = strcspn(c, "|");
    bool last = c[l] != '|';
    out += (size_t)snprintf(list + out, sizeof(list) - out, "%s%.*s",
                            m == 0 ? "" : last ? " or " : ", ", (int)l, c);
    if(out >= sizeof(list))
      out = sizeof(list) - 1;
    cands[m++] = c;
    c += l + !last;
  }
  fprintf(stderr, "mdock: error: --%s takes %s, not '%s'\n", o->name, list, v);
  /* candidates are "a|b|c" tails: compare each up to its '|' */
  {
    char one[32][64];
    const char *names[32];
    size_t k;
    for(k = 0; k < m; k++) {
      snprintf(one[k], sizeof(one[k]), "%.*s",
               (int)strcspn(cands[k], "|"), cands[k]);
      names[k] = one[k];
    }
    best = *v ? mdk_str_suggest(mdk_str_c(v), names, m) : NULL;
    if(best)
      fprintf(stderr, "hint: did you mean %s?\n", best);
  }
  hint_help(p->cmd);
  return MDK_CLI_ERROR;
}

static const struct mdk_cli_opt *find_long(const struct mdk_cli_cmd *cmd,
                                           const char *name, size_t len)
{
  size_t k, n = nopts(cmd);
  for(k = 0; k < n; k++)
    if(strlen(cmd->opts[k].name) == len &&
       strncmp(cmd->opts[k].name, name, len) == 0)
      return &cmd->opts[k];
  return NULL;
}

static const struct mdk_cli_opt *find_short(const struct mdk_cli_cmd *cmd,
                                            char c)
{
  size_t k, n = nopts(cmd);
  for(k = 0; k < n; k++)
    if(cmd->opts[k].shrt == c)
      return &cmd->opts[k];
  return NULL;
}

/* the value of o: attached (after '=' or a short letter) or the next
 * argument */
static int take_value(struct mdk_cli_parser *p, const struct mdk_cli_opt *o,
                      const char *attached, const char **val)
{
  const char *v = attached;
  if(!v) {
    if(p->i >= p->argc) {
      fprintf(stderr, "mdock: error: --%s needs a value (%s)\n", o->name,
              o->meta ? o->meta : o->choices ? o->choices : "a value");
      hint_help(p->cmd);
      return MDK_CLI_ERROR;
    }
    v = p->argv[p->i++];
  }
  if(o->choices && !choice_ok(o->choices, v))
    return bad_choice(p, o, v);
  *val = v;
  return o->id;
}

/* s is one of the space-separated words */
static bool is_one_of(const char *s, const char *words)
{
  size_t n = strlen(s);
  const char *w = words, *end;
  for(; *w; w = *end ? end + 1 : end) {
    end = strchr(w, ' ');
    if(!end)
      end = w + strlen(w);
    if((size_t)(end - w) == n && n && memcmp(w, s, n) == 0)
      return true;
  }
  return false;
}

/* a switch's value, as pflag takes it: Go's strconv.ParseBool */
static int take_switch(struct mdk_cli_parser *p, const struct mdk_cli_opt *o,
                       const char *attached, const char **val)
{
  if(!attached)
    return o->id;
  if(is_one_of(attached, "1 t T true TRUE True"))
    *val = "true";
  else if(is_one_of(attached, "0 f F false FALSE False"))
    *val = "false";
  else {
    fprintf(stderr, "mdock: error: --%s is a switch: it takes no value "
            "(or true or false), not '%s'\n", o->name, attached);
    hint_help(p->cmd);
    return MDK_CLI_ERROR;
  }
  return o->id;
}

/* the next switch of a "-abc" bundle */
static int next_bundled(struct mdk_cli_parser *p, const char **val)
{
  const char *c = p->bundle;
  const struct mdk_cli_opt *o = find_short(p->cmd, *c);
  char one[3] = {'-', *c, 0};
  p->bundle = c[1] ? c + 1 : NULL;
  if(!o) {
    p->bundle = NULL;
    return unknown(p, one);
  }
  if(c[1] == '=') {
    /* pflag's "-qH=false": the rest is the last one's value */
    p->bundle = NULL;
    return o->arg == MDK_ARG_NONE ? take_switch(p, o, c + 2, val)
                                  : take_value(p, o, c + 2, val);
  }
  if(o->arg == MDK_ARG_NONE)
    return o->id;
  /* a value option inside the bundle: the rest is its value, or (last)
   * the next argument */
  p->bundle = NULL;
  if(c[1])
    return take_value(p, o, c + 1, val);
  if(o->arg == MDK_ARG_OPTIONAL)
    return o->id;
  return take_value(p, o, NULL, val);
}

int mdk_cli_next(struct mdk_cli_parser *p, const char **val)
{
  const struct mdk_cli_opt *o;
  const char *arg, *attached = NULL;
  *val = NULL;
  if(p->bundle)
    return next_bundled(p, val);
  if(p->i >= p->argc)
    return MDK_CLI_END;
  arg = p->argv[p->i++];
  if(p->operands_only || arg[0] != '-' || arg[1] == '\0') {
    if(p->cmd->stop_at_operand)
      p->operands_only = true;
    *val = arg;
    return MDK_CLI_OPERAND;
  }
  if(strcmp(arg, "--") == 0) {
    p->operands_only = true;
    return mdk_cli_next(p, val);
  }
  if(strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
    mdk_cli_help(p->cmd, stdout);
    return MDK_CLI_HELP;
  }
  if(arg[1] == '-') {
    const char *name = arg + 2, *eq = strchr(name, '=');
    o = find_long(p->cmd, name, eq ? (size_t)(eq - name) : strlen(name));
    if(eq)
      attached = eq + 1;
  }
  else {
    o = find_short(p->cmd, arg[1]);
    if(o && arg[2] == '=')
      attached = arg + 3;     /* pflag's -f=FILE, -H=false */
    else if(o && arg[2]) {
      if(o->arg != MDK_ARG_VALUE) {
        /* "-it": short switches together, as docker's (pflag) take them;
         * the last may take a value ("-ef FILE") */
        p->bundle = arg + 1;
        return next_bundled(p, val);
      }
      attached = arg + 2;
    }
  }
  if(!o)
    return unknown(p, arg);
  if(o->arg == MDK_ARG_NONE)
    return take_switch(p, o, attached, val);
  if(o->arg == MDK_ARG_OPTIONAL && !attached)
    return o->id;             /* given bare: *val stays NULL */
  return take_value(p, o, attached, val);
}

int mdk_cli_each(const struct mdk_cli_cmd *cmd, int argc, char **argv,
                 mdk_cli_on_fn on, void *ctx)
{
  struct mdk_cli_parser p;
  const char *v;
  int id, rc;
  mdk_cli_parser_init(&p, cmd, argc, argv);
  while((id = mdk_cli_next(&p, &v)) != MDK_CLI_END) {
    if(id == MDK_CLI_HELP)
      return -1;
    if(id == MDK_CLI_ERROR)
      return 2;
    rc = on(ctx, id, v);
    if(rc)
      return rc;
  }
  return 0;
}

/* one help line: "  -f, --file FILE" then the help, wrapped at its '\n' */
static void help_opt(const struct mdk_cli_opt *o, FILE *out)
{
  char head[96];
  const char *h = o->help ? o->help : "", *meta = o->meta ? o->meta
                                                          : o->choices;
  int w;
  enum { COL = 30 };
  if(o->shrt)
    w = snprintf(head, sizeof(head), "  -%c, --%s", o->shrt, o->name);
  else
    w = snprintf(head, sizeof(head), "      --%s", o->name);
  if(o->arg == MDK_ARG_VALUE && meta)
    w += snprintf(head + w, sizeof(head) - (size_t)w, " %s", meta);
  else if(o->arg == MDK_ARG_OPTIONAL && meta)
    w += snprintf(head + w, sizeof(head) - (size_t)w, "[=%s]", meta);
  fputs(head, out);
  if(w + 2 > COL)
    fprintf(out, "\n%*s", COL, "");
  else
    fprintf(out, "%*s", COL - w, "");
  while(*h) {
    size_t l = strcspn(h, "\n");
    fprintf(out, "%.*s\n", (int)l, h);
    h += l;
    if(*h == '\n' && *++h)
      fprintf(out, "%*s", COL, "");
  }
  if(!o->help || !*o->help)
    fputc('\n', out);
}

void mdk_cli_help(const struct mdk_cli_cmd *cmd, FILE *out)
{
  size_t k, n = nopts(cmd);
  static const struct mdk_cli_opt help = {1, "help", 'h', MDK_ARG_NONE, NULL,
                                          NULL, "print this help and exit"};
  fprintf(out, "usage: mdock %s %s\n\n%s\n", cmd->name, cmd->synopsis,
          cmd->about);
  fputs("\noptions:\n", out);
  for(k = 0; k < n; k++)
    help_opt(&cmd->opts[k], out);
  help_opt(&help, out);
  if(cmd->examples)
    fprintf(out, "\nexamples:\n%s", cmd->examples);
  if(cmd->footer)
    fprintf(out, "\n%s", cmd->footer);
}

int mdk_cli_platform_arg(const struct mdk_cli_cmd *cmd, const char *v,
                         struct mdk_platform *p)
{
  if(mdk_platform_parse(v, p))
    return 0;
  return mdk_cli_usage_error(cmd, "invalid platform '%s': write OS/ARCH or "
                             "OS/ARCH/VARIANT, e.g. linux/arm64", v);
}
