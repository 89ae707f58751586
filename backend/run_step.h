/* run_step.h - a RUN op executed with the runtime, its changes as a layer. */
#ifndef MDK_BE_RUN_STEP_H
#define MDK_BE_RUN_STEP_H

#include <stdio.h>

#include "backend/ssh.h"
#include "store/store.h"
#include "ir/ir.h"

/* A build secret (`mdock build --secret id=ID,src=FILE|env=VAR`). */
struct mdk_be_secret {
  const char *id;
  const char *src;              /* a file, or NULL */
  const char *env;              /* an environment variable, or NULL */
};

/* Docker's --secret forms: id=ID,src=FILE | id=ID,env=VAR (type= is
 * ignored; id alone reads the variable ID).  False with *why set when the
 * spec is not one of them.  Strings live in the arena. */
bool mdk_be_secret_parse(struct mdk_arena *a, const char *spec,
                         struct mdk_be_secret *out, const char **why);
/* The secret's value (a file's bytes, or the variable's; empty when the
 * variable is unset), at most 1 MiB, into b (mdk_buf_init'd here). */
enum mdk_status mdk_be_secret_read(const struct mdk_be_secret *sec,
                                   struct mdk_buf *b, struct mdk_err *e);

/* What RUN --mount needs from the build around the step. */
struct mdk_be_run_ctx {
  const char *context;          /* the build context directory */
  /* the root directory of an earlier stage (by index), or NULL + e */
  const char *(*stage_root)(void *ctx, int stage, struct mdk_err *e);
  void *ctx;
  const struct mdk_be_secret *secrets;
  size_t nsecrets;
  const struct mdk_be_ssh *ssh; /* --ssh */
  size_t nssh;
  bool allow_insecure;          /* --allow security.insecure */
  const char *oci_runtime;      /* --runtime runc|crun, or NULL: embedded */
  /* called once the step's log file exists, before the step runs (the
   * progress streams it), or NULL */
  void (*log_open)(void *ud, const char *path);
  void *log_ud;
  /* --secret-env: NAME=VALUE in every RUN's environment (Modal's image
   * secrets), over the step's own; never part of a key or the image */
  const char *const *secret_env;
  size_t nsecret_env;
};

/* im: the stage so far (its layers are the step's root).  work: a build
 * work dir.  *made: false when the step changed nothing (no layer).
 * *log_path: the step's output (stdout and stderr), also after a failure. */
enum mdk_status mdk_be_run_step(struct mdk_be_store *s, struct mdk_arena *a,
                                const struct mdk_be_image *im,
                                const struct mdk_ir_op *op, const char *work,
                                const struct mdk_be_layer_opts *lo,
                                const struct mdk_be_run_ctx *rc,
                                const char **log_path,
                                struct mdk_be_layer_desc *d, bool *made,
                                struct mdk_err *e);

/* docker run's options (NULL / 0: the image's) */
struct mdk_be_run_opts {
  const char *const *cmd;       /* replaces CMD */
  size_t ncmd;
  const char *entrypoint;       /* replaces ENTRYPOINT ("" none) and drops
                                   CMD, as docker's --entrypoint */
  const char *const *env;       /* K=V (or K: empty) over the image's ENV */
  size_t nenv;
  const char *user, *workdir, *hostname;
  const char *network;          /* host (default) or none */
  const char *const *volumes;   /* /HOST:/PATH[:ro] */
  size_t nvolumes;
  int out_fd, err_fd, in_fd;    /* in_fd -1: /dev/null */
  bool tty;                     /* in_fd is a pty's terminal end (-t) */
};

/* mdock run: the image's ENTRYPOINT + (cmd, or its CMD) with its ENV,
 * USER and WORKDIR, in a throwaway upper dir under work.  A command that
 * cannot be run gives docker's 127 (not found) or 126 in *exit_code. */
enum mdk_status mdk_be_run_image(struct mdk_be_store *s, struct mdk_arena *a,
                                 const struct mdk_be_image *im,
                                 const struct mdk_be_run_opts *o,
                                 const char *work, int *exit_code,
                                 struct mdk_err *e);

#endif
