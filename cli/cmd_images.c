/* cmd_images.c - mdock images [REPOSITORY[:TAG]]: the images in the store,
 * as docker images lists them, newest first: -q IDs only, -a untagged
 * images too, -f/--filter docker's filters (dangling, reference, label,
 * before, since), --format a Go template over docker's image fields
 * ("table ..." adds a header and aligns). */
#include "cli/commands.h"

#include "cli/gotmpl.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include <unistd.h>

enum { O_QUIET = 1, O_ALL, O_FORMAT, O_NO_TRUNC, O_DIGESTS, O_FILTER };

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
  {O_FILTER, "filter", 'f', MDK_ARG_VALUE, "KEY=VALUE", NULL,
   "only images that match (repeatable): dangling=true|false,\n"
   "reference=PATTERN, label=KEY[=VALUE], before=IMAGE, since=IMAGE"},
  {0}
};

struct row {
  const char *name;             /* the tag, or "<none>" */
  const char *repo, *tag;
  const char *id, *digest, *created;
  uint64_t size;
  struct timespec when;         /* created, for the order and before/since */
  size_t seq;                   /* listing order, for equal times */
};

/* docker's image filters: kinds AND, references OR, labels AND */
struct filter {
  struct mdk_vec refs;          /* const char *: the operand, reference= */
  struct mdk_vec labels;        /* const char *: KEY or KEY=VALUE */
  int dangling;                 /* -1 not asked, 0 tagged only, 1 untagged */
  bool before, since;
  struct timespec before_t, since_t;
  const char *before_ref, *since_ref;
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

static int time_cmp(const struct timespec *x, const struct timespec *y)
{
  if(x->tv_sec != y->tv_sec)
    return x->tv_sec < y->tv_sec ? -1 : 1;
  return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/* label=KEY or label=KEY=VALUE, each against the config's Labels */
static bool labels_match(const struct filter *f, json_t *config)
{
  json_t *labels = json_object_get(json_object_get(config, "config"),
                                   "Labels");
  size_t i;
  for(i = 0; i < f->labels.len; i++) {
    const char *kv = *mdk_vec_at(&f->labels, const char *, i);
    const char *eq = strchr(kv, '='), *v;
    char key[256];
    snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - kv) : (int)strlen(kv),
             kv);
    v = json_string_value(json_object_get(labels, key));
    if(!v || (eq && strcmp(v, eq + 1) != 0))
      return false;
  }
  return true;
}

/* false when the image is not readable; *shown false when a filter
 * leaves it out */
static bool row_of(struct mdk_be_store *s, struct mdk_arena *a,
                   const struct filter *f, const char *name,
                   const char *manifest, struct row *r, bool *shown)
{
  struct mdk_be_image im;
  const char *created;
  if(mdk_be_image_load(s, manifest, &im, NULL))
    return false;
  memset(r, 0, sizeof(*r));
  *shown = labels_match(f, im.config);
  r->name = name;
  r->id = mdk_arena_strndup(a, im.config_digest, strlen(im.config_digest));
  r->digest = mdk_arena_strndup(a, manifest, strlen(manifest));
  created = json_string_value(json_object_get(im.config, "created"));
  r->created = created ? mdk_arena_strndup(a, created, strlen(created)) : "-";
  if(!mdk_cli_time_parse(created, &r->when))
    r->when = (struct timespec){0, 0};
  /* docker's: before is strictly older, since strictly newer */
  if((f->before && time_cmp(&r->when, &f->before_t) >= 0) ||
     (f->since && time_cmp(&r->when, &f->since_t) <= 0))
    *shown = false;
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

/* a row as docker's image context holds it (its keys in Go's map order);
 * a table's header row when r is NULL */
static json_t *row_json(const struct row *r, bool trunc)
{
  char since[48], at[48], sz[32], vsz[32], id[80];
  if(!r)
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
                     "Containers", "CONTAINERS", "CreatedAt", "CREATED AT",
                     "CreatedSince", "CREATED", "Digest", "DIGEST", "ID",
                     "IMAGE ID", "Repository", "REPOSITORY", "SharedSize",
                     "SHARED SIZE", "Size", "SIZE", "Tag", "TAG",
                     "UniqueSize", "UNIQUE SIZE", "VirtualSize",
                     "VIRTUAL SIZE");
  mdk_cli_since(r->created, since);
  mdk_cli_time(r->created, MDK_CLI_TIME_GO_STRING, at);
  mdk_cli_size(r->size, sz);
  mdk_cli_size_prec(r->size, 4, vsz);
  snprintf(id, sizeof(id), trunc ? "%.12s" : "%s",
           trunc ? r->id + 7 : r->id);
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
                   "Containers", "N/A", "CreatedAt", at, "CreatedSince",
                   since, "Digest", r->digest, "ID", id, "Repository",
                   r->repo, "SharedSize", "N/A", "Size", sz, "Tag", r->tag,
                   "UniqueSize", "N/A", "VirtualSize", vsz);
}

struct images_opts {
  bool quiet, all, no_trunc, digests;
  const char *format;
  struct filter f;
  struct mdk_tmpl_table table;
};

/* reference=PATTERN as docker's reference.FamiliarMatch: the pattern
 * (path.Match's: * and ? stop at '/') against "name:tag", then "name" */
static bool ref_match(const struct filter *f, const struct row *r)
{
  size_t i;
  if(!f->refs.len)
    return true;
  if(strcmp(r->name, "<none>") == 0)
    return false;
  for(i = 0; i < f->refs.len; i++) {
    const char *pat = *mdk_vec_at(&f->refs, const char *, i);
    if(fnmatch(pat, r->name, FNM_PATHNAME) == 0 ||
       fnmatch(pat, r->repo, FNM_PATHNAME) == 0)
      return true;
  }
  return false;
}

/* one image under one name, if the filters keep it */
static void add_row(struct mdk_be_store *s, struct mdk_arena *a,
                    struct images_opts *o, struct mdk_vec *rows,
                    const char *name, const char *manifest)
{
  struct row r;
  bool shown;
  if(!row_of(s, a, &o->f, name, manifest, &r, &shown)) {
    if(strcmp(name, "<none>") != 0)
      fprintf(stderr, "mdock: %s: broken (run `mdock fsck`)\n", name);
    return;
  }
  if(shown && ref_match(&o->f, &r)) {
    r.seq = rows->len;
    mdk_vec_push(a, rows, &r);
  }
}

/* untagged: image manifests in the store that no tag names */
static void untagged(struct mdk_be_store *s, struct mdk_arena *a,
                     struct images_opts *o, struct mdk_vec *rows,
                     const char **tags)
{
  int fd = openat(s->rootfd, "blobs/sha256", O_RDONLY | O_DIRECTORY |
                  O_CLOEXEC);
  size_t n = 0, i, t;
  char **names = fd >= 0 ? mdk_dir_names(fd, &n) : NULL;
  for(i = 0; names && i < n; i++) {
    char d[80];
    struct stat sb;
    bool tagged = false;
    if(fstatat(fd, names[i], &sb, 0) || sb.st_size > (1 << 16))
      continue;
    snprintf(d, sizeof(d), "sha256:%s", names[i]);
    for(t = 0; tags[t] && !tagged; t++) {
      mdk_digest td;
      tagged = mdk_be_tag_get(s, tags[t], td) && strcmp(td, d) == 0;
    }
    if(!tagged)
      add_row(s, a, o, rows, "<none>", d);
  }
  if(names)
    mdk_dir_names_free(names, n);
  if(fd >= 0)
    close(fd);
}

/* docker's order: newest first (the daemon sorts by Created) */
static int newest_first(const void *x, const void *y)
{
  const struct row *p = x, *q = y;
  int c = time_cmp(&q->when, &p->when);
  return c ? c : (p->seq > q->seq) - (p->seq < q->seq);
}

static int list(struct mdk_be_store *s, struct mdk_arena *a,
                struct images_opts *o)
{
  size_t n, i;
  const char **tags = mdk_be_tag_list(s, a, &n);
  struct mdk_vec rows = MDK_VEC_INIT(struct row);
  json_t *head = row_json(NULL, true);
  mdk_tmpl_table_head(&o->table, head);
  json_decref(head);
  if(o->f.dangling != 1)
    for(i = 0; tags[i]; i++) {
      mdk_digest d;
      if(!mdk_be_tag_get(s, tags[i], d)) {
        fprintf(stderr, "mdock: %s: broken (run `mdock fsck`)\n", tags[i]);
        continue;
      }
      add_row(s, a, o, &rows, tags[i], d);
    }
  if((o->all && o->f.dangling != 0) || o->f.dangling == 1)
    untagged(s, a, o, &rows, tags);
  if(rows.len > 1)
    qsort(rows.items, rows.len, sizeof(struct row), newest_first);
  for(i = 0; i < rows.len; i++) {
    json_t *j = row_json(mdk_vec_at(&rows, struct row, i), !o->no_trunc);
    mdk_tmpl_table_row(&o->table, j);
    json_decref(j);
  }
  mdk_tmpl_table_close(&o->table, stdout);
  return 0;
}

/* -f KEY=VALUE into o->f; false (a usage error printed) if it is not one
 * of docker's image filters */
static bool add_filter(const struct mdk_cli_cmd *cmd, struct mdk_arena *a,
                       struct filter *f, const char *kv)
{
  const char *eq = strchr(kv, '='), *v = eq ? eq + 1 : "";
  size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
  if(!eq) {
    mdk_cli_usage_error(cmd, "bad format of filter '%s' (expected "
                        "name=value, e.g. dangling=true)", kv);
    return false;
  }
  if(klen == 8 && memcmp(kv, "dangling", 8) == 0) {
    if(!strcasecmp(v, "true") || !strcmp(v, "1"))
      f->dangling = 1;
    else if(!strcasecmp(v, "false") || !strcmp(v, "0"))
      f->dangling = 0;
    else {
      mdk_cli_usage_error(cmd, "invalid filter 'dangling=%s' (true or "
                          "false)", v);
      return false;
    }
  }
  else if(klen == 9 && memcmp(kv, "reference", 9) == 0)
    mdk_vec_push(a, &f->refs, &v);
  else if(klen == 5 && memcmp(kv, "label", 5) == 0)
    mdk_vec_push(a, &f->labels, &v);
  else if(klen == 6 && memcmp(kv, "before", 6) == 0)
    f->before_ref = v;
  else if(klen == 5 && memcmp(kv, "since", 5) == 0)
    f->since_ref = v;
  else {
    mdk_cli_usage_error(cmd, "invalid filter '%.*s' (images filters: "
                        "dangling, reference, label, before, since)",
                        (int)klen, kv);
    return false;
  }
  return true;
}

/* before=IMAGE, since=IMAGE: that image's created time */
static bool filter_time(struct mdk_be_store *s, struct mdk_arena *a,
                        const char *ref, bool *on, struct timespec *t)
{
  struct mdk_be_image im;
  struct mdk_err e;
  const char *c;
  if(!ref)
    return true;
  if(mdk_be_image_resolve(s, a, ref, &im, &e)) {
    mdk_cli_fail(&e);
    return false;
  }
  c = json_string_value(json_object_get(im.config, "created"));
  if(!mdk_cli_time_parse(c, t))
    *t = (struct timespec){0, 0};
  *on = true;
  mdk_be_image_free(&im);
  return true;
}

/* docker's formats: -q wins over --format, which wins over the table */
static const char *format_of(const struct images_opts *o)
{
  if(o->quiet)
    return "{{.ID}}";
  /* "table" alone is the default table, as docker's */
  if(o->format && strcmp(o->format, "table") != 0)
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
  const char *v, *match = NULL;
  int id, rc = 0;
  memset(&o, 0, sizeof(o));
  mdk_arena_init(&a);
  o.f.refs = MDK_VEC_INIT(const char *);
  o.f.labels = MDK_VEC_INIT(const char *);
  o.f.dangling = -1;
  mdk_cli_parser_init(&p, cmd, argc, argv);
  while(!rc && (id = mdk_cli_next(&p, &v)) != MDK_CLI_END) {
    switch(id) {
    case MDK_CLI_HELP: rc = -1; break;
    case MDK_CLI_ERROR: rc = 2; break;
    case O_QUIET: o.quiet = mdk_cli_on(v); break;
    case O_ALL: o.all = mdk_cli_on(v); break;
    case O_NO_TRUNC: o.no_trunc = mdk_cli_on(v); break;
    case O_DIGESTS: o.digests = mdk_cli_on(v); break;
    case O_FORMAT: o.format = v; break;
    case O_FILTER: rc = add_filter(cmd, &a, &o.f, v) ? 0 : 2; break;
    case MDK_CLI_OPERAND:
      if(!match) {
        /* docker images NAME is the filter reference=NAME */
        match = v;
        mdk_vec_push(&a, &o.f.refs, &match);
        break;
      }
      /* fall through */
    default:
      rc = mdk_cli_usage_error(cmd, "unexpected argument '%s' (images "
                               "takes one REPOSITORY[:TAG])", v);
    }
  }
  if(rc) {
    mdk_arena_fini(&a);
    return rc < 0 ? 0 : rc;
  }
  head = row_json(NULL, true);
  ok = mdk_tmpl_table_open(&o.table, format_of(&o), head, &e);
  json_decref(head);
  if(!ok) {
    mdk_err_print(&e, stderr, mdk_cli_color());
    mdk_arena_fini(&a);
    return 2;
  }
  if(!mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED)) {
    mdk_tmpl_table_close(&o.table, stdout);
    mdk_arena_fini(&a);
    return 1;
  }
  if(filter_time(&s, &a, o.f.before_ref, &o.f.before, &o.f.before_t) &&
     filter_time(&s, &a, o.f.since_ref, &o.f.since, &o.f.since_t))
    rc = list(&s, &a, &o);
  else {
    mdk_tmpl_table_close(&o.table, stdout);
    rc = 1;
  }
  mdk_arena_fini(&a);
  mdk_be_store_close(&s);
  return rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_images = {
  "images", "[options] [REPOSITORY[:TAG]]",
  "list the images in the store",
  "Lists the tagged images in the store as docker images does, newest\n"
  "first: REPOSITORY, TAG, IMAGE ID (the config's digest), CREATED and\n"
  "SIZE (what its layers hold unpacked, as docker counts it).  A\n"
  "REPOSITORY[:TAG] operand lists only the images it names (a pattern:\n"
  "`mdock images 'app*'`), as -f reference=PATTERN does.",
  opts,
  "  mdock images\n"
  "  mdock images -q\n"
  "  mdock images -a\n"
  "  mdock images app\n"
  "  mdock images -f dangling=true -q\n"
  "  mdock images -f label=org.opencontainers.image.source -f since=app:1\n"
  "  mdock images --format '{{.Repository}}:{{.Tag}} {{.ID}}'\n"
  "  mdock images --format 'table {{.Repository}}\\t{{.Size}}'\n",
  "The store is $MDOCK_ROOT (default /var/lib/mdock for root).\n",
  run, false, false
};
