/* base_env.h - the ENV of FROM images, from the local store, for the
 * frontend's expansion (`FROM python:3.12` then `ENV PATH=/x:$PATH`). */
#ifndef MDK_CLI_BASE_ENV_H
#define MDK_CLI_BASE_ENV_H

#include "store/store.h"
#include "frontend/frontend.h"

/* ctx: a struct mdk_be_store * (open), or NULL for "never known". */
bool mdk_cli_base_env(void *ctx, struct mdk_arena *a, struct mdk_str image,
                      const struct mdk_fe_kv **env, size_t *n);

/* The ONBUILD triggers of a FROM image (ctx as above). */
bool mdk_cli_base_onbuild(void *ctx, struct mdk_arena *a,
                          struct mdk_str image,
                          const struct mdk_str **triggers, size_t *n);

#endif
