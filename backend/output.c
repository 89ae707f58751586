/* output.c - see output.h. */
#include "backend/output.h"

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

#include "backend/build.h"
#include "registry/registry.h"
#include "base/base.h"

enum { BUF = 1 << 20 };

bool mdk_be_output_parse(struct mdk_arena *a, const char *spec,
                         struct mdk_be_output *out, const char **why)
{
  char *copy = mdk_arena_strndup(a, spec, strlen(spec)), *save = NULL, *kv;
  const char *type = NULL;
  out->dest = NULL;
  for(kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
    if(strncmp(kv, "type=", 5) == 0)
      type = kv + 5;
    else if(strncmp(kv, "dest=", 5) == 0)
      out->dest = kv + 5;
    else {
      *why = "an --output takes type=...,dest=... (e.g. "
             "type=oci,dest=out/)";
      return false;
    }
  }
  if(!type || !out->dest || !*out->dest) {
    *why = "an --output needs type= and dest= (e.g. type=oci,dest=out/)";
    return false;
  }
  if(strcmp(type, "oci") == 0)
    out->type = MDK_BE_OUT_OCI;
  else if(strcmp(type, "oci-archive") == 0)
    out->type = MDK_BE_OUT_OCI_ARCHIVE;
  else if(strcmp(type, "docker-archive") == 0 || strcmp(type, "docker") == 0)
    out->type = MDK_BE_OUT_DOCKER_ARCHIVE;
  else if(strcmp(type, "local") == 0)
    out->type = MDK_BE_OUT_LOCAL;
  else {
    *why = "output types are oci, oci-archive, docker-archive and local";
    return false;
  }
  return true;
}

/* every blob of the image: layers, config, manifest */
static size_t image_blobs(const struct mdk_be_image *im, const char **out,
                          size_t max)
{
  size_t n = 0, i;
  for(i = 0; i < mdk_be_image_nlayers(im) && n + 2 < max; i++) {
    json_t *l = json_array_get(im->layers, i);
    const char *d = json_string_value(json_object_get(l, "digest"));
    size_t k;
    bool dup = false;
    for(k = 0; k < n; k++)
      if(strcmp(out[k], d) == 0)
        dup = true;
    if(d && !dup)
      out[n++] = d;
  }
  out[n++] = im->config_digest;
  out[n++] = im->manifest;
  return n;
}

static char *index_json(const struct mdk_be_image *im, const char *tag)
{
  json_t *desc = json_pack("{s:s,s:s,s:I}", "mediaType", MDK_MT_OCI_MANIFEST,
                           "digest", im->manifest, "size",
                           (json_int_t)im->manifest_size);
  json_t *idx;
  char *s;
  if(tag)
    json_object_set_new(desc, "annotations",
                        json_pack("{s:s}", "org.opencontainers.image.ref.name",
                                  tag));
  idx = json_pack("{s:i,s:s,s:[o]}", "schemaVersion", 2, "mediaType",
                  MDK_MT_OCI_INDEX, "manifests", desc);
  s = mdk_be_json_canonical(idx);
  json_decref(idx);
  return s;
}

static const char layout_json[] = "{\"imageLayoutVersion\":\"1.0.0\"}";

static enum mdk_status copy_fd(int in, int out, char *buf)
{
  for(;;) {
    ssize_t n = read(in, buf, BUF), w, o = 0;
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0)
      return MDK_EIO;
    if(n == 0)
      return MDK_OK;
    while(o < n) {
      w = write(out, buf + o, (size_t)(n - o));
      if(w < 0 && errno == EINTR)
        continue;
      if(w <= 0)
        return MDK_EIO;
      o += w;
    }
  }
}

static enum mdk_status export_dir(struct mdk_be_store *s,
                                  const struct mdk_be_image *im,
                                  const char *dest, const char *tag,
                                  struct mdk_err *e)
{
  const char *blobs[4096];
  size_t n = image_blobs(im, blobs, 4096), i;
  char path[4200];
  char *idx, *buf;
  int err;
  enum mdk_status st = MDK_OK;
  snprintf(path, sizeof(path), "%s/blobs/sha256", dest);
  if(mdk_mkdir_p(path, &err) && err != EEXIST)
    return mdk_fail(e, MDK_EIO, "cannot create %s: %s", path,
                       strerror(err));
  buf = malloc(BUF);
  if(!buf)
    return mdk_fail(e, MDK_ENOMEM, "out of memory");
  for(i = 0; i < n && !st; i++) {
    char rel[96];
    int in, out;
    mdk_be_blob_relpath(blobs[i], rel);
    snprintf(path, sizeof(path), "%s/%s", dest, rel);
    if(access(path, F_OK) == 0)
      continue;                 /* content addressed: already right */
    in = mdk_be_blob_open(s, blobs[i], e);
    if(in < 0) {
      st = MDK_EIO;
      break;
    }
    out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if(out < 0 || copy_fd(in, out, buf) || fsync(out)) {
      st = mdk_fail(e, MDK_EIO, "cannot write %s: %s", path,
                       strerror(errno));
    }
    close(in);
    if(out >= 0)
      close(out);
  }
  free(buf);
  if(st)
    return st;
  snprintf(path, sizeof(path), "%s/oci-layout", dest);
  if(mdk_write_atomic(path, layout_json, strlen(layout_json), &err))
    return mdk_fail(e, MDK_EIO, "cannot write %s: %s", path,
                       strerror(err));
  idx = index_json(im, tag);
  snprintf(path, sizeof(path), "%s/index.json", dest);
  if(!idx || mdk_write_atomic(path, idx, strlen(idx), &err)) {
    free(idx);
    return mdk_fail(e, MDK_EIO, "cannot write %s: %s", path,
                       strerror(err));
  }
  free(idx);
  return MDK_OK;
}

static int ar_entry(struct archive *ar, struct archive_entry *ae,
                    const char *name, mode_t type, int64_t size)
{
  archive_entry_clear(ae);
  archive_entry_set_pathname(ae, name);
  archive_entry_set_filetype(ae, type);
  archive_entry_set_perm(ae, type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_mtime(ae, 0, 0);
  if(type == AE_IFREG)
    archive_entry_set_size(ae, size);
  return archive_write_header(ar, ae);
}

static int ar_mem(struct archive *ar, struct archive_entry *ae,
                  const char *name, const char *data)
{
  size_t n = strlen(data);
  if(ar_entry(ar, ae, name, AE_IFREG, (int64_t)n) != ARCHIVE_OK)
    return -1;
  return archive_write_data(ar, data, n) == (la_ssize_t)n ? 0 : -1;
}

static char *docker_manifest(const struct mdk_be_image *im, const char *tag,
                             char **repositories)
{
  json_t *layers = json_array(), *m, *tags = json_array();
  size_t i;
  char *s;
  for(i = 0; i < mdk_be_image_nlayers(im); i++) {
    const char *d = json_string_value(json_object_get(
      json_array_get(im->layers, i), "digest"));
    json_array_append_new(layers, json_sprintf("blobs/sha256/%s", d + 7));
  }
  if(tag)
    json_array_append_new(tags, json_string(tag));
  m = json_pack("[{s:o,s:o,s:o}]", "Config",
                json_sprintf("blobs/sha256/%s", im->config_digest + 7),
                "RepoTags", tags, "Layers", layers);
  s = mdk_be_json_canonical(m);
  json_decref(m);
  *repositories = NULL;
  if(tag && mdk_be_image_nlayers(im)) {
    /* repositories: repo -> tag -> the top layer's id */
    const char *colon = strrchr(tag, ':'), *slash = strrchr(tag, '/');
    json_t *r;
    const char *top = json_string_value(json_array_get(json_object_get(
      json_object_get(im->config, "rootfs"), "diff_ids"),
      mdk_be_image_nlayers(im) - 1));
    if(colon && (!slash || colon > slash) && top) {
      char repo[512];
      snprintf(repo, sizeof(repo), "%.*s", (int)(colon - tag), tag);
      r = json_pack("{s:{s:s}}", repo, colon + 1, top + 7);
      *repositories = mdk_be_json_canonical(r);
      json_decref(r);
    }
  }
  return s;
}

static enum mdk_status export_archive(struct mdk_be_store *s,
                                      const struct mdk_be_image *im,
                                      const char *dest, const char *tag,
                                      bool docker, struct mdk_err *e)
{
  const char *blobs[4096];
  size_t n = image_blobs(im, blobs, 4096), i;
  struct archive *ar = archive_write_new();
  struct archive_entry *ae = archive_entry_new();
  char *tmp = malloc(strlen(dest) + 32), *idx = index_json(im, tag);
  char *buf = malloc(BUF), *man = NULL, *repos = NULL;
  enum mdk_status st = MDK_OK;
  if(!ar || !ae || !tmp || !idx || !buf) {
    st = mdk_fail(e, MDK_ENOMEM, "out of memory");
    goto out;
  }
  /* written beside dest and renamed: never a half archive at dest */
  snprintf(tmp, strlen(dest) + 32, "%s.tmp.%ld", dest, (long)getpid());
  archive_write_set_format_pax_restricted(ar);
  if(archive_write_open_filename(ar, tmp) != ARCHIVE_OK) {
    st = mdk_fail(e, MDK_EIO, "cannot write %s: %s", dest,
                     archive_error_string(ar));
    goto out;
  }
  if(ar_entry(ar, ae, "blobs/", AE_IFDIR, 0) ||
     ar_entry(ar, ae, "blobs/sha256/", AE_IFDIR, 0))
    goto ar_err;
  for(i = 0; i < n; i++) {
    char rel[96];
    struct stat sb;
    int fd = mdk_be_blob_open(s, blobs[i], e);
    if(fd < 0) {
      st = MDK_EIO;
      goto out;
    }
    mdk_be_blob_relpath(blobs[i], rel);
    if(fstat(fd, &sb) ||
       ar_entry(ar, ae, rel, AE_IFREG, (int64_t)sb.st_size)) {
      close(fd);
      goto ar_err;
    }
    for(;;) {
      ssize_t got = read(fd, buf, BUF);
      if(got < 0 && errno == EINTR)
        continue;
      if(got <= 0)
        break;
      if(archive_write_data(ar, buf, (size_t)got) != got) {
        close(fd);
        goto ar_err;
      }
    }
    close(fd);
  }
  if(ar_mem(ar, ae, "index.json", idx) ||
     ar_mem(ar, ae, "oci-layout", layout_json))
    goto ar_err;
  if(docker) {
    man = docker_manifest(im, tag, &repos);
    if(!man || ar_mem(ar, ae, "manifest.json", man) ||
       (repos && ar_mem(ar, ae, "repositories", repos)))
      goto ar_err;
  }
  if(archive_write_close(ar) != ARCHIVE_OK)
    goto ar_err;
  {
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if(fd >= 0) {
      fsync(fd);
      close(fd);
    }
  }
  if(rename(tmp, dest))
    st = mdk_fail(e, MDK_EIO, "cannot write %s: %s", dest,
                     strerror(errno));
  goto out;
ar_err:
  st = mdk_fail(e, MDK_EIO, "cannot write %s: %s", dest,
                   archive_error_string(ar) ? archive_error_string(ar)
                                            : strerror(errno));
out:
  if(ar)
    archive_write_free(ar);
  if(ae)
    archive_entry_free(ae);
  if(st && tmp)
    unlink(tmp);
  free(tmp);
  free(idx);
  free(buf);
  free(man);
  free(repos);
  return st;
}

enum mdk_status mdk_be_export(struct mdk_be_store *s,
                              const struct mdk_be_image *im,
                              const struct mdk_be_output *out,
                              const char *tag, struct mdk_err *e)
{
  int err;
  switch(out->type) {
  case MDK_BE_OUT_OCI:
    return export_dir(s, im, out->dest, tag, e);
  case MDK_BE_OUT_OCI_ARCHIVE:
    return export_archive(s, im, out->dest, tag, false, e);
  case MDK_BE_OUT_DOCKER_ARCHIVE:
    return export_archive(s, im, out->dest, tag, true, e);
  case MDK_BE_OUT_LOCAL:
    if(mdk_mkdir_p(out->dest, &err) && err != EEXIST)
      return mdk_fail(e, MDK_EIO, "cannot create %s: %s", out->dest,
                         strerror(err));
    return mdk_be_image_unpack(s, im, out->dest, e);
  }
  return MDK_OK;
}

/* --- import --- */

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
    struct mdk_be_unpack_opts uo = {false, false, false};
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
