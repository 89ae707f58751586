/* build.h - the executor: walks the optimized IR stage by stage, looks each
 * op's cache key up in the store, and builds what misses (COPY/ADD and
 * WORKDIR layers, config deltas) into an image.  RUN comes with the
 * runtime; until then a RUN that misses the cache is an error. */
#ifndef MDK_BE_BUILD_H
#define MDK_BE_BUILD_H

#include <stdio.h>

#include "store/store.h"
#include "backend/progress.h"
#include "backend/run_step.h"
#include "ir/ir.h"


struct mdk_be_secret_arg {
  struct mdk_str name, value;
};

struct mdk_be_build_opts {
  const char *context;          /* directory */
  const char *dockerfile;       /* for DOCKERFILE.dockerignore */
  struct mdk_be_layer_opts layer;
  int64_t now;                  /* SOURCE_DATE_EPOCH, else the build time */
  bool no_cache;
  const char *no_cache_filter;  /* comma list of stage names (or indexes)
                                   that rebuild, or NULL */
  FILE *progress;               /* NULL: quiet */
  enum mdk_be_progress progress_fmt;
  const struct mdk_be_secret *secrets;   /* --secret */
  size_t nsecrets;
  const struct mdk_be_ssh *ssh; /* --ssh (agents started) */
  size_t nssh;
  /* --secret-build-arg: their values are masked in history and progress,
   * and an ENV, LABEL or other config change that holds one fails */
  const struct mdk_be_secret_arg *secret_args;
  size_t nsecret_args;
  /* --secret-env: NAME and value given to every RUN as an environment
   * variable (Modal's secrets=): masked like secret build arguments, and
   * never in a cache key, a layer, the config or the history */
  const struct mdk_be_secret_arg *secret_env;
  size_t nsecret_env;
  bool allow_insecure;          /* --allow security.insecure */
  const char *oci_runtime;      /* --runtime runc|crun, or NULL */
  /* one platform of a multi-platform build: steps are named "[PLATFORM
   * NAME k/N]" as BuildKit names them, json events carry it (NULL: the
   * build has one platform) */
  const char *platform_label;
  int *step_ids;                /* shared by those platforms: the step
                                   numbers taken so far (NULL: none) */
  const char *const *labels;    /* --label K=V on the image (as BuildKit:
                                   the final config, no history entry) */
  size_t nlabels;
};

/* Looks every FROM image up in the store (pulling what is missing; then
 * *pulled) and records its manifest digest in the stage (the key input);
 * rehashes the graph. */
enum mdk_be_pull_policy { MDK_BE_PULL_MISSING, MDK_BE_PULL_ALWAYS,
                          MDK_BE_PULL_NEVER };

struct mdk_be_resolve_opts {
  enum mdk_be_pull_policy pull;
  const char *insecure_host;    /* --insecure-registry */
  /* --locked: FROM must resolve to what this lock says (NULL: no lock) */
  const char *const *lock_refs, *const *lock_digests;
  size_t nlock;
  bool locked;
  /* out: what every FROM resolved to, for --lock */
  const char **refs, **digests;
  size_t nresolved;
};

enum mdk_status mdk_be_resolve_bases(struct mdk_be_store *s,
                                     struct mdk_arena *a,
                                     struct mdk_ir_graph *g,
                                     struct mdk_be_resolve_opts *ro,
                                     bool *pulled, struct mdk_err *e);

/* A directory as an image of one layer and an empty config, stored; its
 * manifest digest names it (--build-context NAME=DIR). */
enum mdk_status mdk_be_image_from_dir(struct mdk_be_store *s,
                                      const char *dir, const char *platform,
                                      const struct mdk_be_layer_opts *lo,
                                      mdk_digest manifest, struct mdk_err *e);

/* Ctrl-C: the build stops (the running step's processes are killed by the
 * runtime), what it made is cleaned up; canceled says it happened. */
void mdk_be_cancel(void);
bool mdk_be_canceled(void);

/* Builds the target stage; *out is the (stored) image. */
enum mdk_status mdk_be_build(struct mdk_be_store *s, struct mdk_ir_graph *g,
                             const struct mdk_be_build_opts *o,
                             struct mdk_be_image *out, struct mdk_err *e);



#endif
