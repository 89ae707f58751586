/* cmd_inspect.c - mdock inspect: images as docker image inspect shows
 * them (or a --format template over that), one of an image's documents as
 * stored, or (--secrets) what it gives away. */
#include "cli/commands.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/gotmpl.h"
#include "cli/image_json.h"
#include "cli/inspect_secrets.h"

enum { O_FORMAT = 1, O_SECRETS, O_SECRET, O_SECRET_BUILD_ARG, O_PLATFORM,
       O_TYPE, O_SIZE };

static const struct mdk_cli_opt opts[] = {
  {O_FORMAT, "format", 'f', MDK_ARG_VALUE,
   "TEMPLATE|config|history|manifest|index|json|text", NULL,
   "a Go template over docker's inspect fields\n({{.Id}}, {{json .Config}}, "
   "{{index .Config.Labels \"k\"}},\n{{range .RootFS.Layers}}...{{end}}); "
   "or one\ndocument as stored (config, history, manifest,\nindex);\nwith "
   "--secrets: text (default) or json"},
  {O_PLATFORM, "platform", 0, MDK_ARG_VALUE, "OS/ARCH[/VARIANT]", NULL,
   "of an image index, this platform's image\n(default: this machine's, else "
   "the first)"},
  {O_SECRETS, "secrets", 0, MDK_ARG_NONE, NULL, NULL,
   "scan history, config and every layer for secrets\n(exit 1 when one is "
   "found)"},
  {O_SECRET, "secret", 0, MDK_ARG_VALUE, "id=ID,src=FILE|env=VAR", NULL,
   "with --secrets: a secret's value to search for"},
  {O_SECRET_BUILD_ARG, "secret-build-arg", 0, MDK_ARG_VALUE, "K[=V]", NULL,
   "with --secrets: a build argument's value to search\nfor"},
  {O_TYPE, "type", 0, MDK_ARG_VALUE, NULL, "image",
   "docker inspect's: mdock has images only"},
  {O_SIZE, "size", 's', MDK_ARG_NONE, NULL, NULL,
   "docker inspect's (its container sizes): images\nalways show Size"},
  {0}
};

/* a stored JSON document, indented */
static void print_blob(struct mdk_be_store *s, struct mdk_arena *a,
                       const char *digest)
{
  char *data;
  size_t len;
  struct mdk_err e;
  json_error_t je;
  json_t *m = mdk_be_blob_read(s, a, digest, MDK_BE_DOC_MAX, &data, &len,
                               &e) == MDK_OK
            ? json_loadb(data, len, 0, &je) : NULL;
  if(m)
    json_dumpf(m, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
  else
    fputs("{}", stdout);
  fputc('\n', stdout);
  json_decref(m);
}

/* one document, as stored: the runtime config, the history or the
 * manifest */
static void print_doc(struct mdk_be_store *s, struct mdk_arena *a,
                      const struct mdk_be_image *im, const char *fmt)
{
  json_t *j = strcmp(fmt, "config") == 0 ? json_object_get(im->config,
                                                           "config")
            : strcmp(fmt, "history") == 0 ? json_object_get(im->config,
                                                            "history")
                                          : NULL;
  if(!j) {
    print_blob(s, a, im->manifest);
    return;
  }
  json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
  fputc('\n', stdout);
}

/* "Manifests": each platform of an index (docker's containerd store lists
 * them the same way), NULL for an image of one platform */
static json_t *platforms_json(struct mdk_be_store *s, const char *index)
{
  struct mdk_be_image *ims;
  size_t n, i;
  json_t *arr;
  if(mdk_be_index_images(s, index, &ims, &n, NULL) || !n)
    return NULL;
  arr = json_array();
  for(i = 0; i < n; i++) {
    struct mdk_platform p;
    char pb[100] = "";
    if(mdk_be_image_platform(&ims[i], &p))
      mdk_platform_str(&p, pb, sizeof(pb));
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "Platform", pb,
                                         "Digest", ims[i].manifest, "Id",
                                         ims[i].config_digest));
  }
  mdk_be_index_images_free(ims, n);
  return arr;
}

/* docker image inspect: a JSON array of every image, or --format's
 * template run once per image */
static int inspect(struct mdk_be_store *s, struct mdk_arena *a,
                   const char *const *images, size_t n, const char *fmt,
                   const struct mdk_platform *plat)
{
  json_t *out = json_array();
  bool tmpl = fmt && strstr(fmt, "{{");
  int rc = 0;
  size_t i;
  for(i = 0; i < n; i++) {
    struct mdk_be_image im;
    struct mdk_err e;
    mdk_digest top;
    json_t *j, *plats = NULL;
    if(mdk_be_image_resolve_for(s, a, images[i], plat, &im, &e)) {
      rc = mdk_cli_fail(&e);
      continue;
    }
    if(mdk_be_name_digest(s, a, images[i], top))
      plats = platforms_json(s, top);
    if(tmpl || !fmt) {
      j = mdk_cli_image_json(s, a, &im);
      if(plats) {
        json_object_set_new(j, "Manifests", plats);
        json_object_set_new(j, "Descriptor", json_pack(
          "{s:s,s:s}", "mediaType", MDK_MT_OCI_INDEX, "digest", top));
        plats = NULL;
      }
      if(tmpl) {
        mdk_tmpl_run(fmt, j, stdout);
        fputc('\n', stdout);
        json_decref(j);
      }
      else
        json_array_append_new(out, j);
    }
    else if(strcmp(fmt, "index") == 0)
      print_blob(s, a, plats ? top : im.manifest);
    else
      print_doc(s, a, &im, fmt);
    json_decref(plats);
    mdk_be_image_free(&im);
  }
  if(!fmt) {
    char *text = mdk_tmpl_go_json(out, 4);
    puts(text ? text : "[]");
    free(text);
  }
  json_decref(out);
  return rc;
}

struct inspect_opts {
  struct mdk_arena *a;
  struct mdk_vec images, secrets, build_args;   /* const char * */
  const char *format, *platform;
  bool scan;
};

static int on_arg(void *p, int id, const char *v)
{
  struct inspect_opts *o = p;
  switch(id) {
  case O_FORMAT: o->format = v; break;
  case O_PLATFORM: o->platform = v; break;
  case O_SECRETS: o->scan = mdk_cli_on(v); break;
  case O_SECRET: mdk_vec_push(o->a, &o->secrets, &v); break;
  case O_SECRET_BUILD_ARG: mdk_vec_push(o->a, &o->build_args, &v); break;
  case O_TYPE: case O_SIZE: break;   /* images are all there is */
  default: mdk_vec_push(o->a, &o->images, &v);
  }
  return 0;
}

static int read_args(const struct mdk_cli_cmd *cmd, int argc, char **argv,
                     struct inspect_opts *o)
{
  int rc = mdk_cli_each(cmd, argc, argv, on_arg, o);
  if(rc)
    return rc;
  if(!o->images.len)
    return mdk_cli_usage_error(cmd, "no image given");
  /* docker's --format json is its default output, the JSON array */
  if(!o->scan && o->format && strcmp(o->format, "json") == 0)
    o->format = NULL;
  if(!o->scan && (o->secrets.len || o->build_args.len))
    return mdk_cli_usage_error(cmd, "--secret and --secret-build-arg go "
                               "with --secrets");
  if(o->format && !strstr(o->format, "{{") &&
     (o->scan != (strcmp(o->format, "json") == 0 ||
                  strcmp(o->format, "text") == 0)))
    return mdk_cli_usage_error(cmd, "--format %s: %s", o->format,
                               o->scan ? "--secrets writes text or json"
                                       : "a Go template, json, or config, "
                                         "history or manifest (text goes "
                                         "with --secrets)");
  if(o->format && strstr(o->format, "{{")) {
    struct mdk_err e;
    if(o->scan)
      return mdk_cli_usage_error(cmd, "--secrets writes text or json, not "
                                 "a template");
    if(mdk_tmpl_check(o->format, NULL, &e) != MDK_OK) {
      mdk_err_print(&e, stderr, mdk_cli_color());
      return 2;
    }
  }
  return 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_arena a;
  struct inspect_opts o = {&a, MDK_VEC_INIT(const char *),
                           MDK_VEC_INIT(const char *),
                           MDK_VEC_INIT(const char *), NULL, NULL, false};
  struct mdk_platform plat;
  struct mdk_be_store s;
  int rc;
  mdk_arena_init(&a);
  rc = read_args(cmd, argc, argv, &o);
  if(!rc && o.platform)
    rc = mdk_cli_platform_arg(cmd, o.platform, &plat);
  if(rc || !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED)) {
    mdk_arena_fini(&a);
    return rc < 0 ? 0 : rc ? rc : 1;
  }
  if(o.scan) {
    struct mdk_cli_secrets_query q = {
      o.images.items, o.images.len, o.secrets.items, o.secrets.len,
      o.build_args.items, o.build_args.len,
      o.format && strcmp(o.format, "json") == 0};
    rc = mdk_cli_inspect_secrets(&s, &a, &q);
  }
  else {
    rc = inspect(&s, &a, o.images.items, o.images.len, o.format,
                 o.platform ? &plat : NULL);
  }
  mdk_be_store_close(&s);
  mdk_arena_fini(&a);
  return rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_inspect = {
  "inspect", "[options] IMAGE...",
  "show images as docker image inspect does",
  "Prints each image as `docker image inspect` does (Id, RepoTags,\n"
  "Created, Config, Architecture, Os, RootFS, ...), a --format template\n"
  "over that, or one of its documents as stored; --secrets scans it for what it gives away (values of\n"
  "secrets and secret build arguments, secret-looking ENV, private keys,\n"
  "tokens, credential files), deleted files included.",
  opts,
  "  mdock inspect app\n"
  "  mdock inspect --format '{{.Id}} {{json .Config.Env}}' app\n"
  "  mdock inspect --format config app\n"
  "  mdock inspect --secrets --secret id=npm,src=$HOME/.npmrc app\n",
  "exit status: 0 ok (--secrets: nothing found), 1 an error (--secrets:\n"
  "something found), 2 usage error\n",
  run, false, false
};
