/* import.c - an image from a local OCI layout, OCI archive or docker
 * save archive into the store: the other transports of a pull.  Every
 * document is checked as a pulled one is (regdoc.c) and every blob
 * against its descriptor before it is stored. */
#include "registry/import.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/archive_dl.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "registry/regdoc.h"

enum { BUF = 1 << 20 };


/* A descriptor's size: -1 when it has none (older layouts), -2 when it is
 * not a number a blob can have. */
static int64_t desc_size(json_t *desc)
{
  json_t *v = json_object_get(desc, "size");
  if(!v)
    return -1;
  if(!json_is_integer(v) || json_integer_value(v) < 0)
    return -2;
  return (int64_t)json_integer_value(v);
}

/* Copies dir/blobs/sha256/<hex> into the store, checking its digest, its
 * size against the descriptor's (want, or -1) and, for documents, against
 * max (0: no bound). */
static enum mdk_status import_blob(struct mdk_be_store *s, const char *dir,
                                   const char *digest, int64_t want,
                                   size_t max, struct mdk_err *e)
{
  char path[4200];
  struct mdk_be_blobw w;
  struct stat sb;
  mdk_digest got;
  char *buf;
  int fd;
  enum mdk_status st;
  if(!mdk_digest_valid(digest))
    return mdk_fail(e, MDK_EINPUT, "invalid digest '%s' in the layout",
                       digest ? digest : "");
  if(want == -2)
    return mdk_fail(e, MDK_EINPUT, "the descriptor of %s has an invalid "
                       "size: refused", digest);
  snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, digest + 7);
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if(fd < 0)
    return mdk_fail(e, MDK_EINPUT, "the layout lacks blob %s: %s", digest,
                       strerror(errno));
  if(fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
    close(fd);
    return mdk_fail(e, MDK_EINPUT, "blob %s of the layout is not a "
                       "file", digest);
  }
  if(want >= 0 && (int64_t)sb.st_size != want) {
    close(fd);
    return mdk_fail(e, MDK_EINPUT, "blob %s is %lld bytes, its "
                       "descriptor says %lld: refused (the layout is "
                       "corrupt or hostile)", digest, (long long)sb.st_size,
                       (long long)want);
  }
  if(max && (uint64_t)sb.st_size > max) {
    close(fd);
    return mdk_fail(e, MDK_ETOOBIG, "document %s is %lld bytes, more "
                       "than %zu (%s raises the limit, if so large a "
                       "document is meant)", digest, (long long)sb.st_size,
                       max, mdk_limit_env(MDK_LIMIT_DOCUMENT));
  }
  if(mdk_be_blob_exists(s, digest)) {
    close(fd);
    return MDK_OK;
  }
  buf = malloc(BUF);
  st = buf ? mdk_be_blobw_begin(s, &w, e) : MDK_ENOMEM;
  while(!st) {
    ssize_t n = read(fd, buf, BUF);
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0) {
      st = mdk_fail(e, MDK_EIO, "cannot read %s: %s", path,
                       strerror(errno));
      mdk_be_blobw_abort(&w);
      break;
    }
    if(n == 0) {
      st = mdk_be_blobw_commit(&w, digest, got, NULL, e);
      break;
    }
    if((st = mdk_be_blobw_write(&w, buf, (size_t)n, e)))
      mdk_be_blobw_abort(&w);
  }
  free(buf);
  close(fd);
  return st;
}

/* A manifest or index (and everything it names) into the store; want is
 * the size its descriptor gives (or -1).  A manifest passes the checks a
 * registry's does (regdoc.c), and its config must be a JSON object. */
static enum mdk_status import_doc(struct mdk_be_store *s, struct mdk_arena *a,
                                  const char *dir, const char *digest,
                                  int64_t want, int depth,
                                  struct mdk_err *e)
{
  char *data, why[300];
  size_t len, i;
  json_t *doc, *x;
  json_error_t je;
  struct mdk_be_doc rd;
  enum mdk_status st = import_blob(s, dir, digest, want, MDK_BE_DOC_MAX, e);
  if(st)
    return st;
  if(depth > 4)
    return mdk_fail(e, MDK_EINPUT, "indexes nested too deep");
  if((st = mdk_be_blob_read(s, a, digest, MDK_BE_DOC_MAX, &data, &len, e)))
    return st;
  doc = json_loadb(data, len, 0, &je);
  if(!json_is_object(doc)) {
    json_decref(doc);
    return mdk_fail(e, MDK_EINPUT, "%s is not a JSON document", digest);
  }
  if(json_is_array(json_object_get(doc, "manifests"))) {
    bool any = false;
    json_array_foreach(json_object_get(doc, "manifests"), i, x) {
      const char *d = json_string_value(json_object_get(x, "digest"));
      char path[4200];
      snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir,
               d && strlen(d) > 7 ? d + 7 : "");
      if(!d || access(path, F_OK))
        continue;           /* a platform this layout does not carry */
      if((st = import_doc(s, a, dir, d, desc_size(x), depth + 1, e)))
        break;
      any = true;
    }
    if(!st && !any)
      st = mdk_fail(e, MDK_EINPUT, "index %s names no manifest the "
                       "layout carries", digest);
  }
  else if(!mdk_be_doc_parse(data, len, "linux", "amd64", NULL, &rd, why,
                            sizeof(why))) {
    st = mdk_fail(e, MDK_EINPUT, "manifest %s: %s", digest, why);
  }
  else {
    json_t *cfg = json_object_get(doc, "config");
    mdk_be_doc_free(&rd);
    st = import_blob(s, dir, json_string_value(json_object_get(cfg,
                                                               "digest")),
                     desc_size(cfg), MDK_BE_DOC_MAX, e);
    if(!st) {
      char *ct;
      size_t cl;
      json_t *cj;
      const char *cd = json_string_value(json_object_get(cfg, "digest"));
      if(!(st = mdk_be_blob_read(s, a, cd, MDK_BE_DOC_MAX, &ct, &cl, e))) {
        cj = json_loadb(ct, cl, 0, &je);
        if(!json_is_object(cj))
          st = mdk_fail(e, MDK_EINPUT, "image config %s is not a JSON "
                           "object", cd);
        json_decref(cj);
      }
    }
    json_array_foreach(json_object_get(doc, "layers"), i, x) {
      if(st)
        break;
      st = import_blob(s, dir, json_string_value(json_object_get(x, "digest")),
                       desc_size(x), 0, e);
    }
  }
  json_decref(doc);
  return st;
}

static char *read_file(struct mdk_arena *a, const char *path, size_t max)
{
  FILE *f = fopen(path, "rb");
  char *p;
  size_t n;
  if(!f)
    return NULL;
  p = mdk_arena_alloc(a, max + 1);
  n = fread(p, 1, max, f);
  fclose(f);
  p[n] = '\0';
  return p;
}

/* a legacy `docker save` archive: manifest.json with layer.tar files */
static enum mdk_status import_docker_legacy(struct mdk_be_store *s,
                                            struct mdk_arena *a,
                                            const char *dir,
                                            const char **name_out,
                                            mdk_digest manifest,
                                            struct mdk_err *e)
{
  char *txt = read_file(a, mdk_arena_printf(a, "%s/manifest.json", dir),
                        MDK_BE_DOC_MAX);
  json_t *m, *ent, *layers = json_array(), *l;
  json_error_t je;
  struct mdk_be_image im;
  size_t i;
  enum mdk_status st = MDK_OK;
  const char *cfg;
  memset(&im, 0, sizeof(im));
  m = txt ? json_loads(txt, 0, &je) : NULL;
  ent = json_array_get(m, 0);
  cfg = json_string_value(json_object_get(ent, "Config"));
  if(!cfg) {
    json_decref(m);
    json_decref(layers);
    return mdk_fail(e, MDK_EINPUT, "not an image archive: no index.json "
                       "and no usable manifest.json");
  }
  json_array_foreach(json_object_get(ent, "Layers"), i, l) {
    const char *rel = json_string_value(l);
    char *path;
    int fd;
    unsigned char mg[4] = {0};
    mdk_digest d;
    struct mdk_be_blobw w;
    char *buf;
    if(!rel || strstr(rel, "..")) {
      st = mdk_fail(e, MDK_EINPUT, "manifest.json: invalid layer path");
      break;
    }
    path = mdk_arena_printf(a, "%s/%s", dir, rel);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if(fd < 0 || read(fd, mg, 4) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
      st = mdk_fail(e, MDK_EINPUT, "cannot read layer %s", rel);
      if(fd >= 0)
        close(fd);
      break;
    }
    buf = malloc(BUF);
    st = mdk_be_blobw_begin(s, &w, e);
    while(!st) {
      ssize_t n = read(fd, buf, BUF);
      if(n <= 0) {
        st = n < 0 ? MDK_EIO : mdk_be_blobw_commit(&w, NULL, d, NULL, e);
        if(n < 0)
          mdk_be_blobw_abort(&w);
        break;
      }
      if((st = mdk_be_blobw_write(&w, buf, (size_t)n, e)))
        mdk_be_blobw_abort(&w);
    }
    free(buf);
    {
      struct stat sb;
      fstat(fd, &sb);
      close(fd);
      if(st)
        break;
      json_array_append_new(layers, json_pack(
        "{s:s,s:s,s:I}", "mediaType",
        mg[0] == 0x1f && mg[1] == 0x8b ? mdk_be_layer_media_type(
          MDK_BE_COMP_GZIP) : mg[0] == 0x28 && mg[1] == 0xb5
          ? mdk_be_layer_media_type(MDK_BE_COMP_ZSTD)
          : mdk_be_layer_media_type(MDK_BE_COMP_NONE),
        "digest", d, "size", (json_int_t)sb.st_size));
    }
  }
  if(!st) {
    char *ctext = read_file(a, mdk_arena_printf(a, "%s/%s", dir, cfg),
                            MDK_BE_DOC_MAX);
    json_t *cj = ctext ? json_loads(ctext, 0, &je) : NULL;
    if(!json_is_object(cj)) {
      st = mdk_fail(e, MDK_EINPUT, "manifest.json: config %s is not "
                       "JSON", cfg);
    }
    else {
      im.config = cj;
      im.layers = layers;
      layers = NULL;
      st = mdk_be_image_store(s, &im, e);
      if(!st)
        memcpy(manifest, im.manifest, sizeof(mdk_digest));
      cj = NULL;
    }
    json_decref(cj);
  }
  {
    const char *t = json_string_value(json_array_get(
      json_object_get(ent, "RepoTags"), 0));
    *name_out = t ? mdk_arena_strndup(a, t, strlen(t)) : NULL;
  }
  mdk_be_image_free(&im);
  json_decref(layers);
  json_decref(m);
  return st;
}

static enum mdk_status import_layout(struct mdk_be_store *s,
                                     struct mdk_arena *a, const char *dir,
                                     const char *want, const char **name_out,
                                     mdk_digest manifest,
                                     struct mdk_err *e)
{
  char *txt = read_file(a, mdk_arena_printf(a, "%s/index.json", dir),
                        MDK_BE_DOC_MAX);
  json_t *idx, *m, *pick = NULL;
  json_error_t je;
  size_t i;
  const char *d, *name = NULL;
  enum mdk_status st;
  if(!txt)
    return import_docker_legacy(s, a, dir, name_out, manifest, e);
  idx = json_loads(txt, 0, &je);
  json_array_foreach(json_object_get(idx, "manifests"), i, m) {
    json_t *an = json_object_get(m, "annotations");
    const char *rn = json_string_value(json_object_get(
      an, "org.opencontainers.image.ref.name"));
    const char *cn = json_string_value(json_object_get(
      an, "io.containerd.image.name"));
    if(!want || (rn && strcmp(rn, want) == 0) ||
       (cn && strcmp(cn, want) == 0)) {
      pick = m;
      name = cn ? cn : rn;
      break;
    }
  }
  d = json_string_value(json_object_get(pick, "digest"));
  if(!pick || !d) {
    json_decref(idx);
    return mdk_fail(e, MDK_EINPUT, "%s: no image%s%s in index.json",
                       dir, want ? " named " : "", want ? want : "");
  }
  st = import_doc(s, a, dir, d, desc_size(pick), 0, e);
  if(!st)
    snprintf(manifest, sizeof(mdk_digest), "%s", d);
  *name_out = name ? mdk_arena_strndup(a, name, strlen(name)) : NULL;
  json_decref(idx);
  return st;
}

enum mdk_status mdk_be_import(struct mdk_be_store *s, struct mdk_arena *a,
                              const char *spec, const char *tag,
                              const char **name_out, mdk_digest manifest,
                              struct mdk_err *e)
{
  const char *path, *want = NULL;
  char *p, *colon;
  bool archive;
  enum mdk_status st;
  *name_out = NULL;
  if(strncmp(spec, "oci:", 4) == 0) {
    path = spec + 4;
    archive = false;
  }
  else if(strncmp(spec, "oci-archive:", 12) == 0) {
    path = spec + 12;
    archive = true;
  }
  else if(strncmp(spec, "docker-archive:", 15) == 0) {
    path = spec + 15;
    archive = true;
  }
  else {
    return mdk_fail(e, MDK_EUSAGE, "import takes oci:DIR[:tag], "
                       "oci-archive:FILE[:tag] or docker-archive:FILE, not "
                       "'%s'", spec);
  }
  p = mdk_arena_strndup(a, path, strlen(path));
  /* DIR:tag, unless the whole thing names a file or directory */
  colon = strrchr(p, ':');
  if(colon && access(p, F_OK) != 0) {
    *colon = '\0';
    want = colon + 1;
  }
  if(!archive) {
    st = import_layout(s, a, p, want, name_out, manifest, e);
  }
  else {
    char *dir = mdk_arena_printf(a, "%s/tmp/import-%ld", s->root,
                                 (long)getpid());
    struct mdk_be_unpack_opts uo = {.devices = false};
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if(fd < 0)
      return mdk_fail(e, MDK_EIO, "cannot open %s: %s", p,
                         strerror(errno));
    mdk_rmtree(dir);
    st = mdk_be_unpack_fd(fd, dir, &uo, e);
    close(fd);
    if(!st)
      st = import_layout(s, a, dir, want, name_out, manifest, e);
    mdk_rmtree(dir);
  }
  if(!st && (tag || *name_out)) {
    const char *t = mdk_be_ref_normalize(a, tag ? tag : *name_out);
    st = mdk_be_tag_set(s, t, manifest, e);
    *name_out = t;
  }
  return st;
}
