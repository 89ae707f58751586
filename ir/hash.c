/* hash.c - cache keys: SHA-256 over a canonical, versioned, length-prefixed
 * encoding of (version, op kind by stable name, fields in canonical order,
 * parent key, input keys).  Locations never enter a key (STYLE.md #8).  A
 * change here changes every key: testdata/hash pins them. */
#include "ir/ir.h"

#include <stdio.h>
#include <string.h>

#include "base/base.h"

#define KEY_VERSION "mdock.ir.key/v1"

static void put_u64(struct mdk_sha256 *h, uint64_t v)
{
  uint8_t b[8];
  int i;
  for(i = 0; i < 8; i++)
    b[i] = (uint8_t)(v >> (56 - 8 * i));
  mdk_sha256_update(h, b, 8);
}

static void put_str(struct mdk_sha256 *h, struct mdk_str s)
{
  put_u64(h, s.len);     /* length prefix: "ab"+"c" != "a"+"bc" */
  mdk_sha256_update(h, s.ptr, s.len);
}

static void put_cstr(struct mdk_sha256 *h, const char *s)
{
  put_str(h, mdk_str_c(s));
}

static void put_key(struct mdk_sha256 *h, const struct mdk_ir_key *k)
{
  mdk_sha256_update(h, k->b, MDK_IR_KEY_LEN);
}

const struct mdk_ir_key *mdk_ir_stage_key(const struct mdk_ir_stage *s)
{
  size_t i;
  for(i = s->nops; i-- > 0;)
    if(!s->ops[i]->dead)
      return &s->ops[i]->key;
  return &s->base_key;
}

static void hash_base(struct mdk_ir_graph *g, struct mdk_ir_stage *s)
{
  static const char *const kinds[] = {"image", "stage", "scratch"};
  struct mdk_sha256 h;
  mdk_sha256_init(&h);
  put_cstr(&h, KEY_VERSION);
  put_cstr(&h, "base");
  put_cstr(&h, kinds[s->base_kind]);
  put_str(&h, s->platform);
  if(s->base_kind == MDK_IR_BASE_STAGE && s->base_stage >= 0)
    put_key(&h, mdk_ir_stage_key(g->stages[s->base_stage]));
  else if(s->base_kind == MDK_IR_BASE_IMAGE) {
    put_str(&h, s->base);
    put_str(&h, s->base_digest);
    if(s->base_force.len)       /* absent: the keys of before */
      put_str(&h, s->base_force);
  }
  mdk_sha256_final(&h, s->base_key.b);
}

/* Fields that show how a dialect's runtime uses the image (modal-*) do
 * not change what is built: they stay out of the key (fields.def). */
static bool display_only(const struct mdk_ir_field *f)
{
  return !mdk_ir_field_info(f->id)->keyed;
}

/* ENV and LABEL (maps) keep the order they were written in (the image's
 * Env does), but key order never enters a key: their pairs are hashed
 * sorted. */
static bool unordered_field(const struct mdk_ir_field *f)
{
  return mdk_ir_field_info(f->id)->kind == MDK_IR_MAP;
}

static int cmp_val(const void *a, const void *b)
{
  const struct mdk_str *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* op's key over parent, or (parent NULL) its --link layer's key: the
 * same fields and inputs on an empty root */
static void hash_op_into(struct mdk_ir_graph *g, const struct mdk_ir_op *op,
                         const struct mdk_ir_key *parent,
                         struct mdk_ir_key *out)
{
  struct mdk_sha256 h;
  size_t i, j, n;
  mdk_sha256_init(&h);
  put_cstr(&h, KEY_VERSION);
  put_cstr(&h, mdk_ir_kind_name(op->kind));
  if(parent)
    put_key(&h, parent);
  else
    put_cstr(&h, "link:scratch");
  n = 0;
  for(i = 0; i < op->nfields; i++)
    n += !display_only(&op->fields[i]);
  put_u64(&h, n);
  for(i = 0; i < op->nfields; i++) {
    if(display_only(&op->fields[i]))
      continue;
    put_cstr(&h, op->fields[i].name);
    put_u64(&h, op->fields[i].nvals);
    if(unordered_field(&op->fields[i]) && op->fields[i].nvals > 1) {
      struct mdk_str *v = mdk_arena_array(g->a, struct mdk_str,
                                          op->fields[i].nvals);
      memcpy(v, op->fields[i].vals, op->fields[i].nvals * sizeof(*v));
      mdk_sort(v, op->fields[i].nvals, sizeof(*v), cmp_val);
      for(j = 0; j < op->fields[i].nvals; j++)
        put_str(&h, v[j]);
      continue;
    }
    for(j = 0; j < op->fields[i].nvals; j++)
      put_str(&h, op->fields[i].vals[j]);
  }
  /* an op whose values could not be expanded keys differently from one
   * whose expanded value happens to equal the raw text */
  put_u64(&h, op->unexpanded);
  /* inputs: the stage a COPY --from or mount reads */
  if(op->from_stage >= 0 && (size_t)op->from_stage < g->nstages) {
    put_cstr(&h, "input:stage");
    put_key(&h, mdk_ir_stage_key(g->stages[op->from_stage]));
  }
  mdk_sha256_final(&h, out->b);
}

static void hash_op(struct mdk_ir_graph *g, struct mdk_ir_op *op,
                    const struct mdk_ir_key *parent)
{
  const struct mdk_ir_field *link = mdk_ir_op_get(op, MDK_IR_F_LINK);
  hash_op_into(g, op, parent, &op->key);
  op->linked = (op->kind == MDK_IR_COPY || op->kind == MDK_IR_ADD) && link &&
               link->nvals && mdk_str_eq_c(link->vals[0], "true");
  if(op->linked)
    hash_op_into(g, op, NULL, &op->link_key);
}

void mdk_ir_hash_all(struct mdk_ir_graph *g)
{
  size_t i, j;
  /* stages only depend on earlier stages, so file order is a valid order */
  for(i = 0; i < g->nstages; i++) {
    struct mdk_ir_stage *s = g->stages[i];
    const struct mdk_ir_key *parent = &s->base_key;
    hash_base(g, s);
    for(j = 0; j < s->nops; j++) {
      if(s->ops[j]->dead)
        continue;
      hash_op(g, s->ops[j], parent);
      parent = &s->ops[j]->key;
    }
  }
}

void mdk_ir_key_hex(const struct mdk_ir_key *k, char out[65])
{
  static const char hex[] = "0123456789abcdef";
  int i;
  for(i = 0; i < MDK_IR_KEY_LEN; i++) {
    out[2 * i] = hex[k->b[i] >> 4];
    out[2 * i + 1] = hex[k->b[i] & 15];
  }
  out[64] = '\0';
}
