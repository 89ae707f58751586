/* input.c - see input.h. */
#include "cli/input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { INPUT_LIMIT = 64 << 20 };

void mdk_cli_input_init(struct mdk_cli_input *in)
{
  memset(in, 0, sizeof(*in));
  in->commands = MDK_VEC_INIT(struct mdk_str);
  in->build_args = MDK_VEC_INIT(struct mdk_fe_kv);
  in->secret_args = MDK_VEC_INIT(struct mdk_be_secret_arg);
}

/* K=V, or K alone: V from the environment (docker build ignores an unset
 * K).  --secret-build-arg also records it as a value to mask. */
static void build_arg(struct mdk_arena *a, struct mdk_cli_input *in,
                      const char *v, bool secret)
{
  const char *eq = strchr(v, '=');
  struct mdk_fe_kv kv;
  if(eq) {
    kv.key = mdk_str_make(v, (size_t)(eq - v));
    kv.val = mdk_str_c(eq + 1);
  }
  else {
    const char *env = getenv(v);
    if(!env)
      return;
    kv.key = mdk_str_c(v);
    kv.val = mdk_str_c(env);
  }
  mdk_vec_push(a, &in->build_args, &kv);
  if(secret) {
    struct mdk_be_secret_arg sa = {kv.key, kv.val};
    mdk_vec_push(a, &in->secret_args, &sa);
  }
}

bool mdk_cli_input_opt(struct mdk_arena *a, struct mdk_cli_input *in, int id,
                       const char *val)
{
  switch(id) {
  case MDK_IN_FILE: in->file = val; return true;
  case MDK_IN_COMMAND: {
    struct mdk_str s = mdk_str_c(val);
    mdk_vec_push(a, &in->commands, &s);
    return true;
  }
  case MDK_IN_COMMANDS_FILE: in->commands_file = val; return true;
  case MDK_IN_FROM: in->from = val; return true;
  case MDK_IN_BUILD_ARG: build_arg(a, in, val, false); return true;
  case MDK_IN_SECRET_BUILD_ARG: build_arg(a, in, val, true); return true;
  case MDK_IN_DIALECT:
    in->dialect = strcmp(val, "modal") == 0 ? MDK_FE_DIALECT_MODAL
                                            : MDK_FE_DIALECT_DOCKER;
    return true;
  case MDK_IN_PLATFORM: in->platform = val; return true;
  case MDK_IN_TARGET: in->target = val; return true;
  }
  return false;
}

bool mdk_cli_input_is_list(const struct mdk_cli_input *in)
{
  return in->commands.len || in->commands_file;
}

const char *mdk_cli_input_dockerfile(struct mdk_arena *a,
                                     const struct mdk_cli_input *in)
{
  if(in->file)
    return in->file;
  return mdk_arena_printf(a, "%s/Dockerfile", in->context ? in->context
                                                          : ".");
}

int mdk_cli_read_file(struct mdk_arena *a, const char *path,
                      struct mdk_source **src)
{
  int err = 0;
  if(mdk_source_read(a, path, INPUT_LIMIT, src, &err)) {
    fprintf(stderr, "mdock: error: cannot read %s: %s\n", path,
            err ? strerror(err) : "file too large");
    return 1;
  }
  return 0;
}

/* --commands-file: a JSON array of strings, or one command per line */
static int commands_file(struct mdk_arena *a, const struct mdk_cli_input *in,
                         struct mdk_str **cmds, size_t *n, const char **name)
{
  struct mdk_source *cf;
  const char *why = NULL;
  if(mdk_cli_read_file(a, in->commands_file, &cf))
    return 1;
  if(mdk_fe_commands_parse(a, mdk_str_make(cf->data, cf->len), cmds, n,
                           &why)) {
    fprintf(stderr, "%s:1:1: error: not a commands list: %s\n"
            "    hint: write a JSON array of strings, e.g. "
            "[\"RUN echo hi\"], or one command per line\n", cf->name, why);
    return 1;
  }
  *name = strcmp(in->commands_file, "-") == 0 ? "<stdin>" : in->commands_file;
  return 0;
}

int mdk_cli_input_load(struct mdk_arena *a, const struct mdk_cli_input *in,
                       const struct mdk_cli_cmd *cmd,
                       struct mdk_source **src)
{
  struct mdk_str *cmds = in->commands.items;
  size_t n = in->commands.len;
  const char *name = "--command";
  int rc;
  if(!mdk_cli_input_is_list(in)) {
    if(in->from)
      return mdk_cli_usage_error(cmd, "--from applies to --command/"
                                 "--commands-file lists");
    return mdk_cli_read_file(a, mdk_cli_input_dockerfile(a, in), src);
  }
  if(in->file)
    return mdk_cli_usage_error(cmd, "give either a Dockerfile or commands, "
                               "not both (%s)", in->file);
  if(in->commands_file) {
    if(in->commands.len)
      return mdk_cli_usage_error(cmd, "give --command or --commands-file, "
                                 "not both");
    rc = commands_file(a, in, &cmds, &n, &name);
    if(rc)
      return rc;
  }
  *src = mdk_fe_commands_source(a, name, in->from, cmds, n);
  return 0;
}
