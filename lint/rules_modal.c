/* lint_modal.c - Modal compatibility (MDM...): Modal appends its own
 * command to the image ENTRYPOINT, so an entrypoint script must end in
 * exec "$@"; its uploader only sees plain COPY sources; it builds the last
 * stage for linux/amd64.  Entrypoint scripts are read from COPY heredocs or
 * from the build context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fnmatch.h>

#include "lint/internal.h"
#include "lint/shell_words.h"

static struct mdk_loc kw(const struct mdk_fe_node *n)
{
  return mdk_fe_node_loc(n);
}

/* a download or a repository: nothing Modal uploads (ir/source.c) */
static bool is_remote(struct mdk_str s)
{
  return mdk_ir_source_kind(s) != MDK_IR_SRC_CONTEXT;
}

static struct mdk_str base_name(struct mdk_str p)
{
  const char *sl;
  while(p.len > 1 && p.ptr[p.len - 1] == '/')
    p.len--;
  sl = memrchr(p.ptr, '/', p.len);
  if(sl)
    return mdk_str_make(sl + 1, p.len - (size_t)(sl + 1 - p.ptr));
  return p;
}

/* dir + p, with "." segments and doubled slashes removed */
static struct mdk_str join(struct lint *l, struct mdk_str dir, struct mdk_str p)
{
  char *raw, *o;
  size_t i, n = 0;
  if(!dir.len || (p.len && p.ptr[0] == '/'))
    dir = mdk_str_c("/");
  raw = mdk_arena_printf(l->a, "%.*s/%.*s", MDK_STR_FMT(dir), MDK_STR_FMT(p));
  o = mdk_arena_alloc(l->a, strlen(raw) + 1);
  for(i = 0; raw[i]; i++) {
    if(raw[i] == '/' && n && o[n - 1] == '/')
      continue;
    if(raw[i] == '.' && n && o[n - 1] == '/' &&
       (raw[i + 1] == '/' || raw[i + 1] == '\0'))
      continue;
    o[n++] = raw[i];
  }
  while(n > 1 && o[n - 1] == '/')
    n--;
  o[n] = '\0';
  return mdk_str_make(o, n);
}

/* does a --chmod value make the file executable? */
static bool chmod_exec(struct mdk_str m)
{
  size_t i;
  bool octal = m.len > 0;
  for(i = 0; i < m.len; i++)
    if(m.ptr[i] < '0' || m.ptr[i] > '7')
      octal = false;
  if(octal) {
    unsigned long v = 0;
    for(i = 0; i < m.len; i++)
      v = v * 8 + (unsigned long)(m.ptr[i] - '0');
    return (v & 0111) != 0;
  }
  return memchr(m.ptr, 'x', m.len) != NULL;
}

struct script {
  struct mdk_str text;
  const struct mdk_fe_cmd *copy;    /* the COPY that puts it there */
  bool from_heredoc;
  bool executable;
  bool chmod_later;                 /* a later RUN chmod makes it so */
};

/* exec form argv[0] after the wrappers that run their arguments: init
 * systems (tini, dumb-init, their "--" and options), env (its options and
 * NAME=value), and the user switchers gosu and su-exec (their user) */
static size_t skip_wrappers(const struct mdk_fe_cmd *c)
{
  size_t i = 0;
  while(i < c->nargs) {
    struct mdk_str b = base_name(c->args[i].val);
    if(lint_is_any(b, (const char *const[]){"tini", "dumb-init",
                                            "tini-static", NULL}) ||
       mdk_str_eq_c(c->args[i].val, "--") ||
       (i > 0 && c->args[i].val.len > 1 && c->args[i].val.ptr[0] == '-')) {
      i++;
      continue;
    }
    if(mdk_str_eq_c(b, "env")) {
      i++;
      while(i < c->nargs && (mdk_str_index(c->args[i].val, '=') > 0 ||
                             (c->args[i].val.len > 1 &&
                              c->args[i].val.ptr[0] == '-')))
        i++;
      continue;
    }
    if(mdk_str_eq_c(b, "gosu") || mdk_str_eq_c(b, "su-exec")) {
      i += 2;                   /* the program, then the user */
      continue;
    }
    break;
  }
  return i;
}

/* A program that takes Modal's appended command as its own arguments and
 * does not run it: interpreters, servers, package runners. */
static bool non_wrapper_program(struct mdk_str b)
{
  static const char *const progs[] = {
    "python", "python2", "python3", "node", "ruby", "perl", "java", "php",
    "uvicorn", "gunicorn", "hypercorn", "nginx", "httpd", "apache2", "npm",
    "npx", "yarn", "pnpm", "bun", "deno", "dotnet", "streamlit", "jupyter",
    "flask", "celery", "Rscript", "R", "julia", "cargo", "go", "uv", "vllm",
    "redis-server", "postgres", "mysqld", "mongod", NULL};
  /* python3.11 and the like */
  if(mdk_str_has_prefix(b, "python3.") || mdk_str_has_prefix(b, "pypy"))
    return true;
  return lint_is_any(b, progs);
}

static char *read_context(struct lint *l, struct mdk_str src, bool *exe)
{
  char path[4096];
  FILE *f;
  struct stat st;
  char *buf;
  size_t n;
  while(src.len && (src.ptr[0] == '/' || (src.len > 1 && src.ptr[0] == '.' &&
                                          src.ptr[1] == '/'))) {
    size_t k = src.ptr[0] == '/' ? 1 : 2;
    src.ptr += k;
    src.len -= k;
  }
  if(!l->o->context_dir || !src.len || mdk_str_index(src, '*') >= 0)
    return NULL;
  snprintf(path, sizeof(path), "%s/%.*s", l->o->context_dir,
           MDK_STR_FMT(src));
  if(!lint_may_exist(l, path) || stat(path, &st) != 0 ||
     !S_ISREG(st.st_mode) || st.st_size > (1 << 20))
    return NULL;
  f = fopen(path, "rb");
  if(!f)
    return NULL;
  buf = mdk_arena_alloc(l->a, (size_t)st.st_size + 1);
  n = fread(buf, 1, (size_t)st.st_size, f);
  buf[n] = '\0';
  fclose(f);
  *exe = (st.st_mode & 0111) != 0;
  return buf;
}

/* Keeps wd[stage] the WORKDIR of each stage of the chain as instruction
 * i is reached (a stage FROM another starts with its parent's); false
 * when i is not in the chain. */
static bool track_workdir(struct lint *l, const bool *chain, size_t i,
                          struct mdk_str *wd)
{
  const struct mdk_fe_cmd *c = &l->file->cmds[i];
  const struct mdk_fe_xcmd *x = &l->sem->x[i];
  if(x->stage < 0 || !chain[x->stage] || c->invalid)
    return false;
  if(c->kind == MDK_FE_FROM && l->sem->stages[x->stage].parent >= 0)
    wd[x->stage] = wd[l->sem->stages[x->stage].parent];
  if(c->kind == MDK_FE_WORKDIR && x->nvals)
    wd[x->stage] = join(l, wd[x->stage], x->vals[0].val);
  return true;
}

/* Finds what a COPY put at path in the stages the entrypoint runs in. */
static bool find_script(struct lint *l, const bool *chain, struct mdk_str path,
                        struct script *out)
{
  const struct mdk_fe_file *f = l->file;
  struct mdk_str *wd = mdk_arena_array(l->a, struct mdk_str,
                                       l->sem->nstages + 1);
  bool found = false;
  size_t i, j;

  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_cmd *c = &f->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_flagval *from, *chm;
    struct mdk_str dest;
    bool dir;
    if(!track_workdir(l, chain, i, wd) ||
       (c->kind != MDK_FE_COPY && c->kind != MDK_FE_ADD))
      continue;
    from = mdk_fe_cmd_flag(c, "from");
    if(from && from->set)
      continue;
    chm = mdk_fe_cmd_flag(c, "chmod");
    dest = c->nargs ? c->args[c->nargs - 1].val : MDK_STR_NULL;
    for(j = 0; j < x->nvals; j++)
      if(strcmp(x->vals[j].what, "dest") == 0)
        dest = x->vals[j].val;
    dir = (dest.len && dest.ptr[dest.len - 1] == '/') || c->nargs > 2 ||
          mdk_str_eq_c(dest, ".");
    dest = join(l, wd[x->stage], dest);
    /* heredoc sources */
    for(j = 0; j < c->node->nheredocs; j++) {
      const struct mdk_fe_heredoc *h = &c->node->heredocs[j];
      struct mdk_str p = dir ? join(l, dest, h->name) : dest;
      if(!mdk_str_eq(p, path))
        continue;
      out->text = h->content;
      out->copy = c;
      out->from_heredoc = true;
      out->executable = chm && chm->set && chmod_exec(chm->vals[chm->nvals -
                                                                1].val);
      found = true;
    }
    for(j = 0; j < x->nvals; j++) {
      struct mdk_str s = x->vals[j].val, p;
      bool exe = false;
      char *text;
      if(strcmp(x->vals[j].what, "source") != 0 || is_remote(s))
        continue;
      p = dir ? join(l, dest, base_name(s)) : dest;
      if(!mdk_str_eq(p, path))
        continue;
      text = read_context(l, s, &exe);
      if(!text)
        continue;
      out->text = mdk_str_c(text);
      out->copy = c;
      out->from_heredoc = false;
      out->executable = exe || (chm && chm->set &&
                                chmod_exec(chm->vals[chm->nvals - 1].val));
      found = true;
    }
  }
  return found;
}

/* a chmod mode that grants execution: octal with an x bit, or symbolic
 * with x added or set */
static bool mode_grants_x(struct mdk_str m)
{
  if(m.len && m.ptr[0] >= '0' && m.ptr[0] <= '7')
    return chmod_exec(m);
  return memchr(m.ptr, 'x', m.len) &&
         (memchr(m.ptr, '+', m.len) || memchr(m.ptr, '=', m.len));
}

/* Whether a RUN after the COPY (in the stages the entrypoint runs in)
 * makes path executable: chmod +x/755 of it, of a glob that matches it,
 * or -R of a directory above it. */
static bool chmod_after(struct lint *l, const bool *chain,
                        const struct mdk_fe_cmd *copy, struct mdk_str path)
{
  const struct mdk_fe_file *f = l->file;
  struct mdk_str *wd = mdk_arena_array(l->a, struct mdk_str,
                                       l->sem->nstages + 1);
  bool after = false;
  size_t i, k, j;
  char *cpath = mdk_arena_strndup(l->a, path.ptr, path.len);
  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_cmd *c = &f->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    struct mdk_sh_script s;
    if(c == copy)
      after = true;
    if(!track_workdir(l, chain, i, wd) || !after || c->kind != MDK_FE_RUN ||
       c->json || !c->nargs)
      continue;
    mdk_sh_parse(l->a, c->args[0].val, &s);
    for(k = 0; k < s.n; k++) {
      const struct mdk_sh_cmd *sc = &s.c[k];
      size_t at;
      struct mdk_str name = mdk_sh_cmd_name(sc, &at);
      bool recursive = false, mode_seen = false, grants = false;
      if(!mdk_str_eq_c(name, "chmod"))
        continue;
      for(j = at + 1; j < sc->n; j++) {
        struct mdk_str w = sc->w[j].text, p;
        if(!mode_seen && w.len > 1 && w.ptr[0] == '-' &&
           !mode_grants_x(mdk_str_make(w.ptr + 1, w.len - 1))) {
          recursive |= memchr(w.ptr, 'R', w.len) != NULL;
          continue;
        }
        if(!mode_seen) {
          mode_seen = true;
          grants = mode_grants_x(w);
          continue;
        }
        if(!grants)
          break;
        p = join(l, wd[x->stage], w);
        if(mdk_str_eq(p, path) ||
           fnmatch(mdk_arena_strndup(l->a, p.ptr, p.len), cpath,
                   FNM_PATHNAME) == 0 ||
           (recursive && path.len > p.len &&
            memcmp(path.ptr, p.ptr, p.len) == 0 &&
            (path.ptr[p.len] == '/' || mdk_str_eq_c(p, "/"))))
          return true;
      }
    }
  }
  return false;
}

static bool passes_args(const struct mdk_sh_cmd *c, bool *unquoted)
{
  size_t i;
  for(i = 0; i < c->n; i++) {
    struct mdk_str r = c->w[i].raw;
    if(lint_contains(r, "\"$@\"") || lint_contains(r, "\"${@}\"")) {
      *unquoted = false;
      return true;
    }
    if(mdk_str_eq_c(r, "$@") || mdk_str_eq_c(r, "${@}") ||
       mdk_str_eq_c(r, "$*") || lint_contains(r, "\"$*\"")) {
      *unquoted = true;
      return true;
    }
  }
  return false;
}

enum lang { LANG_SHELL, LANG_PYTHON, LANG_PERL, LANG_RUBY, LANG_NODE,
            LANG_OTHER };

/* The language of a script by its #! line (env and its options skipped);
 * no #! is read as shell, as /bin/sh would run it. */
static enum lang script_lang(struct mdk_str t)
{
  struct mdk_str line, w;
  size_t i = 2, e;
  if(!mdk_str_has_prefix(t, "#!"))
    return LANG_SHELL;
  line = t;
  for(e = 0; e < line.len && line.ptr[e] != '\n'; e++)
    ;
  line.len = e;
  for(;;) {
    while(i < line.len && (line.ptr[i] == ' ' || line.ptr[i] == '\t'))
      i++;
    e = i;
    while(e < line.len && line.ptr[e] != ' ' && line.ptr[e] != '\t')
      e++;
    w = base_name(mdk_str_make(line.ptr + i, e - i));
    if(mdk_str_eq_c(w, "env") || (w.len && w.ptr[0] == '-') ||
       mdk_str_index(w, '=') > 0) {
      if(e == i)
        return LANG_OTHER;
      i = e;
      continue;
    }
    break;
  }
  if(lint_is_any(w, (const char *const[]){"sh", "bash", "dash", "ash", "zsh",
                                          "ksh", "mksh", "busybox", NULL}))
    return LANG_SHELL;
  if(mdk_str_has_prefix(w, "python") || mdk_str_has_prefix(w, "pypy"))
    return LANG_PYTHON;
  if(mdk_str_has_prefix(w, "perl"))
    return LANG_PERL;
  if(mdk_str_has_prefix(w, "ruby"))
    return LANG_RUBY;
  if(mdk_str_eq_c(w, "node") || mdk_str_eq_c(w, "nodejs"))
    return LANG_NODE;
  return LANG_OTHER;
}

/* Python, Perl, Ruby and Node wrappers by their common forms; anything
 * else is said to be uncheckable, never to fail. */
static void other_language(struct lint *l, const struct mdk_fe_node *ep,
                           const struct script *sc, struct mdk_str path,
                           enum lang g)
{
  struct mdk_str t = sc->text;
  bool execs = false, runs = false;
  switch(g) {
  case LANG_PYTHON:
    execs = lint_contains(t, "os.exec") && lint_contains(t, "sys.argv");
    runs = (lint_contains(t, "subprocess.") || lint_contains(t, "os.system")
            || lint_contains(t, "os.spawn")) && lint_contains(t, "sys.argv");
    break;
  case LANG_PERL:
    execs = lint_contains(t, "exec") && lint_contains(t, "@ARGV");
    runs = lint_contains(t, "system") && lint_contains(t, "@ARGV");
    break;
  case LANG_RUBY:
    execs = lint_contains(t, "exec") && lint_contains(t, "ARGV");
    runs = lint_contains(t, "system") && lint_contains(t, "ARGV");
    break;
  case LANG_NODE:               /* node cannot exec: at best it spawns */
    runs = lint_contains(t, "process.argv") &&
           (lint_contains(t, "spawn") || lint_contains(t, "execFile"));
    break;
  default:
    break;
  }
  if(execs)
    return;
  if(runs) {
    lint_report(l, MDK_LINT_MODAL_NO_EXEC_AT, ep, kw(ep), ep->start_line,
                "%.*s runs its arguments as a child, without exec: it "
                "stays PID 1 and signals do not reach Modal's command",
                MDK_STR_FMT(path));
    return;
  }
  lint_report(l, MDK_LINT_MODAL_UNCHECKABLE, ep, kw(ep), ep->start_line,
              "%.*s is not a shell script and does not exec its arguments in "
              "a form mdock knows: check the built image with mdock run "
              "--check-entrypoint", MDK_STR_FMT(path));
}

static void check_script(struct lint *l, const struct mdk_fe_node *ep,
                         const struct script *sc, struct mdk_str path)
{
  struct mdk_sh_script s;
  size_t i;
  int ctl = 0;
  bool exec_top = false, exec_nested = false, unquoted = false,
       call_with_args = false, exited = false;
  const struct mdk_fe_node *at = sc->copy->node;

  if(!mdk_str_has_prefix(sc->text, "#!"))
    lint_report(l, MDK_LINT_MODAL_NO_SHEBANG, at, kw(at), at->start_line,
                "%.*s has no #! line: the ENTRYPOINT cannot execute it",
                MDK_STR_FMT(path));
  if(!sc->executable && !sc->chmod_later)
    lint_report(l, MDK_LINT_MODAL_NOT_EXEC, at, kw(at), at->start_line,
                "%.*s is not executable: use COPY --chmod=755 (or chmod +x "
                "it in the context, or RUN chmod +x it)", MDK_STR_FMT(path));
  if(script_lang(sc->text) != LANG_SHELL) {
    other_language(l, ep, sc, path, script_lang(sc->text));
    return;
  }
  if(sc->from_heredoc && (lint_contains(sc->text, "$@") ||
                          lint_contains(sc->text, "${@}"))) {
    size_t k;
    for(k = 0; k < at->nheredocs; k++)
      if(at->heredocs[k].expand && lint_contains(at->heredocs[k].content, "$@"))
        lint_report(l, MDK_LINT_MODAL_HEREDOC_AT, at, kw(at),
                    at->start_line, "<<%.*s is unquoted, so the build "
                    "expands \"$@\" to \"\": write <<'%.*s'",
                    MDK_STR_FMT(at->heredocs[k].name),
                    MDK_STR_FMT(at->heredocs[k].name));
  }
  mdk_sh_parse(l->a, sc->text, &s);
  for(i = 0; i < s.n; i++) {
    const struct mdk_sh_cmd *c = &s.c[i];
    size_t w0 = 0;
    struct mdk_str name;
    bool uq = false;
    /* control words in front of a command: "then exit 1" */
    while(w0 < c->n && (mdk_str_eq_c(c->w[w0].text, "then") ||
                        mdk_str_eq_c(c->w[w0].text, "else") ||
                        mdk_str_eq_c(c->w[w0].text, "do")))
      w0++;
    name = w0 < c->n ? c->w[w0].text : MDK_STR_NULL;
    if(mdk_str_eq_c(name, "if") || mdk_str_eq_c(name, "while") ||
       mdk_str_eq_c(name, "until") || mdk_str_eq_c(name, "for") ||
       mdk_str_eq_c(name, "case")) {
      ctl++;
      continue;
    }
    if(mdk_str_eq_c(name, "fi") || mdk_str_eq_c(name, "done") ||
       mdk_str_eq_c(name, "esac")) {
      if(ctl)
        ctl--;
      continue;
    }
    if(mdk_str_eq_c(name, "exec") && passes_args(c, &uq)) {
      if(c->depth == 0) {
        if(!exited)
          exec_top = true;
      }
      else
        exec_nested = true;
      if(uq)
        unquoted = true;
      continue;
    }
    if(mdk_str_eq_c(name, "exit") && c->depth == 0 && ctl == 0 &&
       c->sep_before != '&' && c->sep_before != 'o' && !exec_top)
      exited = true;
    if(passes_args(c, &uq) && c->depth == 0)
      call_with_args = true;
  }
  if(unquoted)
    lint_report(l, MDK_LINT_MODAL_UNQUOTED_AT, ep, kw(ep), ep->start_line,
                "%.*s runs exec $@ unquoted: arguments with spaces break; "
                "write exec \"$@\"", MDK_STR_FMT(path));
  if(exec_top)
    return;
  if(exited) {
    lint_report(l, MDK_LINT_MODAL_EXIT_FIRST, ep, kw(ep), ep->start_line,
                "%.*s exits before it runs exec \"$@\": Modal's command never "
                "starts", MDK_STR_FMT(path));
    return;
  }
  if(exec_nested && call_with_args)
    return;          /* main() { ...; exec "$@"; }; main "$@" */
  if(exec_nested) {
    lint_report(l, MDK_LINT_MODAL_EXEC_NESTED, ep, kw(ep), ep->start_line,
                "%.*s only runs exec \"$@\" inside a function or subshell",
                MDK_STR_FMT(path));
    return;
  }
  if(call_with_args) {
    lint_report(l, MDK_LINT_MODAL_NO_EXEC_AT, ep, kw(ep), ep->start_line,
                "%.*s runs \"$@\" without exec: it stays PID 1 and signals "
                "do not reach Modal's command", MDK_STR_FMT(path));
    return;
  }
  lint_report(l, MDK_LINT_MODAL_NO_EXEC, ep, kw(ep), ep->start_line,
              "%.*s never runs its arguments: end it with exec \"$@\" so "
              "Modal's command starts", MDK_STR_FMT(path));
}

static void entrypoint(struct lint *l)
{
  const struct mdk_fe_file *f = l->file;
  bool *chain = mdk_arena_array(l->a, bool, l->sem->nstages + 1);
  const struct mdk_fe_cmd *ep = NULL;
  struct mdk_str wd = MDK_STR_NULL, path;
  int s = (int)l->sem->nstages - 1;
  size_t i, a0;
  struct script sc;

  while(s >= 0) {
    chain[s] = true;
    s = l->sem->stages[s].parent;
  }
  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    if(x->stage < 0 || !chain[x->stage] || f->cmds[i].invalid)
      continue;
    if(f->cmds[i].kind == MDK_FE_ENTRYPOINT) {
      ep = &f->cmds[i];
      path = wd;
    }
    if(f->cmds[i].kind == MDK_FE_WORKDIR && x->nvals)
      wd = join(l, wd, x->vals[0].val);
  }
  if(!ep || !ep->nargs)
    return;
  if(!ep->json) {
    lint_report(l, MDK_LINT_MODAL_SHELL_ENTRY, ep->node, kw(ep->node),
                ep->node->start_line, "shell-form ENTRYPOINT runs "
                "/bin/sh -c \"...\": Modal's appended command is ignored; "
                "use the JSON form and exec \"$@\"");
    return;
  }
  a0 = skip_wrappers(ep);
  if(a0 >= ep->nargs)
    return;
  {
    struct mdk_str prog = base_name(ep->args[a0].val);
    if((mdk_str_eq_c(prog, "sh") || mdk_str_eq_c(prog, "bash") ||
        mdk_str_eq_c(prog, "ash") || mdk_str_eq_c(prog, "dash") ||
        mdk_str_eq_c(prog, "zsh")) && a0 + 1 < ep->nargs &&
       mdk_str_eq_c(ep->args[a0 + 1].val, "-c")) {
      if(a0 + 2 >= ep->nargs || !lint_contains(ep->args[a0 + 2].val, "$@"))
        lint_report(l, MDK_LINT_MODAL_SH_C, ep->node, kw(ep->node),
                    ep->node->start_line, "%.*s -c runs one string: "
                    "Modal's appended command becomes $0.. and is ignored",
                    MDK_STR_FMT(prog));
      return;
    }
  }
  {
    struct mdk_str prog = base_name(ep->args[a0].val);
    if(lint_is_any(prog, (const char *const[]){"sh", "bash", "dash", "ash",
                                               "zsh", NULL}) &&
       a0 + 1 < ep->nargs && ep->args[a0 + 1].val.ptr[0] != '-') {
      /* a shell running a script file: the script gets the arguments */
      struct mdk_str sp = join(l, path, ep->args[a0 + 1].val);
      memset(&sc, 0, sizeof(sc));
      if(find_script(l, chain, sp, &sc)) {
        sc.executable = true;       /* the shell reads it */
        if(!mdk_str_has_prefix(sc.text, "#!"))
          sc.text = mdk_str_c(mdk_arena_printf(l->a, "#!/bin/%.*s\n%.*s",
                                               MDK_STR_FMT(prog),
                                               MDK_STR_FMT(sc.text)));
        check_script(l, ep->node, &sc, sp);
      }
      return;
    }
    if(non_wrapper_program(prog)) {
      /* an interpreter running a script of the image: check the script
       * (python /app/entry.py); anything else gets Modal's command as
       * its own arguments */
      size_t k = a0 + 1;
      while(k < ep->nargs && ep->args[k].val.len > 1 &&
            ep->args[k].val.ptr[0] == '-' && !mdk_str_eq_c(ep->args[k].val,
                                                           "-m") &&
            !mdk_str_eq_c(ep->args[k].val, "-c"))
        k++;
      if(k < ep->nargs && ep->args[k].val.ptr[0] != '-') {
        struct mdk_str sp = join(l, path, ep->args[k].val);
        memset(&sc, 0, sizeof(sc));
        if(find_script(l, chain, sp, &sc)) {
          enum lang g = mdk_str_has_prefix(prog, "python") ||
                        mdk_str_has_prefix(prog, "pypy") ? LANG_PYTHON
                      : mdk_str_eq_c(prog, "node") ? LANG_NODE
                      : mdk_str_eq_c(prog, "ruby") ? LANG_RUBY
                      : mdk_str_eq_c(prog, "perl") ? LANG_PERL : LANG_OTHER;
          other_language(l, ep->node, &sc, sp, g);
          return;
        }
      }
      lint_report(l, MDK_LINT_MODAL_EP_NO_WRAPPER, ep->node, kw(ep->node),
                  ep->node->start_line, "ENTRYPOINT runs %.*s: Modal appends "
                  "its own command to the ENTRYPOINT, which %.*s would take "
                  "as arguments; put it in CMD, or run it from a script that "
                  "ends with exec \"$@\"", MDK_STR_FMT(prog),
                  MDK_STR_FMT(prog));
      return;
    }
  }
  path = join(l, path, ep->args[a0].val);
  memset(&sc, 0, sizeof(sc));
  if(find_script(l, chain, path, &sc)) {
    sc.chmod_later = !sc.executable && chmod_after(l, chain, sc.copy, path);
    check_script(l, ep->node, &sc, path);
  }
}

void mdk_fe_lint_modal(struct lint *l)
{
  const struct mdk_fe_file *f = l->file;
  size_t i, j;
  for(i = 0; i < f->ncmds; i++) {
    const struct mdk_fe_cmd *c = &f->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_node *n = c->node;
    if(c->invalid)
      continue;
    if(c->kind == MDK_FE_ADD)
      for(j = 0; j < x->nvals; j++)
        if(strcmp(x->vals[j].what, "source") == 0 &&
           !is_remote(x->vals[j].val)) {
          lint_report(l, MDK_LINT_MODAL_ADD_LOCAL, n, kw(n), n->start_line,
                      "ADD %.*s: Modal only uploads the sources of COPY; use "
                      "COPY", MDK_STR_FMT(x->vals[j].val));
          break;
        }
    if(c->kind == MDK_FE_ONBUILD || c->kind == MDK_FE_STOPSIGNAL ||
       c->kind == MDK_FE_VOLUME)
      lint_report(l, MDK_LINT_MODAL_UNSUPPORTED, n, kw(n), n->start_line,
                  "%.*s: Modal's builder does not implement it (it has no "
                  "effect there)", MDK_STR_FMT(n->keyword));
    if(c->kind == MDK_FE_COPY && n->json && !(mdk_fe_cmd_flag(c, "from") &&
                                             mdk_fe_cmd_flag(c, "from")->set))
      lint_report(l, MDK_LINT_MODAL_COPY_JSON, n, kw(n), n->start_line,
                  "JSON-form COPY: Modal's client reads COPY sources from the "
                  "instruction's text and uploads nothing for this one; "
                  "write COPY src dest (paths without spaces)");
    if(c->kind == MDK_FE_COPY) {
      const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
      const struct mdk_fe_flagval *par = mdk_fe_cmd_flag(c, "parents");
      const struct mdk_fe_flagval *exc = mdk_fe_cmd_flag(c, "exclude");
      if(from && from->set)
        continue;
      for(j = 0; j + 1 < c->nargs; j++)
        if(mdk_str_index(c->args[j].val, '$') >= 0) {
          lint_report(l, MDK_LINT_MODAL_COPY_VAR, n,
                      mdk_fe_arg_loc(n, &c->args[j]), n->start_line,
                      "COPY source %.*s uses a variable: Modal's uploader "
                      "cannot resolve it", MDK_STR_FMT(c->args[j].val));
          break;
        }
      if((par && par->set) || (exc && exc->set))
        lint_report(l, MDK_LINT_MODAL_COPY_FLAGS, n, kw(n), n->start_line,
                    "COPY --%s: Modal's uploader rejects it",
                    par && par->set ? "parents" : "exclude");
    }
    if(c->kind == MDK_FE_FROM && x->stage >= 0) {
      struct mdk_str p = l->sem->stages[x->stage].platform;
      const struct mdk_fe_flagval *pf = mdk_fe_cmd_flag(c, "platform");
      bool derived = pf && pf->set &&
                     mdk_str_index(pf->vals[pf->nvals - 1].val, '$') >= 0;
      if(p.len && !derived && !mdk_str_eq_c(p, "linux/amd64"))
        lint_report(l, MDK_LINT_MODAL_PLATFORM, n, kw(n), n->start_line,
                    "FROM --platform=%.*s: Modal builds linux/amd64 images",
                    MDK_STR_FMT(p));
      if(!l->reachable[x->stage])
        lint_report(l, MDK_LINT_MODAL_TARGET, n, kw(n), n->start_line,
                    "stage %d is not used by the last stage: Modal has no "
                    "--target and builds the last one", x->stage);
    }
  }
  entrypoint(l);
}
