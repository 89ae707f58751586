/* frontend.h - the public face of the frontend: Dockerfile text to an AST,
 * typed instructions and expanded values.  Nothing here touches files beyond
 * reading the Dockerfile. */
#ifndef MDK_FRONTEND_H
#define MDK_FRONTEND_H

#include <stdio.h>

#include "base/base.h"
#include "frontend/ast.h"
#include "frontend/commands.h"
#include "frontend/expand.h"
#include "frontend/stage_ref.h"
#include "frontend/validate.h"

/* Parses src; errors go to diags.  The AST lives in the arena. */
enum mdk_status mdk_fe_parse(struct mdk_arena *a, struct mdk_diags *diags,
                             const struct mdk_source *src,
                             struct mdk_fe_ast **out);

/* The typed AST as JSON (schema "mdock.ast/v1"); file and sem may be NULL
 * when typing or expansion did not run.  With a sink, out is written there
 * as it fills (the caller writes what is left); without, it holds it all. */
enum mdk_status mdk_fe_write_json(const struct mdk_fe_ast *ast,
                                  const struct mdk_fe_file *file,
                                  const struct mdk_fe_sem *sem,
                                  struct mdk_buf *out, FILE *sink);

/* A dockerfile_commands list as one source: an optional "FROM base" line,
 * then each command on its own line(s); locations name the command. */
struct mdk_source *mdk_fe_commands_source(struct mdk_arena *a,
                                          const char *list_name,
                                          const char *from,
                                          const struct mdk_str *cmds,
                                          size_t n);
/* Reads a commands file: a JSON array of strings, or one command per line.
 * Returns MDK_EINPUT with *why set when it is neither. */
enum mdk_status mdk_fe_commands_parse(struct mdk_arena *a,
                                      struct mdk_str text,
                                      struct mdk_str **cmds, size_t *n,
                                      const char **why);

struct mdk_ir_graph;

struct mdk_fe_ir_opts {
  enum mdk_fe_dialect dialect;
  const char *target;          /* --target stage name, or NULL */
  const char *platform;        /* target platform, default linux/amd64 */
  /* build-wide RUN settings (docker build --network, --add-host): in each
   * RUN's fields, so they are in its key as in BuildKit's ExecOp */
  const char *network;         /* a RUN without --network: this, or NULL */
  const struct mdk_str *add_hosts;   /* "HOST:IP" */
  size_t nadd_hosts;
  /* --build-context NAME=REF: COPY --from / from= of an image NAME is REF
   * (FROM NAME is replaced in expansion: mdk_fe_expand_opts) */
  const struct mdk_fe_kv *named;
  size_t nnamed;
  /* more build-wide RUN settings (docker build --shm-size, --ulimit) */
  const char *shm_size;        /* bytes (decimal), or NULL */
  const struct mdk_str *ulimits;     /* "nofile=1024:2048" */
  size_t nulimits;
};

/* Lowers the typed, expanded file into the layer IR (before any pass). */
enum mdk_status mdk_fe_to_ir(struct mdk_arena *a, struct mdk_diags *diags,
                             const struct mdk_fe_sem *sem,
                             const struct mdk_fe_ir_opts *o,
                             struct mdk_ir_graph **out);

#endif
