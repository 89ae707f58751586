/* dump.c - the IR as text (one line per op: stable and diffable) and as
 * JSON ("mdock.ir/v1", README). */
#include "ir/ir.h"

#include <string.h>

#include "base/base.h"

static bool bare(struct mdk_str s)
{
  size_t i;
  if(!s.len)
    return false;
  for(i = 0; i < s.len; i++) {
    unsigned char c = (unsigned char)s.ptr[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || strchr("_./:@+,-%^~", c)))
      return false;
  }
  return true;
}

/* bare words stay bare; anything else is a JSON string */
static void text_val(struct mdk_buf *b, struct mdk_str s)
{
  struct mdk_jsonw w;
  if(bare(s)) {
    (void)mdk_buf_append(b, s.ptr, s.len);
    return;
  }
  mdk_jsonw_init(&w, b);
  mdk_jsonw_str(&w, s);
}

static void short_key(struct mdk_buf *b, const struct mdk_ir_key *k)
{
  char hex[65];
  mdk_ir_key_hex(k, hex);
  (void)mdk_buf_append(b, hex, 12);
}

enum mdk_status mdk_ir_dump_text(const struct mdk_ir_graph *g,
                                 struct mdk_buf *out)
{
  static const char *const kinds[] = {"image", "stage", "scratch"};
  size_t i, j, k, m;
  (void)mdk_buf_printf(out, "# mdock.ir/v1 target=%d\n", g->target);
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    (void)mdk_buf_printf(out, "stage %d", s->index);
    if(s->name.len)
      (void)mdk_buf_printf(out, " %.*s", MDK_STR_FMT(s->name));
    (void)mdk_buf_printf(out, " from %s ", kinds[s->base_kind]);
    if(s->base_kind == MDK_IR_BASE_STAGE)
      (void)mdk_buf_printf(out, "%d", s->base_stage);
    else
      text_val(out, s->base);
    if(s->platform.len) {
      (void)mdk_buf_puts(out, " platform=");
      text_val(out, s->platform);
    }
    if(!s->reachable)
      (void)mdk_buf_puts(out, " unreachable");
    if(s->alias_of >= 0)
      (void)mdk_buf_printf(out, " same-as=%d", s->alias_of);
    (void)mdk_buf_printf(out, " level=%d key=", s->order);
    short_key(out, &s->base_key);
    (void)mdk_buf_printf(out, " line=%u\n", s->line);
    for(j = 0; j < s->nops; j++) {
      const struct mdk_ir_op *op = s->ops[j];
      if(op->dead)
        continue;
      (void)mdk_buf_printf(out, "  %s", mdk_ir_kind_name(op->kind));
      for(k = 0; k < op->nfields; k++) {
        const struct mdk_ir_field *f = &op->fields[k];
        (void)mdk_buf_printf(out, " %s=", f->name);
        if(!f->list) {
          text_val(out, f->vals[0]);
          continue;
        }
        (void)mdk_buf_putc(out, '[');
        for(m = 0; m < f->nvals; m++) {
          if(m)
            (void)mdk_buf_putc(out, ' ');
          text_val(out, f->vals[m]);
        }
        (void)mdk_buf_putc(out, ']');
      }
      if(op->from_stage >= 0)
        (void)mdk_buf_printf(out, " input=stage:%d", op->from_stage);
      if(op->nbase_vars) {
        (void)mdk_buf_puts(out, " base-vars=[");
        for(m = 0; m < op->nbase_vars; m++)
          (void)mdk_buf_printf(out, "%s%.*s", m ? " " : "",
                               MDK_STR_FMT(op->base_vars[m]));
        (void)mdk_buf_putc(out, ']');
      }
      if(op->unexpanded)
        (void)mdk_buf_puts(out, " unexpanded");
      (void)mdk_buf_puts(out, " key=");
      short_key(out, &op->key);
      if(op->linked) {
        /* --link: the layer's own key, whatever the steps above it */
        (void)mdk_buf_puts(out, " link-key=");
        short_key(out, &op->link_key);
      }
      (void)mdk_buf_printf(out, " line=%u %s\n", op->line, op->instr);
    }
  }
  return MDK_OK;
}

static void key_json(struct mdk_jsonw *w, const char *name,
                     const struct mdk_ir_key *k)
{
  char hex[65 + 7] = "sha256:";
  mdk_ir_key_hex(k, hex + 7);
  mdk_jsonw_key(w, name);
  mdk_jsonw_cstr(w, hex);
}

static void loc_json(struct mdk_jsonw *w, struct mdk_loc loc)
{
  struct mdk_pos p;
  if(!loc.src)
    return;
  p = mdk_source_pos(loc.src, loc.start);
  mdk_jsonw_key(w, "at");
  mdk_jsonw_begin(w, '{');
  mdk_jsonw_key(w, "source");
  mdk_jsonw_cstr(w, p.name);
  mdk_jsonw_key(w, "line");
  mdk_jsonw_int(w, p.line);
  mdk_jsonw_key(w, "column");
  mdk_jsonw_int(w, p.col);
  mdk_jsonw_key(w, "offset");
  mdk_jsonw_int(w, loc.start);
  mdk_jsonw_key(w, "length");
  mdk_jsonw_int(w, loc.end - loc.start);
  mdk_jsonw_end(w, '}');
}

static void strs(struct mdk_jsonw *w, const char *name,
                 const struct mdk_str *v, size_t n)
{
  size_t i;
  mdk_jsonw_key(w, name);
  mdk_jsonw_begin(w, '[');
  for(i = 0; i < n; i++)
    mdk_jsonw_str(w, v[i]);
  mdk_jsonw_end(w, ']');
}

enum mdk_status mdk_ir_dump_json(const struct mdk_ir_graph *g,
                                 struct mdk_buf *out)
{
  static const char *const kinds[] = {"image", "stage", "scratch"};
  struct mdk_jsonw w;
  size_t i, j, k;

  mdk_jsonw_init(&w, out);
  mdk_jsonw_begin(&w, '{');
  mdk_jsonw_key(&w, "schema");
  mdk_jsonw_cstr(&w, "mdock.ir/v1");
  mdk_jsonw_key(&w, "target");
  mdk_jsonw_int(&w, g->target);
  mdk_jsonw_key(&w, "stages");
  mdk_jsonw_begin(&w, '[');
  for(i = 0; i < g->nstages; i++) {
    const struct mdk_ir_stage *s = g->stages[i];
    mdk_jsonw_begin(&w, '{');
    mdk_jsonw_key(&w, "index");
    mdk_jsonw_int(&w, s->index);
    mdk_jsonw_key(&w, "name");
    if(s->name.len)
      mdk_jsonw_str(&w, s->name);
    else
      mdk_jsonw_null(&w);
    mdk_jsonw_key(&w, "base");
    mdk_jsonw_begin(&w, '{');
    mdk_jsonw_key(&w, "kind");
    mdk_jsonw_cstr(&w, kinds[s->base_kind]);
    mdk_jsonw_key(&w, "ref");
    mdk_jsonw_str(&w, s->base);
    mdk_jsonw_key(&w, "stage");
    if(s->base_stage >= 0)
      mdk_jsonw_int(&w, s->base_stage);
    else
      mdk_jsonw_null(&w);
    mdk_jsonw_key(&w, "platform");
    mdk_jsonw_str(&w, s->platform);
    mdk_jsonw_key(&w, "digest");
    if(s->base_digest.len)
      mdk_jsonw_str(&w, s->base_digest);
    else
      mdk_jsonw_null(&w);
    key_json(&w, "key", &s->base_key);
    mdk_jsonw_end(&w, '}');
    mdk_jsonw_key(&w, "reachable");
    mdk_jsonw_bool(&w, s->reachable);
    mdk_jsonw_key(&w, "level");
    mdk_jsonw_int(&w, s->order);
    mdk_jsonw_key(&w, "same_as");
    if(s->alias_of >= 0)
      mdk_jsonw_int(&w, s->alias_of);
    else
      mdk_jsonw_null(&w);
    loc_json(&w, s->loc);
    mdk_jsonw_key(&w, "ops");
    mdk_jsonw_begin(&w, '[');
    for(j = 0; j < s->nops; j++) {
      const struct mdk_ir_op *op = s->ops[j];
      if(op->dead)
        continue;
      mdk_jsonw_begin(&w, '{');
      mdk_jsonw_key(&w, "op");
      mdk_jsonw_cstr(&w, mdk_ir_kind_name(op->kind));
      mdk_jsonw_key(&w, "layer");
      mdk_jsonw_bool(&w, mdk_ir_kind_makes_layer(op->kind));
      mdk_jsonw_key(&w, "instruction");
      mdk_jsonw_cstr(&w, op->instr);
      loc_json(&w, op->loc);
      mdk_jsonw_key(&w, "fields");
      mdk_jsonw_begin(&w, '{');
      for(k = 0; k < op->nfields; k++) {
        const struct mdk_ir_field *f = &op->fields[k];
        if(f->list)
          strs(&w, f->name, f->vals, f->nvals);
        else {
          mdk_jsonw_key(&w, f->name);
          mdk_jsonw_str(&w, f->vals[0]);
        }
      }
      mdk_jsonw_end(&w, '}');
      mdk_jsonw_key(&w, "input_stage");
      if(op->from_stage >= 0)
        mdk_jsonw_int(&w, op->from_stage);
      else
        mdk_jsonw_null(&w);
      strs(&w, "vars_used", op->vars_used, op->nvars_used);
      strs(&w, "depends_on_base", op->base_vars, op->nbase_vars);
      mdk_jsonw_key(&w, "unexpanded");
      mdk_jsonw_bool(&w, op->unexpanded);
      key_json(&w, "key", &op->key);
      if(op->linked)
        key_json(&w, "link_key", &op->link_key);
      mdk_jsonw_end(&w, '}');
    }
    mdk_jsonw_end(&w, ']');
    mdk_jsonw_end(&w, '}');
  }
  mdk_jsonw_end(&w, ']');
  mdk_jsonw_end(&w, '}');
  return mdk_buf_putc(out, '\n');
}
