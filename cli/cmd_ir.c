/* cmd_ir.c - mdock ir: the typed layer IR of a Dockerfile, with every
 * value expanded and per-op cache keys; --diff says why a build would
 * rebuild. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/pipeline.h"
#include "cli/emit_modal.h"
#include "cli/ir_load.h"

enum { O_FORMAT = 1, O_NO_OPT, O_PASSES, O_DIFF, O_VERBOSE, O_EMIT };

static const struct mdk_cli_opt opts[] = {
  MDK_IN_OPT_FILE("the Dockerfile (default CONTEXT/Dockerfile)"),
  {O_FORMAT, "format", 0, MDK_ARG_VALUE, NULL, "text|json",
   "one line per op (default), or mdock.ir/v1 JSON"},
  MDK_IN_OPT_TARGET,
  MDK_IN_OPT_BUILD_ARG,
  {O_NO_OPT, "no-opt", 0, MDK_ARG_NONE, NULL, NULL,
   "the IR before the optimizer passes"},
  {O_PASSES, "passes", 0, MDK_ARG_VALUE, "a,b", NULL,
   "run only these passes (fold, prune, merge, dedupe,\norder)"},
  {O_DIFF, "diff", 0, MDK_ARG_VALUE, "OLD", NULL,
   "why the Dockerfile (the operand NEW) would rebuild\nwhere OLD was "
   "cached; OLD is a Dockerfile or a\nsaved --format json"},
  {O_EMIT, "emit", 0, MDK_ARG_VALUE, NULL, "modal",
   "modal: the Python modal.Image chain that builds\nthe same image on "
   "Modal (Modal findings as\ncomments; a multi-stage file falls back to\n"
   "from_dockerfile)"},
  {O_VERBOSE, "verbose", 'v', MDK_ARG_NONE, NULL, NULL,
   "with CONTEXT: list the context files each COPY/ADD\nselects"},
  MDK_IN_OPT_COMMANDS,
  MDK_IN_OPT_DIALECT("builder semantics (default docker)"),
  MDK_IN_OPT_PLATFORM,
  {0}
};

struct ir_opts {
  struct mdk_arena *a;
  const struct mdk_cli_cmd *cmd;
  const char *operand;          /* CONTEXT, or NEW with --diff */
  struct mdk_cli_input in;
  const char *format, *passes, *diff_old, *emit;
  bool no_opt, verbose, color;
};

/* A Dockerfile is compiled; a saved JSON IR is loaded. */
static enum mdk_status ir_from(struct mdk_arena *a, struct mdk_diags *diags,
                               const struct mdk_cli_compile_opts *co,
                               const struct mdk_source *src,
                               struct mdk_ir_graph **g)
{
  size_t i = 0;
  const char *why = NULL;
  enum mdk_status st;
  while(i < src->len && mdk_ascii_is_space(src->data[i]))
    i++;
  if(i < src->len && src->data[i] == '{') {
    st = mdk_cli_ir_load(a, mdk_str_make(src->data, src->len), g, &why);
    if(st)
      fprintf(stderr, "%s:1:1: error: %s\n", src->name, why);
    return st;
  }
  return mdk_cli_compile(a, diags, src, co, g);
}

static int ir_diff(struct mdk_arena *a, struct mdk_diags *diags,
                   const struct mdk_cli_compile_opts *co,
                   const struct ir_opts *o, const struct mdk_source *new_src)
{
  struct mdk_source *old_src;
  struct mdk_ir_graph *og = NULL, *ng = NULL;
  struct mdk_buf out;
  enum mdk_status st;
  bool changed;

  if(mdk_cli_read_file(a, o->diff_old, &old_src))
    return 1;
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

/* every name of --passes=a,b must be a pass */
static int check_passes(const struct mdk_cli_cmd *cmd, struct mdk_arena *a,
                        const char *list)
{
  char *p = mdk_arena_strndup(a, list, strlen(list)), *tok, *sv;
  for(tok = strtok_r(p, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv)) {
    size_t k;
    bool ok = false;
    for(k = 0; k < mdk_ir_npasses; k++)
      ok |= strcmp(tok, mdk_ir_passes[k].name) == 0;
    if(!ok)
      return mdk_cli_usage_error(cmd, "unknown pass '%s' (passes: fold, "
                                 "prune, merge, dedupe, order)", tok);
  }
  return 0;
}

static int on_arg(void *p, int id, const char *v)
{
  struct ir_opts *o = p;
  if(mdk_cli_input_opt(o->a, &o->in, id, v))
    return 0;
  switch(id) {
  case O_FORMAT: o->format = v; break;
  case O_NO_OPT: o->no_opt = mdk_cli_on(v); break;
  case O_PASSES: o->passes = v; break;
  case O_DIFF: o->diff_old = v; break;
  case O_VERBOSE: o->verbose = mdk_cli_on(v); break;
  case O_EMIT: o->emit = v; break;
  default:
    if(o->operand)
      return mdk_cli_usage_error(o->cmd, "more than one build context "
                                 "given ('%s')", v);
    o->operand = v;
  }
  return 0;
}

static int read_args(const struct mdk_cli_cmd *cmd, int argc, char **argv,
                     struct ir_opts *o)
{
  int rc = mdk_cli_each(cmd, argc, argv, on_arg, o);
  if(rc)
    return rc;
  /* `--diff OLD NEW`: the operand is the new Dockerfile */
  if(o->diff_old && !o->in.file) {
    if(!o->operand)
      return mdk_cli_usage_error(cmd, "--diff needs OLD and NEW "
                                 "(Dockerfiles or saved JSON IR)");
    o->in.file = o->operand;
  }
  else {
    o->in.context = o->operand;
  }
  return o->passes ? check_passes(cmd, o->a, o->passes) : 0;
}

static int print_ir(const struct ir_opts *o, const struct mdk_ir_graph *g)
{
  struct mdk_buf out;
  enum mdk_status st;
  mdk_buf_init(&out, (size_t)1 << 30);
  if(strcmp(o->format, "json") == 0)
    st = mdk_ir_dump_json(g, &out);
  else
    st = mdk_ir_dump_text(g, &out);
  fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
  mdk_buf_free(&out);
  return st ? 1 : 0;
}

/* base images' ENV from the store, when there is one already */
static bool open_store_if_any(struct mdk_arena *a, struct mdk_be_store *s)
{
  char *root = mdk_state_root();
  char *refs = root ? mdk_arena_printf(a, "%s/refs", root) : NULL;
  bool ok = refs && access(refs, F_OK) == 0 &&
            mdk_be_store_open(s, root, MDK_BE_LOCK_SHARED, NULL) == MDK_OK;
  free(root);
  return ok;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_arena a;
  struct mdk_diags diags;
  struct ir_opts o;
  struct mdk_source *src = NULL;
  struct mdk_ir_graph *g = NULL;
  struct mdk_be_store store;
  bool store_open = false;
  enum mdk_status st;
  int rc;

  mdk_arena_init(&a);
  mdk_diags_init(&diags, &a);
  memset(&o, 0, sizeof(o));
  o.a = &a;
  o.cmd = cmd;
  mdk_cli_input_init(&o.in);
  o.format = "text";
  o.color = mdk_cli_color();
  rc = read_args(cmd, argc, argv, &o);
  if(!rc && o.in.platform) {
    /* one platform's IR: a build of several makes one graph each */
    struct mdk_platform p;
    if(strchr(o.in.platform, ','))
      rc = mdk_cli_usage_error(cmd, "ir shows one platform's layers: give "
                               "one of %s", o.in.platform);
    else if(!(rc = mdk_cli_platform_arg(cmd, o.in.platform, &p)))
      o.in.platform = mdk_platform_normalize(&a, o.in.platform);
  }
  if(!rc)
    rc = mdk_cli_input_load(&a, &o.in, cmd, &src);
  if(rc)
    goto done;
  if(o.emit) {
    struct mdk_buf out;
    mdk_buf_init(&out, (size_t)1 << 30);
    rc = mdk_cli_emit_modal(&a, src, mdk_cli_input_is_list(&o.in)
                                       ? src->name
                                       : mdk_cli_input_dockerfile(&a, &o.in),
                            o.in.context ? o.in.context : ".", &out);
    fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
    mdk_buf_free(&out);
    goto done;
  }
  store_open = open_store_if_any(&a, &store);
  {
    struct mdk_cli_compile_opts co = {
      o.in.dialect, o.in.build_args.items, o.in.build_args.len,
      o.in.platform, o.in.target, o.no_opt, o.passes, mdk_cli_base_env,
      store_open ? &store : NULL, mdk_cli_base_onbuild, NULL, NULL, 0, NULL,
      0, NULL, NULL, 0};
    if(o.diff_old) {
      rc = ir_diff(&a, &diags, &co, &o, src);
      goto done;
    }
    st = mdk_cli_compile(&a, &diags, src, &co, &g);
  }
  if(!st && o.in.context) {
    char *root = mdk_state_root();
    st = mdk_cli_ir_hash_context(&a, g, o.in.context,
                                 mdk_cli_input_dockerfile(&a, &o.in), root,
                                 o.verbose);
    free(root);
  }
  mdk_diags_print(&diags, stderr, o.color);
  rc = st ? mdk_status_exit_code(st) : print_ir(&o, g);
done:
  if(store_open)
    mdk_be_store_close(&store);
  mdk_arena_fini(&a);
  return rc < 0 ? 0 : rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_ir = {
  "ir", "[options] [CONTEXT]",
  "print the typed layer IR with cache keys",
  "Prints the typed layer IR of a Dockerfile: stages, ops with every value\n"
  "expanded, and per-op cache keys.  With CONTEXT the keys take the digests\n"
  "of the context files each COPY/ADD selects.",
  opts,
  "  mdock ir .\n"
  "  mdock ir -f Dockerfile --format json\n"
  "  mdock ir -f Dockerfile --emit modal > image.py\n"
  "  mdock ir --target test --build-arg V=2 .\n"
  "  mdock ir --passes=prune,merge -f Dockerfile\n"
  "  mdock ir --diff old.json Dockerfile\n",
  "exit status: 0 ok, 1 the input has errors, 2 usage error\n",
  run, false, false
};
