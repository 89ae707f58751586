/* image.c - see image.h. */
#include "store/image.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *mdk_be_json_canonical(const void *json)
{
  return json_dumps(json, JSON_COMPACT | JSON_SORT_KEYS);
}

void mdk_be_image_init_scratch(struct mdk_be_image *im, const char *os,
                               const char *arch, const char *variant)
{
  json_t *c = json_object();
  memset(im, 0, sizeof(*im));
  json_object_set_new(c, "architecture", json_string(arch));
  json_object_set_new(c, "os", json_string(os));
  if(variant && *variant)
    json_object_set_new(c, "variant", json_string(variant));
  /* BuildKit's empty image (dockerfile2llb emptyImage): the default PATH
   * and WorkingDir "/" */
  json_object_set_new(c, "config", strcmp(os, "windows") == 0
                        ? json_pack("{s:s}", "WorkingDir", "/")
                        : json_pack("{s:[s],s:s}", "Env",
                                    "PATH=" MDK_DEFAULT_PATH,
                                    "WorkingDir", "/"));
  json_object_set_new(c, "rootfs", json_pack("{s:s,s:[]}", "type", "layers",
                                             "diff_ids"));
  json_object_set_new(c, "history", json_array());
  im->config = c;
  im->layers = json_array();
}

void mdk_be_image_copy(struct mdk_be_image *dst,
                       const struct mdk_be_image *src)
{
  *dst = *src;
  dst->config = json_deep_copy(src->config);
  dst->layers = json_deep_copy(src->layers);
  dst->manifest[0] = '\0';
  dst->config_digest[0] = '\0';
}

void mdk_be_image_free(struct mdk_be_image *im)
{
  json_decref(im->config);
  json_decref(im->layers);
  im->config = im->layers = NULL;
}

void mdk_be_image_add_history(struct mdk_be_image *im, const char *created,
                              const char *created_by, bool empty_layer)
{
  json_t *h = json_object_get(im->config, "history"), *e = json_object();
  if(!json_is_array(h)) {
    h = json_array();
    json_object_set_new(im->config, "history", h);
  }
  if(created)
    json_object_set_new(e, "created", json_string(created));
  json_object_set_new(e, "created_by", json_string(created_by));
  json_object_set_new(e, "comment", json_string("buildkit.dockerfile.v0"));
  if(empty_layer)
    json_object_set_new(e, "empty_layer", json_true());
  json_array_append_new(h, e);
}

void mdk_be_image_add_layer(struct mdk_be_image *im,
                            const struct mdk_be_layer_desc *d,
                            const char *created, const char *created_by)
{
  json_t *rootfs = json_object_get(im->config, "rootfs");
  json_t *ids = json_object_get(rootfs, "diff_ids");
  json_array_append_new(im->layers, json_pack("{s:s,s:s,s:I}", "mediaType",
                                              d->media_type, "digest",
                                              d->digest, "size",
                                              (json_int_t)d->size));
  json_array_append_new(ids, json_string(d->diff_id));
  mdk_be_image_add_history(im, created, created_by, false);
}

size_t mdk_be_image_nlayers(const struct mdk_be_image *im)
{
  return json_array_size(im->layers);
}

bool mdk_be_image_layer(const struct mdk_be_image *im, size_t i,
                        struct mdk_be_layer_desc *d)
{
  json_t *l = json_array_get(im->layers, i);
  json_t *ids = json_object_get(json_object_get(im->config, "rootfs"),
                                "diff_ids");
  const char *dg = json_string_value(json_object_get(l, "digest"));
  const char *id = json_string_value(json_array_get(ids, i));
  if(!dg || !id)
    return false;
  snprintf(d->digest, sizeof(d->digest), "%s", dg);
  snprintf(d->diff_id, sizeof(d->diff_id), "%s", id);
  d->size = (uint64_t)json_integer_value(json_object_get(l, "size"));
  d->media_type = json_string_value(json_object_get(l, "mediaType"));
  return true;
}

enum mdk_status mdk_be_image_store(struct mdk_be_store *s,
                                   struct mdk_be_image *im,
                                   struct mdk_err *e)
{
  char *cfg = mdk_be_json_canonical(im->config), *man;
  json_t *m;
  enum mdk_status st;
  size_t cfg_len;
  if(!cfg)
    return mdk_fail(e, MDK_ENOMEM, "cannot encode the image config");
  cfg_len = strlen(cfg);
  st = mdk_be_blob_put(s, cfg, cfg_len, im->config_digest, e);
  free(cfg);
  if(st)
    return st;
  m = json_pack("{s:i,s:s,s:{s:s,s:s,s:I},s:O}", "schemaVersion", 2,
                "mediaType", MDK_MT_OCI_MANIFEST, "config", "mediaType",
                MDK_MT_OCI_CONFIG, "digest", im->config_digest, "size",
                (json_int_t)cfg_len, "layers", im->layers);
  man = mdk_be_json_canonical(m);
  json_decref(m);
  if(!man)
    return mdk_fail(e, MDK_ENOMEM, "cannot encode the manifest");
  im->manifest_size = strlen(man);
  st = mdk_be_blob_put(s, man, strlen(man), im->manifest, e);
  free(man);
  return st;
}

static bool is_index(const char *mt, json_t *doc)
{
  if(mt && (strcmp(mt, MDK_MT_OCI_INDEX) == 0 ||
            strcmp(mt, MDK_MT_DOCKER_LIST) == 0))
    return true;
  return !mt && json_is_array(json_object_get(doc, "manifests")) &&
         !json_object_get(doc, "layers");
}

enum mdk_status mdk_be_image_load(struct mdk_be_store *s,
                                  const char *manifest_digest,
                                  struct mdk_be_image *im,
                                  struct mdk_err *e)
{
  return mdk_be_image_load_for(s, manifest_digest, NULL, im, e);
}

enum mdk_status mdk_be_image_load_for(struct mdk_be_store *s,
                                      const char *manifest_digest,
                                      const struct mdk_platform *plat,
                                      struct mdk_be_image *im,
                                      struct mdk_err *e)
{
  struct mdk_platform host;
  bool lenient = !plat;
  struct mdk_arena a;
  char *data;
  size_t len;
  json_t *doc, *cfgd, *layers;
  json_error_t je;
  const char *mt, *cd;
  enum mdk_status st;
  int depth = 0;
  mdk_digest cur;

  memset(im, 0, sizeof(*im));
  if(!plat) {
    mdk_platform_host(&host);
    plat = &host;
  }
  mdk_arena_init(&a);
  snprintf(cur, sizeof(cur), "%s", manifest_digest);
  for(;;) {
    st = mdk_be_blob_read(s, &a, cur, MDK_BE_DOC_MAX, &data, &len, e);
    if(st)
      goto out;
    doc = json_loadb(data, len, 0, &je);
    if(!json_is_object(doc)) {
      json_decref(doc);
      st = mdk_fail(e, MDK_EINPUT, "manifest %s is not a JSON object",
                       cur);
      goto out;
    }
    mt = json_string_value(json_object_get(doc, "mediaType"));
    if(json_object_get(doc, "manifests") && json_object_get(doc, "layers")) {
      json_decref(doc);
      st = mdk_fail(e, MDK_EINPUT, "document %s is both a manifest and "
                       "an index: refused as ambiguous", cur);
      goto out;
    }
    if(is_index(mt, doc) && depth++ < 4) {
      json_t *ms = json_object_get(doc, "manifests"), *pick = NULL, *m;
      char has[400] = "", pb[100];
      size_t i, hl = 0;
      json_array_foreach(ms, i, m) {
        json_t *p = json_object_get(m, "platform");
        const char *os = json_string_value(json_object_get(p, "os"));
        const char *arch = json_string_value(json_object_get(p,
                                                             "architecture"));
        const char *var = json_string_value(json_object_get(p, "variant"));
        const char *md = json_string_value(json_object_get(m, "digest"));
        /* asked for no platform: the host's only when this store has it
         * (a pull fetches one platform of an index) */
        if((!p || mdk_platform_match(plat, os, arch, var)) &&
           (!lenient || (mdk_digest_valid(md) && mdk_be_blob_exists(s, md)))) {
          pick = m;
          break;
        }
        /* attestation manifests (unknown/unknown) are no platform */
        if(os && arch && strcmp(os, "unknown") != 0 && hl < sizeof(has))
          hl += (size_t)snprintf(has + hl, sizeof(has) - hl, "%s%s/%s%s%s",
                                 hl ? ", " : "", os, arch, var ? "/" : "",
                                 var ? var : "");
      }
      /* no platform asked for (inspect, history, run): the host's, else
       * the first platform the index has */
      json_array_foreach(ms, i, m) {
        const char *os = json_string_value(json_object_get(
          json_object_get(m, "platform"), "os"));
        const char *md = json_string_value(json_object_get(m, "digest"));
        if(!pick && lenient && !(os && strcmp(os, "unknown") == 0) &&
           mdk_digest_valid(md) && mdk_be_blob_exists(s, md))
          pick = m;
      }
      if(!pick || !mdk_digest_valid(json_string_value(
                    json_object_get(pick, "digest")))) {
        json_decref(doc);
        st = mdk_fail(e, MDK_EINPUT, "the image index %.19s has no %s "
                         "manifest (it has %s)", cur,
                         mdk_platform_str(plat, pb, sizeof(pb)),
                         hl ? has : "none");
        goto out;
      }
      snprintf(cur, sizeof(cur), "%s",
               json_string_value(json_object_get(pick, "digest")));
      json_decref(doc);
      continue;
    }
    break;
  }
  cfgd = json_object_get(doc, "config");
  cd = json_string_value(json_object_get(cfgd, "digest"));
  layers = json_object_get(doc, "layers");
  if(!mdk_digest_valid(cd) || !json_is_array(layers)) {
    json_decref(doc);
    st = mdk_fail(e, MDK_EINPUT, "manifest %s has no valid config or "
                     "layers", cur);
    goto out;
  }
  snprintf(im->config_digest, sizeof(im->config_digest), "%s", cd);
  snprintf(im->manifest, sizeof(im->manifest), "%s", cur);
  im->manifest_size = len;
  im->layers = json_incref(layers);
  json_decref(doc);
  st = mdk_be_blob_read(s, &a, im->config_digest, MDK_BE_DOC_MAX, &data,
                        &len, e);
  if(st)
    goto out;
  im->config = json_loadb(data, len, 0, &je);
  if(!json_is_object((json_t *)im->config)) {
    st = mdk_fail(e, MDK_EINPUT, "image config %s is not a JSON object",
                     im->config_digest);
    goto out;
  }
  if(json_array_size(json_object_get(json_object_get(im->config, "rootfs"),
                                     "diff_ids")) !=
     json_array_size(im->layers)) {
    st = mdk_fail(e, MDK_EINPUT, "image %s: its config lists %zu diff "
                     "ids for %zu layers", cur,
                     json_array_size(json_object_get(
                       json_object_get(im->config, "rootfs"), "diff_ids")),
                     json_array_size(im->layers));
    goto out;
  }
out:
  if(st)
    mdk_be_image_free(im);
  mdk_arena_fini(&a);
  return st;
}

/* does manifest m (or its config) start with hex? */
static bool id_match(struct mdk_be_store *s, const char *m, const char *hex,
                     size_t n)
{
  struct mdk_be_image t;
  bool hit;
  if(strncmp(m + 7, hex, n) == 0)
    return true;
  if(mdk_be_image_load(s, m, &t, NULL) != MDK_OK)
    return false;
  hit = strncmp(t.config_digest + 7, hex, n) == 0;
  mdk_be_image_free(&t);
  return hit;
}

/* The one image whose ID or manifest digest starts with hex: tagged
 * images first, then untagged ones (small blobs that are manifests).
 * *hits: 0 or 1; MDK_EINPUT when two images match. */
static enum mdk_status by_id(struct mdk_be_store *s, struct mdk_arena *a,
                             const char *hex, mdk_digest out, size_t *hits)
{
  size_t n = strlen(hex), i, nt;
  const char **tags = mdk_be_tag_list(s, a, &nt);
  int fd;
  *hits = 0;
  for(i = 0; tags[i]; i++) {
    mdk_digest td;
    if(!mdk_be_tag_get(s, tags[i], td) || !id_match(s, td, hex, n))
      continue;
    if(*hits && strcmp(out, td) != 0)
      return MDK_EINPUT;
    memcpy(out, td, sizeof(mdk_digest));
    *hits = 1;
  }
  if(*hits)
    return MDK_OK;
  fd = openat(s->rootfd, "blobs/sha256", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd >= 0) {
    size_t nb = 0;
    char **names = mdk_dir_names(fd, &nb);
    enum mdk_status st = MDK_OK;
    for(i = 0; names && i < nb && !st; i++) {
      struct stat sb;
      mdk_digest d;
      if(fstatat(fd, names[i], &sb, 0) || sb.st_size > (1 << 16))
        continue;
      snprintf(d, sizeof(d), "sha256:%s", names[i]);
      if(!id_match(s, d, hex, n))
        continue;
      if(*hits && strcmp(out, d) != 0)
        st = MDK_EINPUT;
      memcpy(out, d, sizeof(mdk_digest));
      *hits = 1;
    }
    if(names)
      mdk_dir_names_free(names, nb);
    close(fd);
    return st;
  }
  return MDK_OK;
}

enum mdk_status mdk_be_image_resolve(struct mdk_be_store *s,
                                     struct mdk_arena *a, const char *name,
                                     struct mdk_be_image *im,
                                     struct mdk_err *e)
{
  return mdk_be_image_resolve_for(s, a, name, NULL, im, e);
}

enum mdk_status mdk_be_image_resolve_for(struct mdk_be_store *s,
                                         struct mdk_arena *a,
                                         const char *name,
                                         const struct mdk_platform *plat,
                                         struct mdk_be_image *im,
                                         struct mdk_err *e)
{
  mdk_digest d;
  const char *norm = mdk_be_ref_normalize(a, name);
  const char *at = strchr(name, '@');
  size_t n, hits = 0;
  if(mdk_be_tag_get(s, norm, d) || mdk_be_tag_get(s, name, d))
    return mdk_be_image_load_for(s, d, plat, im, e);
  /* a manifest digest; an image ID (a config) is looked up below */
  if(mdk_digest_valid(name) && mdk_be_blob_exists(s, name) &&
     mdk_be_image_load_for(s, name, plat, im, NULL) == MDK_OK)
    return MDK_OK;
  if(at && mdk_digest_valid(at + 1) && mdk_be_blob_exists(s, at + 1))
    return mdk_be_image_load_for(s, at + 1, plat, im, e);
  /* an image ID (the config's digest) or a manifest digest, whole or a
   * unique prefix, with or without "sha256:" (docker's rules) */
  {
    const char *hex = strncmp(name, "sha256:", 7) == 0 ? name + 7 : name;
    n = strlen(hex);
    if(n >= (hex == name ? 4 : 1) && n <= 64 &&
       strspn(hex, "0123456789abcdef") == n) {
      enum mdk_status st = by_id(s, a, hex, d, &hits);
      if(st)
        return mdk_fail(e, st, "image ID prefix '%s' is ambiguous: give more "
                        "of it", name);
      if(hits)
        return mdk_be_image_load_for(s, d, plat, im, e);
    }
  }
  return mdk_fail(e, MDK_EINPUT, "image '%s' is not in the store %s "
                     "(import it with `mdock import`, or check "
                     "`mdock images`)", name, s->root);
}

enum mdk_status mdk_be_image_unpack(struct mdk_be_store *s,
                                    const struct mdk_be_image *im,
                                    const char *dir, bool keep_owners,
                                    struct mdk_err *e)
{
  struct mdk_be_unpack_opts uo = {.devices = geteuid() == 0,
                                  .same_owner = keep_owners &&
                                                geteuid() == 0};
  size_t i;
  for(i = 0; i < mdk_be_image_nlayers(im); i++) {
    struct mdk_be_layer_desc d;
    enum mdk_status st;
    if(!mdk_be_image_layer(im, i, &d))
      return mdk_fail(e, MDK_EINPUT, "layer %zu of the image is invalid",
                         i);
    st = mdk_be_unpack_blob(s, d.digest, dir, &uo, e);
    if(st)
      return st;
  }
  return MDK_OK;
}

uint64_t mdk_be_image_size(const struct mdk_be_image *im)
{
  uint64_t n = 0;
  size_t i;
  for(i = 0; i < mdk_be_image_nlayers(im); i++) {
    struct mdk_be_layer_desc d;
    if(mdk_be_image_layer(im, i, &d))
      n += d.size;
  }
  return n;
}


bool mdk_be_image_platform(const struct mdk_be_image *im,
                           struct mdk_platform *p)
{
  const char *os = json_string_value(json_object_get(im->config, "os"));
  const char *arch = json_string_value(json_object_get(im->config,
                                                       "architecture"));
  const char *var = json_string_value(json_object_get(im->config,
                                                      "variant"));
  char buf[100];
  if(!arch || !*arch)
    return false;
  snprintf(buf, sizeof(buf), "%s/%s%s%s", os && *os ? os : "linux", arch,
           var && *var ? "/" : "", var && *var ? var : "");
  return mdk_platform_parse(buf, p);
}

enum mdk_status mdk_be_index_store(struct mdk_be_store *s,
                                   const struct mdk_be_image *ims, size_t n,
                                   mdk_digest digest, uint64_t *size,
                                   struct mdk_err *e)
{
  json_t *ms = json_array(), *idx;
  enum mdk_status st;
  char *doc;
  size_t i;
  for(i = 0; i < n; i++) {
    struct mdk_platform p;
    json_t *pl;
    if(!mdk_be_image_platform(&ims[i], &p)) {
      json_decref(ms);
      return mdk_fail(e, MDK_EINPUT, "image %s names no platform: it "
                      "cannot be in an index", ims[i].manifest);
    }
    /* BuildKit's order of the platform's fields; canonical JSON sorts */
    pl = json_pack("{s:s,s:s}", "architecture", p.arch, "os", p.os);
    if(p.variant[0])
      json_object_set_new(pl, "variant", json_string(p.variant));
    json_array_append_new(ms, json_pack(
      "{s:s,s:s,s:I,s:o}", "mediaType", MDK_MT_OCI_MANIFEST, "digest",
      ims[i].manifest, "size", (json_int_t)ims[i].manifest_size, "platform",
      pl));
  }
  idx = json_pack("{s:i,s:s,s:o}", "schemaVersion", 2, "mediaType",
                  MDK_MT_OCI_INDEX, "manifests", ms);
  doc = mdk_be_json_canonical(idx);
  json_decref(idx);
  if(!doc)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  st = mdk_be_blob_put(s, doc, strlen(doc), digest, e);
  *size = strlen(doc);
  free(doc);
  return st;
}

/* mdk_be_index_images, and the index document's size when it is one */
static enum mdk_status index_images(struct mdk_be_store *s,
                                    const char *digest,
                                    struct mdk_be_image **ims, size_t *n,
                                    uint64_t *doc_size, struct mdk_err *e)
{
  struct mdk_arena a;
  char *data;
  size_t len, i;
  json_t *doc, *ms, *m;
  json_error_t je;
  enum mdk_status st;
  *ims = NULL;
  *n = 0;
  mdk_arena_init(&a);
  st = mdk_be_blob_read(s, &a, digest, MDK_BE_DOC_MAX, &data, &len, e);
  if(st) {
    mdk_arena_fini(&a);
    return st;
  }
  doc = json_loadb(data, len, 0, &je);
  mdk_arena_fini(&a);
  if(doc_size)
    *doc_size = len;
  ms = json_object_get(doc, "manifests");
  if(!json_is_object(doc) || !is_index(json_string_value(json_object_get(
                                         doc, "mediaType")), doc)) {
    json_decref(doc);
    return MDK_OK;              /* one image, no index */
  }
  *ims = calloc(json_array_size(ms) + 1, sizeof(**ims));
  if(!*ims) {
    json_decref(doc);
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  }
  json_array_foreach(ms, i, m) {
    const char *d = json_string_value(json_object_get(m, "digest"));
    const char *os = json_string_value(json_object_get(
      json_object_get(m, "platform"), "os"));
    if(os && strcmp(os, "unknown") == 0)
      continue;                 /* an attestation, not an image */
    if(!mdk_digest_valid(d) || !mdk_be_blob_exists(s, d))
      continue;                 /* a platform this store never pulled */
    if((st = mdk_be_image_load(s, d, &(*ims)[*n], e)))
      break;
    (*n)++;
  }
  json_decref(doc);
  if(st) {
    mdk_be_index_images_free(*ims, *n);
    *ims = NULL;
    *n = 0;
  }
  return st;
}

enum mdk_status mdk_be_index_images(struct mdk_be_store *s,
                                    const char *digest,
                                    struct mdk_be_image **ims, size_t *n,
                                    struct mdk_err *e)
{
  return index_images(s, digest, ims, n, NULL, e);
}

bool mdk_be_name_platforms(struct mdk_be_store *s, struct mdk_arena *a,
                           const char *name, mdk_digest top,
                           struct mdk_be_image **ims, size_t *n,
                           uint64_t *index_size)
{
  *ims = NULL;
  *n = 0;
  if(!mdk_be_name_digest(s, a, name, top))
    return false;
  (void)index_images(s, top, ims, n, index_size, NULL);
  return true;
}

void mdk_be_index_images_free(struct mdk_be_image *ims, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    mdk_be_image_free(&ims[i]);
  free(ims);
}

bool mdk_be_name_digest(struct mdk_be_store *s, struct mdk_arena *a,
                        const char *name, mdk_digest d)
{
  const char *at = strchr(name, '@');
  if(mdk_be_tag_get(s, mdk_be_ref_normalize(a, name), d) ||
     mdk_be_tag_get(s, name, d))
    return true;
  if(at)
    name = at + 1;
  if(mdk_digest_valid(name) && mdk_be_blob_exists(s, name)) {
    snprintf(d, sizeof(mdk_digest), "%s", name);
    return true;
  }
  return false;
}
