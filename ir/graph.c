/* graph.c - building the IR: stages, ops and their fields. */
#include "ir/ir.h"

#include <string.h>

static const char *const kind_names[] = {
#define OP(e, name, layer) name,
#include "ir/ops.def"
#undef OP
};

static const bool kind_layer[] = {
#define OP(e, name, layer) layer,
#include "ir/ops.def"
#undef OP
};

const char *mdk_ir_kind_name(enum mdk_ir_kind k)
{
  return (unsigned)k < MDK_IR__COUNT ? kind_names[k] : "?";
}

bool mdk_ir_kind_makes_layer(enum mdk_ir_kind k)
{
  return (unsigned)k < MDK_IR__COUNT && kind_layer[k];
}

struct mdk_ir_graph *mdk_ir_graph_new(struct mdk_arena *a)
{
  struct mdk_ir_graph *g = mdk_arena_new(a, struct mdk_ir_graph);
  g->a = a;
  g->target = -1;
  g->epoch = -1;
  return g;
}

struct mdk_ir_stage *mdk_ir_stage_add(struct mdk_ir_graph *g)
{
  struct mdk_ir_stage *s = mdk_arena_new(g->a, struct mdk_ir_stage);
  struct mdk_ir_stage **n = mdk_arena_array(g->a, struct mdk_ir_stage *,
                                            g->nstages + 1);
  if(g->nstages)
    memcpy(n, g->stages, g->nstages * sizeof(*n));
  n[g->nstages] = s;
  s->index = (int)g->nstages;
  s->base_stage = -1;
  s->alias_of = -1;
  s->reachable = true;
  g->stages = n;
  g->nstages++;
  return s;
}

struct mdk_ir_op *mdk_ir_op_add(struct mdk_ir_graph *g, struct mdk_ir_stage *s,
                                enum mdk_ir_kind kind, const char *instr)
{
  struct mdk_ir_op *op = mdk_arena_new(g->a, struct mdk_ir_op);
  struct mdk_ir_op **n;
  op->kind = kind;
  op->instr = instr;
  op->from_stage = -1;
  /* grow by doubling: ops are appended one at a time */
  if((s->nops & (s->nops - 1)) == 0) {
    n = mdk_arena_array(g->a, struct mdk_ir_op *, s->nops ? s->nops * 2 : 4);
    if(s->nops)
      memcpy(n, s->ops, s->nops * sizeof(*n));
    s->ops = n;
  }
  s->ops[s->nops++] = op;
  return op;
}

static const struct mdk_ir_field_info field_info[] = {
#define F(e, name, kind, keyed, doc) {name, MDK_IR_##kind, keyed, doc},
#include "ir/fields.def"
#undef F
};

const struct mdk_ir_field_info *mdk_ir_field_info(enum mdk_ir_fid id)
{
  return &field_info[(unsigned)id < MDK_IR_F__COUNT ? id : 0];
}

int mdk_ir_field_lookup(const char *name)
{
  int i;
  if(strncmp(name, "heredoc:", 8) == 0)
    return MDK_IR_F_HEREDOC;
  for(i = 0; i < MDK_IR_F__COUNT; i++)
    if(i != MDK_IR_F_HEREDOC && strcmp(field_info[i].name, name) == 0)
      return i;
  return -1;
}

static void add_field(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                      enum mdk_ir_fid id, const char *name,
                      const struct mdk_str *vals, size_t n, bool list)
{
  struct mdk_ir_field *f = mdk_arena_array(g->a, struct mdk_ir_field,
                                           op->nfields + 1);
  size_t i;
  if(op->nfields)
    memcpy(f, op->fields, op->nfields * sizeof(*f));
  f[op->nfields].id = id;
  f[op->nfields].name = name;
  f[op->nfields].vals = mdk_arena_array(g->a, struct mdk_str, n + 1);
  for(i = 0; i < n; i++)
    f[op->nfields].vals[i] = mdk_str_dup(g->a, vals[i]);
  f[op->nfields].nvals = n;
  f[op->nfields].list = list;
  op->fields = f;
  op->nfields++;
}

void mdk_ir_field_list(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                       enum mdk_ir_fid id, const struct mdk_str *vals,
                       size_t n)
{
  add_field(g, op, id, mdk_ir_field_info(id)->name, vals, n, true);
}

void mdk_ir_field(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                  enum mdk_ir_fid id, struct mdk_str val)
{
  add_field(g, op, id, mdk_ir_field_info(id)->name, &val, 1, false);
}

void mdk_ir_field_sub(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                      enum mdk_ir_fid id, struct mdk_str sub,
                      struct mdk_str val)
{
  add_field(g, op, id, mdk_arena_printf(g->a, "%s:%.*s",
                                        mdk_ir_field_info(id)->name,
                                        MDK_STR_FMT(sub)), &val, 1, false);
}

void mdk_ir_field_add(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                      const struct mdk_ir_field *f)
{
  add_field(g, op, f->id, f->name, f->vals, f->nvals, f->list);
}

const struct mdk_ir_field *mdk_ir_op_get(const struct mdk_ir_op *op,
                                         enum mdk_ir_fid id)
{
  size_t i;
  for(i = 0; i < op->nfields; i++)
    if(op->fields[i].id == id)
      return &op->fields[i];
  return NULL;
}

const struct mdk_ir_field *mdk_ir_op_get_named(const struct mdk_ir_op *op,
                                               const char *name)
{
  size_t i;
  for(i = 0; i < op->nfields; i++)
    if(strcmp(op->fields[i].name, name) == 0)
      return &op->fields[i];
  return NULL;
}

void mdk_ir_op_history(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                       const char *created_by, bool layer)
{
  struct mdk_ir_hist *h = mdk_arena_array(g->a, struct mdk_ir_hist,
                                          op->nhist + 1);
  if(op->nhist)
    memcpy(h, op->hist, op->nhist * sizeof(*h));
  h[op->nhist].created_by = mdk_arena_strndup(g->a, created_by,
                                              strlen(created_by));
  h[op->nhist].layer = layer;
  op->hist = h;
  op->nhist++;
}

void mdk_ir_op_history_move(struct mdk_ir_graph *g, struct mdk_ir_op *from,
                            struct mdk_ir_op *to, bool front)
{
  struct mdk_ir_hist *h;
  if(!from->nhist)
    return;
  h = mdk_arena_array(g->a, struct mdk_ir_hist, from->nhist + to->nhist);
  if(front) {
    memcpy(h, from->hist, from->nhist * sizeof(*h));
    if(to->nhist)
      memcpy(h + from->nhist, to->hist, to->nhist * sizeof(*h));
  }
  else {
    if(to->nhist)
      memcpy(h, to->hist, to->nhist * sizeof(*h));
    memcpy(h + to->nhist, from->hist, from->nhist * sizeof(*h));
  }
  to->hist = h;
  to->nhist += from->nhist;
  from->hist = NULL;
  from->nhist = 0;
}
