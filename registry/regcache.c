/* regcache.c - see regcache.h. */
#include "registry/regcache.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

enum mdk_status mdk_be_cache_export(struct mdk_be_store *s,
                                    const struct mdk_ir_graph *const *gs,
                                    size_t ng, const char *ref,
                                    const struct mdk_be_pull_opts *o,
                                    size_t *nentries, struct mdk_err *e)
{
  json_t *entries = json_object(), *layers = json_array(), *cfg, *man;
  struct mdk_be_reg *r;
  struct mdk_arena a;
  enum mdk_status st = MDK_OK;
  mdk_digest cd;
  char *text;
  size_t i, k, clen, gi;
  *nentries = 0;
  mdk_arena_init(&a);
  /* one entry per key: the graphs of several platforms share the keys of
   * what they share (a --platform=$BUILDPLATFORM stage) */
  for(gi = 0; gi < ng; gi++)
  for(i = 0; i < gs[gi]->nstages; i++) {
    const struct mdk_ir_stage *sg = gs[gi]->stages[i];
    for(k = 0; sg->reachable && k < sg->nops; k++) {
      const struct mdk_ir_op *op = sg->ops[k];
      char hex[65], rel[96];
      char *txt;
      json_t *j, *l;
      json_error_t je;
      if(op->dead || op->kind == MDK_IR_CONFIG)
        continue;
      mdk_ir_key_hex(&op->key, hex);
      if(json_object_get(entries, hex))
        continue;
      snprintf(rel, sizeof(rel), "cache/%s", hex);
      txt = mdk_be_store_read(s, &a, rel, 1 << 16);
      if(!txt || !(j = json_loads(txt, 0, &je)))
        continue;
      l = json_object_get(j, "layer");
      if(json_is_object(l)) {
        const char *d = json_string_value(json_object_get(l, "digest"));
        size_t x;
        json_t *v;
        bool dup = false;
        json_array_foreach(layers, x, v)
          if(d && strcmp(json_string_value(json_object_get(v, "digest")), d)
             == 0)
            dup = true;
        if(d && !dup)
          json_array_append_new(layers, json_pack(
            "{s:O,s:s,s:O}", "mediaType", json_object_get(l, "mediaType"),
            "digest", d, "size", json_object_get(l, "size")));
      }
      json_object_set_new(entries, hex, j);
      (*nentries)++;
    }
  }
  cfg = json_pack("{s:i,s:o}", "v", 1, "entries", entries);
  text = mdk_be_json_canonical(cfg);
  json_decref(cfg);
  clen = text ? strlen(text) : 0;
  if(!text || (st = mdk_be_blob_put(s, text, clen, cd, e))) {
    free(text);
    json_decref(layers);
    mdk_arena_fini(&a);
    return st ? st : mdk_fail(e, MDK_ENOMEM, "out of memory");
  }
  free(text);
  r = mdk_be_reg_open(ref, true, o, e);
  if(!r) {
    json_decref(layers);
    mdk_arena_fini(&a);
    return MDK_EINPUT;
  }
  for(i = 0; i < json_array_size(layers) && !st; i++) {
    bool sent;
    st = mdk_be_reg_push_blob(r, s, json_string_value(json_object_get(
                                json_array_get(layers, i), "digest")),
                              &sent, e);
  }
  if(!st) {
    bool sent;
    st = mdk_be_reg_push_blob(r, s, cd, &sent, e);
  }
  if(!st) {
    man = json_pack("{s:i,s:s,s:s,s:{s:s,s:s,s:I},s:O}", "schemaVersion", 2,
                    "mediaType", MDK_MT_OCI_MANIFEST, "artifactType",
                    "application/vnd.mdock.cache.v1", "config", "mediaType",
                    MDK_MT_CACHE_CONFIG, "digest", cd, "size",
                    (json_int_t)clen, "layers", layers);
    text = mdk_be_json_canonical(man);
    json_decref(man);
    st = text ? mdk_be_reg_put_manifest(r, text, strlen(text),
                                        MDK_MT_OCI_MANIFEST, e)
              : MDK_ENOMEM;
    free(text);
  }
  mdk_be_reg_close(r);
  json_decref(layers);
  mdk_arena_fini(&a);
  return st;
}

enum mdk_status mdk_be_cache_import(struct mdk_be_store *s, const char *ref,
                                    const struct mdk_be_pull_opts *o,
                                    size_t *nentries, struct mdk_err *e)
{
  struct mdk_be_reg *r = mdk_be_reg_open(ref, false, o, e);
  struct mdk_arena a;
  char *body = NULL, *cfgtext;
  size_t n, clen;
  json_t *man = NULL, *cfg = NULL, *v;
  json_error_t je;
  const char *cd, *key;
  enum mdk_status st;
  *nentries = 0;
  if(!r)
    return MDK_EINPUT;
  mdk_arena_init(&a);
  st = mdk_be_reg_get_manifest(r, &body, &n, e);
  if(!st) {
    man = json_loadb(body, n, 0, &je);
    cd = json_string_value(json_object_get(json_object_get(man, "config"),
                                           "digest"));
    if(!mdk_digest_valid(cd) ||
       !json_string_value(json_object_get(json_object_get(man, "config"),
                                          "mediaType")) ||
       strcmp(json_string_value(json_object_get(json_object_get(
         man, "config"), "mediaType")), MDK_MT_CACHE_CONFIG) != 0)
      st = mdk_fail(e, MDK_EINPUT, "%s is not an mdock cache (push one "
                       "with --cache-to)", ref);
    else
      st = mdk_be_reg_fetch_blob(r, s, cd, e);
    if(!st)
      st = mdk_be_blob_read(s, &a, cd, 64 << 20, &cfgtext, &clen, e);
    if(!st)
      cfg = json_loadb(cfgtext, clen, 0, &je);
  }
  json_object_foreach(json_object_get(cfg, "entries"), key, v) {
    char rel[96];
    const char *d = json_string_value(json_object_get(
      json_object_get(v, "layer"), "digest"));
    char *txt;
    if(st)
      break;
    if(strlen(key) != 64 || strspn(key, "0123456789abcdef") != 64)
      continue;
    /* the layers come along, checked against their digests */
    if(d && (st = mdk_be_reg_fetch_blob(r, s, d, e)))
      break;
    snprintf(rel, sizeof(rel), "cache/%s", key);
    txt = mdk_be_json_canonical(v);
    if(txt)
      st = mdk_be_store_write(s, rel, txt, strlen(txt), e);
    free(txt);
    (*nentries)++;
  }
  json_decref(cfg);
  json_decref(man);
  free(body);
  mdk_be_reg_close(r);
  mdk_arena_fini(&a);
  return st;
}
