/* image_json.c - the `docker image inspect` shape of a stored image. */
#include "cli/image_json.h"

#include <stdlib.h>
#include <string.h>

/* docker's HealthConfig in its field order */
static json_t *health(json_t *h)
{
  static const char *const order[] = {"Test", "Interval", "Timeout",
    "StartPeriod", "StartInterval", "Retries", NULL};
  json_t *o = json_object();
  const char *k;
  json_t *v;
  size_t i;
  for(i = 0; order[i]; i++)
    if((v = json_object_get(h, order[i])))
      json_object_set(o, order[i], v);
  json_object_foreach(h, k, v)
    if(!json_object_get(o, k))
      json_object_set(o, k, v);
  return o;
}

static json_t *field_or(json_t *obj, const char *key, json_t *dflt)
{
  json_t *v = json_object_get(obj, key);
  if(v) {
    json_decref(dflt);
    return json_incref(v);
  }
  return dflt;
}

/* docker's container.Config: every field that is not omitempty, in its
 * order, from the image config's "config" (NULL: the zero config) */
static json_t *container_config(json_t *c)
{
  json_t *o = json_object();
  static const char *const omitted[] = {"ExposedPorts", "Healthcheck",
    "ArgsEscaped", "StopSignal", "StopTimeout", "Shell", NULL};
  static const struct { const char *key; char kind; } order[] = {
    {"Hostname", 's'}, {"Domainname", 's'}, {"User", 's'},
    {"AttachStdin", 'b'}, {"AttachStdout", 'b'}, {"AttachStderr", 'b'},
    {"ExposedPorts", 'o'}, {"Tty", 'b'}, {"OpenStdin", 'b'},
    {"StdinOnce", 'b'}, {"Env", 'n'}, {"Cmd", 'n'}, {"Healthcheck", 'o'},
    {"ArgsEscaped", 'o'}, {"Image", 's'}, {"Volumes", 'n'},
    {"WorkingDir", 's'}, {"Entrypoint", 'n'}, {"OnBuild", 'n'},
    {"Labels", 'n'}, {"StopSignal", 'o'}, {"StopTimeout", 'o'},
    {"Shell", 'o'}, {NULL, 0}};
  size_t i, k;
  for(i = 0; order[i].key; i++) {
    json_t *v = json_object_get(c, order[i].key);
    bool omit = false;
    for(k = 0; omitted[k]; k++)
      omit |= strcmp(omitted[k], order[i].key) == 0;
    if(omit) {
      /* omitempty: absent when empty, as docker marshals it */
      if(v && !json_is_null(v) && !json_is_false(v) &&
         !(json_is_string(v) && !json_string_length(v)) &&
         !(json_is_array(v) && !json_array_size(v)) &&
         !(json_is_object(v) && !json_object_size(v)))
        json_object_set_new(o, order[i].key,
                            strcmp(order[i].key, "Healthcheck") == 0
                              ? health(v) : json_incref(v));
      continue;
    }
    json_object_set_new(o, order[i].key,
                        field_or(c, order[i].key,
                                 order[i].kind == 's' ? json_string("")
                                 : order[i].kind == 'b' ? json_false()
                                                        : json_null()));
  }
  return o;
}

static json_t *repo_tags(struct mdk_be_store *s, struct mdk_arena *a,
                         const struct mdk_be_image *im)
{
  json_t *out = json_array();
  size_t n, i;
  const char **tags = mdk_be_tag_list(s, a, &n);
  for(i = 0; tags && tags[i]; i++) {
    mdk_digest d;
    struct mdk_be_image other;
    bool same;
    if(!mdk_be_tag_get(s, tags[i], d) || strchr(tags[i], '@'))
      continue;
    same = strcmp(d, im->manifest) == 0;
    if(!same) {
      /* an index: the tag is every platform's */
      struct mdk_be_image *ims;
      size_t k, nims;
      if(mdk_be_index_images(s, d, &ims, &nims, NULL) == MDK_OK && nims) {
        for(k = 0; k < nims; k++)
          same |= strcmp(ims[k].manifest, im->manifest) == 0;
        mdk_be_index_images_free(ims, nims);
      }
    }
    if(!same && mdk_be_image_load(s, d, &other, NULL) == MDK_OK) {
      /* another manifest of the same config is the same image ID */
      same = strcmp(other.config_digest, im->config_digest) == 0;
      mdk_be_image_free(&other);
    }
    if(same)
      /* as docker shows a tag: familiar, ":latest" when it has none */
      json_array_append_new(out, json_string(mdk_be_ref_normalize(a,
                                                                   tags[i])));
  }
  return out;
}

static json_t *diff_ids(json_t *config)
{
  json_t *ids = json_object_get(json_object_get(config, "rootfs"),
                                "diff_ids");
  json_t *r = json_pack("{s:s}", "Type", "layers");
  if(json_array_size(ids))
    json_object_set(r, "Layers", ids);
  return r;
}

static json_t *descriptor(struct mdk_be_store *s, struct mdk_arena *a,
                          const struct mdk_be_image *im)
{
  char *data;
  size_t len;
  const char *mt = "application/vnd.oci.image.manifest.v1+json";
  json_t *m = NULL, *d;
  if(mdk_be_blob_read(s, a, im->manifest, MDK_BE_DOC_MAX, &data, &len,
                      NULL) == MDK_OK &&
     (m = json_loadb(data, len, 0, NULL)) &&
     json_string_value(json_object_get(m, "mediaType")))
    mt = json_string_value(json_object_get(m, "mediaType"));
  d = json_pack("{s:s,s:s,s:I}", "mediaType", mt, "digest", im->manifest,
                "size", (json_int_t)(im->manifest_size ? im->manifest_size
                                                        : len));
  json_decref(m);
  return d;
}

static json_t *str_of(json_t *config, const char *key)
{
  const char *v = json_string_value(json_object_get(config, key));
  return json_string(v ? v : "");
}

/* moby's inspect: the config's comment, else the newest history entry's
 * (BuildKit's images say buildkit.dockerfile.v0 there) */
static json_t *comment_of(json_t *config)
{
  const char *c = json_string_value(json_object_get(config, "comment"));
  json_t *h = json_object_get(config, "history");
  size_t n = json_array_size(h);
  if((!c || !*c) && n)
    c = json_string_value(json_object_get(json_array_get(h, n - 1),
                                          "comment"));
  return json_string(c ? c : "");
}

json_t *mdk_cli_image_json(struct mdk_be_store *s, struct mdk_arena *a,
                           const struct mdk_be_image *im)
{
  json_t *c = im->config, *o = json_object();
  json_t *variant = json_object_get(c, "variant");
  uint64_t unpacked;
  json_int_t size = mdk_be_image_content_size(s, im, &unpacked, NULL)
                  ? (json_int_t)mdk_be_image_size(im) : (json_int_t)unpacked;
  json_object_set_new(o, "Id", json_string(im->config_digest));
  json_object_set_new(o, "RepoTags", repo_tags(s, a, im));
  json_object_set_new(o, "RepoDigests", json_array());
  json_object_set_new(o, "Parent", json_string(""));
  json_object_set_new(o, "Comment", comment_of(c));
  json_object_set_new(o, "Created", str_of(c, "created"));
  json_object_set_new(o, "Container", str_of(c, "container"));
  json_object_set_new(o, "ContainerConfig",
                      container_config(json_object_get(c,
                                                       "container_config")));
  json_object_set_new(o, "DockerVersion", str_of(c, "docker_version"));
  json_object_set_new(o, "Author", str_of(c, "author"));
  json_object_set_new(o, "Config",
                      container_config(json_object_get(c, "config")));
  json_object_set_new(o, "Architecture", str_of(c, "architecture"));
  if(json_string_length(variant))
    json_object_set(o, "Variant", variant);
  json_object_set_new(o, "Os", str_of(c, "os"));
  if(json_string_length(json_object_get(c, "os.version")))
    json_object_set(o, "OsVersion", json_object_get(c, "os.version"));
  json_object_set_new(o, "Size", json_integer(size));
  json_object_set_new(o, "VirtualSize", json_integer(size));
  json_object_set_new(o, "GraphDriver", json_pack("{s:n,s:s}", "Data",
                                                  "Name", "mdock"));
  json_object_set_new(o, "RootFS", diff_ids(c));
  json_object_set_new(o, "Metadata", json_pack("{s:s}", "LastTagTime",
                                               "0001-01-01T00:00:00Z"));
  json_object_set_new(o, "Descriptor", descriptor(s, a, im));
  return o;
}
