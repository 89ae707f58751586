/* diff.c - "why would it rebuild": compares two IRs stage by stage and names,
 * for each stage, the first op whose key changed and what changed in it (a
 * field -- where build args and context digests also show --, the base, or
 * an input stage). */
#include "ir/ir.h"

#include <string.h>

static bool key_eq(const struct mdk_ir_key *a, const struct mdk_ir_key *b)
{
  return memcmp(a->b, b->b, MDK_IR_KEY_LEN) == 0;
}

static size_t live(const struct mdk_ir_stage *s, const struct mdk_ir_op **o,
                   size_t max)
{
  size_t i, n = 0;
  for(i = 0; i < s->nops && n < max; i++)
    if(!s->ops[i]->dead)
      o[n++] = s->ops[i];
  return n;
}

static void show(struct mdk_buf *out, const struct mdk_ir_field *f)
{
  size_t i;
  if(!f) {
    (void)mdk_buf_puts(out, "(unset)");
    return;
  }
  if(f->list)
    (void)mdk_buf_putc(out, '[');
  for(i = 0; i < f->nvals; i++) {
    struct mdk_str v = f->vals[i];
    size_t k;
    (void)mdk_buf_puts(out, i ? " \"" : "\"");
    for(k = 0; k < v.len && k < 120; k++) {
      char c = v.ptr[k];
      if(c == '\n')
        (void)mdk_buf_puts(out, "\\n");
      else if(c == '"' || c == '\\') {
        (void)mdk_buf_putc(out, '\\');
        (void)mdk_buf_putc(out, c);
      }
      else
        (void)mdk_buf_putc(out, c);
    }
    if(v.len > 120)
      (void)mdk_buf_puts(out, "...");
    (void)mdk_buf_putc(out, '"');
  }
  if(f->list)
    (void)mdk_buf_putc(out, ']');
}

/* how many times v is among f's values */
static size_t count_of(const struct mdk_ir_field *f, struct mdk_str v)
{
  size_t i, n = 0;
  for(i = 0; i < f->nvals; i++)
    n += mdk_str_eq(f->vals[i], v);
  return n;
}

/* Equal as the key sees them (fields.def): a map's pairs in any order. */
static bool field_eq(const struct mdk_ir_field *a, const struct mdk_ir_field *b)
{
  size_t i;
  if(!a || !b)
    return a == b;
  if(a->nvals != b->nvals)
    return false;
  if(mdk_ir_field_info(a->id)->kind == MDK_IR_MAP) {
    for(i = 0; i < a->nvals; i++)
      if(count_of(a, a->vals[i]) != count_of(b, a->vals[i]))
        return false;
    return true;
  }
  for(i = 0; i < a->nvals; i++)
    if(!mdk_str_eq(a->vals[i], b->vals[i]))
      return false;
  return true;
}

/* Every field that differs, then inputs. */
static void explain_op(struct mdk_buf *out, const struct mdk_ir_graph *og,
                       const struct mdk_ir_graph *ng,
                       const struct mdk_ir_op *o, const struct mdk_ir_op *n)
{
  size_t i;
  bool any = false;
  if(o->kind != n->kind) {
    (void)mdk_buf_printf(out, "    op: %s -> %s\n", mdk_ir_kind_name(o->kind),
                         mdk_ir_kind_name(n->kind));
    return;
  }
  for(i = 0; i < n->nfields; i++) {
    const struct mdk_ir_field *of = mdk_ir_op_get_named(o, n->fields[i].name);
    /* shown-only fields (modal-*) never make an op rebuild */
    if(!mdk_ir_field_info(n->fields[i].id)->keyed ||
       field_eq(of, &n->fields[i]))
      continue;
    (void)mdk_buf_printf(out, "    %s: ", n->fields[i].name);
    show(out, of);
    (void)mdk_buf_puts(out, " -> ");
    show(out, &n->fields[i]);
    (void)mdk_buf_putc(out, '\n');
    any = true;
  }
  for(i = 0; i < o->nfields; i++)
    if(mdk_ir_field_info(o->fields[i].id)->keyed &&
       !mdk_ir_op_get_named(n, o->fields[i].name)) {
      (void)mdk_buf_printf(out, "    %s: removed\n", o->fields[i].name);
      any = true;
    }
  if(o->unexpanded != n->unexpanded) {
    (void)mdk_buf_puts(out, "    a value could not be expanded\n");
    any = true;
  }
  if(n->from_stage >= 0 && o->from_stage >= 0) {
    const struct mdk_ir_stage *os = og->stages[o->from_stage];
    const struct mdk_ir_stage *ns = ng->stages[n->from_stage];
    if(!key_eq(mdk_ir_stage_key(os), mdk_ir_stage_key(ns))) {
      (void)mdk_buf_printf(out, "    input: stage %d changed\n",
                           n->from_stage);
      any = true;
    }
  }
  if(!any)
    (void)mdk_buf_puts(out, "    (an input of the op changed)\n");
}

enum mdk_status mdk_ir_diff(const struct mdk_ir_graph *og,
                            const struct mdk_ir_graph *ng,
                            struct mdk_buf *out, bool *changed)
{
  static const char *const kinds[] = {"image", "stage", "scratch"};
  size_t i, k;
  *changed = false;
  for(i = 0; i < ng->nstages; i++) {
    const struct mdk_ir_stage *n = ng->stages[i], *o;
    const struct mdk_ir_op *oo[1024], *no[1024];
    size_t on, nn, m;
    (void)mdk_buf_printf(out, "stage %zu", i);
    if(n->name.len)
      (void)mdk_buf_printf(out, " (%.*s)", MDK_STR_FMT(n->name));
    if(i >= og->nstages) {
      (void)mdk_buf_puts(out, ": new stage, builds entirely\n");
      *changed = true;
      continue;
    }
    o = og->stages[i];
    nn = live(n, no, 1024);
    on = live(o, oo, 1024);
    if(!key_eq(&o->base_key, &n->base_key)) {
      *changed = true;
      (void)mdk_buf_puts(out, ": the base changed, every op rebuilds\n");
      if(o->base_kind != n->base_kind || !mdk_str_eq(o->base, n->base))
        (void)mdk_buf_printf(out, "    base: %s %.*s -> %s %.*s\n",
                             kinds[o->base_kind], MDK_STR_FMT(o->base),
                             kinds[n->base_kind], MDK_STR_FMT(n->base));
      if(!mdk_str_eq(o->platform, n->platform))
        (void)mdk_buf_printf(out, "    platform: %.*s -> %.*s\n",
                             MDK_STR_FMT(o->platform),
                             MDK_STR_FMT(n->platform));
      if(!mdk_str_eq(o->base_digest, n->base_digest))
        (void)mdk_buf_printf(out, "    digest: %.*s -> %.*s\n",
                             MDK_STR_FMT(o->base_digest),
                             MDK_STR_FMT(n->base_digest));
      if(!mdk_str_eq(o->base_force, n->base_force))
        (void)mdk_buf_printf(out, "    the base image was force-built "
                             "since\n");
      if(n->base_kind == MDK_IR_BASE_STAGE)
        (void)mdk_buf_printf(out, "    base stage %d changed\n",
                             n->base_stage);
      continue;
    }
    m = on < nn ? on : nn;
    for(k = 0; k < m; k++)
      if(!key_eq(&oo[k]->key, &no[k]->key))
        break;
    if(k == m && on == nn) {
      (void)mdk_buf_printf(out, ": unchanged (%zu ops cached)\n", nn);
      continue;
    }
    *changed = true;
    if(k == m) {
      if(nn > on)
        (void)mdk_buf_printf(out, ": %zu cached, then new ops from line %u "
                             "(%s)\n", k, no[k]->line, no[k]->instr);
      else
        (void)mdk_buf_printf(out, ": %zu cached, %zu ops removed\n", k,
                             on - nn);
      continue;
    }
    (void)mdk_buf_printf(out, ": %zu cached, rebuilds from line %u (%s %s)\n",
                         k, no[k]->line, mdk_ir_kind_name(no[k]->kind),
                         no[k]->instr);
    explain_op(out, og, ng, oo[k], no[k]);
  }
  for(i = ng->nstages; i < og->nstages; i++)
    (void)mdk_buf_printf(out, "stage %zu: removed\n", i);
  return MDK_OK;
}
