/* passes.c - the optimizer: a flat list of passes (QBE-style), each one
 * function, each testable alone; mdk_ir_verify() checks the invariants after
 * every pass in debug builds. */
#include "ir/ir.h"

#include <stdlib.h>
#include <string.h>

/* ARG ops only carry values that the builder already folded into every later
 * op (all fields are fully expanded): drop them. */
static void pass_fold(struct mdk_ir_graph *g)
{
  size_t i, j, k;
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *s = g->stages[i];
    for(j = 0; j < s->nops; j++) {
      struct mdk_ir_op *op = s->ops[j];
      if(op->kind != MDK_IR_CONFIG || op->nfields != 1 ||
         op->fields[0].id != MDK_IR_F_ARG)
        continue;
      op->dead = true;
      /* its history entry (BuildKit records ARG) goes with the next op,
       * or the one before when it is the last */
      for(k = j + 1; k < s->nops && s->ops[k]->dead; k++)
        ;
      if(k < s->nops) {
        mdk_ir_op_history_move(g, op, s->ops[k], true);
        continue;
      }
      for(k = j; k-- > 0 && s->ops[k]->dead;)
        ;
      if(k < j)
        mdk_ir_op_history_move(g, op, s->ops[k], false);
    }
  }
}

static void mark(struct mdk_ir_graph *g, int s)
{
  struct mdk_ir_stage *st;
  size_t j;
  if(s < 0 || (size_t)s >= g->nstages || g->stages[s]->reachable)
    return;
  st = g->stages[s];
  st->reachable = true;
  mark(g, st->base_stage);
  for(j = 0; j < st->nops; j++)
    if(!st->ops[j]->dead)
      mark(g, st->ops[j]->from_stage);
}

/* Only stages the target needs (through FROM, COPY --from, mount from) are
 * built; the others are kept in the IR, marked unreachable. */
static void pass_prune(struct mdk_ir_graph *g)
{
  size_t i;
  for(i = 0; i < g->nstages; i++)
    g->stages[i]->reachable = false;
  mark(g, g->target >= 0 ? g->target : (int)g->nstages - 1);
}

static int cmp_str(const void *a, const void *b)
{
  const struct mdk_str *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static size_t key_len(struct mdk_str kv)
{
  const char *eq = memchr(kv.ptr, '=', kv.len);
  return eq ? (size_t)(eq - kv.ptr) : kv.len;
}

struct keyed {
  struct mdk_str key;
  size_t at;
};

static int cmp_keyed(const void *a, const void *b)
{
  const struct keyed *x = a, *y = b;
  int c = cmp_str(&x->key, &y->key);
  return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Merges field f into the accumulated field list. */
static void merge_field(struct mdk_ir_graph *g, struct mdk_ir_op *into,
                        const struct mdk_ir_field *f)
{
  struct mdk_ir_field *old = NULL;
  size_t i, j;
  enum mdk_ir_fkind kind = mdk_ir_field_info(f->id)->kind;
  for(i = 0; i < into->nfields; i++)
    if(strcmp(into->fields[i].name, f->name) == 0)
      old = &into->fields[i];
  if(!old) {
    mdk_ir_field_add(g, into, f);
    return;
  }
  if(kind == MDK_IR_SET) {
    /* a set: the sorted union (sorting, not pairwise compares: EXPOSE
     * 1-65535 twice is 131,070 ports) */
    struct mdk_str *v = mdk_arena_array(g->a, struct mdk_str,
                                        old->nvals + f->nvals + 1);
    size_t n = 0;
    memcpy(v, old->vals, old->nvals * sizeof(*v));
    memcpy(v + old->nvals, f->vals, f->nvals * sizeof(*v));
    mdk_sort(v, old->nvals + f->nvals, sizeof(*v), cmp_str);
    for(i = 0; i < old->nvals + f->nvals; i++)
      if(!n || cmp_str(&v[n - 1], &v[i]) != 0)
        v[n++] = v[i];
    old->vals = v;
    old->nvals = n;
    return;
  }
  if(kind == MDK_IR_MAP) {
    /* a key set again keeps its place with the new value (Docker's Env
     * order); new keys are appended.  The new entries are looked up by key
     * in a sorted index (the first of equal keys wins). */
    struct mdk_str *v = mdk_arena_array(g->a, struct mdk_str,
                                        old->nvals + f->nvals + 1);
    struct keyed *idx = mdk_arena_array(g->a, struct keyed, f->nvals + 1);
    bool *used = mdk_arena_array(g->a, bool, f->nvals + 1);
    size_t n = 0;
    for(j = 0; j < f->nvals; j++) {
      idx[j].key = mdk_str_make(f->vals[j].ptr, key_len(f->vals[j]));
      idx[j].at = j;
    }
    mdk_sort(idx, f->nvals, sizeof(*idx), cmp_keyed);
    for(i = 0; i < old->nvals; i++) {
      struct mdk_str k = mdk_str_make(old->vals[i].ptr,
                                      key_len(old->vals[i]));
      size_t lo = 0, hi = f->nvals;
      while(lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if(cmp_str(&idx[mid].key, &k) < 0)
          lo = mid + 1;
        else
          hi = mid;
      }
      if(lo < f->nvals && cmp_str(&idx[lo].key, &k) == 0) {
        v[n++] = f->vals[idx[lo].at];
        used[idx[lo].at] = true;
      }
      else {
        v[n++] = old->vals[i];
      }
    }
    for(j = 0; j < f->nvals; j++)
      if(!used[j])
        v[n++] = f->vals[j];
    old->vals = v;
    old->nvals = n;
    return;
  }
  if(kind == MDK_IR_APPEND) {
    /* triggers accumulate in order */
    struct mdk_str *v = mdk_arena_array(g->a, struct mdk_str,
                                        old->nvals + f->nvals + 1);
    memcpy(v, old->vals, old->nvals * sizeof(*v));
    memcpy(v + old->nvals, f->vals, f->nvals * sizeof(*v));
    old->vals = v;
    old->nvals += f->nvals;
    return;
  }
  /* scalars and whole lists (cmd, entrypoint, shell, ...): later wins */
  old->vals = f->vals;
  old->nvals = f->nvals;
}

/* Adjacent config-only ops become one config delta. */
static void pass_merge_config(struct mdk_ir_graph *g)
{
  size_t i, j, k;
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *s = g->stages[i];
    struct mdk_ir_op *acc = NULL;
    for(j = 0; j < s->nops; j++) {
      struct mdk_ir_op *op = s->ops[j];
      if(op->dead)
        continue;
      if(op->kind != MDK_IR_CONFIG) {
        acc = NULL;
        continue;
      }
      if(!acc) {
        acc = op;
        continue;
      }
      for(k = 0; k < op->nfields; k++)
        merge_field(g, acc, &op->fields[k]);
      acc->instr = mdk_arena_printf(g->a, "%s+%s", acc->instr, op->instr);
      if(op->nvars_used) {
        struct mdk_str *v = mdk_arena_array(g->a, struct mdk_str,
                                            acc->nvars_used + op->nvars_used);
        if(acc->nvars_used)
          memcpy(v, acc->vars_used, acc->nvars_used * sizeof(*v));
        memcpy(v + acc->nvars_used, op->vars_used,
               op->nvars_used * sizeof(*v));
        acc->vars_used = v;
        acc->nvars_used += op->nvars_used;
      }
      mdk_ir_op_history_move(g, op, acc, false);
      op->dead = true;
    }
  }
}

/* Stages with the same base and the same ops (same keys) are built once. */
static void pass_dedupe(struct mdk_ir_graph *g)
{
  size_t i, j;
  mdk_ir_hash_all(g);
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *s = g->stages[i];
    const struct mdk_ir_key *ks = mdk_ir_stage_key(s);
    s->alias_of = -1;
    for(j = 0; j < i; j++) {
      struct mdk_ir_stage *t = g->stages[j];
      if(t->alias_of >= 0)
        continue;
      if(memcmp(ks->b, mdk_ir_stage_key(t)->b, MDK_IR_KEY_LEN) == 0) {
        s->alias_of = (int)j;
        break;
      }
    }
  }
}

static int max_level(int lvl, const struct mdk_ir_graph *g, int dep,
                     size_t before)
{
  if(dep >= 0 && (size_t)dep < before && g->stages[dep]->order + 1 > lvl)
    return g->stages[dep]->order + 1;
  return lvl;
}

void mdk_ir_levels(struct mdk_ir_graph *g)
{
  size_t i, j, m;
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *s = g->stages[i];
    int lvl = 0;
    if(s->base_kind == MDK_IR_BASE_STAGE)
      lvl = max_level(lvl, g, s->base_stage, i);
    for(j = 0; j < s->nops; j++) {
      const struct mdk_ir_op *op = s->ops[j];
      if(op->dead)
        continue;
      lvl = max_level(lvl, g, op->from_stage, i);
      for(m = 0; m < op->nmounts; m++)
        lvl = max_level(lvl, g, op->mounts[m].from_stage, i);
    }
    s->order = lvl;
  }
}

/* Build order: a stage's level is one more than its deepest dependency;
 * stages of one level are independent and can build in parallel. */
static void pass_order(struct mdk_ir_graph *g)
{
  mdk_ir_levels(g);
}

const struct mdk_ir_pass mdk_ir_passes[] = {
  {"fold", pass_fold, "drop ARG ops: their values are folded into later ops"},
  {"prune", pass_prune, "mark stages the target does not need"},
  {"merge", pass_merge_config, "merge adjacent config ops into one delta"},
  {"dedupe", pass_dedupe, "build identical stages once"},
  {"order", pass_order, "level stages for a parallel build"},
};
const size_t mdk_ir_npasses = sizeof(mdk_ir_passes) / sizeof(mdk_ir_passes[0]);

const char *mdk_ir_verify(const struct mdk_ir_graph *g)
{
  size_t i, j;
  if(g->target >= (int)g->nstages)
    return "target stage out of range";
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    if(s->index != (int)i)
      return "stage index differs from its position";
    if(s->base_kind == MDK_IR_BASE_STAGE &&
       (s->base_stage < 0 || s->base_stage >= (int)i))
      return "a stage is based on itself or on a later stage";
    if(s->alias_of >= (int)i)
      return "a stage aliases a later stage";
    for(j = 0; j < s->nops; j++) {
      const struct mdk_ir_op *op = s->ops[j];
      if((unsigned)op->kind >= MDK_IR__COUNT)
        return "unknown op kind";
      if(op->from_stage >= (int)i)
        return "an op reads a later stage";
      if(op->kind == MDK_IR_CONFIG && (mdk_ir_op_get(op, MDK_IR_F_MOUNTS) ||
                                       mdk_ir_op_get(op, MDK_IR_F_FILE)))
        return "a config op holds a RUN's mounts or script";
    }
  }
  return NULL;
}
