/* pipeline_base.c - see pipeline.h: FROM images' ENV and ONBUILD. */
#include "cli/pipeline.h"

#include <jansson.h>
#include <string.h>

#include "store/store.h"

/* The field of the runtime config ("config" in the image config) of the
 * stored image named by image; false when the store does not have it.
 * The caller frees *im. */
static bool config_field(void *ctx, struct mdk_arena *a, struct mdk_str image,
                         struct mdk_str platform, const char *field,
                         struct mdk_be_image *im, json_t **v)
{
  struct mdk_be_store *s = ctx;
  struct mdk_platform p;
  bool pl = platform.len &&
            mdk_platform_parse(mdk_arena_strndup(a, platform.ptr,
                                                 platform.len), &p);
  if(!s || mdk_be_image_resolve_for(s, a, mdk_arena_strndup(a, image.ptr,
                                                             image.len),
                                    pl ? &p : NULL, im, NULL))
    return false;
  *v = json_object_get(json_object_get(im->config, "config"), field);
  return true;
}

bool mdk_cli_base_env(void *ctx, struct mdk_arena *a, struct mdk_str image,
                      struct mdk_str platform, const struct mdk_fe_kv **env,
                      size_t *n)
{
  struct mdk_be_image im;
  struct mdk_fe_kv *kv;
  json_t *e, *v;
  size_t i, k = 0;
  if(!config_field(ctx, a, image, platform, "Env", &im, &e))
    return false;
  kv = mdk_arena_array(a, struct mdk_fe_kv, json_array_size(e) + 1);
  json_array_foreach(e, i, v) {
    const char *s1 = json_string_value(v), *eq = s1 ? strchr(s1, '=') : NULL;
    if(!eq)
      continue;
    kv[k].key = mdk_str_dup(a, mdk_str_make(s1, (size_t)(eq - s1)));
    kv[k].val = mdk_str_dup(a, mdk_str_c(eq + 1));
    k++;
  }
  mdk_be_image_free(&im);
  *env = kv;
  *n = k;
  return true;
}

bool mdk_cli_base_onbuild(void *ctx, struct mdk_arena *a,
                          struct mdk_str image, struct mdk_str platform,
                          const struct mdk_str **triggers, size_t *n)
{
  struct mdk_be_image im;
  struct mdk_str *t;
  json_t *ob, *v;
  size_t i, k = 0;
  if(!config_field(ctx, a, image, platform, "OnBuild", &im, &ob))
    return false;
  t = mdk_arena_array(a, struct mdk_str, json_array_size(ob) + 1);
  json_array_foreach(ob, i, v)
    if(json_string_value(v))
      t[k++] = mdk_str_dup(a, mdk_str_c(json_string_value(v)));
  mdk_be_image_free(&im);
  *triggers = t;
  *n = k;
  return true;
}
