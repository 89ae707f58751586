/* main.c - the mdock command line: parses arguments, wires the pipeline
 * stages together and maps their status to an exit code (0 ok, 1 bad input,
 * 2 bad usage). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontend/frontend.h"
#include "base/base.h"
#include "cli/cli.h"
#include "lint/lint.h"
#include "backend/backend.h"
#include "registry/registry.h"
#include "ir/ir.h"

#define MDK_VERSION "0.1.0"
enum { INPUT_LIMIT = 64 << 20 };

struct opts {
  const char *file;            /* Dockerfile path, "-" = stdin */
  struct mdk_vec more;         /* further Dockerfiles (const char *) */
  bool quiet;                  /* check only: no output */
  const char *format;          /* buildkit | json */
  const char *from;            /* base for --command lists */
  const char *commands_file;
  struct mdk_vec commands;     /* struct mdk_str */
  struct mdk_vec build_args;   /* struct mdk_fe_kv */
  enum mdk_fe_dialect dialect;
  const char *platform;
  bool color;
  /* mdock ir */
  bool is_ir;
  const char *context;         /* positional CONTEXT of `mdock ir` */
  const char *target;
  const char *passes;          /* comma list, NULL = all */
  bool no_opt;
  const char *diff_old;        /* --diff OLD NEW */
  bool verbose;
  /* mdock build */
  bool is_build;
  struct mdk_vec tags;         /* const char * */
  struct mdk_vec outputs;      /* const char * */
  const char *compression;
  bool no_cache;
  struct mdk_vec secrets;      /* struct mdk_be_secret */
  struct mdk_vec secret_args;  /* struct mdk_be_secret_arg */
  bool allow_insecure;
  const char *progress;        /* auto | tty | plain | json */
  const char *no_cache_filter;
  struct mdk_vec context_files; /* const char * NAME=PATH */
  const char *runtime;         /* --runtime */
  bool push;                   /* --push: every -t to its registry */
  const char *cache_to, *cache_from;   /* type=registry,ref=R */
  const char *pull;            /* always | missing | never */
  const char *lock;            /* --lock FILE */
  bool locked;
  const char *insecure;        /* --insecure-registry */
};

static void usage(FILE *out)
{
  fputs("usage: mdock parse [options] [DOCKERFILE | -]\n"
        "\n"
        "Reads a Dockerfile (or a dockerfile_commands list) exactly as BuildKit\n"
        "does and prints its syntax tree.\n"
        "\n"
        "options:\n"
        "  -f, --file FILE         the Dockerfile (\"-\" reads stdin)\n"
        "  --format json|buildkit  typed AST with spans (default), or\n"
        "                          BuildKit's own AST dump\n"
        "  --command LINE          one dockerfile_commands entry (repeatable)\n"
        "  --commands-file FILE    a JSON array of strings, or one command\n"
        "                          per line (\"-\" reads stdin)\n"
        "  --from IMAGE            the base image the commands apply to\n"
        "  --dialect docker|modal  builder semantics (default docker)\n"
        "  --build-arg K[=V]       build argument (V from the environment\n"
        "                          when omitted)\n"
        "  --platform OS/ARCH      target platform (default linux/amd64)\n"
        "  -q, --quiet             check only; with several Dockerfiles,\n"
        "                          report how many parsed\n"
        "\n"
        "exit status: 0 ok, 1 the input has errors, 2 usage error\n", out);
}

static int usage_error(const char *fmt, const char *arg)
{
  fputs("mdock: error: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nhint: run 'mdock parse --help' for the options\n", stderr);
  return 2;
}

/* "--name=value" or "--name value"; advances *i. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             bool *matched)
{
  size_t n = strlen(name);
  *matched = false;
  if(strncmp(argv[*i], name, n) != 0)
    return NULL;
  if(argv[*i][n] == '=') {
    *matched = true;
    return argv[*i] + n + 1;
  }
  if(argv[*i][n] != '\0')
    return NULL;
  *matched = true;
  if(*i + 1 >= argc)
    return NULL;
  return argv[++*i];
}

static int parse_args(struct mdk_arena *a, int argc, char **argv,
                      struct opts *o)
{
  int i;
  for(i = 0; i < argc; i++) {
    const char *v;
    bool m;
    const char *arg = argv[i];
#define VALUE(name)                                                       \
    (v = opt_value(argc, argv, &i, name, &m), m)
    if(strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      usage(stdout);
      exit(0);
    }
    else if(VALUE("--format")) {
      if(!v || (o->is_ir ? strcmp(v, "json") && strcmp(v, "text")
                         : strcmp(v, "json") && strcmp(v, "buildkit")))
        return usage_error(o->is_ir ? "--format takes text or json, not '%s'"
                                    : "--format takes json or buildkit, not "
                                      "'%s'", v ? v : "");
      o->format = v;
    }
    else if(VALUE("--file") || (strcmp(arg, "-f") == 0 &&
                                (v = i + 1 < argc ? argv[++i] : NULL, 1))) {
      if(!v)
        return usage_error("%s needs a file name", arg);
      o->file = v;
    }
    else if(VALUE("--command")) {
      struct mdk_str s = mdk_str_c(v);
      if(!v)
        return usage_error("%s needs a value", "--command");
      mdk_vec_push(a, &o->commands, &s);
    }
    else if(VALUE("--commands-file")) {
      if(!v)
        return usage_error("%s needs a file name", "--commands-file");
      o->commands_file = v;
    }
    else if(VALUE("--from")) {
      if(!v)
        return usage_error("%s needs an image reference", "--from");
      o->from = v;
    }
    else if(VALUE("--dialect")) {
      if(v && strcmp(v, "docker") == 0)
        o->dialect = MDK_FE_DIALECT_DOCKER;
      else if(v && strcmp(v, "modal") == 0)
        o->dialect = MDK_FE_DIALECT_MODAL;
      else
        return usage_error("--dialect takes docker or modal, not '%s'",
                           v ? v : "");
    }
    else if(VALUE("--platform")) {
      if(!v)
        return usage_error("%s needs a value", "--platform");
      o->platform = v;
    }
    else if(VALUE("--build-arg") ||
            (o->is_build && VALUE("--secret-build-arg"))) {
      /* --secret-build-arg: a build argument whose value RUN sees but no
       * history entry, progress line or config may hold */
      bool secret = strncmp(arg, "--secret-build-arg", 18) == 0;
      struct mdk_fe_kv kv;
      const char *eq;
      if(!v)
        return usage_error("%s needs K=V", secret ? "--secret-build-arg"
                                                  : "--build-arg");
      eq = strchr(v, '=');
      if(eq) {
        kv.key = mdk_str_make(v, (size_t)(eq - v));
        kv.val = mdk_str_c(eq + 1);
      }
      else {
        const char *env = getenv(v);
        if(!env)
          continue;    /* docker build ignores an unset K */
        kv.key = mdk_str_c(v);
        kv.val = mdk_str_c(env);
      }
      mdk_vec_push(a, &o->build_args, &kv);
      if(secret) {
        struct mdk_be_secret_arg sa = {kv.key, kv.val};
        mdk_vec_push(a, &o->secret_args, &sa);
      }
    }
    else if(o->is_build && (VALUE("--tag") ||
                            (strcmp(arg, "-t") == 0 &&
                             (v = i + 1 < argc ? argv[++i] : NULL, 1)))) {
      if(!v)
        return usage_error("%s needs a name[:tag]", arg);
      mdk_vec_push(a, &o->tags, &v);
    }
    else if(o->is_build && (VALUE("--output") ||
                            (strcmp(arg, "-o") == 0 &&
                             (v = i + 1 < argc ? argv[++i] : NULL, 1)))) {
      if(!v)
        return usage_error("%s needs type=...,dest=...", arg);
      mdk_vec_push(a, &o->outputs, &v);
    }
    else if(o->is_build && VALUE("--compression")) {
      if(!v)
        return usage_error("%s needs gzip[:level], zstd[:level] or "
                           "uncompressed", "--compression");
      o->compression = v;
    }
    else if(o->is_build && strcmp(arg, "--no-cache") == 0) {
      o->no_cache = true;
    }
    else if(o->is_build && VALUE("--secret")) {
      struct mdk_be_secret sec;
      const char *why;
      if(!mdk_be_secret_parse(a, v ? v : "", &sec, &why))
        return usage_error("%s", why);
      mdk_vec_push(a, &o->secrets, &sec);
    }
    else if(o->is_build && VALUE("--no-cache-filter")) {
      if(!v)
        return usage_error("%s needs stage names", "--no-cache-filter");
      o->no_cache_filter = v;
    }
    else if(o->is_build && VALUE("--context-file")) {
      if(!v || !strchr(v, '=') || v[0] == '=')
        return usage_error("--context-file takes NAME=PATH, not '%s'",
                           v ? v : "");
      mdk_vec_push(a, &o->context_files, &v);
    }
    else if(o->is_build && (VALUE("--cache-to") || VALUE("--cache-from"))) {
      const char *r = v ? strstr(v, "ref=") : NULL;
      if(!v || strncmp(v, "type=registry", 13) != 0 || !r)
        return usage_error("--cache-to/--cache-from take "
                           "type=registry,ref=HOST/REPO:TAG, not '%s'",
                           v ? v : "");
      if(strncmp(arg, "--cache-to", 10) == 0)
        o->cache_to = r + 4;
      else
        o->cache_from = r + 4;
    }
    else if(o->is_build && VALUE("--pull")) {
      if(!v || (strcmp(v, "always") && strcmp(v, "missing") &&
                strcmp(v, "never")))
        return usage_error("--pull takes always, missing or never, not '%s'",
                           v ? v : "");
      o->pull = v;
    }
    else if(o->is_build && VALUE("--lock")) {
      if(!v)
        return usage_error("%s needs a file", "--lock");
      o->lock = v;
    }
    else if(o->is_build && strcmp(arg, "--locked") == 0) {
      o->locked = true;
    }
    else if(o->is_build && VALUE("--insecure-registry")) {
      if(!v)
        return usage_error("%s needs a host[:port]", "--insecure-registry");
      o->insecure = v;
    }
    else if(o->is_build && strcmp(arg, "--push") == 0) {
      o->push = true;
    }
    else if(o->is_build && VALUE("--runtime")) {
      if(!v || (strcmp(v, "runc") && strcmp(v, "crun") &&
                strcmp(v, "embedded")))
        return usage_error("--runtime takes runc, crun or embedded, not '%s'",
                           v ? v : "");
      o->runtime = strcmp(v, "embedded") == 0 ? NULL : v;
    }
    else if(o->is_build && VALUE("--progress")) {
      if(!v || (strcmp(v, "auto") && strcmp(v, "tty") && strcmp(v, "plain") &&
                strcmp(v, "json")))
        return usage_error("--progress takes auto, tty, plain or json, not "
                           "'%s'", v ? v : "");
      o->progress = v;
    }
    else if(o->is_build && VALUE("--allow")) {
      if(!v || strcmp(v, "security.insecure") != 0)
        return usage_error("--allow takes security.insecure, not '%s'",
                           v ? v : "");
      o->allow_insecure = true;
    }
    else if(o->is_ir && VALUE("--target")) {
      if(!v)
        return usage_error("%s needs a stage name", "--target");
      o->target = v;
    }
    else if(o->is_ir && VALUE("--passes")) {
      if(!v)
        return usage_error("%s needs a comma-separated list", "--passes");
      o->passes = v;
    }
    else if(o->is_ir && strcmp(arg, "--no-opt") == 0) {
      o->no_opt = true;
    }
    else if(o->is_ir && (strcmp(arg, "-v") == 0 ||
                         strcmp(arg, "--verbose") == 0)) {
      o->verbose = true;
    }
    else if(o->is_ir && strcmp(arg, "--diff") == 0) {
      if(i + 2 >= argc)
        return usage_error("%s needs OLD and NEW (Dockerfiles or saved JSON "
                           "IR)", "--diff");
      o->diff_old = argv[++i];
      o->file = argv[++i];
    }
    else if(strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
      o->quiet = true;
    }
    else if(arg[0] == '-' && arg[1] != '\0') {
      return usage_error("unknown option '%s'", arg);
    }
    else if(o->is_ir) {
      if(o->context)
        return usage_error("more than one build context given ('%s')", arg);
      o->context = arg;
    }
    else {
      if(o->file)
        mdk_vec_push(a, &o->more, &arg);
      else
        o->file = arg;
    }
#undef VALUE
  }
  return 0;
}

static int parse_one(const struct opts *o, struct mdk_arena *a,
                     struct mdk_diags *diags, const struct mdk_source *src)
{
  struct mdk_fe_ast *ast = NULL;
  struct mdk_fe_file *file = NULL;
  struct mdk_fe_sem *sem = NULL;
  struct mdk_buf out;
  enum mdk_status st;
  size_t i;

  st = mdk_fe_parse(a, diags, src, &ast);
  if(!st && strcmp(o->format, "buildkit") != 0) {
    struct mdk_fe_expand_opts eo = {o->dialect, o->build_args.items,
                                    o->build_args.len, o->platform, false,
                                    false, NULL, NULL};
    st = mdk_fe_type(a, diags, ast, &file);
    if(!st)
      st = mdk_fe_expand(a, diags, file, &eo, &sem);
  }
  if(ast && !o->quiet)
    for(i = 0; i < ast->nwarnings; i++) {
      struct mdk_diag dg = {MDK_SEV_WARNING, ast->warnings[i].loc,
                            ast->warnings[i].msg,
                            "empty continuation lines will become errors in "
                            "a future release", ast->warnings[i].rule};
      mdk_diag_print(&dg, stderr, o->color);
    }
  mdk_diags_print(diags, stderr, o->color);
  if(st)
    return mdk_status_exit_code(st);
  if(o->quiet)
    return 0;
  mdk_buf_init(&out, (size_t)1 << 30);
  if(strcmp(o->format, "buildkit") == 0)
    st = mdk_fe_ast_dump_buildkit(ast, &out);
  else
    st = mdk_fe_write_json(ast, file, sem, &out, stdout);
  fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
  mdk_buf_free(&out);
  return st ? 1 : 0;
}

static int cmd_parse(int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_diags diags;
  struct opts o;
  struct mdk_source *src = NULL;
  int rc, err;
  size_t i, nfail = 0;
  bool first_failed;

  mdk_arena_init(&a);
  mdk_diags_init(&diags, &a);
  memset(&o, 0, sizeof(o));
  o.format = "json";
  o.commands = MDK_VEC_INIT(struct mdk_str);
  o.build_args = MDK_VEC_INIT(struct mdk_fe_kv);
  o.more = MDK_VEC_INIT(const char *);
  o.color = isatty(2) && !getenv("NO_COLOR");
  rc = parse_args(&a, argc, argv, &o);
  if(rc)
    goto done;
  if(o.commands.len || o.commands_file) {
    struct mdk_str *cmds = o.commands.items;
    size_t n = o.commands.len;
    const char *name = "--command";
    if(o.file) {
      rc = usage_error("give either a Dockerfile or commands, not both (%s)",
                       o.file);
      goto done;
    }
    if(o.commands_file) {
      struct mdk_source *cf;
      const char *why = NULL;
      if(o.commands.len) {
        rc = usage_error("give --command or --commands-file, not both%s", "");
        goto done;
      }
      if(mdk_source_read(&a, o.commands_file, INPUT_LIMIT, &cf, &err)) {
        fprintf(stderr, "mdock: error: cannot read %s: %s\n", o.commands_file,
                err ? strerror(err) : "too large");
        rc = 1;
        goto done;
      }
      if(mdk_fe_commands_parse(&a, mdk_str_make(cf->data, cf->len), &cmds, &n,
                               &why)) {
        fprintf(stderr, "%s:1:1: error: not a commands list: %s\n"
                "    hint: write a JSON array of strings, e.g. "
                "[\"RUN echo hi\"], or one command per line\n", cf->name, why);
        rc = 1;
        goto done;
      }
      name = strcmp(o.commands_file, "-") == 0 ? "<stdin>" : o.commands_file;
    }
    src = mdk_fe_commands_source(&a, name, o.from, cmds, n);
  }
  else {
    if(o.from) {
      rc = usage_error("--from applies to --command/--commands-file lists%s",
                       "");
      goto done;
    }
    if(!o.file) {
      rc = usage_error("no Dockerfile given%s", "");
      goto done;
    }
    if(mdk_source_read(&a, o.file, INPUT_LIMIT, &src, &err)) {
      fprintf(stderr, "mdock: error: cannot read %s: %s\n", o.file,
              err ? strerror(err) : "file too large");
      rc = 1;
      goto done;
    }
  }

  rc = parse_one(&o, &a, &diags, src);
  first_failed = rc != 0;
  for(i = 0; i < o.more.len; i++) {
    const char *path = *mdk_vec_at(&o.more, const char *, i);
    struct mdk_arena fa;     /* one arena per file keeps memory flat */
    int r1;
    mdk_arena_init(&fa);
    mdk_diags_init(&diags, &fa);
    if(mdk_source_read(&fa, path, INPUT_LIMIT, &src, &err)) {
      fprintf(stderr, "mdock: error: cannot read %s: %s\n", path,
              err ? strerror(err) : "file too large");
      r1 = 1;
    }
    else {
      r1 = parse_one(&o, &fa, &diags, src);
    }
    mdk_arena_fini(&fa);
    if(r1 > rc)
      rc = r1;
    nfail += r1 != 0;
  }
  if(o.more.len && o.quiet)
    fprintf(stderr, "mdock: parsed %zu of %zu Dockerfiles\n",
            o.more.len + 1 - nfail - (first_failed ? 1 : 0), o.more.len + 1);
done:
  mdk_arena_fini(&a);
  return rc;
}

static void ir_usage(FILE *out)
{
  fputs("usage: mdock ir [options] [CONTEXT]\n"
        "\n"
        "Prints the typed layer IR of a Dockerfile: stages, ops with every\n"
        "value expanded, and per-op cache keys.\n"
        "\n"
        "options:\n"
        "  -f, --file FILE         the Dockerfile (default CONTEXT/Dockerfile)\n"
        "  --format text|json      one line per op (default), or mdock.ir/v1\n"
        "  --target STAGE          build this stage (default: the last)\n"
        "  --build-arg K[=V]       build argument\n"
        "  --no-opt                the IR before the optimizer passes\n"
        "  --passes=a,b            run only these passes (fold, prune, merge,\n"
        "                          dedupe, order)\n"
        "  --diff OLD NEW          why NEW would rebuild where OLD was cached;\n"
        "                          each a Dockerfile or a saved --format json\n"
        "  --command LINE, --commands-file FILE, --from IMAGE,\n"
        "  --dialect docker|modal, --platform OS/ARCH   as for mdock parse\n",
        out);
}

/* A Dockerfile is compiled; a saved JSON IR is loaded. */
static enum mdk_status ir_from(struct mdk_arena *a, struct mdk_diags *diags,
                               const struct mdk_fe_compile_opts *co,
                               const struct mdk_source *src,
                               struct mdk_ir_graph **g)
{
  size_t i = 0;
  const char *why = NULL;
  enum mdk_status st;
  while(i < src->len && (src->data[i] == ' ' || src->data[i] == '\n' ||
                         src->data[i] == '\t' || src->data[i] == '\r'))
    i++;
  if(i < src->len && src->data[i] == '{') {
    st = mdk_cli_ir_load(a, mdk_str_make(src->data, src->len), g, &why);
    if(st)
      fprintf(stderr, "%s:1:1: error: %s\n", src->name, why);
    return st;
  }
  return mdk_fe_compile(a, diags, src, co, g);
}

static int ir_diff(struct mdk_arena *a, struct mdk_diags *diags,
                   const struct mdk_fe_compile_opts *co, const struct opts *o,
                   const struct mdk_source *new_src)
{
  struct mdk_source *old_src;
  struct mdk_ir_graph *og = NULL, *ng = NULL;
  struct mdk_buf out;
  enum mdk_status st;
  bool changed;
  int err;

  if(mdk_source_read(a, o->diff_old, INPUT_LIMIT, &old_src, &err)) {
    fprintf(stderr, "mdock: error: cannot read %s: %s\n", o->diff_old,
            err ? strerror(err) : "file too large");
    return 1;
  }
  st = ir_from(a, diags, co, old_src, &og);
  if(!st)
    st = ir_from(a, diags, co, new_src, &ng);
  mdk_diags_print(diags, stderr, o->color);
  if(st)
    return mdk_status_exit_code(st);
  mdk_buf_init(&out, (size_t)1 << 28);
  mdk_ir_diff(og, ng, &out, &changed);
  fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
  mdk_buf_free(&out);
  return 0;
}

/* The Dockerfile (or --command list) of `mdock ir` and `mdock build`. */
static int load_source(struct mdk_arena *a, struct opts *o,
                       struct mdk_source **src)
{
  int err;
  if(o->commands.len || o->commands_file) {
    struct mdk_str *cmds = o->commands.items;
    size_t n = o->commands.len;
    const char *name = "--command";
    if(o->commands_file) {
      struct mdk_source *cf;
      const char *why = NULL;
      if(mdk_source_read(a, o->commands_file, INPUT_LIMIT, &cf, &err) ||
         mdk_fe_commands_parse(a, mdk_str_make(cf->data, cf->len), &cmds, &n,
                               &why)) {
        fprintf(stderr, "mdock: error: cannot read commands from %s: %s\n",
                o->commands_file, why ? why : strerror(err));
        return 1;
      }
      name = o->commands_file;
    }
    *src = mdk_fe_commands_source(a, name, o->from, cmds, n);
  }
  else {
    const char *path = o->file;
    if(!path)
      path = mdk_arena_printf(a, "%s/Dockerfile", o->context ? o->context
                                                             : ".");
    if(mdk_source_read(a, path, INPUT_LIMIT, src, &err)) {
      fprintf(stderr, "mdock: error: cannot read %s: %s\n", path,
              err ? strerror(err) : "file too large");
      return 1;
    }
  }
  return 0;
}

static int cmd_ir(int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_diags diags;
  struct opts o;
  struct mdk_source *src = NULL;
  struct mdk_ir_graph *g = NULL;
  struct mdk_buf out;
  enum mdk_status st;
  int rc = 0, i;

  struct mdk_be_store store;
  bool store_open = false;

  mdk_arena_init(&a);
  mdk_diags_init(&diags, &a);
  memset(&o, 0, sizeof(o));
  o.is_ir = true;
  o.format = "text";
  o.commands = MDK_VEC_INIT(struct mdk_str);
  o.build_args = MDK_VEC_INIT(struct mdk_fe_kv);
  o.more = MDK_VEC_INIT(const char *);
  o.color = isatty(2) && !getenv("NO_COLOR");
  for(i = 0; i < argc; i++)
    if(strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      ir_usage(stdout);
      return 0;
    }
  rc = parse_args(&a, argc, argv, &o);
  if(rc)
    goto done;
  if(o.passes) {
    char *p = mdk_arena_strndup(&a, o.passes, strlen(o.passes)), *tok, *sv;
    for(tok = strtok_r(p, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv)) {
      size_t k;
      bool ok = false;
      for(k = 0; k < mdk_ir_npasses; k++)
        if(strcmp(tok, mdk_ir_passes[k].name) == 0)
          ok = true;
      if(!ok) {
        rc = usage_error("unknown pass '%s' (passes: fold, prune, merge, "
                         "dedupe, order)", tok);
        goto done;
      }
    }
  }
  rc = load_source(&a, &o, &src);
  if(rc)
    goto done;
  /* base images' ENV from the store, when there is one already */
  {
    char *root = mdk_state_root();
    char *refs = root ? mdk_arena_printf(&a, "%s/refs", root) : NULL;
    if(refs && access(refs, F_OK) == 0 &&
       mdk_be_store_open(&store, root, MDK_BE_LOCK_SHARED, NULL) == MDK_OK)
      store_open = true;
    free(root);
  }
  {
    struct mdk_fe_compile_opts co = {o.dialect, o.build_args.items,
                                     o.build_args.len, o.platform, o.target,
                                     o.no_opt, o.passes, mdk_cli_base_env,
                                     store_open ? &store : NULL,
                                     mdk_cli_base_onbuild};
    if(o.diff_old) {
      rc = ir_diff(&a, &diags, &co, &o, src);
      goto done;
    }
    st = mdk_fe_compile(&a, &diags, src, &co, &g);
    if(!st && o.context)
    {
      char *root = mdk_state_root();
      st = mdk_cli_ir_hash_context(&a, g, o.context,
                                   o.file ? o.file
                                          : mdk_arena_printf(&a, "%s/Dockerfile",
                                                             o.context),
                                   root, o.verbose);
      free(root);
    }
  }
  mdk_diags_print(&diags, stderr, o.color);
  if(st) {
    rc = mdk_status_exit_code(st);
    goto done;
  }
  mdk_buf_init(&out, (size_t)1 << 30);
  if(strcmp(o.format, "json") == 0)
    st = mdk_ir_dump_json(g, &out);
  else
    st = mdk_ir_dump_text(g, &out);
  fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
  mdk_buf_free(&out);
  rc = st ? 1 : 0;
done:
  if(store_open)
    mdk_be_store_close(&store);
  mdk_arena_fini(&a);
  return rc;
}

static void lint_usage(FILE *out)
{
  fputs("usage: mdock lint [options] DOCKERFILE... | -\n"
        "\n"
        "Finds what will break or differ: Modal compatibility, BuildKit's\n"
        "build checks and best practice.\n"
        "\n"
        "options:\n"
        "  --format tty|json|sarif|checkstyle|gitlab   (default tty)\n"
        "  --dialect modal|docker  modal (default) adds the Modal rules\n"
        "  --failure-threshold error|warning|info|style   exit 1 at or above\n"
        "                          (default info)\n"
        "  --config FILE           default: .mdock-lint.json upward from\n"
        "                          each Dockerfile\n"
        "  --context DIR           build context (default: the Dockerfile's\n"
        "                          directory), for .dockerignore and scripts\n"
        "  --build-arg BUILDKIT_DOCKERFILE_CHECK=...   as BuildKit\n"
        "  --list-rules            every rule with id, severity and doc\n"
        "  --no-color\n"
        "\n"
        "exit status: 0 clean, 1 findings at or above the threshold,\n"
        "2 usage or I/O error\n", out);
}

struct lint_sink_ctx {
  struct mdk_cli_lint_writer *w;
  int rc;
  bool io_error;
};

/* Writes one linted file, in input order; an invalid config stops the run. */
static bool lint_sink(void *p, struct mdk_cli_lint_job *job)
{
  struct lint_sink_ctx *c = p;
  if(job->error) {
    fprintf(stderr, "mdock: error: %s\n", job->error);
    if(job->config_error) {
      c->rc = 2;
      return false;
    }
    c->io_error = true;
    return true;
  }
  mdk_cli_lint_file(c->w, &job->lf);
  if(job->failed && c->rc == 0)
    c->rc = 1;
  return true;
}

static int cmd_lint(int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_vec files = MDK_VEC_INIT(const char *);
  struct mdk_cli_lint_writer writer;
  bool writing = false;
  const char *format = "tty", *config = NULL, *context = NULL,
             *check_override = NULL;
  enum mdk_fe_dialect dialect = MDK_FE_DIALECT_MODAL;
  int threshold = -1, fmt, i, rc = 0;
  bool color = isatty(1) && !getenv("NO_COLOR"), io_error = false;

  mdk_arena_init(&a);
  for(i = 0; i < argc; i++) {
    const char *arg = argv[i], *v;
    bool m;
    if(strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      lint_usage(stdout);
      goto done;
    }
    if(strcmp(arg, "--list-rules") == 0) {
      int r;
      for(r = 0; r < MDK_LINT__COUNT; r++) {
        const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(r);
        static const char *const cats[] = {"core", "buildkit", "practice",
                                           "modal"};
        printf("%-32s %-8s %-9s %s%s\n", ri->id,
               mdk_fe_lint_sev_name(ri->sev), cats[ri->cat],
               ri->experimental ? "(experimental) " : "", ri->doc);
      }
      goto done;
    }
#define VAL(name) (v = opt_value(argc, argv, &i, name, &m), m)
    if(VAL("--format")) {
      if(!v || mdk_cli_lint_format_parse(v) < 0) {
        rc = usage_error("--format takes tty, json, sarif, checkstyle or "
                         "gitlab, not '%s'", v ? v : "");
        goto done;
      }
      format = v;
    }
    else if(VAL("--dialect")) {
      if(v && strcmp(v, "modal") == 0)
        dialect = MDK_FE_DIALECT_MODAL;
      else if(v && strcmp(v, "docker") == 0)
        dialect = MDK_FE_DIALECT_DOCKER;
      else {
        rc = usage_error("--dialect takes modal or docker, not '%s'",
                         v ? v : "");
        goto done;
      }
    }
    else if(VAL("--failure-threshold")) {
      threshold = v ? mdk_cli_lint_sev_parse(v) : -1;
      if(threshold < 0 || threshold > MDK_LINT_STYLE) {
        rc = usage_error("--failure-threshold takes error, warning, info or "
                         "style, not '%s'", v ? v : "");
        goto done;
      }
    }
    else if(VAL("--config")) {
      if(!v) {
        rc = usage_error("%s needs a file", "--config");
        goto done;
      }
      config = v;
    }
    else if(VAL("--context")) {
      if(!v) {
        rc = usage_error("%s needs a directory", "--context");
        goto done;
      }
      context = v;
    }
    else if(VAL("--build-arg")) {
      if(v && strncmp(v, "BUILDKIT_DOCKERFILE_CHECK=", 26) == 0)
        check_override = v + 26;
    }
    else if(strcmp(arg, "--no-color") == 0) {
      color = false;
    }
    else if(arg[0] == '-' && arg[1]) {
      rc = usage_error("unknown option '%s'", arg);
      goto done;
    }
    else {
      mdk_vec_push(&a, &files, &arg);
    }
#undef VAL
  }
  if(!files.len) {
    rc = usage_error("no Dockerfile given%s", "");
    goto done;
  }
  fmt = mdk_cli_lint_format_parse(format);
  if(threshold < 0 && config) {
    /* an explicit config's threshold applies to every file */
    struct mdk_cli_lint_config c0;
    const char *why = NULL;
    if(mdk_cli_lint_config_load(&a, config, ".", &c0, &why)) {
      fprintf(stderr, "mdock: error: invalid lint config: %s\n", why);
      rc = 2;
      goto done;
    }
    threshold = c0.threshold;
  }
  mdk_cli_lint_begin(&writer, stdout, (enum mdk_cli_lint_format)fmt,
                     color && fmt == MDK_LINT_FMT_TTY);
  writing = true;
  {
    struct mdk_cli_lint_run_opts ro = {dialect, config, context,
                                       check_override, threshold};
    struct lint_sink_ctx sc = {&writer, 0, false};
    mdk_cli_lint_run(&ro, files.items, files.len, lint_sink, &sc);
    rc = sc.rc;
    io_error = sc.io_error;
  }
  if(io_error)
    rc = 2;
done:
  if(writing)
    mdk_cli_lint_end(&writer);
  mdk_arena_fini(&a);
  return rc;
}

static void build_usage(FILE *out)
{
  fputs("usage: mdock build [options] [CONTEXT]\n"
        "\n"
        "Builds a Dockerfile into an image in the local store (no daemon).\n"
        "\n"
        "options:\n"
        "  -f, --file FILE         the Dockerfile (default CONTEXT/Dockerfile)\n"
        "  -t, --tag NAME[:TAG]    tag the image in the store (repeatable)\n"
        "  -o, --output type=T,dest=D   also write it out: oci (layout dir),\n"
        "                          oci-archive, docker-archive (docker load),\n"
        "                          local (the root filesystem)\n"
        "  --target STAGE          build this stage (default: the last)\n"
        "  --build-arg K[=V]       build argument\n"
        "  --secret-build-arg K[=V]  a build argument RUN sees but no\n"
        "                          history, progress line or config holds\n"
        "                          (ENV or LABEL of it is an error)\n"
        "  --platform P            target platform (default linux/amd64)\n"
        "  --dialect modal         build only what Modal's builder accepts\n"
        "                          (fails early with the lint finding)\n"
        "  --compression C         gzip[:1-12] (default), zstd[:1-19] or\n"
        "                          uncompressed\n"
        "  --push                  push every -t NAME to its registry\n"
        "  --pull always|missing|never   when FROM images are pulled\n"
        "  --lock FILE [--locked]  write (or enforce) the digest each FROM\n"
        "                          resolved to\n"
        "  --insecure-registry HOST   plain HTTP for HOST\n"
        "  --cache-to type=registry,ref=R    export the build's cache to R\n"
        "  --cache-from type=registry,ref=R  reuse a cache exported to R\n"
        "  --no-cache              rebuild every step (also MDOCK_FORCE_BUILD=1;\n"
        "                          `# mdock force-build` above one instruction\n"
        "                          rebuilds it and what follows)\n"
        "  --no-cache-filter S,..  rebuild these stages only\n"
        "  --context-file NAME=PATH  for --command lists: PATH is the context\n"
        "                          file NAME (COPY /NAME ... as in Modal)\n"
        "  --secret id=ID,src=FILE | id=ID,env=VAR\n"
        "                          a secret for RUN --mount=type=secret (never\n"
        "                          in a layer, the config or the history)\n"
        "  --allow security.insecure   permit RUN --security=insecure\n"
        "  --runtime runc|crun     hand RUN steps to that OCI runtime (default:\n"
        "                          mdock's own namespaces)\n"
        "  --command LINE, --commands-file FILE, --from IMAGE\n"
        "                          build a Modal-style dockerfile_commands list\n"
        "  --progress auto|tty|plain|json   how steps are shown on stderr\n"
        "                          (json: one event per line, for tools)\n"
        "  -q, --quiet             no progress\n"
        "\n"
        "SOURCE_DATE_EPOCH, when set, is the time recorded in the image and\n"
        "clamps every file time: the same input gives the same digests.\n"
        "The store is $MDOCK_ROOT (default /var/lib/mdock for root).\n", out);
}

/* --lock FILE: {"from": {"REF": "sha256:..."}} as JSON */
static int load_lock(struct mdk_arena *a, const char *path,
                     struct mdk_be_resolve_opts *ro)
{
  struct mdk_source *src;
  int err;
  size_t n = 0, cap = 0;
  const char **refs = NULL, **digs = NULL;
  const char *p, *q;
  if(mdk_source_read(a, path, 1 << 20, &src, &err)) {
    fprintf(stderr, "mdock: error: cannot read the lock file %s: %s\n", path,
            err ? strerror(err) : "too large");
    return 1;
  }
  /* "REF": "sha256:HEX" pairs; the file is ours, its form is fixed */
  p = src->data;
  while((p = strstr(p, "\": \"sha256:"))) {
    const char *start = p;
    while(start > src->data && start[-1] != '"')
      start--;
    q = p + 4;
    if(n == cap) {
      cap = cap ? cap * 2 : 8;
      refs = mdk_arena_realloc(a, refs, n * sizeof(*refs), cap * sizeof(*refs));
      digs = mdk_arena_realloc(a, digs, n * sizeof(*digs), cap * sizeof(*digs));
    }
    refs[n] = mdk_arena_strndup(a, start, (size_t)(p - start));
    digs[n] = mdk_arena_strndup(a, q, 71);
    n++;
    p = q;
  }
  ro->lock_refs = refs;
  ro->lock_digests = digs;
  ro->nlock = n;
  return 0;
}

static int save_lock(const char *path, const struct mdk_be_resolve_opts *ro)
{
  struct mdk_buf b;
  int err;
  size_t i, j;
  mdk_buf_init(&b, 1 << 20);
  mdk_buf_puts(&b, "{\n  \"from\": {");
  for(i = 0; i < ro->nresolved; i++) {
    bool dup = false;
    for(j = 0; j < i; j++)
      if(strcmp(ro->refs[j], ro->refs[i]) == 0)
        dup = true;
    if(dup)
      continue;
    mdk_buf_printf(&b, "%s\n    \"%s\": \"%s\"", i ? "," : "", ro->refs[i],
                   ro->digests[i]);
  }
  mdk_buf_puts(&b, "\n  }\n}\n");
  if(mdk_write_atomic(path, b.ptr, b.len, &err)) {
    fprintf(stderr, "mdock: error: cannot write %s: %s\n", path,
            strerror(err));
    mdk_buf_free(&b);
    return 1;
  }
  mdk_buf_free(&b);
  return 0;
}

static void print_be_err(const struct mdk_err *e, bool color)
{
  if(e->loc.src) {
    struct mdk_diag dg = {MDK_SEV_ERROR, e->loc, e->msg, NULL, NULL};
    mdk_diag_print(&dg, stderr, color);
  }
  else {
    fprintf(stderr, "mdock: error: %s\n", e->msg);
  }
}

static int cmd_build(int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_diags diags;
  struct opts o;
  struct mdk_source *src = NULL;
  struct mdk_ir_graph *g = NULL;
  struct mdk_be_store store;
  struct mdk_be_build_opts bo;
  struct mdk_be_image im;
  struct mdk_err e;
  enum mdk_status st;
  const char *dockerfile, *epoch_s = getenv("SOURCE_DATE_EPOCH");
  bool store_open = false, have_image = false;
  char *ctx_dir = NULL;
  int rc = 0, i;
  size_t k;

  mdk_arena_init(&a);
  mdk_diags_init(&diags, &a);
  memset(&o, 0, sizeof(o));
  memset(&e, 0, sizeof(e));
  memset(&bo, 0, sizeof(bo));
  o.is_ir = o.is_build = true;
  o.commands = MDK_VEC_INIT(struct mdk_str);
  o.build_args = MDK_VEC_INIT(struct mdk_fe_kv);
  o.more = MDK_VEC_INIT(const char *);
  o.tags = MDK_VEC_INIT(const char *);
  o.outputs = MDK_VEC_INIT(const char *);
  o.secrets = MDK_VEC_INIT(struct mdk_be_secret);
  o.secret_args = MDK_VEC_INIT(struct mdk_be_secret_arg);
  o.context_files = MDK_VEC_INIT(const char *);
  o.color = isatty(2) && !getenv("NO_COLOR");
  for(i = 0; i < argc; i++)
    if(strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      build_usage(stdout);
      return 0;
    }
  rc = parse_args(&a, argc, argv, &o);
  if(rc)
    goto done;
  bo.layer.epoch = -1;
  bo.now = (int64_t)time(NULL);
  if(epoch_s && *epoch_s) {
    char *end;
    long long v = strtoll(epoch_s, &end, 10);
    if(*end || v < 0) {
      rc = usage_error("SOURCE_DATE_EPOCH must be a number of seconds, not "
                       "'%s'", epoch_s);
      goto done;
    }
    bo.layer.epoch = v;
    bo.now = v;
  }
  if(o.compression && !mdk_be_compression_parse(o.compression,
                                                &bo.layer.comp)) {
    rc = usage_error("--compression takes gzip[:1-12], zstd[:1-19] or "
                     "uncompressed, not '%s'", o.compression);
    goto done;
  }
  for(k = 0; k < o.outputs.len; k++) {
    struct mdk_be_output out;
    const char *why = NULL;
    if(!mdk_be_output_parse(&a, *mdk_vec_at(&o.outputs, const char *, k),
                            &out, &why)) {
      rc = usage_error("%s", why);
      goto done;
    }
  }
  rc = load_source(&a, &o, &src);
  if(rc)
    goto done;
  dockerfile = o.file ? o.file
                      : mdk_arena_printf(&a, "%s/Dockerfile",
                                         o.context ? o.context : ".");
  if(mdk_be_store_open(&store, NULL, MDK_BE_LOCK_SHARED, &e)) {
    print_be_err(&e, o.color);
    rc = 1;
    goto done;
  }
  store_open = true;
  /* a --command list builds from --context-file files only (Modal's
   * context_files): they are staged into a context of their own */
  if(o.commands.len || o.commands_file) {
    size_t c;
    ctx_dir = mdk_arena_printf(&a, "%s/tmp/context-%ld", store.root,
                               (long)getpid());
    mdk_rmtree(ctx_dir);
    if(mkdir(ctx_dir, 0755)) {
      fprintf(stderr, "mdock: error: cannot create %s\n", ctx_dir);
      rc = 1;
      goto done;
    }
    for(c = 0; c < o.context_files.len; c++) {
      const char *spec = *mdk_vec_at(&o.context_files, const char *, c);
      const char *eq = strchr(spec, '=');
      char *name = mdk_arena_strndup(&a, spec, (size_t)(eq - spec));
      char *dst, *slash;
      int err2;
      while(*name == '/')
        name++;
      if(!*name || strstr(name, "..")) {
        rc = usage_error("--context-file NAME must be a path inside the "
                         "context, not '%s'", spec);
        goto done;
      }
      dst = mdk_arena_printf(&a, "%s/%s", ctx_dir, name);
      slash = strrchr(dst, '/');
      *slash = '\0';
      mdk_mkdir_p(dst, &err2);
      *slash = '/';
      if(mdk_copy_file(eq + 1, dst, &err2)) {
        fprintf(stderr, "mdock: error: --context-file %s: %s\n", spec,
                strerror(err2));
        rc = 1;
        goto done;
      }
    }
    o.context = ctx_dir;
  }
  /* --dialect modal: what Modal's builder would refuse fails here, with
   * the lint finding; what would only misbehave at run time (ENTRYPOINT
   * checks) is shown and the build goes on */
  if(o.dialect == MDK_FE_DIALECT_MODAL) {
    struct mdk_fe_lint_opts lo = {
      .dialect = MDK_FE_DIALECT_MODAL,
      .context_dir = o.context ? o.context : ".",
      .dockerfile_path = o.file,
    };
    struct mdk_fe_lint_result res;
    struct mdk_cli_lint_writer w;
    struct mdk_cli_lint_file lf = {src->name, src, NULL, 0};
    struct mdk_fe_finding *keep = NULL;
    size_t j, nk = 0;
    bool refused = false;
    mdk_fe_lint(&a, src, &lo, &res);
    keep = mdk_arena_array(&a, struct mdk_fe_finding, res.n + 1);
    for(j = 0; j < res.n; j++) {
      enum mdk_fe_rule r = res.f[j].rule;
      bool builder = r == MDK_LINT_MODAL_DEFAULT_VAR ||
                     r == MDK_LINT_MODAL_ADD_LOCAL ||
                     r == MDK_LINT_MODAL_COPY_VAR ||
                     r == MDK_LINT_MODAL_COPY_FLAGS ||
                     r == MDK_LINT_MODAL_PLATFORM || r == MDK_LINT_SYNTAX;
      if(mdk_fe_rule_info(r)->cat != MDK_LINT_MODAL && r != MDK_LINT_SYNTAX)
        continue;
      refused |= builder;
      keep[nk++] = res.f[j];
    }
    lf.f = keep;
    lf.n = nk;
    if(nk) {
      mdk_cli_lint_begin(&w, stderr, MDK_LINT_FMT_TTY, o.color);
      mdk_cli_lint_file(&w, &lf);
      mdk_cli_lint_end(&w);
    }
    if(refused) {
      fprintf(stderr, "mdock: error: Modal's builder would not build this "
              "(see the findings above; --dialect docker builds it)\n");
      rc = 1;
      goto done;
    }
  }
  {
    struct mdk_fe_compile_opts co = {o.dialect, o.build_args.items,
                                     o.build_args.len, o.platform, o.target,
                                     false, NULL, mdk_cli_base_env, &store,
                                     mdk_cli_base_onbuild};
    st = mdk_fe_compile(&a, &diags, src, &co, &g);
  }
  mdk_diags_print(&diags, stderr, o.color);
  if(st) {
    rc = mdk_status_exit_code(st);
    goto done;
  }
  /* keys take the base images' digests and the context's content */
  {
    bool pulled = false;
    struct mdk_be_resolve_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.pull = !o.pull || strcmp(o.pull, "missing") == 0 ? MDK_BE_PULL_MISSING
            : strcmp(o.pull, "always") == 0 ? MDK_BE_PULL_ALWAYS
                                            : MDK_BE_PULL_NEVER;
    ro.insecure_host = o.insecure;
    if(o.locked && !o.lock) {
      rc = usage_error("--locked needs --lock FILE%s", "");
      goto done;
    }
    if(o.locked && load_lock(&a, o.lock, &ro)) {
      rc = 1;
      goto done;
    }
    ro.locked = o.locked;
    if(mdk_be_resolve_bases(&store, &a, g, &ro, &pulled, &e)) {
      print_be_err(&e, o.color);
      rc = 1;
      goto done;
    }
    /* a base pulled just now: its ENV and ONBUILD are known at last */
    if(pulled) {
      struct mdk_fe_compile_opts co = {o.dialect, o.build_args.items,
                                       o.build_args.len, o.platform, o.target,
                                       false, NULL, mdk_cli_base_env, &store,
                                       mdk_cli_base_onbuild};
      ro.pull = MDK_BE_PULL_MISSING;
      mdk_diags_init(&diags, &a);
      if(mdk_fe_compile(&a, &diags, src, &co, &g) ||
         mdk_be_resolve_bases(&store, &a, g, &ro, &pulled, &e)) {
        mdk_diags_print(&diags, stderr, o.color);
        rc = 1;
        goto done;
      }
    }
    if(o.lock && !o.locked && save_lock(o.lock, &ro)) {
      rc = 1;
      goto done;
    }
  }
  if(mdk_cli_ir_hash_context(&a, g, o.context ? o.context : ".", dockerfile,
                             store.root, false)) {
    rc = 1;
    goto done;
  }
  if(o.cache_from) {
    struct mdk_be_pull_opts po = {.insecure_host = NULL};
    size_t ne;
    char *comma = strchr(o.cache_from, ',');
    if(comma)
      *comma = '\0';
    /* a cache that cannot be read is no reason not to build */
    if(mdk_be_cache_import(&store, o.cache_from, &po, &ne, &e))
      fprintf(stderr, "mdock: warning: --cache-from %s: %s\n", o.cache_from,
              e.msg);
    else if(!o.quiet)
      fprintf(stderr, "cache from %s: %zu entries\n", o.cache_from, ne);
  }
  bo.context = o.context ? o.context : ".";
  bo.dockerfile = dockerfile;
  /* Modal's MODAL_FORCE_BUILD */
  bo.no_cache = o.no_cache || (getenv("MDOCK_FORCE_BUILD") &&
                               strcmp(getenv("MDOCK_FORCE_BUILD"), "0") &&
                               *getenv("MDOCK_FORCE_BUILD"));
  bo.no_cache_filter = o.no_cache_filter;
  bo.progress = o.quiet ? NULL : stderr;
  if(!o.progress || strcmp(o.progress, "auto") == 0)
    bo.progress_fmt = isatty(2) && !getenv("NO_COLOR") ? MDK_BE_PROGRESS_TTY
                                                      : MDK_BE_PROGRESS_PLAIN;
  else
    bo.progress_fmt = strcmp(o.progress, "json") == 0 ? MDK_BE_PROGRESS_JSON
                    : strcmp(o.progress, "tty") == 0 ? MDK_BE_PROGRESS_TTY
                                                     : MDK_BE_PROGRESS_PLAIN;
  bo.secrets = o.secrets.items;
  bo.nsecrets = o.secrets.len;
  bo.secret_args = o.secret_args.items;
  bo.nsecret_args = o.secret_args.len;
  bo.allow_insecure = o.allow_insecure;
  bo.oci_runtime = o.runtime;
  if(mdk_be_build(&store, g, &bo, &im, &e)) {
    print_be_err(&e, o.color);
    rc = 1;
    goto done;
  }
  have_image = true;
  for(k = 0; k < o.tags.len; k++) {
    const char *t = mdk_be_ref_normalize(&a, *mdk_vec_at(&o.tags,
                                                         const char *, k));
    if(mdk_be_tag_set(&store, t, im.manifest, &e)) {
      print_be_err(&e, o.color);
      rc = 1;
      goto done;
    }
  }
  if(o.cache_to) {
    struct mdk_be_pull_opts po = {.insecure_host = NULL};
    size_t ne;
    char *comma = strchr(o.cache_to, ',');
    if(comma)
      *comma = '\0';
    if(mdk_be_cache_export(&store, g, o.cache_to, &po, &ne, &e)) {
      print_be_err(&e, o.color);
      rc = 1;
      goto done;
    }
    if(!o.quiet)
      fprintf(stderr, "cache to %s: %zu entries\n", o.cache_to, ne);
  }
  for(k = 0; o.push && k < o.tags.len; k++) {
    struct mdk_be_pull_opts po = {.progress = o.quiet ? NULL : stderr};
    struct mdk_be_push_report rep;
    if(mdk_be_push(&store, &im, *mdk_vec_at(&o.tags, const char *, k), &po,
                   &rep, &e)) {
      print_be_err(&e, o.color);
      rc = 1;
      goto done;
    }
  }
  for(k = 0; k < o.outputs.len; k++) {
    struct mdk_be_output out;
    const char *why = NULL;
    mdk_be_output_parse(&a, *mdk_vec_at(&o.outputs, const char *, k), &out,
                        &why);
    if(mdk_be_export(&store, &im, &out,
                     o.tags.len ? mdk_be_ref_normalize(
                       &a, *mdk_vec_at(&o.tags, const char *, 0)) : NULL,
                     &e)) {
      print_be_err(&e, o.color);
      rc = 1;
      goto done;
    }
  }
  printf("%s\n", im.manifest);
done:
  if(ctx_dir)
    mdk_rmtree(ctx_dir);
  if(have_image)
    mdk_be_image_free(&im);
  if(store_open)
    mdk_be_store_close(&store);
  mdk_arena_fini(&a);
  return rc;
}

int main(int argc, char **argv)
{
  /* file names are bytes, and layers carry them as UTF-8 (as BuildKit's
   * do): libarchive converts through the locale's character set, which in
   * the C locale is ASCII and fails on "café".  Names that are not UTF-8
   * still go in, raw (hdrcharset=BINARY). */
  (void)setlocale(LC_CTYPE, "C.UTF-8");
  if(argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0
     || strcmp(argv[1], "help") == 0) {
    fputs("usage: mdock <command> [options]\n\n"
          "commands:\n"
          "  parse     read a Dockerfile and print its syntax tree\n"
          "  ir        print the typed layer IR with cache keys\n"
          "  lint      find what will break or differ (Modal, BuildKit checks)\n"
          "  build     build an image into the local store (no daemon)\n"
          "  images    list the images in the store\n"
          "  inspect   an image's manifest, config and layers as JSON\n"
          "  tag, rmi  name an image / remove a name\n"
          "  import    oci:DIR[:tag] | oci-archive:F | docker-archive:F\n"
          "  export    write a stored image out (--output type=...,dest=...)\n"
          "  prune     remove what no image or cache entry uses\n"
          "  fsck      re-hash every blob and check every image\n"
          "  version   print the version\n\n"
          "run 'mdock <command> --help' for a command's options\n",
          argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if(strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
    printf("mdock %s\n", MDK_VERSION);
    return 0;
  }
  if(strcmp(argv[1], "parse") == 0)
    return cmd_parse(argc - 2, argv + 2);
  if(strcmp(argv[1], "ir") == 0)
    return cmd_ir(argc - 2, argv + 2);
  if(strcmp(argv[1], "lint") == 0)
    return cmd_lint(argc - 2, argv + 2);
  if(strcmp(argv[1], "build") == 0)
    return cmd_build(argc - 2, argv + 2);
  {
    int r = mdk_cli_store_cmd(argv[1], argc - 2, argv + 2);
    if(r >= 0)
      return r;
  }
  fprintf(stderr, "mdock: error: unknown command '%s'\n"
          "hint: run 'mdock --help' for the commands\n", argv[1]);
  return 2;
}
