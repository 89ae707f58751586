/* cmd_images.c - mdock images: the images in the store, as docker images
 * lists them: -q names only, -a untagged images too, --format a template
 * ({{.Repository}}, {{.Tag}}, {{.ID}}, {{.Digest}}, {{.CreatedAt}},
 * {{.Size}}, {{json .}}; "table ..." adds a header). */
#include "cli/commands.h"

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
   "a Go-style template: {{.Repository}} {{.Tag}}\n{{.ID}} {{.Digest}} "
   "{{.CreatedAt}} {{.Size}}\n{{json .}}; \"table TEMPLATE\" adds a header"},
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
  double size_mb;
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
  r->size = mdk_be_image_size(&im);
  r->size_mb = (double)r->size / 1e6;
  mdk_be_image_free(&im);
  split_name(a, r);
  return true;
}

/* {{.Field}} of a row; false when the template names no such field */
static bool field(const struct row *r, const char *f, size_t n, bool trunc,
                  FILE *out)
{
#define IS(s) (n == sizeof(s) - 1 && strncmp(f, s, n) == 0)
  if(IS(".Repository"))
    fputs(r->repo, out);
  else if(IS(".Tag"))
    fputs(r->tag, out);
  else if(IS(".ID"))
    fprintf(out, trunc ? "%.12s" : "%s", trunc ? r->id + 7 : r->id);
  else if(IS(".Digest"))
    fputs(r->digest, out);
  else if(IS(".CreatedAt"))
    fputs(r->created, out);
  else if(IS(".CreatedSince")) {
    char since[48];
    mdk_cli_since(r->created, since);
    fputs(since, out);
  }
  else if(IS(".Size")) {
    char sz[32];
    mdk_cli_size(r->size, sz);
    fputs(sz, out);
  }
  else if(IS("json ."))
    fprintf(out, "{\"Repository\":\"%s\",\"Tag\":\"%s\",\"ID\":\"%s\","
            "\"Digest\":\"%s\",\"CreatedAt\":\"%s\",\"Size\":\"%.1fMB\"}",
            r->repo, r->tag, r->id, r->digest, r->created, r->size_mb);
  else
    return false;
  return true;
#undef IS
}

/* Renders tpl for r (r NULL: the header of a table).  \t and \n as
 * escapes, as docker reads them.  false on an unknown field. */
static bool render(const char *tpl, const struct row *r, bool trunc,
                   FILE *out)
{
  const char *p = tpl;
  while(*p) {
    const char *open = strstr(p, "{{"), *close;
    size_t lit = open ? (size_t)(open - p) : strlen(p), k;
    for(k = 0; k < lit; k++) {
      if(p[k] == '\\' && (p[k + 1] == 't' || p[k + 1] == 'n')) {
        fputc(p[++k] == 't' ? '\t' : '\n', out);
        continue;
      }
      fputc(p[k], out);
    }
    if(!open)
      break;
    close = strstr(open, "}}");
    if(!close)
      return false;
    open += 2;
    while(*open == ' ')
      open++;
    k = (size_t)(close - open);
    while(k && open[k - 1] == ' ')
      k--;
    if(!r) {
      /* the header: the field's name in upper case, as docker prints */
      size_t j = open[0] == '.' ? 1 : 0;
      for(; j < k; j++)
        fputc(open[j] >= 'a' && open[j] <= 'z' ? open[j] - 32 : open[j],
              out);
    }
    else if(!field(r, open, k, trunc, out)) {
      return false;
    }
    p = close + 2;
  }
  fputc('\n', out);
  return true;
}

struct images_opts {
  bool quiet, all, no_trunc, digests;
  const char *format;
};

/* docker's columns: REPOSITORY TAG [DIGEST] IMAGE ID CREATED SIZE */
static void print_row(const struct images_opts *o, const struct row *r)
{
  char since[48], sz[32];
  if(o->format) {
    render(o->format, r, !o->no_trunc, stdout);
    return;
  }
  if(o->quiet) {
    printf(o->no_trunc ? "%s\n" : "%.12s\n", o->no_trunc ? r->id : r->id + 7);
    return;
  }
  mdk_cli_since(r->created, since);
  mdk_cli_size(r->size, sz);
  printf("%-40s %-12s ", r->repo, r->tag);
  if(o->digests)
    printf("%-71s ", r->digest);
  printf(o->no_trunc ? "%-71s %-18s %s\n" : "%-14.12s %-18s %s\n",
         o->no_trunc ? r->id : r->id + 7, since, sz);
}

/* -a: image manifests in the store that no tag names */
static void untagged(struct mdk_be_store *s, struct mdk_arena *a,
                     const struct images_opts *o, const char **tags)
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
                const struct images_opts *o)
{
  const char *tpl = o->format;
  size_t n, i;
  const char **tags = mdk_be_tag_list(s, a, &n);
  struct images_opts eff = *o;
  if(tpl && strncmp(tpl, "table", 5) == 0) {
    tpl += 5 + strspn(tpl + 5, " ");
    eff.format = tpl;
    render(*tpl ? tpl : "{{.Repository}}\\t{{.Tag}}\\t{{.ID}}", NULL, true,
           stdout);
  }
  else if(!tpl && !o->quiet) {
    printf("%-40s %-12s ", "REPOSITORY", "TAG");
    if(o->digests)
      printf("%-71s ", "DIGEST");
    printf(o->no_trunc ? "%-71s %-18s %s\n" : "%-14s %-18s %s\n", "IMAGE ID",
           "CREATED", "SIZE");
  }
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    struct row r;
    if(!mdk_be_tag_get(s, tags[i], d) || !row_of(s, a, tags[i], d, &r)) {
      printf("%-40s %-14s (broken: run `mdock fsck`)\n", tags[i], "?");
      continue;
    }
    print_row(&eff, &r);
  }
  if(o->all)
    untagged(s, a, &eff, tags);
  return 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_parser p;
  struct images_opts o = {false, false, false, false, NULL};
  struct mdk_be_store s;
  struct mdk_arena a;
  const char *v;
  int id, rc;
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
  if(o.format) {
    /* check the template once, on a row of nothing */
    struct row r = {"x", "x", "x", "sha256:0000000000000", "x", "x", 0, 0};
    FILE *null = fopen("/dev/null", "w");
    bool ok = null && render(o.format + (strncmp(o.format, "table", 5) ? 0
                                                                        : 5),
                             &r, true, null);
    if(null)
      fclose(null);
    if(!ok)
      return mdk_cli_usage_error(cmd, "--format: a template of "
                                 "{{.Repository}} {{.Tag}} {{.ID}} "
                                 "{{.Digest}} {{.CreatedAt}} {{.Size}} or "
                                 "{{json .}}, not '%s'", o.format);
  }
  if(!mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    return 1;
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
  "(compressed, as pulled).",
  opts,
  "  mdock images\n"
  "  mdock images -q\n"
  "  mdock images -a\n"
  "  mdock images --format '{{.Repository}}:{{.Tag}} {{.ID}}'\n"
  "  mdock images --format 'table {{.Repository}}\\t{{.Size}}'\n",
  "The store is $MDOCK_ROOT (default /var/lib/mdock for root).\n",
  run, false, false
};
