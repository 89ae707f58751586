/* regdoc.c - see regdoc.h. */
#include "registry/regdoc.h"

#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A descriptor's digest and size, both checked. */
static bool blobref(json_t *x, uint64_t max, struct mdk_be_blobref *r,
                    const char *what, char *why, size_t cap)
{
  const char *dg = json_string_value(json_object_get(x, "digest"));
  json_t *sz = json_object_get(x, "size");
  json_int_t v;
  if(!json_is_object(x) || !dg || !mdk_digest_valid(dg)) {
    snprintf(why, cap, "%s has no valid digest", what);
    return false;
  }
  if(json_is_integer(sz) && (v = json_integer_value(sz)) >= 0 &&
     (uint64_t)v > max && max == MDK_BE_DOC_MAX) {
    snprintf(why, cap, "%s %.19s is %lld bytes, more than %llu for a "
             "document (%s raises the limit)", what, dg, (long long)v,
             (unsigned long long)max, mdk_limit_env(MDK_LIMIT_DOCUMENT));
    return false;
  }
  if(!json_is_integer(sz) || (v = json_integer_value(sz)) < 0 ||
     (uint64_t)v > max) {
    snprintf(why, cap, "%s %.19s has an impossible size", what, dg);
    return false;
  }
  snprintf(r->digest, sizeof(r->digest), "%s", dg);
  r->size = (uint64_t)v;
  return true;
}

bool mdk_be_doc_parse(const char *text, size_t n, const char *os,
                      const char *arch, const char *variant,
                      struct mdk_be_doc *d, char *why, size_t cap)
{
  json_error_t je;
  json_t *doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je), *ms, *ls, *x;
  size_t i;
  bool ok = false;
  memset(d, 0, sizeof(*d));
  if(!json_is_object(doc)) {
    snprintf(why, cap, "not a JSON object");
    goto done;
  }
  ms = json_object_get(doc, "manifests");
  ls = json_object_get(doc, "layers");
  if(ms && (ls || json_object_get(doc, "config"))) {
    snprintf(why, cap, "both a manifest and an index: refused as ambiguous");
    goto done;
  }
  if(ms) {
    bool found = false;
    d->index = true;
    if(!json_is_array(ms)) {
      snprintf(why, cap, "an index whose manifests are not a list");
      goto done;
    }
    json_array_foreach(ms, i, x) {
      json_t *p = json_object_get(x, "platform");
      const char *o = json_string_value(json_object_get(p, "os"));
      const char *a = json_string_value(json_object_get(p, "architecture"));
      const char *v = json_string_value(json_object_get(p, "variant"));
      if(o && a && strcmp(o, os) == 0 && strcmp(a, arch) == 0 &&
         (!variant || (v && strcmp(v, variant) == 0))) {
        if(!blobref(x, MDK_BE_DOC_MAX, &d->pick, "the platform's manifest",
                    why, cap))
          goto done;
        found = true;
        break;
      }
    }
    if(!found) {
      snprintf(why, cap, "no %s/%s%s%s image in the index", os, arch,
               variant ? "/" : "", variant ? variant : "");
      goto done;
    }
    ok = true;
    goto done;
  }
  if(!blobref(json_object_get(doc, "config"), MDK_BE_DOC_MAX,
              &d->config, "the config", why, cap))
    goto done;
  if(ls && !json_is_array(ls)) {
    snprintf(why, cap, "a manifest whose layers are not a list");
    goto done;
  }
  if(json_array_size(ls) > MDK_BE_DOC_MAX_LAYERS) {
    snprintf(why, cap, "%zu layers, more than %d", json_array_size(ls),
             MDK_BE_DOC_MAX_LAYERS);
    goto done;
  }
  d->layers = calloc(json_array_size(ls) + 1, sizeof(*d->layers));
  if(!d->layers) {
    snprintf(why, cap, "out of memory");
    goto done;
  }
  d->total = d->config.size;
  json_array_foreach(ls, i, x) {
    if(!blobref(x, MDK_BE_DOC_MAX_BLOB, &d->layers[i], "a layer", why, cap))
      goto done;
    d->total += d->layers[i].size;
    d->nlayers++;
  }
  ok = true;
done:
  json_decref(doc);
  if(!ok)
    mdk_be_doc_free(d);
  return ok;
}

void mdk_be_doc_free(struct mdk_be_doc *d)
{
  free(d->layers);
  d->layers = NULL;
  d->nlayers = 0;
}
