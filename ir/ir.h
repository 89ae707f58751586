/* ir.h - the typed layer IR: a DAG of stages, each a base plus ordered typed
 * ops with fully expanded fields, source spans and cache keys.  ir/ knows no
 * syntax and does no I/O. */
#ifndef MDK_IR_H
#define MDK_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "base/base.h"

enum mdk_ir_kind {
#define OP(e, name, layer) MDK_IR_##e,
#include "ir/ops.def"
#undef OP
  MDK_IR__COUNT
};

const char *mdk_ir_kind_name(enum mdk_ir_kind k);

/* What a COPY/ADD source is (source.c): BuildKit's order of questions. */
enum mdk_ir_src { MDK_IR_SRC_CONTEXT, MDK_IR_SRC_HTTP, MDK_IR_SRC_GIT,
                  MDK_IR_SRC_HEREDOC };
enum mdk_ir_src mdk_ir_source_kind(struct mdk_str s);
const char *mdk_ir_source_kind_name(enum mdk_ir_src k);
bool mdk_ir_kind_makes_layer(enum mdk_ir_kind k);

#define MDK_IR_KEY_LEN 32

struct mdk_ir_key {
  uint8_t b[MDK_IR_KEY_LEN];
};

/* Every field an op can carry (fields.def), with its kind. */
enum mdk_ir_fid {
#define F(e, name, kind, keyed, doc) MDK_IR_F_##e,
#include "ir/fields.def"
#undef F
  MDK_IR_F__COUNT
};
enum mdk_ir_fkind { MDK_IR_SCALAR, MDK_IR_LIST, MDK_IR_APPEND, MDK_IR_MAP,
                    MDK_IR_SET };
struct mdk_ir_field_info {
  const char *name;
  enum mdk_ir_fkind kind;
  bool keyed;                   /* false: shown only, never in a key */
  const char *doc;
};
const struct mdk_ir_field_info *mdk_ir_field_info(enum mdk_ir_fid id);
/* The field a name means ("heredoc:NAME" is HEREDOC), or -1. */
int mdk_ir_field_lookup(const char *name);

/* One field of an op: a name and one or more values, in the op's canonical
 * field order (the builder appends them in that order). */
struct mdk_ir_field {
  enum mdk_ir_fid id;
  const char *name;             /* the table's, or "heredoc:NAME" */
  struct mdk_str *vals;
  size_t nvals;
  bool list;                    /* printed as a list even with one value */
};

/* A RUN --mount, typed: the executor reads this, never the "mounts" text
 * (which is the same mount in canonical form, for keys and printers). */
enum mdk_ir_mount_type { MDK_IR_MOUNT_BIND, MDK_IR_MOUNT_CACHE,
                         MDK_IR_MOUNT_TMPFS, MDK_IR_MOUNT_SECRET,
                         MDK_IR_MOUNT_SSH };
struct mdk_ir_mount {
  enum mdk_ir_mount_type type;
  /* expanded values, NUL-terminated; NULL when not given.  target is
   * absolute (joined with WORKDIR). */
  const char *target, *source, *from, *id, *sharing, *mode, *uid, *gid,
             *size, *env;
  bool readonly, readwrite, required;
  int from_stage;               /* from= names a stage: its index, or -1 */
};

/* One image history entry, as BuildKit writes it (created_by); layer: the
 * entry of the op's layer (the others are empty_layer). */
struct mdk_ir_hist {
  const char *created_by;
  bool layer;
};

struct mdk_ir_op {
  enum mdk_ir_kind kind;
  const char *instr;            /* source instruction(s), e.g. "ENV" */
  struct mdk_ir_field *fields;
  size_t nfields;
  struct mdk_loc loc;           /* the instruction keyword */
  uint32_t line;                /* first source line */
  struct mdk_str *vars_used;    /* variables the values came from */
  size_t nvars_used;
  struct mdk_str *base_vars;    /* unset here, maybe set by the base image */
  size_t nbase_vars;
  int from_stage;               /* COPY --from / mount from: stage, or -1 */
  struct mdk_ir_mount *mounts;  /* RUN --mount, in written order */
  size_t nmounts;
  /* shown, never hashed: the step as progress names it (RUN as written,
   * COPY/ADD/WORKDIR with their values; NULL for config ops), its index
   * among the stage's steps (BuildKit's k of [NAME k/N]; 0: none), and
   * the history entries of the instructions it stands for */
  const char *display;
  int cmd_index;
  struct mdk_ir_hist *hist;
  size_t nhist;
  struct mdk_ir_key key;
  /* COPY/ADD --link: the layer is made on an empty root, so what it holds
   * does not depend on the steps before it.  link_key names that layer
   * (key without the parent); key still chains, for the steps after it. */
  bool linked;
  struct mdk_ir_key link_key;
  bool dead;                    /* removed by a pass */
  bool unexpanded;              /* a value could not be expanded (kept) */
  bool force;                   /* "# mdock force-build": never cached */
};

enum mdk_ir_base_kind { MDK_IR_BASE_IMAGE, MDK_IR_BASE_STAGE,
                        MDK_IR_BASE_SCRATCH };

struct mdk_ir_stage {
  int index;                    /* position in the Dockerfile */
  struct mdk_str name;          /* lower-cased; empty if unnamed */
  enum mdk_ir_base_kind base_kind;
  struct mdk_str base;          /* image ref, as expanded */
  int base_stage;               /* BASE_STAGE: index */
  struct mdk_str platform;
  struct mdk_str base_digest;   /* manifest digest when known, else empty */
  /* the base image was built with a forced step (Modal's force_build):
   * the mark that build left, so this stage rebuilds once after it */
  struct mdk_str base_force;
  struct mdk_loc loc;
  uint32_t line;
  struct mdk_ir_op **ops;
  size_t nops;
  struct mdk_ir_key base_key;   /* key of the base before any op */
  bool reachable;
  int order;                    /* build order from the ordering pass */
  int cmd_total;                /* BuildKit's N of [NAME k/N] */
  int alias_of;                 /* dedupe: identical to this stage, or -1 */
};

struct mdk_ir_graph {
  struct mdk_arena *a;
  struct mdk_ir_stage **stages;
  size_t nstages;
  int target;                   /* stage built, default the last */
  int64_t epoch;                /* the Dockerfile's SOURCE_DATE_EPOCH, or -1 */
};

/* construction */
struct mdk_ir_graph *mdk_ir_graph_new(struct mdk_arena *a);
struct mdk_ir_stage *mdk_ir_stage_add(struct mdk_ir_graph *g);
struct mdk_ir_op *mdk_ir_op_add(struct mdk_ir_graph *g, struct mdk_ir_stage *s,
                                enum mdk_ir_kind kind, const char *instr);
void mdk_ir_field(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                  enum mdk_ir_fid id, struct mdk_str val);
void mdk_ir_field_list(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                       enum mdk_ir_fid id, const struct mdk_str *vals,
                       size_t n);
/* One member of a family (HEREDOC): "heredoc:SUB". */
void mdk_ir_field_sub(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                      enum mdk_ir_fid id, struct mdk_str sub,
                      struct mdk_str val);
/* Appends a history entry to op (text copied). */
void mdk_ir_op_history(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                       const char *created_by, bool layer);
/* Moves every history entry of from onto to: before its own (front) or
 * after them. */
void mdk_ir_op_history_move(struct mdk_ir_graph *g, struct mdk_ir_op *from,
                            struct mdk_ir_op *to, bool front);
/* A copy of f (id, name, values, form): for passes and the JSON loader. */
void mdk_ir_field_add(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                      const struct mdk_ir_field *f);
const struct mdk_ir_field *mdk_ir_op_get(const struct mdk_ir_op *op,
                                         enum mdk_ir_fid id);
/* By full name, for families ("heredoc:EOF"). */
const struct mdk_ir_field *mdk_ir_op_get_named(const struct mdk_ir_op *op,
                                               const char *name);

/* cache keys: every op's key from its parent, kind, fields and inputs */
void mdk_ir_hash_all(struct mdk_ir_graph *g);
void mdk_ir_key_hex(const struct mdk_ir_key *k, char out[65]);
/* A stage's key: its last live op's, else its base's. */
const struct mdk_ir_key *mdk_ir_stage_key(const struct mdk_ir_stage *s);
/* The build order (the order pass): each stage's level, one more than the
 * deepest stage it needs (base, COPY --from, RUN --mount from=); stages of
 * one level are independent.  Idempotent: the executor calls it too. */
void mdk_ir_levels(struct mdk_ir_graph *g);

/* passes (ir/passes.c) */
struct mdk_ir_pass {
  const char *name;
  void (*run)(struct mdk_ir_graph *g);
  const char *doc;
};
extern const struct mdk_ir_pass mdk_ir_passes[];
extern const size_t mdk_ir_npasses;
/* Invariants; returns a message naming the first broken one, or NULL. */
const char *mdk_ir_verify(const struct mdk_ir_graph *g);

/* Why would NEW rebuild where OLD was cached: per stage, the first op
 * whose key changed and what changed in it. */
enum mdk_status mdk_ir_diff(const struct mdk_ir_graph *old_g,
                            const struct mdk_ir_graph *new_g,
                            struct mdk_buf *out, bool *changed);

/* printers */
enum mdk_status mdk_ir_dump_text(const struct mdk_ir_graph *g,
                                 struct mdk_buf *out);
enum mdk_status mdk_ir_dump_json(const struct mdk_ir_graph *g,
                                 struct mdk_buf *out);

#endif
