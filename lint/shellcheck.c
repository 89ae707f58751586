/* shellcheck.c - see shellcheck.h.  The scripts go to a private temporary
 * directory, one file per RUN, each starting with two lines of ours: a #!
 * line naming the dialect and an `export` of the names the stage defines
 * (so ShellCheck does not call them unassigned); every later line maps to a
 * place in the Dockerfile. */
#include "lint/shellcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "lint/internal.h"

extern char **environ;

enum { PREFIX_LINES = 2 };

bool mdk_lint_shellcheck_available(void)
{
  static int known = -1;        /* racy but idempotent */
  const char *path = getenv("PATH");
  if(known >= 0)
    return known;
  known = 0;
  if(!path)
    path = "/usr/bin:/bin";
  while(*path) {
    const char *e = strchr(path, ':');
    size_t n = e ? (size_t)(e - path) : strlen(path);
    char cand[4096];
    if(n && n + 12 < sizeof(cand)) {
      memcpy(cand, path, n);
      memcpy(cand + n, "/shellcheck", 12);
      if(access(cand, X_OK) == 0) {
        known = 1;
        break;
      }
    }
    path += n + (e != NULL);
  }
  return known;
}

/* where a script line comes from */
struct line_map {
  bool logical;                 /* the RUN's own (logical) text */
  uint32_t off;                 /* source byte offset of the line's start */
};

struct script {
  const struct mdk_fe_cmd *c;   /* the RUN (or trigger) */
  const struct mdk_fe_node *at; /* where findings are reported */
  char path[128];
  struct line_map *lines;       /* by script line - PREFIX_LINES - 1 */
  size_t nlines;
};

struct sc_state {
  struct lint *l;
  struct mdk_vec scripts;       /* struct script */
  char dir[64];
};

/* a shell of SHELL [...] as ShellCheck's dialect; NULL: not a POSIX-ish
 * shell, not checked (pwsh, cmd) */
static const char *dialect(struct mdk_str sh)
{
  const char *slash = sh.len ? memrchr(sh.ptr, '/', sh.len) : NULL;
  struct mdk_str b = slash ? mdk_str_make(slash + 1, sh.len - (size_t)(
                                            slash + 1 - sh.ptr)) : sh;
  if(mdk_str_eq_c(b, "bash"))
    return "bash";
  if(mdk_str_eq_c(b, "dash"))
    return "dash";
  if(mdk_str_eq_c(b, "ksh") || mdk_str_eq_c(b, "mksh"))
    return "ksh";
  if(mdk_str_eq_c(b, "sh") || mdk_str_eq_c(b, "ash") ||
     mdk_str_eq_c(b, "busybox"))
    return "sh";
  return NULL;
}

/* the RUN's text is only heredoc markers (RUN <<EOF): the body is the
 * script the shell runs */
static bool heredoc_only(const struct mdk_fe_cmd *c)
{
  struct mdk_str t = c->args[0].val;
  size_t i = 0;
  if(!c->node->nheredocs)
    return false;
  while(i < t.len) {
    while(i < t.len && (t.ptr[i] == ' ' || t.ptr[i] == '\t'))
      i++;
    if(i >= t.len)
      break;
    while(i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9')
      i++;
    if(i + 1 >= t.len || t.ptr[i] != '<' || t.ptr[i + 1] != '<')
      return false;
    while(i < t.len && t.ptr[i] != ' ' && t.ptr[i] != '\t')
      i++;
  }
  return true;
}

/* the names a script sees: its stage's (x), or before any FROM (a
 * fragment, as hadolint lints one) those of the ARGs and ENVs above it */
struct sc_names {
  const struct mdk_fe_xcmd *x;
  const struct mdk_vec *pre;    /* struct mdk_str */
};

static bool names_have(const struct sc_names *nm, struct mdk_str name)
{
  size_t k;
  if(nm->x && nm->x->env) {
    for(k = nm->x->nenv; k > 0; k--)
      if(mdk_str_eq(nm->x->env[k - 1].key, name))
        return true;
    return false;
  }
  for(k = 0; nm->pre && k < nm->pre->len; k++)
    if(mdk_str_eq(*mdk_vec_at(nm->pre, struct mdk_str, k), name))
      return true;
  return false;
}

/* Exports the names the stage defines that the script uses ($NAME,
 * ${NAME...}): only those, so a stage with thousands of variables costs
 * nothing per RUN. */
static void declare_used(FILE *f, const struct mdk_fe_cmd *c,
                         const struct sc_names *nm)
{
  struct mdk_str t = c->args[0].val;
  size_t i, h = 0;
  if(!(nm->x && nm->x->env) && !(nm->pre && nm->pre->len))
    return;
  for(;;) {
    for(i = 0; i < t.len; i++) {
      size_t s, e;
      struct mdk_str name;
      if(t.ptr[i] != '$')
        continue;
      s = i + 1 + (i + 1 < t.len && t.ptr[i + 1] == '{');
      e = s;
      while(e < t.len && ((t.ptr[e] >= 'a' && t.ptr[e] <= 'z') ||
                          (t.ptr[e] >= 'A' && t.ptr[e] <= 'Z') ||
                          (t.ptr[e] >= '0' && t.ptr[e] <= '9') ||
                          t.ptr[e] == '_'))
        e++;
      name = mdk_str_make(t.ptr + s, e - s);
      if(lint_shell_name(name) && names_have(nm, name))
        fprintf(f, " %.*s=1", MDK_STR_FMT(name));
    }
    if(h >= c->node->nheredocs)
      break;
    t = c->node->heredocs[h++].content;
  }
}

static void add_line(struct mdk_arena *a, struct mdk_vec *v, bool logical,
                     uint32_t off)
{
  struct line_map m = {logical, off};
  mdk_vec_push(a, v, &m);
}

/* appends a heredoc body (its source lines) to the script */
static void body(struct mdk_arena *a, FILE *f, struct mdk_vec *map,
                 const struct mdk_fe_heredoc *h, bool skip_shebang)
{
  struct mdk_str b = h->content;
  size_t i = 0;
  if(skip_shebang) {
    while(i < b.len && b.ptr[i] != '\n')
      i++;
    i += i < b.len;
  }
  while(i < b.len) {
    size_t e = i;
    while(e < b.len && b.ptr[e] != '\n')
      e++;
    fwrite(b.ptr + i, 1, e - i, f);
    fputc('\n', f);
    add_line(a, map, false, h->body_start + (uint32_t)i);
    i = e + 1;
  }
}

static void write_script(struct sc_state *s, const struct mdk_fe_cmd *c,
                         const struct mdk_fe_node *at, const char *dia,
                         const struct sc_names *nm)
{
  struct lint *l = s->l;
  struct script sc;
  struct mdk_vec map = MDK_VEC_INIT(struct line_map);
  FILE *f;
  size_t i;
  bool only = heredoc_only(c);
  const struct mdk_fe_heredoc *h0 = c->node->nheredocs ? &c->node->heredocs[0]
                                                        : NULL;
  bool own_shebang = only && h0 && mdk_str_has_prefix(h0->content, "#!");
  memset(&sc, 0, sizeof(sc));
  sc.c = c;
  sc.at = at;
  snprintf(sc.path, sizeof(sc.path), "%s/%zu.sh", s->dir, s->scripts.len);
  f = fopen(sc.path, "w");
  if(!f)
    return;
  if(own_shebang) {
    struct mdk_str b = h0->content;
    long nl = mdk_str_index(b, '\n');
    fprintf(f, "%.*s\n", (int)(nl < 0 ? (long)b.len : nl), b.ptr);
  }
  else {
    fprintf(f, "#!/bin/%s\n", dia);
  }
  /* the names the stage defines, and the proxies BuildKit passes */
  fputs("export HTTP_PROXY=1 http_proxy=1 HTTPS_PROXY=1 https_proxy=1 "
        "FTP_PROXY=1 ftp_proxy=1 NO_PROXY=1 no_proxy=1", f);
  declare_used(f, c, nm);
  fputc('\n', f);
  if(only) {
    for(i = 0; i < c->node->nheredocs; i++)
      body(l->a, f, &map, &c->node->heredocs[i], i == 0 && own_shebang);
  }
  else {
    fprintf(f, "%.*s\n", MDK_STR_FMT(c->args[0].val));
    add_line(l->a, &map, true, 0);
    for(i = 0; i < c->node->nheredocs; i++) {
      const struct mdk_fe_heredoc *h = &c->node->heredocs[i];
      body(l->a, f, &map, h, false);
      fprintf(f, "%.*s\n", MDK_STR_FMT(h->name));
      add_line(l->a, &map, false, h->body_end);
    }
  }
  if(fclose(f) != 0)
    return;
  sc.lines = map.items;
  sc.nlines = map.len;
  mdk_vec_push(l->a, &s->scripts, &sc);
}

/* ShellCheck's json1 output, read back into findings */
static void report(struct sc_state *s, const char *out)
{
  struct lint *l = s->l;
  json_error_t err;
  json_t *root = json_loads(out, 0, &err), *cs, *c;
  size_t i;
  if(!root)
    return;
  cs = json_object_get(root, "comments");
  json_array_foreach(cs, i, c) {
    const char *file = json_string_value(json_object_get(c, "file"));
    const char *level = json_string_value(json_object_get(c, "level"));
    const char *msg = json_string_value(json_object_get(c, "message"));
    json_int_t line = json_integer_value(json_object_get(c, "line"));
    json_int_t col = json_integer_value(json_object_get(c, "column"));
    json_int_t ecol = json_integer_value(json_object_get(c, "endColumn"));
    json_int_t eline = json_integer_value(json_object_get(c, "endLine"));
    json_int_t code = json_integer_value(json_object_get(c, "code"));
    const struct script *sc = NULL;
    const struct line_map *m;
    struct mdk_loc loc;
    struct mdk_fe_finding *f;
    size_t k;
    int sev;
    for(k = 0; file && k < s->scripts.len; k++)
      if(strcmp(mdk_vec_at(&s->scripts, struct script, k)->path, file) == 0)
        sc = mdk_vec_at(&s->scripts, struct script, k);
    if(!sc || !msg || line <= PREFIX_LINES ||
       (size_t)(line - PREFIX_LINES) > sc->nlines || col < 1)
      continue;
    m = &sc->lines[line - PREFIX_LINES - 1];
    {
      uint32_t len = eline == line && ecol > col ? (uint32_t)(ecol - col) : 1;
      if(m->logical && sc->c->node->line)
        loc = mdk_fe_line_loc(sc->c->node->line,
                              sc->c->args[0].off + (uint32_t)(col - 1), len);
      else {
        loc.src = l->src;
        loc.start = m->off + (uint32_t)(col - 1);
        loc.end = loc.start + len;
        if(loc.end > l->src->len)
          loc.start = loc.end = (uint32_t)l->src->len;
      }
    }
    sev = level && !strcmp(level, "error") ? MDK_LINT_ERROR
        : level && !strcmp(level, "warning") ? MDK_LINT_WARNING
        : level && !strcmp(level, "info") ? MDK_LINT_INFO : MDK_LINT_STYLE;
    lint_report(l, MDK_LINT_SHELLCHECK, sc->at, loc, sc->at->start_line,
                "%s", msg);
    f = mdk_vec_at(&l->findings, struct mdk_fe_finding, l->findings.len - 1);
    f->code = mdk_arena_printf(l->a, "SC%lld", (long long)code);
    f->sev = (enum mdk_fe_lint_sev)sev;
  }
  json_decref(root);
}

/* runs shellcheck on every script at once; its output, malloc'd */
static char *run_shellcheck(struct sc_state *s)
{
  struct mdk_vec argv = MDK_VEC_INIT(char *);
  char *fixed[] = {"shellcheck", "-f", "json1", "-S", "style", "-e",
                   "SC1090,SC1091,SC2187"};
  posix_spawn_file_actions_t fa;
  int pfd[2], status;
  pid_t pid;
  size_t i, len = 0, cap = 0;
  char *out = NULL, *nul = NULL;
  for(i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
    mdk_vec_push(s->l->a, &argv, &fixed[i]);
  for(i = 0; i < s->scripts.len; i++) {
    char *p = mdk_vec_at(&s->scripts, struct script, i)->path;
    mdk_vec_push(s->l->a, &argv, &p);
  }
  mdk_vec_push(s->l->a, &argv, &nul);
  if(pipe2(pfd, O_CLOEXEC) != 0)
    return NULL;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  if(posix_spawnp(&pid, "shellcheck", &fa, NULL, argv.items, environ) != 0) {
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[0]);
    close(pfd[1]);
    return NULL;
  }
  posix_spawn_file_actions_destroy(&fa);
  close(pfd[1]);
  for(;;) {
    ssize_t r;
    if(len + 65536 + 1 > cap) {
      char *n = realloc(out, cap = cap ? cap * 2 : 131072);
      if(!n)
        break;
      out = n;
    }
    r = read(pfd[0], out + len, cap - len - 1);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0)
      break;
    len += (size_t)r;
  }
  close(pfd[0]);
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if(out)
    out[len] = '\0';
  return out;
}

void lint_shellcheck(struct lint *l)
{
  const struct mdk_fe_file *file = l->file;
  size_t ns = l->sem->nstages, i;
  const char **shells = mdk_arena_array(l->a, const char *, ns + 1);
  const char *cur = "sh";
  struct sc_state s;
  struct mdk_vec pre = MDK_VEC_INIT(struct mdk_str);
  bool seen_from = false;
  char *out;
  int st;
  memset(&s, 0, sizeof(s));
  s.l = l;
  s.scripts = MDK_VEC_INIT(struct script);
  snprintf(s.dir, sizeof(s.dir), "%s/mdock-sc-XXXXXX",
           getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 32
             ? getenv("TMPDIR") : "/tmp");
  if(!mkdtemp(s.dir))
    return;
  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_cmd *run = NULL;
    const char *dia;
    struct mdk_str ps;
    if(c->invalid)
      continue;
    st = x->stage;
    if(c->kind == MDK_FE_FROM)
      seen_from = true;
    if(!seen_from && (c->kind == MDK_FE_ARG || c->kind == MDK_FE_ENV)) {
      size_t k, n = c->kind == MDK_FE_ARG ? c->nargdefs : c->npairs;
      for(k = 0; k < n; k++)
        mdk_vec_push(l->a, &pre, c->kind == MDK_FE_ARG ? &c->argdefs[k].name
                                                       : &c->keys[k * 3].val);
    }
    if(c->kind == MDK_FE_FROM) {
      int p = st >= 0 ? l->sem->stages[st].parent : -1;
      cur = p >= 0 && shells[p] ? shells[p] : "sh";
    }
    if(c->kind == MDK_FE_SHELL && c->nargs)
      cur = dialect(c->args[0].val);
    if(st >= 0)
      shells[st] = cur;
    if(c->kind == MDK_FE_RUN)
      run = c;
    if(c->kind == MDK_FE_ONBUILD && c->trigger &&
       c->trigger->kind == MDK_FE_RUN && !c->trigger->invalid)
      run = c->trigger;
    if(!run || run->json || !run->nargs)
      continue;
    dia = cur;
    ps = mdk_lint_pragma_shell(&l->pragmas, c->node->start_line);
    if(ps.len)
      dia = dialect(ps);
    if(!dia)
      continue;
    {
      /* an ONBUILD RUN runs in a child build, whose names are not known
       * here: none are declared (hadolint's choice too) */
      struct sc_names nm = {run == c ? x : NULL,
                            run == c && !seen_from ? &pre : NULL};
      write_script(&s, run, c->node, dia, &nm);
    }
  }
  if(s.scripts.len && (out = run_shellcheck(&s))) {
    report(&s, out);
    free(out);
  }
  for(i = 0; i < s.scripts.len; i++)
    unlink(mdk_vec_at(&s.scripts, struct script, i)->path);
  rmdir(s.dir);
}
