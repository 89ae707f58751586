/* commands.h - typed instructions: what each AST node means, with its flags
 * parsed and validated as BuildKit's instructions package does (bflag.go,
 * parse.go, commands_runmount.go).  Values here are raw (not yet expanded);
 * expand.c computes the expanded ones. */
#ifndef MDK_FE_COMMANDS_H
#define MDK_FE_COMMANDS_H

#include "frontend/ast.h"
#include "frontend/shlex.h"

enum mdk_fe_flag_type { MDK_FE_FLAG_BOOL, MDK_FE_FLAG_STRING,
                        MDK_FE_FLAG_STRINGS };

struct mdk_fe_flagval {
  const char *name;             /* without "--" */
  enum mdk_fe_flag_type type;
  bool set;
  bool bval;                    /* BOOL */
  struct mdk_fe_arg *vals;      /* STRING: one, STRINGS: every use; a
                                   set one has at least one value */
  size_t nvals;
};

enum mdk_fe_mount_type { MDK_FE_MOUNT_BIND, MDK_FE_MOUNT_CACHE,
                         MDK_FE_MOUNT_TMPFS, MDK_FE_MOUNT_SECRET,
                         MDK_FE_MOUNT_SSH };

/* One key=value of a --mount, raw (or expanded: expand.c's copy). */
struct mdk_fe_mount_field {
  struct mdk_str key;           /* canonical key: target, source, ...; an
                                   unknown one lower-cased */
  struct mdk_str written;       /* the key as written */
  struct mdk_str raw;           /* the whole field as written */
  struct mdk_str val;
  bool bare;                    /* "ro" with no "=" */
};

struct mdk_fe_mount {
  enum mdk_fe_mount_type type;
  struct mdk_fe_mount_field *fields;
  size_t nfields;
  const struct mdk_fe_arg *flag;   /* the --mount flag it came from */
};

/* An ARG name[=default]. */
struct mdk_fe_argdef {
  struct mdk_str name, value;
  bool has_value;
  const struct mdk_fe_arg *arg;
};

struct mdk_fe_cmd {
  enum mdk_fe_kind kind;
  const struct mdk_fe_node *node;
  const struct mdk_fe_node *onbuild;  /* ONBUILD: the trigger node */
  struct mdk_str onbuild_expr;        /* ONBUILD: the text stored in the
                                         image config, heredocs re-appended */
  struct mdk_fe_cmd *trigger;         /* ONBUILD: the typed trigger */
  bool from_onbuild;                  /* a trigger run in a child stage */
  bool invalid;                       /* typing reported an error */
  struct mdk_fe_flagval *flags;
  size_t nflags;
  /* FROM */
  const struct mdk_fe_arg *base;
  struct mdk_str stage_name;          /* lower-cased, empty if none */
  const struct mdk_fe_arg *stage_arg;
  /* RUN CMD ENTRYPOINT SHELL HEALTHCHECK: exec form (json) or one shell
   * string; COPY ADD VOLUME EXPOSE USER WORKDIR STOPSIGNAL MAINTAINER: args */
  const struct mdk_fe_arg *args;
  size_t nargs;
  bool json;
  /* ENV LABEL: key/value pairs (raw) */
  const struct mdk_fe_arg *keys;      /* stride 3 in node->args */
  size_t npairs;
  bool legacy;                        /* "ENV k v" form */
  /* ARG */
  struct mdk_fe_argdef *argdefs;
  size_t nargdefs;
  /* COPY ADD: sources are args[0..nargs-1), dest is args[nargs-1];
   * heredoc sources are node->heredocs */
  /* RUN */
  struct mdk_fe_mount *mounts;
  size_t nmounts;
  /* HEALTHCHECK */
  struct mdk_str hc_type;             /* "CMD" or "NONE" */
  int64_t hc_interval, hc_timeout, hc_start_period, hc_start_interval;
  int64_t hc_retries;
};

struct mdk_fe_file {
  const struct mdk_fe_ast *ast;
  struct mdk_fe_cmd *cmds;
  size_t ncmds;
};

const struct mdk_fe_flagval *mdk_fe_cmd_flag(const struct mdk_fe_cmd *c,
                                             const char *name);
const char *mdk_fe_mount_type_name(enum mdk_fe_mount_type t);
struct mdk_str mdk_fe_mount_get(const struct mdk_fe_mount *m, const char *key,
                                bool *found);

/* Types every node; each bad instruction adds a located error.  Returns
 * MDK_ESYNTAX when any error was found. */
enum mdk_status mdk_fe_type(struct mdk_arena *a, struct mdk_diags *diags,
                            const struct mdk_fe_ast *ast,
                            struct mdk_fe_file **out);

/* BuildKit runs the ONBUILD triggers of a stage used as a base right after
 * the child's FROM: returns the file with them spliced in. */
struct mdk_fe_file *mdk_fe_apply_onbuild(struct mdk_arena *a,
                                         const struct mdk_fe_file *f);


/* Go time.ParseDuration; false when malformed. */
bool mdk_fe_parse_duration(struct mdk_str s, int64_t *ns);

#endif
