/* ir_load.c - mdock.ir/v1 JSON (docs/ir-schema.json) to an IR graph. */
#include "cli/ir_load.h"

#include <string.h>

#include <jansson.h>

static bool hex_key(const char *s, struct mdk_ir_key *k)
{
  size_t i;
  if(!s || strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
    return false;
  s += 7;
  for(i = 0; i < MDK_IR_KEY_LEN; i++) {
    unsigned v = 0;
    int j;
    for(j = 0; j < 2; j++) {
      char c = s[2 * i + j];
      v <<= 4;
      if(c >= '0' && c <= '9')
        v |= (unsigned)(c - '0');
      else if(c >= 'a' && c <= 'f')
        v |= (unsigned)(c - 'a' + 10);
      else
        return false;
    }
    k->b[i] = (uint8_t)v;
  }
  return true;
}

static struct mdk_str jstr(struct mdk_arena *a, json_t *v)
{
  const char *s = json_string_value(v);
  if(!s)
    return mdk_str_make("", 0);
  return mdk_str_dup(a, mdk_str_make(s, json_string_length(v)));
}

enum mdk_status mdk_cli_ir_load(struct mdk_arena *a, struct mdk_str text,
                                struct mdk_ir_graph **out, const char **why)
{
  static const char *const kinds[] = {"image", "stage", "scratch"};
  json_error_t err;
  json_t *root = json_loadb(text.ptr, text.len, 0, &err), *stages, *js;
  struct mdk_ir_graph *g;
  size_t i;
  enum mdk_status st = MDK_EINPUT;

  if(!root) {
    *why = mdk_arena_printf(a, "not JSON: %s (line %d)", err.text, err.line);
    return MDK_EINPUT;
  }
  if(!json_is_string(json_object_get(root, "schema")) ||
     strcmp(json_string_value(json_object_get(root, "schema")),
            "mdock.ir/v1") != 0) {
    *why = "not an mdock.ir/v1 document (save one with mdock ir --format "
           "json)";
    goto out;
  }
  g = mdk_ir_graph_new(a);
  g->target = (int)json_integer_value(json_object_get(root, "target"));
  stages = json_object_get(root, "stages");
  json_array_foreach(stages, i, js) {
    struct mdk_ir_stage *s = mdk_ir_stage_add(g);
    json_t *base = json_object_get(js, "base"), *ops, *jo;
    const char *kind = json_string_value(json_object_get(base, "kind"));
    size_t k;
    s->name = jstr(a, json_object_get(js, "name"));
    for(k = 0; k < 3; k++)
      if(kind && strcmp(kind, kinds[k]) == 0)
        s->base_kind = (enum mdk_ir_base_kind)k;
    s->base = jstr(a, json_object_get(base, "ref"));
    s->platform = jstr(a, json_object_get(base, "platform"));
    s->base_digest = jstr(a, json_object_get(base, "digest"));
    s->base_stage = json_is_integer(json_object_get(base, "stage"))
                      ? (int)json_integer_value(json_object_get(base, "stage"))
                      : -1;
    if(!hex_key(json_string_value(json_object_get(base, "key")),
                &s->base_key)) {
      *why = "a stage has no valid base key";
      goto out;
    }
    s->reachable = json_is_true(json_object_get(js, "reachable"));
    ops = json_object_get(js, "ops");
    json_array_foreach(ops, k, jo) {
      const char *opk = json_string_value(json_object_get(jo, "op"));
      const char *fname;
      json_t *fv;
      struct mdk_ir_op *op;
      int kk, kindv = -1;
      for(kk = 0; kk < MDK_IR__COUNT; kk++)
        if(opk && strcmp(opk, mdk_ir_kind_name((enum mdk_ir_kind)kk)) == 0)
          kindv = kk;
      if(kindv < 0) {
        *why = "an op has an unknown kind";
        goto out;
      }
      op = mdk_ir_op_add(g, s, (enum mdk_ir_kind)kindv,
                         jstr(a, json_object_get(jo, "instruction")).ptr);
      op->line = (uint32_t)json_integer_value(json_object_get(
        json_object_get(jo, "at"), "line"));
      op->from_stage = json_is_integer(json_object_get(jo, "input_stage"))
                         ? (int)json_integer_value(json_object_get(
                             jo, "input_stage"))
                         : -1;
      op->unexpanded = json_is_true(json_object_get(jo, "unexpanded"));
      json_object_foreach(json_object_get(jo, "fields"), fname, fv) {
        struct mdk_ir_field f;
        struct mdk_str one;
        int id = mdk_ir_field_lookup(fname);
        if(id < 0) {
          *why = mdk_arena_printf(a, "an op has an unknown field \"%s\" "
                                  "(ir/fields.def lists them)", fname);
          goto out;
        }
        f.id = (enum mdk_ir_fid)id;
        f.name = mdk_arena_strndup(a, fname, strlen(fname));
        f.list = json_is_array(fv);
        if(f.list) {
          size_t m;
          f.nvals = json_array_size(fv);
          f.vals = mdk_arena_array(a, struct mdk_str, f.nvals + 1);
          for(m = 0; m < f.nvals; m++)
            f.vals[m] = jstr(a, json_array_get(fv, m));
        }
        else {
          one = jstr(a, fv);
          f.vals = &one;
          f.nvals = 1;
        }
        mdk_ir_field_add(g, op, &f);
      }
      if(!hex_key(json_string_value(json_object_get(jo, "key")), &op->key)) {
        *why = "an op has no valid key";
        goto out;
      }
    }
  }
  *out = g;
  st = MDK_OK;
out:
  json_decref(root);
  return st;
}
