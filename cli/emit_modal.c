/* emit_modal.c - see emit_modal.h.  Each instruction becomes the
 * modal.Image method whose Dockerfile text (modal-client's image.py) is the
 * instruction itself: from_registry (FROM), env (ENV without variables),
 * workdir, run_commands (shell-form RUN without flags; consecutive ones in
 * one call), pip_install (only `python -m pip install` of sorted packages,
 * which is what it writes), add_local_file/add_local_dir with copy=True
 * (plain COPY of one context path), entrypoint/cmd/shell (exec form);
 * everything else goes through dockerfile_commands, verbatim.  A
 * multi-stage file (or FROM scratch) is built by from_dockerfile: Modal's
 * methods build one image on another and have no stages.  Every Modal
 * finding is a comment where it applies. */
#include "cli/emit_modal.h"

#include <string.h>
#include <sys/stat.h>

#include "frontend/frontend.h"
#include "lint/lint.h"

enum group { G_NONE, G_RUN, G_DOCKERFILE };

struct em {
  struct mdk_arena *a;
  struct mdk_buf *out;
  const char *context;
  enum group open;              /* a call still taking arguments */
  const struct mdk_fe_lint_result *lint;
  size_t next_finding;
  const char *indent;           /* of comments: inside image = ( ... ) */
};

/* a Python string literal (JSON's escapes are Python's) */
static void pystr(struct em *m, struct mdk_str s)
{
  mdk_jsonw_quote(m->out, s);
}

static void close_group(struct em *m)
{
  if(m->open == G_RUN)
    mdk_buf_puts(m->out, "    )\n");
  else if(m->open == G_DOCKERFILE)
    mdk_buf_puts(m->out, "    ])\n");
  m->open = G_NONE;
}

/* the Modal findings of the instructions up to line, as comments */
static void findings_until(struct em *m, uint32_t line)
{
  const struct mdk_fe_lint_result *r = m->lint;
  while(m->next_finding < r->n && r->f[m->next_finding].line <= line) {
    const struct mdk_fe_finding *f = &r->f[m->next_finding++];
    const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
    const char *p;
    if(ri->cat != MDK_LINT_MODAL && ri->cat != MDK_LINT_CORE)
      continue;
    close_group(m);
    (void)mdk_buf_printf(m->out, "%s# %s (line %u): ", m->indent, ri->id,
                         f->line);
    for(p = f->msg; *p; p++)          /* one comment line */
      (void)mdk_buf_putc(m->out, *p == '\n' ? ' ' : *p);
    (void)mdk_buf_putc(m->out, '\n');
  }
}

/* the instruction's text as a dockerfile_commands entry: the logical line
 * (continuations joined), heredoc bodies after it */
static struct mdk_str instr_text(struct em *m, const struct mdk_fe_node *n)
{
  struct mdk_str t = n->line->text;
  while(t.len && (t.ptr[0] == ' ' || t.ptr[0] == '\t'))
    t = mdk_str_make(t.ptr + 1, t.len - 1);
  return mdk_fe_text_with_heredocs(m->a, t, n);
}

static void dockerfile_command(struct em *m, const struct mdk_fe_node *n)
{
  if(m->open != G_DOCKERFILE) {
    close_group(m);
    mdk_buf_puts(m->out, "    .dockerfile_commands([\n");
    m->open = G_DOCKERFILE;
  }
  mdk_buf_puts(m->out, "        ");
  pystr(m, instr_text(m, n));
  mdk_buf_puts(m->out, ",\n");
}

static void str_list(struct em *m, const struct mdk_fe_cmd *c)
{
  size_t i;
  mdk_buf_puts(m->out, "[");
  for(i = 0; i < c->nargs; i++) {
    if(i)
      mdk_buf_puts(m->out, ", ");
    pystr(m, c->args[i].val);
  }
  mdk_buf_puts(m->out, "]");
}

static bool has_dollar(struct mdk_str s)
{
  return mdk_str_index(s, '$') >= 0;
}

/* `python -m pip install a b` with sorted names, no option and nothing a
 * shell would change (quotes, variables, operators): exactly the RUN
 * Modal's pip_install writes.  The words, split on blanks, in *w. */
static size_t pip_install_args(struct em *m, struct mdk_str script,
                               struct mdk_str **w)
{
  struct mdk_vec v = MDK_VEC_INIT(struct mdk_str);
  size_t i = 0, k;
  while(i < script.len) {
    size_t s;
    while(i < script.len && (script.ptr[i] == ' ' || script.ptr[i] == '\t'))
      i++;
    s = i;
    while(i < script.len && script.ptr[i] != ' ' && script.ptr[i] != '\t') {
      if(strchr("\"'$`\\;&|<>()*?[]#~{}", script.ptr[i]))
        return 0;
      i++;
    }
    if(i > s) {
      struct mdk_str word = mdk_str_make(script.ptr + s, i - s);
      mdk_vec_push(m->a, &v, &word);
    }
  }
  *w = v.items;
  if(v.len < 5 || !mdk_str_eq_c((*w)[0], "python") ||
     !mdk_str_eq_c((*w)[1], "-m") || !mdk_str_eq_c((*w)[2], "pip") ||
     !mdk_str_eq_c((*w)[3], "install"))
    return 0;
  for(k = 4; k < v.len; k++) {
    if((*w)[k].ptr[0] == '-')
      return 0;
    if(k > 4) {
      struct mdk_str p = (*w)[k - 1], q = (*w)[k];
      size_t n = p.len < q.len ? p.len : q.len;
      int c = memcmp(p.ptr, q.ptr, n);
      if(c > 0 || (c == 0 && p.len > q.len))
        return 0;               /* Modal sorts: not in its order */
    }
  }
  return v.len;
}

static void run(struct em *m, const struct mdk_fe_cmd *c)
{
  struct mdk_str script = c->args[0].val, *w = NULL;
  size_t nw;
  if(c->json || c->node->nflags || c->node->nheredocs) {
    dockerfile_command(m, c->node);
    return;
  }
  if((nw = pip_install_args(m, script, &w))) {
    size_t i;
    close_group(m);
    mdk_buf_puts(m->out, "    .pip_install(");
    for(i = 4; i < nw; i++) {
      if(i > 4)
        mdk_buf_puts(m->out, ", ");
      pystr(m, w[i]);
    }
    mdk_buf_puts(m->out, ")\n");
    return;
  }
  if(m->open != G_RUN) {
    close_group(m);
    mdk_buf_puts(m->out, "    .run_commands(\n");
    m->open = G_RUN;
  }
  mdk_buf_puts(m->out, "        ");
  pystr(m, script);
  mdk_buf_puts(m->out, ",\n");
}

/* COPY of one context path, no flags, no glob or variable: a file or a
 * directory of the context */
static void copy(struct em *m, const struct mdk_fe_cmd *c)
{
  struct mdk_str src, dst;
  struct stat st;
  char *path;
  bool dir, known;
  if(c->node->nflags || c->json || c->nargs != 2 || c->node->nheredocs) {
    dockerfile_command(m, c->node);
    return;
  }
  src = c->args[0].val;
  dst = c->args[1].val;
  if(has_dollar(src) || has_dollar(dst) || mdk_str_index(src, '*') >= 0 ||
     mdk_str_index(src, '?') >= 0 || mdk_str_index(src, '[') >= 0 ||
     mdk_str_index(src, '"') >= 0 || mdk_str_index(src, '\'') >= 0) {
    dockerfile_command(m, c->node);
    return;
  }
  path = mdk_arena_printf(m->a, "%s/%.*s", m->context, MDK_STR_FMT(src));
  known = stat(path, &st) == 0;
  dir = known ? S_ISDIR(st.st_mode)
              : (src.len && (src.ptr[src.len - 1] == '/' ||
                             mdk_str_eq_c(src, ".")));
  close_group(m);
  if(!known)
    (void)mdk_buf_printf(m->out, "%s# %.*s is not in the context here: "
                         "taken to be a %s\n", m->indent, MDK_STR_FMT(src),
                         dir ? "directory" : "file");
  mdk_buf_puts(m->out, dir ? "    .add_local_dir(" : "    .add_local_file(");
  pystr(m, src);
  mdk_buf_puts(m->out, ", ");
  pystr(m, dst);
  mdk_buf_puts(m->out, ", copy=True)\n");
}

/* ENV k=v (one name, no variable): env() */
static void env(struct em *m, const struct mdk_fe_cmd *c,
                const struct mdk_fe_xcmd *x)
{
  size_t i, j = 0;
  /* Modal writes an ENV line per name: one name gives this very ENV, more
   * would make more config steps than the file has */
  if(c->npairs != 1 || has_dollar(c->keys[1].val) || c->legacy) {
    dockerfile_command(m, c->node);
    return;
  }
  close_group(m);
  mdk_buf_puts(m->out, "    .env({");
  for(i = 0; i < x->nvals; i++) {
    if(strcmp(x->vals[i].what, "key") != 0 || i + 1 >= x->nvals)
      continue;
    if(j++)
      mdk_buf_puts(m->out, ", ");
    pystr(m, x->vals[i].val);
    mdk_buf_puts(m->out, ": ");
    pystr(m, x->vals[i + 1].val);
  }
  mdk_buf_puts(m->out, "})\n");
}

static void header(struct em *m, const char *path)
{
  (void)mdk_buf_printf(m->out, "# %s as a modal.Image chain (mdock ir --emit "
                       "modal): each method writes\n# the Dockerfile "
                       "instruction it stands for.\nimport modal\n\n",
                       path);
}

static void from_dockerfile(struct em *m, const char *path, const char *why)
{
  m->indent = "";
  header(m, path);
  (void)mdk_buf_printf(m->out, "# %s: Modal's methods build one image on "
                       "another and have no\n# stages, so Modal builds the "
                       "file itself (its last stage).\n", why);
  findings_until(m, UINT32_MAX);
  mdk_buf_puts(m->out, "image = modal.Image.from_dockerfile(");
  pystr(m, mdk_str_c(path));
  mdk_buf_puts(m->out, ", context_dir=");
  pystr(m, mdk_str_c(m->context));
  mdk_buf_puts(m->out, ")\n");
}

int mdk_cli_emit_modal(struct mdk_arena *a, const struct mdk_source *src,
                       const char *path, const char *context,
                       struct mdk_buf *out)
{
  struct mdk_diags d;
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
  struct mdk_fe_expand_opts eo = {MDK_FE_DIALECT_MODAL, NULL, 0, NULL, true,
                                  false, NULL, NULL, NULL, 0};
  struct mdk_fe_lint_opts lo;
  struct mdk_fe_lint_result lr;
  struct em m;
  size_t i;
  bool started = false;

  memset(&m, 0, sizeof(m));
  memset(&lo, 0, sizeof(lo));
  m.a = a;
  m.out = out;
  m.context = context;
  m.lint = &lr;
  m.indent = "    ";
  lo.dialect = MDK_FE_DIALECT_MODAL;
  lo.context_dir = context;
  lo.dockerfile_path = path;
  mdk_fe_lint(a, src, &lo, &lr);
  mdk_diags_init(&d, a);
  /* a file the builder would reject is still translated (lenient): its
   * errors are the findings written as comments */
  if(mdk_fe_parse(a, &d, src, &ast)) {
    mdk_diags_print(&d, stderr, false);
    return 1;
  }
  (void)mdk_fe_type(a, &d, ast, &file);
  (void)mdk_fe_expand(a, &d, file, &eo, &sem);
  if(sem->nstages != 1 || mdk_str_eq_c(sem->stages[0].base, "scratch") ||
     !sem->stages[0].base.len) {
    from_dockerfile(&m, path, sem->nstages != 1 ? "a multi-stage Dockerfile"
                                : "FROM scratch (or no base image)");
    return 0;
  }
  header(&m, path);
  mdk_buf_puts(out, "image = (\n");
  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &sem->x[i];
    findings_until(&m, c->node->start_line);
    if(c->kind == MDK_FE_ARG && x->stage < 0)
      continue;                 /* global ARGs: FROM's value is expanded */
    if(c->kind == MDK_FE_FROM) {
      mdk_buf_puts(out, "    modal.Image.from_registry(");
      pystr(&m, sem->stages[0].base);
      mdk_buf_puts(out, ")\n");
      started = true;
      continue;
    }
    if(!started)
      continue;
    switch(c->kind) {
    case MDK_FE_RUN:
      run(&m, c);
      break;
    case MDK_FE_COPY:
      copy(&m, c);
      break;
    case MDK_FE_ENV:
      env(&m, c, x);
      break;
    case MDK_FE_WORKDIR:
      if(c->nargs == 1 && !has_dollar(c->args[0].val) && x->nvals) {
        close_group(&m);
        mdk_buf_puts(out, "    .workdir(");
        pystr(&m, x->vals[0].val);
        mdk_buf_puts(out, ")\n");
      }
      else
        dockerfile_command(&m, c->node);
      break;
    case MDK_FE_ENTRYPOINT:
    case MDK_FE_CMD:
    case MDK_FE_SHELL:
      if(!c->json) {
        dockerfile_command(&m, c->node);
        break;
      }
      close_group(&m);
      mdk_buf_puts(out, c->kind == MDK_FE_CMD ? "    .cmd("
                      : c->kind == MDK_FE_SHELL ? "    .shell("
                                                : "    .entrypoint(");
      str_list(&m, c);
      mdk_buf_puts(out, ")\n");
      break;
    default:
      dockerfile_command(&m, c->node);
      break;
    }
  }
  findings_until(&m, UINT32_MAX);
  close_group(&m);
  mdk_buf_puts(out, ")\n");
  return 0;
}
