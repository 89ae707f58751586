/* gc.c - see gc.h. */
#include "store/gc.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/image.h"
#include "store/snapshot.h"
#include "base/base.h"

struct set {
  char **v;
  size_t n, cap;
  bool sorted;
};

static void set_add(struct set *s, const char *d)
{
  if(!d)
    return;
  if(s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->v = realloc(s->v, s->cap * sizeof(*s->v));
    if(!s->v)
      abort();
  }
  s->v[s->n++] = strdup(d);
  s->sorted = false;
}

static int cmp_s(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool set_has(struct set *s, const char *d)
{
  if(!s->sorted) {
    mdk_sort(s->v, s->n, sizeof(*s->v), cmp_s);
    s->sorted = true;
  }
  return s->n && bsearch(&d, s->v, s->n, sizeof(*s->v), cmp_s) != NULL;
}

static void set_free(struct set *s)
{
  size_t i;
  for(i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
}

/* Marks a manifest or index and what it names; counts what is missing. */
static size_t mark_doc(struct mdk_be_store *s, const char *digest,
                       struct set *live, FILE *out, const char *tag,
                       int depth)
{
  struct mdk_arena a;
  char *data;
  size_t len, i, bad = 0;
  json_t *doc, *x;
  json_error_t je;
  set_add(live, digest);
  if(!mdk_be_blob_exists(s, digest)) {
    if(out)
      fprintf(out, "missing: %s (of %s)\n", digest, tag);
    return 1;
  }
  mdk_arena_init(&a);
  if(mdk_be_blob_read(s, &a, digest, MDK_BE_DOC_MAX, &data, &len, NULL) ||
     !(doc = json_loadb(data, len, 0, &je))) {
    mdk_arena_fini(&a);
    if(out)
      fprintf(out, "unreadable: %s (of %s)\n", digest, tag);
    return 1;
  }
  if(json_is_array(json_object_get(doc, "manifests")) && depth < 4) {
    json_array_foreach(json_object_get(doc, "manifests"), i, x) {
      const char *d = json_string_value(json_object_get(x, "digest"));
      /* an index may name platforms the store never pulled */
      if(mdk_digest_valid(d) && mdk_be_blob_exists(s, d))
        bad += mark_doc(s, d, live, out, tag, depth + 1);
    }
  }
  else {
    const char *c = json_string_value(json_object_get(
      json_object_get(doc, "config"), "digest"));
    set_add(live, c);
    if(!mdk_be_blob_exists(s, c ? c : "")) {
      if(out)
        fprintf(out, "missing: config %s (of %s)\n", c ? c : "?", tag);
      bad++;
    }
    json_array_foreach(json_object_get(doc, "layers"), i, x) {
      const char *d = json_string_value(json_object_get(x, "digest"));
      set_add(live, d);
      if(!mdk_be_blob_exists(s, d ? d : "")) {
        if(out)
          fprintf(out, "missing: layer %s (of %s)\n", d ? d : "?", tag);
        bad++;
      }
    }
  }
  json_decref(doc);
  mdk_arena_fini(&a);
  return bad;
}

/* The file names of a store directory, sorted, but the dot files (its
 * temporaries); NULL and *n 0 when it cannot be read. */
static char **list_dir(struct mdk_be_store *s, const char *rel, size_t *n)
{
  int fd = openat(s->rootfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  char **v = fd >= 0 ? mdk_dir_names(fd, n) : NULL;
  size_t i, k = 0;
  if(fd >= 0)
    close(fd);
  if(!v) {
    *n = 0;
    return NULL;
  }
  for(i = 0; i < *n; i++) {
    if(v[i][0] == '.')
      free(v[i]);
    else
      v[k++] = v[i];
  }
  *n = k;
  return v;
}

/* tags and cache entries: what they keep alive */
static void mark_roots(struct mdk_be_store *s, struct set *live, FILE *out,
                       struct mdk_be_fsck_report *r, bool with_cache)
{
  struct mdk_arena a;
  size_t n, i;
  const char **tags;
  char **cache;
  mdk_arena_init(&a);
  tags = mdk_be_tag_list(s, &a, &n);
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    if(r)
      r->tags++;
    if(!mdk_be_tag_get(s, tags[i], d)) {
      if(out)
        fprintf(out, "broken tag: %s\n", tags[i]);
      if(r)
        r->broken_tags++;
      continue;
    }
    if(mark_doc(s, d, live, out, tags[i], 0) && r)
      r->broken_tags++;
  }
  cache = with_cache ? list_dir(s, "cache", &n) : (n = 0, NULL);
  for(i = 0; i < n; i++) {
    char rel[128];
    char *txt;
    json_t *j;
    json_error_t je;
    const char *d;
    snprintf(rel, sizeof(rel), "cache/%s", cache[i]);
    txt = mdk_be_store_read(s, &a, rel, 1 << 16);
    j = txt ? json_loads(txt, 0, &je) : NULL;
    d = json_string_value(json_object_get(json_object_get(j, "layer"),
                                          "digest"));
    if(r)
      r->cache++;
    if(d) {
      set_add(live, d);
      if(!mdk_be_blob_exists(s, d)) {
        if(out)
          fprintf(out, "stale cache entry: %s (layer %s is gone; it will "
                  "be rebuilt)\n", cache[i], d);
        if(r)
          r->stale_cache++;
      }
    }
    json_decref(j);
  }
  mdk_dir_names_free(cache, n);
  mdk_arena_fini(&a);
}

enum mdk_status mdk_be_fsck(struct mdk_be_store *s, FILE *out,
                            struct mdk_be_fsck_report *r)
{
  struct set live = {0};
  size_t n, i;
  char **blobs, **tmp;
  memset(r, 0, sizeof(*r));
  blobs = list_dir(s, "blobs/sha256", &n);
  for(i = 0; i < n; i++) {
    char d[80];
    struct mdk_err e;
    snprintf(d, sizeof(d), "sha256:%s", blobs[i]);
    r->blobs++;
    if(!mdk_digest_valid(d)) {
      fprintf(out, "corrupt: blobs/sha256/%s is not named by a digest\n",
              blobs[i]);
      r->corrupt++;
      continue;
    }
    if(mdk_be_blob_verify(s, d, &e)) {
      fprintf(out, "corrupt: %s\n", e.msg);
      r->corrupt++;
    }
  }
  mark_roots(s, &live, out, r, true);
  for(i = 0; i < n; i++) {
    char d[80];
    snprintf(d, sizeof(d), "sha256:%s", blobs[i]);
    if(!set_has(&live, d))
      r->orphans++;
  }
  mdk_dir_names_free(blobs, n);
  tmp = list_dir(s, "tmp", &n);
  r->leftovers = n;
  mdk_dir_names_free(tmp, n);
  set_free(&live);
  return r->corrupt || r->broken_tags ? MDK_EINPUT : MDK_OK;
}

/* One thing prune removes (or, dry, would): listed, then removed. */
static bool prune_one(struct mdk_be_store *s, const struct mdk_be_prune_opts *o,
                      const char *rel, bool tree)
{
  if(o->list)
    fprintf(o->list, "%s%s\n", o->dry_run ? "would remove " : "removed ",
            rel);
  if(o->dry_run)
    return true;
  if(tree) {
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", s->root, rel);
    mdk_rmtree(path);
    return true;
  }
  if(strncmp(rel, "blobs/sha256/", 13) == 0) {
    /* a layer's content size goes with it (layer_size.c) */
    char sz[96];
    snprintf(sz, sizeof(sz), "sizes/%s", rel + 13);
    unlinkat(s->rootfd, sz, 0);
  }
  return unlinkat(s->rootfd, rel, 0) == 0;
}

/* snapshots: kept for the layer stacks of tagged images, the rest (made
 * again when a build needs them) removed */
static void prune_snapshots(struct mdk_be_store *s,
                            const struct mdk_be_prune_opts *o,
                            struct mdk_be_prune_report *r)
{
  struct set chains = {0};
  struct mdk_arena a;
  const char **tags;
  char **v;
  size_t nt, t, n, i;
  mdk_arena_init(&a);
  tags = mdk_be_tag_list(s, &a, &nt);
  for(t = 0; tags[t]; t++) {
    mdk_digest d;
    struct mdk_be_image one, *ims = NULL;
    size_t l, k, nims = 0;
    if(!mdk_be_tag_get(s, tags[t], d))
      continue;
    /* an index: every platform's layer stack the store has */
    if(mdk_be_index_images(s, d, &ims, &nims, NULL) || !nims) {
      if(mdk_be_image_load(s, d, &one, NULL))
        continue;
      ims = &one;
      nims = 1;
    }
    for(k = 0; k < nims; k++) {
      mdk_digest chain = "";
      for(l = 0; l < mdk_be_image_nlayers(&ims[k]); l++) {
        struct mdk_be_layer_desc ld;
        if(!mdk_be_image_layer(&ims[k], l, &ld))
          break;
        mdk_be_chain_id(chain, ld.diff_id, chain);
        set_add(&chains, chain + 7);
      }
    }
    if(ims == &one)
      mdk_be_image_free(&one);
    else
      mdk_be_index_images_free(ims, nims);
  }
  v = list_dir(s, "snapshots", &n);
  for(i = 0; i < n; i++) {
    char rel[4200];
    if(set_has(&chains, v[i]))
      continue;
    snprintf(rel, sizeof(rel), "snapshots/%s", v[i]);
    if(prune_one(s, o, rel, true))
      r->snapshots++;
  }
  mdk_dir_names_free(v, n);
  set_free(&chains);
  mdk_arena_fini(&a);
}

enum mdk_status mdk_be_prune(struct mdk_be_store *s,
                             const struct mdk_be_prune_opts *o,
                             struct mdk_be_prune_report *r,
                             struct mdk_err *e)
{
  struct set live = {0};
  size_t n, i;
  char **v;
  memset(r, 0, sizeof(*r));
  /* leftovers of interrupted writes: nothing else runs (exclusive lock) */
  v = list_dir(s, "tmp", &n);
  for(i = 0; i < n; i++) {
    char rel[4200];
    snprintf(rel, sizeof(rel), "tmp/%s", v[i]);
    if(prune_one(s, o, rel, true))
      r->tmp++;
  }
  mdk_dir_names_free(v, n);
  if(o->all) {
    v = list_dir(s, "cache", &n);
    for(i = 0; i < n; i++) {
      char rel[128];
      snprintf(rel, sizeof(rel), "cache/%s", v[i]);
      if(prune_one(s, o, rel, false))
        r->cache++;
    }
    mdk_dir_names_free(v, n);
  }
  /* with --all the cache entries are gone (or, dry, as good as gone): they
   * keep nothing alive */
  mark_roots(s, &live, NULL, NULL, !o->all);
  v = list_dir(s, "blobs/sha256", &n);
  for(i = 0; i < n; i++) {
    char d[80], rel[96];
    struct stat sb;
    snprintf(d, sizeof(d), "sha256:%s", v[i]);
    if(set_has(&live, d))
      continue;
    snprintf(rel, sizeof(rel), "blobs/sha256/%s", v[i]);
    if(fstatat(s->rootfd, rel, &sb, 0) == 0)
      r->bytes += (uint64_t)sb.st_size;
    if(prune_one(s, o, rel, false))
      r->blobs++;
  }
  mdk_dir_names_free(v, n);
  set_free(&live);
  prune_snapshots(s, o, r);
  (void)e;
  return MDK_OK;
}
