/* output.c - see output.h. */
#include "backend/output.h"
#include "runtime/runtime.h"

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

enum { BUF = 1 << 20 };

bool mdk_be_output_parse(struct mdk_arena *a, const char *spec,
                         struct mdk_be_output *out, const char **why)
{
  char *copy = mdk_arena_strndup(a, spec, strlen(spec)), *save = NULL, *kv;
  const char *type = NULL, *tar = NULL;
  struct stat sb;
  out->dest = NULL;
  for(kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
    if(strncmp(kv, "type=", 5) == 0)
      type = kv + 5;
    else if(strncmp(kv, "dest=", 5) == 0)
      out->dest = kv + 5;
    else if(strncmp(kv, "tar=", 4) == 0)
      tar = kv + 4;
    else if(strncmp(kv, "name=", 5) == 0)
      ;   /* the image's name: -t names it in the archive */
    else {
      *why = "an --output takes type=, dest=, tar= and name= (e.g. "
             "type=oci,dest=out.tar)";
      return false;
    }
  }
  if(!type || !out->dest || !*out->dest) {
    *why = "an --output needs type= and dest= (e.g. type=oci,dest=out.tar)";
    return false;
  }
  if(tar && strcmp(tar, "true") && strcmp(tar, "false")) {
    *why = "tar= takes true or false";
    return false;
  }
  if(strcmp(type, "oci") == 0) {
    /* BuildKit writes an OCI archive unless tar=false; a dest that is a
     * directory (or ends in /) gets the layout, as nothing else fits */
    size_t n = strlen(out->dest);
    bool dir = out->dest[n - 1] == '/' ||
               (stat(out->dest, &sb) == 0 && S_ISDIR(sb.st_mode));
    out->type = (tar ? strcmp(tar, "false") == 0 : dir)
              ? MDK_BE_OUT_OCI : MDK_BE_OUT_OCI_ARCHIVE;
  }
  else if(strcmp(type, "oci-archive") == 0)
    out->type = MDK_BE_OUT_OCI_ARCHIVE;
  else if(strcmp(type, "docker-archive") == 0 || strcmp(type, "docker") == 0)
    out->type = MDK_BE_OUT_DOCKER_ARCHIVE;
  else if(strcmp(type, "local") == 0)
    out->type = MDK_BE_OUT_LOCAL;
  else {
    *why = "output types are oci, oci-archive, docker (docker-archive) and "
           "local";
    return false;
  }
  if(out->type == MDK_BE_OUT_LOCAL || out->type == MDK_BE_OUT_OCI) {
    if(strcmp(out->dest, "-") == 0) {
      *why = "dest=- (standard output) takes an archive: type=oci or "
             "type=docker";
      return false;
    }
  }
  return true;
}

/* what an output holds: one image, or an index and its images */
struct set {
  const struct mdk_be_image *ims;
  size_t n;
  const char *index;            /* NULL: one image */
  uint64_t index_size;
};

static void add_blob(const char **out, size_t *n, size_t max, const char *d)
{
  size_t k;
  for(k = 0; k < *n; k++)
    if(strcmp(out[k], d) == 0)
      return;
  if(*n < max)
    out[(*n)++] = d;
}

/* every blob: each image's layers, config and manifest, then the index */
static size_t set_blobs(const struct set *set, const char **out, size_t max)
{
  size_t n = 0, i, j;
  for(j = 0; j < set->n; j++) {
    const struct mdk_be_image *im = &set->ims[j];
    for(i = 0; i < mdk_be_image_nlayers(im); i++) {
      const char *d = json_string_value(json_object_get(
        json_array_get(im->layers, i), "digest"));
      if(d)
        add_blob(out, &n, max, d);
    }
    add_blob(out, &n, max, im->config_digest);
    add_blob(out, &n, max, im->manifest);
  }
  if(set->index)
    add_blob(out, &n, max, set->index);
  return n;
}

/* index.json: the image's manifest, or the image index, named tag */
static char *index_json(const struct set *set, const char *tag)
{
  json_t *desc = set->index
    ? json_pack("{s:s,s:s,s:I}", "mediaType", MDK_MT_OCI_INDEX, "digest",
                set->index, "size", (json_int_t)set->index_size)
    : json_pack("{s:s,s:s,s:I}", "mediaType", MDK_MT_OCI_MANIFEST, "digest",
                set->ims[0].manifest, "size",
                (json_int_t)set->ims[0].manifest_size);
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
  /* in the kernel where it can (a reflink, or no trip through user
   * space); read and write where it cannot */
  for(;;) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
    if(n == 0)
      return MDK_OK;
    if(n < 0) {
      if(errno == EINTR)
        continue;
      break;
    }
  }
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
                                  const struct set *set,
                                  const char *dest, const char *tag,
                                  struct mdk_err *e)
{
  const char *blobs[4096];
  size_t n = set_blobs(set, blobs, 4096), i;
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
    /* blobs never change once stored: a hard link is the copy, and as
     * durable as the store's own (another file system: a copy) */
    {
      char src[4300];
      snprintf(src, sizeof(src), "%s/%s", s->root, rel);
      if(link(src, path) == 0)
        continue;
    }
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
  idx = index_json(set, tag);
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
                                      const struct set *set,
                                      const char *dest, const char *tag,
                                      bool docker, struct mdk_err *e)
{
  const char *blobs[4096];
  size_t n = set_blobs(set, blobs, 4096), i;
  struct archive *ar = archive_write_new();
  struct archive_entry *ae = archive_entry_new();
  char *tmp = malloc(strlen(dest) + 32), *idx = index_json(set, tag);
  char *buf = malloc(BUF), *man = NULL, *repos = NULL;
  enum mdk_status st = MDK_OK;
  bool to_stdout = strcmp(dest, "-") == 0;
  if(!ar || !ae || !tmp || !idx || !buf) {
    st = mdk_fail(e, MDK_ENOMEM, "out of memory");
    goto out;
  }
  /* written beside dest and renamed: never a half archive at dest; "-"
   * is standard output */
  snprintf(tmp, strlen(dest) + 32, "%s.tmp.%ld", dest, (long)getpid());
  archive_write_set_format_pax_restricted(ar);
  /* no padding of the last block, to a pipe as to a file: the same bytes
   * wherever the archive goes */
  archive_write_set_bytes_in_last_block(ar, 1);
  if(to_stdout ? archive_write_open_fd(ar, 1) != ARCHIVE_OK
               : archive_write_open_filename(ar, tmp) != ARCHIVE_OK) {
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
    man = docker_manifest(&set->ims[0], tag, &repos);
    if(!man || ar_mem(ar, ae, "manifest.json", man) ||
       (repos && ar_mem(ar, ae, "repositories", repos)))
      goto ar_err;
  }
  if(archive_write_close(ar) != ARCHIVE_OK)
    goto ar_err;
  if(to_stdout)
    goto out;
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
  if(st && tmp && !to_stdout)
    unlink(tmp);
  free(tmp);
  free(idx);
  free(buf);
  free(man);
  free(repos);
  return st;
}

static enum mdk_status export_set(struct mdk_be_store *s,
                                  const struct set *set,
                                  const struct mdk_be_output *out,
                                  const char *tag, struct mdk_err *e)
{
  int err;
  if(set->index && (out->type == MDK_BE_OUT_DOCKER_ARCHIVE ||
                    out->type == MDK_BE_OUT_LOCAL))
    return mdk_fail(e, MDK_EUSAGE, "type=%s takes the image of one "
                    "platform, and this build made %zu (build it with "
                    "--platform for one of them, or use type=oci or "
                    "type=oci-archive)", out->type == MDK_BE_OUT_LOCAL
                    ? "local" : "docker-archive", set->n);
  switch(out->type) {
  case MDK_BE_OUT_OCI:
    return export_dir(s, set, out->dest, tag, e);
  case MDK_BE_OUT_OCI_ARCHIVE:
    return export_archive(s, set, out->dest, tag, false, e);
  case MDK_BE_OUT_DOCKER_ARCHIVE:
    return export_archive(s, set, out->dest, tag, true, e);
  case MDK_BE_OUT_LOCAL:
    if(mdk_mkdir_p(out->dest, &err) && err != EEXIST)
      return mdk_fail(e, MDK_EIO, "cannot create %s: %s", out->dest,
                         strerror(err));
    /* files the user owns when mdock made its user namespace itself (as
     * BuildKit's rootless local exporter writes them): owned by the image's
     * IDs, they would be sub-IDs the user cannot remove */
    return mdk_be_image_unpack(s, &set->ims[0], out->dest,
                               mdk_rt_userns_enter() == MDK_RT_IDS_ROOT, e);
  }
  return MDK_OK;
}

enum mdk_status mdk_be_export(struct mdk_be_store *s,
                              const struct mdk_be_image *im,
                              const struct mdk_be_output *out,
                              const char *tag, struct mdk_err *e)
{
  struct set set = {im, 1, NULL, 0};
  return export_set(s, &set, out, tag, e);
}

enum mdk_status mdk_be_export_index(struct mdk_be_store *s,
                                    const char *index, uint64_t index_size,
                                    const struct mdk_be_image *ims, size_t n,
                                    const struct mdk_be_output *out,
                                    const char *tag, struct mdk_err *e)
{
  struct set set = {ims, n, index, index_size};
  return export_set(s, &set, out, tag, e);
}
