/* pipeline.h - the front of the pipeline in one call: frontend -> ir ->
 * passes -> keys.  `mdock ir`, `mdock build` and the tests share it. */
#ifndef MDK_CLI_PIPELINE_H
#define MDK_CLI_PIPELINE_H

#include "frontend/frontend.h"
#include "ir/ir.h"

struct mdk_cli_compile_opts {
  enum mdk_fe_dialect dialect;
  const struct mdk_fe_kv *build_args;
  size_t nbuild_args;
  const char *platform;
  const char *target;
  bool no_opt;                 /* skip the passes */
  const char *passes;          /* comma list; NULL = every pass */
  /* see mdk_fe_expand_opts: FROM images' ENV, when known */
  bool (*base_env)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                   const struct mdk_fe_kv **env, size_t *n);
  void *base_env_ctx;
  /* a FROM image's ONBUILD triggers, when its config is known: they run
   * right after that FROM, as in BuildKit (ctx is base_env_ctx) */
  bool (*base_onbuild)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                       const struct mdk_str **triggers, size_t *n);
};

/* Source to hashed IR: parse, type, ONBUILD, expand (lenient, base
 * references kept), lower, passes (verified in debug builds), keys. */
enum mdk_status mdk_cli_compile(struct mdk_arena *a, struct mdk_diags *diags,
                                const struct mdk_source *src,
                                const struct mdk_cli_compile_opts *o,
                                struct mdk_ir_graph **out);

#endif
