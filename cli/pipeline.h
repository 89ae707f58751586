/* pipeline.h - the front of the pipeline: frontend -> ir -> passes -> keys
 * (pipeline.c), with what only I/O can know: the ENV and ONBUILD of FROM
 * images in the store (pipeline_base.c) and the content of the context
 * files each COPY/ADD selects (pipeline_keys.c).  `mdock ir`, `mdock
 * build` and the tests share it. */
#ifndef MDK_CLI_PIPELINE_H
#define MDK_CLI_PIPELINE_H

#include "frontend/frontend.h"
#include "ir/ir.h"
#include "store/store.h"

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
                   struct mdk_str platform, const struct mdk_fe_kv **env,
                   size_t *n);
  void *base_env_ctx;
  /* a FROM image's ONBUILD triggers, when its config is known: they run
   * right after that FROM, as in BuildKit (ctx is base_env_ctx) */
  bool (*base_onbuild)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                       struct mdk_str platform,
                       const struct mdk_str **triggers, size_t *n);
  /* build-wide RUN settings, in each RUN's key (mdk_fe_ir_opts) */
  const char *network;         /* --network default|host|none, or NULL */
  const struct mdk_str *add_hosts;   /* --add-host HOST:IP */
  size_t nadd_hosts;
  const struct mdk_fe_kv *named;     /* --build-context NAME=REF */
  size_t nnamed;
  const char *shm_size;        /* --shm-size in bytes, or NULL */
  const struct mdk_str *ulimits;     /* --ulimit NAME=SOFT:HARD */
  size_t nulimits;
};

/* Source to hashed IR: parse, type, ONBUILD, expand (lenient, base
 * references kept), lower, passes (verified in debug builds), keys. */
enum mdk_status mdk_cli_compile(struct mdk_arena *a, struct mdk_diags *diags,
                                const struct mdk_source *src,
                                const struct mdk_cli_compile_opts *o,
                                struct mdk_ir_graph **out);

/* The ENV of a FROM image, from the local store, for the frontend's
 * expansion (`FROM python:3.12` then `ENV PATH=/x:$PATH`).  ctx: a struct
 * mdk_be_store * (open), or NULL for "never known". */
bool mdk_cli_base_env(void *ctx, struct mdk_arena *a, struct mdk_str image,
                      struct mdk_str platform, const struct mdk_fe_kv **env,
                      size_t *n);

/* The ONBUILD triggers of a FROM image (ctx as above). */
bool mdk_cli_base_onbuild(void *ctx, struct mdk_arena *a,
                          struct mdk_str image, struct mdk_str platform,
                          const struct mdk_str **triggers, size_t *n);

/* Adds a "context" field (the digest of the selected files after
 * .dockerignore) to every reachable COPY/ADD from the build context and
 * rehashes the graph.  cache_root NULL: no stat cache on disk. */
enum mdk_status mdk_cli_ir_hash_context(struct mdk_arena *a,
                                        struct mdk_ir_graph *g,
                                        const char *context,
                                        const char *dockerfile,
                                        const char *cache_root, bool verbose);

#endif
