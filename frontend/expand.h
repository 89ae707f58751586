/* expand.h - builder-side variable expansion with BuildKit's scoping: global
 * (meta) ARGs visible only to FROM, per-stage ARG/ENV, build-arg precedence,
 * predefined platform ARGs; which variables each instruction used and which
 * were unset; and the modal dialect's rejection of ${V:-w} and friends. */
#ifndef MDK_FE_EXPAND_H
#define MDK_FE_EXPAND_H

#include "frontend/commands.h"

enum mdk_fe_dialect { MDK_FE_DIALECT_DOCKER, MDK_FE_DIALECT_MODAL };

struct mdk_fe_expand_opts {
  enum mdk_fe_dialect dialect;
  const struct mdk_fe_kv *build_args;
  size_t nbuild_args;
  const char *target_platform;   /* default "linux/amd64" */
  /* inspection (mdock ir): a value that cannot be expanded or checked is a
   * warning and stays as written, instead of an error */
  bool lenient;
  /* in stages built on an image, whose config is not known here, leave
   * references to unset variables as written (they may come from the
   * image's ENV): the IR marks them instead of guessing "" */
  bool keep_base_refs;
  /* the ENV of a FROM image when its config is known (the local store):
   * the stage's scope starts from it, as in BuildKit; NULL or false: not
   * known (keep_base_refs decides) */
  bool (*base_env)(void *ctx, struct mdk_arena *a, struct mdk_str image,
                   struct mdk_str platform, const struct mdk_fe_kv **env,
                   size_t *n);
  void *base_env_ctx;
  /* --build-context NAME=REF: a FROM image named NAME is REF */
  const struct mdk_fe_kv *named;
  size_t nnamed;
};

/* One expanded word of an instruction. */
struct mdk_fe_xval {
  const char *what;              /* "base", "source", "dest", "key", ... */
  struct mdk_str raw, val;
  struct mdk_loc loc;
};

struct mdk_fe_xcmd {
  int stage;                     /* -1: before the first FROM */
  bool expands;                  /* the builder expands this instruction */
  struct mdk_fe_xval *vals;
  size_t nvals;
  struct mdk_str *used, *unset;  /* variable names */
  size_t nused, nunset;
  /* the stage's ARG/ENV scope before this instruction, in definition order
   * (a later entry overrides an earlier one of the same name) */
  const struct mdk_fe_kv *env;
  size_t nenv;
  bool unexpanded;               /* lenient: some value kept as written */
  /* RUN: the mounts with their values expanded (from as written) and
   * checked, the type resolved */
  struct mdk_fe_mount *mounts;
  size_t nmounts;
};

struct mdk_fe_stage {
  struct mdk_str name;           /* lower-cased, may be empty */
  struct mdk_str base;           /* expanded FROM image or stage */
  struct mdk_str platform;       /* expanded --platform, may be empty */
  int parent;                    /* stage index when FROM names a stage */
  size_t first_cmd, ncmds;
  /* every variable the stage can see is known: it is rooted in scratch, or
   * its base image's ENV was given (base_env) */
  bool env_known;
};

struct mdk_fe_sem {
  const struct mdk_fe_file *file;
  struct mdk_fe_xcmd *x;         /* parallel to file->cmds */
  struct mdk_fe_stage *stages;
  size_t nstages;
  int64_t epoch;                 /* SOURCE_DATE_EPOCH's seconds, or -1 */
};

enum mdk_status mdk_fe_expand(struct mdk_arena *a, struct mdk_diags *diags,
                              const struct mdk_fe_file *file,
                              const struct mdk_fe_expand_opts *opts,
                              struct mdk_fe_sem **out);

#endif
