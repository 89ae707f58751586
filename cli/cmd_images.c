/* cmd_images.c - mdock images: the images in the store, as docker images
 * lists them: -q IDs only, -a untagged images too, --format a Go template
 * over docker's image fields ("table ..." adds a header and aligns). */
#include "cli/commands.h"

#include "cli/gotmpl.h"

#include <fcntl.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

enum { O_QUIET = 1, O_ALL, O_FORMAT, O_NO_TRUNC, O_DIGESTS };

static const struct mdk_cli_opt opts[] = {
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL,
   "only the image IDs (as docker images -q)"},
  {O_ALL, "all", 'a', MDK_ARG_NONE, NULL, NULL,
   "untagged images too (as <none>)"},
  {O_FORMAT, "format", 0, MDK_ARG_VALUE, "TEMPLATE", NULL,
   "a Go template over {{.Repository}} {{.Tag}} {{.ID}}\n{{.Digest}} "
   "{{.CreatedAt}} {{.CreatedSince}} {{.Size}}\n{{json .}}; "
   "\"table TEMPLATE\" adds a header"},
  {O_NO_TRUNC, "no-trunc", 0, MDK_ARG_NONE, NULL, NULL,
   "whole image IDs (sha256:...)"},
  {O_DIGESTS, "digests", 0, MDK_ARG_NONE, NULL, NULL,
   "a DIGEST column (the manifest's)"},
  {0}
};

struct row {
  const char *name;             /* the tag, or "<none>" */
  const char *repo, *tag;
  const char *id, *digest, *created;
  uint64_t size;
};

/* "host/repo:tag" into repository and tag; "<none>" for what is missing */
static void split_name(struct mdk_arena *a, struct row *r)
{
  const char *at = strchr(r->name, '@'), *slash = strrchr(r->name, '/');
  const char *colon = strrchr(r->name, ':');
  if(strcmp(r->name, "<none>") == 0) {
    r->repo = r->tag = "<none>";
    return;
  }
  if(at) {
    r->repo = mdk_arena_strndup(a, r->name, (size_t)(at - r->name));
    r->tag = "<none>";
  }
  else if(colon && (!slash || colon > slash)) {
    r->repo = mdk_arena_strndup(a, r->name, (size_t)(colon - r->name));
    r->tag = colon + 1;
  }
  else {
    r->repo = r->name;
    r->tag = "latest";
  }
}

static bool row_of(struct mdk_be_store *s, struct mdk_arena *a,
                   const char *name, const char *manifest, struct row *r)
{
  struct mdk_be_image im;
  const char *created;
  if(mdk_be_image_load(s, manifest, &im, NULL))
    return false;
  memset(r, 0, sizeof(*r));
  r->name = name;
  r->id = mdk_arena_strndup(a, im.config_digest, strlen(im.config_digest));
  r->digest = mdk_arena_strndup(a, manifest, strlen(manifest));
  created = json_string_value(json_object_get(im.config, "created"));
  r->created = created ? mdk_arena_strndup(a, created, strlen(created)) : "-";
  if(mdk_be_image_content_size(s, &im, &r->size, NULL))
    r->size = mdk_be_image_size(&im);
  mdk_be_image_free(&im);
  {
    /* an index (a multi-platform build or pull): its ID is the index's
     * digest, as docker's containerd store shows it, its size that of
     * every platform the store holds */
    struct mdk_be_image *ims;
    size_t n, i;
    if(mdk_be_index_images(s, manifest, &ims, &n, NULL) == MDK_OK && n) {
      r->id = r->digest;
      r->size = 0;
      for(i = 0; i < n; i++) {
        uint64_t sz;
        r->size += mdk_be_image_content_size(s, &ims[i], &sz, NULL)
                 ? mdk_be_image_size(&ims[i]) : sz;
      }
      mdk_be_index_images_free(ims, n);
    }
  }
  split_name(a, r);
  return true;
}

/* Go's time.Time.String() of an RFC 3339 time, in UTC, as docker images
 * prints {{.CreatedAt}} */
static void go_time(const char *t, char out[48])
{
  struct tm tm;
  memset(&tm, 0, sizeof(tm));
  if(!t || !strptime(t, "%Y-%m-%dT%H:%M:%S", &tm))
    snprintf(out, 48, "N/A");
  else
    strftime(out, 48, "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
}

/* a row as docker's image context holds it (its keys in Go's map order);
 * a table's header row when r is NULL */
static json_t *row_json(const struct row *r, bool trunc)
{
  char since[48], at[48], sz[32], id[80];
  if(!r)
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
                     "Containers", "CONTAINERS", "CreatedAt", "CREATED AT",
                     "CreatedSince", "CREATED", "Digest", "DIGEST", "ID",
                     "IMAGE ID", "Repository", "REPOSITORY", "SharedSize",
                     "SHARED SIZE", "Size", "SIZE", "Tag", "TAG",
                     "UniqueSize", "UNIQUE SIZE", "VirtualSize",
                     "VIRTUAL SIZE");
  mdk_cli_since(r->created, since);
  go_time(r->created, at);
  mdk_cli_size(r->size, sz);
  snprintf(id, sizeof(id), trunc ? "%.12s" : "%s",
           trunc ? r->id + 7 : r->id);
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
                   "Containers", "N/A", "CreatedAt", at, "CreatedSince",
                   since, "Digest", r->digest, "ID", id, "Repository",
                   r->repo, "SharedSize", "N/A", "Size", sz, "Tag", r->tag,
                   "UniqueSize", "N/A", "VirtualSize", sz);
}

struct images_opts {
  bool quiet, all, no_trunc, digests;
  const char *format;
  struct mdk_tmpl_table table;
};

static void print_row(struct images_opts *o, const struct row *r)
{
  json_t *j = row_json(r, !o->no_trunc);
  mdk_tmpl_table_row(&o->table, j);
  json_decref(j);
}

/* -a: image manifests in the store that no tag names */
static void untagged(struct mdk_be_store *s, struct mdk_arena *a,
                     struct images_opts *o, const char **tags)
{
  int fd = openat(s->rootfd, "blobs/sha256", O_RDONLY | O_DIRECTORY |
                  O_CLOEXEC);
  size_t n = 0, i, t;
  char **names = fd >= 0 ? mdk_dir_names(fd, &n) : NULL;
  for(i = 0; names && i < n; i++) {
    char d[80];
    struct stat sb;
    struct row r;
    bool tagged = false;
    if(fstatat(fd, names[i], &sb, 0) || sb.st_size > (1 << 16))
      continue;
    snprintf(d, sizeof(d), "sha256:%s", names[i]);
    for(t = 0; tags[t] && !tagged; t++) {
      mdk_digest td;
      tagged = mdk_be_tag_get(s, tags[t], td) && strcmp(td, d) == 0;
    }
    if(!tagged && row_of(s, a, "<none>", d, &r))
      print_row(o, &r);
  }
  if(names)
    mdk_dir_names_free(names, n);
  if(fd >= 0)
    close(fd);
}

static int list(struct mdk_be_store *s, struct mdk_arena *a,
                struct images_opts *o)
{
  size_t n, i;
  const char **tags = mdk_be_tag_list(s, a, &n);
  json_t *head = row_json(NULL, true);
  mdk_tmpl_table_head(&o->table, head);
  json_decref(head);
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    struct row r;
    if(!mdk_be_tag_get(s, tags[i], d) || !row_of(s, a, tags[i], d, &r)) {
      fprintf(stderr, "mdock: %s: broken (run `mdock fsck`)\n", tags[i]);
      continue;
    }
    print_row(o, &r);
  }
  if(o->all)
    untagged(s, a, o, tags);
  mdk_tmpl_table_close(&o->table, stdout);
  return 0;
}

/* docker's formats: -q wins over --format, which wins over the table */
static const char *format_of(const struct images_opts *o)
{
  if(o->quiet)
    return "{{.ID}}";
  if(o->format)
    return o->format;
  return o->digests ? "table {{.Repository}}\\t{{.Tag}}\\t{{.Digest}}\\t"
                      "{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}"
                    : "table {{.Repository}}\\t{{.Tag}}\\t{{.ID}}\\t"
                      "{{.CreatedSince}}\\t{{.Size}}";
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_parser p;
  struct images_opts o;
  struct mdk_err e;
  json_t *head;
  bool ok;
  struct mdk_be_store s;
  struct mdk_arena a;
  const char *v;
  int id, rc;
  memset(&o, 0, sizeof(o));
  mdk_cli_parser_init(&p, cmd, argc, argv);
  while((id = mdk_cli_next(&p, &v)) != MDK_CLI_END) {
    switch(id) {
    case MDK_CLI_HELP: return 0;
    case MDK_CLI_ERROR: return 2;
    case O_QUIET: o.quiet = mdk_cli_on(v); break;
    case O_ALL: o.all = mdk_cli_on(v); break;
    case O_NO_TRUNC: o.no_trunc = mdk_cli_on(v); break;
    case O_DIGESTS: o.digests = mdk_cli_on(v); break;
    case O_FORMAT: o.format = v; break;
    default:
      return mdk_cli_usage_error(cmd, "unexpected argument '%s'", v);
    }
  }
  head = row_json(NULL, true);
  ok = mdk_tmpl_table_open(&o.table, format_of(&o), head, &e);
  json_decref(head);
  if(!ok) {
    mdk_err_print(&e, stderr, mdk_cli_color());
    return 2;
  }
  if(!mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED)) {
    mdk_tmpl_table_close(&o.table, stdout);
    return 1;
  }
  mdk_arena_init(&a);
  rc = list(&s, &a, &o);
  mdk_arena_fini(&a);
  mdk_be_store_close(&s);
  return rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_images = {
  "images", "[options]",
  "list the images in the store",
  "Lists the tagged images in the store as docker images does:\n"
  "REPOSITORY, TAG, IMAGE ID (the config's digest), CREATED and SIZE\n"
  "(what its layers hold unpacked, as docker counts it).",
  opts,
  "  mdock images\n"
  "  mdock images -q\n"
  "  mdock images -a\n"
  "  mdock images --format '{{.Repository}}:{{.Tag}} {{.ID}}'\n"
  "  mdock images --format 'table {{.Repository}}\\t{{.Size}}'\n",
  "The store is $MDOCK_ROOT (default /var/lib/mdock for root).\n",
  run, false, false
};
