/* cmd_parse.c - mdock parse: a Dockerfile (or a dockerfile_commands list)
 * read exactly as BuildKit reads it, printed as a typed AST. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { O_FORMAT = 1, O_QUIET };

static const struct mdk_cli_opt opts[] = {
  MDK_IN_OPT_FILE("the Dockerfile (\"-\" reads stdin)"),
  {O_FORMAT, "format", 0, MDK_ARG_VALUE, NULL, "json|buildkit",
   "typed AST with spans (default), or BuildKit's own\nAST dump"},
  MDK_IN_OPT_COMMANDS,
  MDK_IN_OPT_DIALECT("builder semantics (default docker)"),
  MDK_IN_OPT_BUILD_ARG,
  MDK_IN_OPT_PLATFORM,
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL,
   "check only; with several Dockerfiles, report how\nmany parsed"},
  {0}
};

struct parse_opts {
  struct mdk_arena *a;
  struct mdk_cli_input in;
  struct mdk_vec more;          /* further Dockerfiles (const char *) */
  const char *format;
  bool quiet, color;
};

static void print_warnings(const struct mdk_fe_ast *ast, bool color)
{
  size_t i;
  for(i = 0; i < ast->nwarnings; i++) {
    struct mdk_diag dg = {MDK_SEV_WARNING, ast->warnings[i].loc,
                          ast->warnings[i].msg,
                          "empty continuation lines will become errors in "
                          "a future release", ast->warnings[i].rule};
    mdk_diag_print(&dg, stderr, color);
  }
}

static int parse_one(const struct parse_opts *o, struct mdk_arena *a,
                     struct mdk_diags *diags, const struct mdk_source *src)
{
  struct mdk_fe_ast *ast = NULL;
  struct mdk_fe_file *file = NULL;
  struct mdk_fe_sem *sem = NULL;
  bool buildkit = strcmp(o->format, "buildkit") == 0;
  struct mdk_buf out;
  enum mdk_status st;

  st = mdk_fe_parse(a, diags, src, &ast);
  if(!st && !buildkit) {
    struct mdk_fe_expand_opts eo = {o->in.dialect, o->in.build_args.items,
                                    o->in.build_args.len, o->in.platform,
                                    false, false, NULL, NULL, NULL, 0};
    st = mdk_fe_type(a, diags, ast, &file);
    if(!st)
      st = mdk_fe_expand(a, diags, file, &eo, &sem);
  }
  if(ast && !o->quiet)
    print_warnings(ast, o->color);
  mdk_diags_print(diags, stderr, o->color);
  if(st)
    return mdk_status_exit_code(st);
  if(o->quiet)
    return 0;
  mdk_buf_init(&out, (size_t)1 << 30);
  if(buildkit)
    st = mdk_fe_ast_dump_buildkit(ast, &out);
  else
    st = mdk_fe_write_json(ast, file, sem, &out, stdout);
  fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
  mdk_buf_free(&out);
  return st ? 1 : 0;
}

/* the further Dockerfiles, one arena each (memory stays flat) */
static int parse_more(const struct parse_opts *o, size_t *nfail)
{
  int rc = 0;
  size_t i;
  for(i = 0; i < o->more.len; i++) {
    const char *path = *mdk_vec_at(&o->more, const char *, i);
    struct mdk_arena fa;
    struct mdk_diags diags;
    struct mdk_source *src;
    int r1;
    mdk_arena_init(&fa);
    mdk_diags_init(&diags, &fa);
    r1 = mdk_cli_read_file(&fa, path, &src);
    if(!r1)
      r1 = parse_one(o, &fa, &diags, src);
    mdk_arena_fini(&fa);
    if(r1 > rc)
      rc = r1;
    *nfail += r1 != 0;
  }
  return rc;
}

static int on_arg(void *p, int id, const char *v)
{
  struct parse_opts *o = p;
  if(mdk_cli_input_opt(o->a, &o->in, id, v))
    return 0;
  if(id == O_FORMAT)
    o->format = v;
  else if(id == O_QUIET)
    o->quiet = mdk_cli_on(v);
  else if(!o->in.file)
    o->in.file = v;
  else
    mdk_vec_push(o->a, &o->more, &v);
  return 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_diags diags;
  struct parse_opts o;
  struct mdk_source *src = NULL;
  size_t nfail = 0;
  int rc, r2;

  mdk_arena_init(&a);
  mdk_diags_init(&diags, &a);
  memset(&o, 0, sizeof(o));
  o.a = &a;
  mdk_cli_input_init(&o.in);
  o.more = MDK_VEC_INIT(const char *);
  o.format = "json";
  o.color = isatty(2) && !getenv("NO_COLOR");
  rc = mdk_cli_each(cmd, argc, argv, on_arg, &o);
  if(rc)
    goto done;
  if(!o.in.file && !mdk_cli_input_is_list(&o.in)) {
    rc = mdk_cli_usage_error(cmd, "no Dockerfile given");
    goto done;
  }
  rc = mdk_cli_input_load(&a, &o.in, cmd, &src);
  if(rc)
    goto done;
  rc = parse_one(&o, &a, &diags, src);
  nfail = rc != 0;
  r2 = parse_more(&o, &nfail);
  if(r2 > rc)
    rc = r2;
  if(o.more.len && o.quiet)
    fprintf(stderr, "mdock: parsed %zu of %zu Dockerfiles\n",
            o.more.len + 1 - nfail, o.more.len + 1);
done:
  mdk_arena_fini(&a);
  return rc < 0 ? 0 : rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_parse = {
  "parse", "[options] [DOCKERFILE... | -]",
  "read a Dockerfile and print its syntax tree",
  "Reads a Dockerfile (or a dockerfile_commands list) exactly as BuildKit\n"
  "does and prints its syntax tree: every instruction typed, every value\n"
  "expanded, with spans.",
  opts,
  "  mdock parse Dockerfile\n"
  "  mdock parse --format buildkit Dockerfile\n"
  "  mdock parse -q Dockerfile other/Dockerfile\n"
  "  mdock parse --from python:3.12 --command 'RUN pip install x'\n"
  "  mdock parse --dialect modal --build-arg V=1 Dockerfile\n",
  "exit status: 0 ok, 1 the input has errors, 2 usage error\n",
  run, false, false
};
