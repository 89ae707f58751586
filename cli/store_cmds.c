/* store_cmds.c - see store_cmds.h. */
#include "cli/store_cmds.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "registry/registry.h"
#include "store/store.h"
#include "base/base.h"
#include "backend/backend.h"
#include "cli/inspect_secrets.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const struct mdk_err *e)
{
  fprintf(stderr, "mdock: error: %s\n", e->msg);
  return 1;
}

static int usage(const char *text)
{
  fprintf(stderr, "usage: %s\n", text);
  return 2;
}

static bool want_help(int argc, char **argv)
{
  int i;
  for(i = 0; i < argc; i++)
    if(strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
      return true;
  return false;
}

static uint64_t image_size(const struct mdk_be_image *im)
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

static int cmd_images(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                      char **argv)
{
  size_t n, i;
  const char **tags = mdk_be_tag_list(s, a, &n);
  bool quiet = argc > 0 && strcmp(argv[0], "-q") == 0;
  if(!quiet)
    printf("%-40s %-14s %-22s %s\n", "NAME", "IMAGE ID", "CREATED", "SIZE");
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    struct mdk_be_image im;
    const char *created;
    if(!mdk_be_tag_get(s, tags[i], d) ||
       mdk_be_image_load(s, d, &im, NULL)) {
      printf("%-40s %-14s (broken: run `mdock fsck`)\n", tags[i], "?");
      continue;
    }
    created = json_string_value(json_object_get(im.config, "created"));
    if(quiet)
      printf("%s\n", tags[i]);
    else
      printf("%-40s %-14.12s %-22s %.1f MB\n", tags[i], im.config_digest + 7,
             created ? created : "-", (double)image_size(&im) / 1e6);
    mdk_be_image_free(&im);
  }
  return 0;
}

static int cmd_inspect(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                       char **argv)
{
  json_t *out;
  int i, rc = 0;
  const char *fmt = NULL;
  for(i = 0; i < argc; i++)
    if(strcmp(argv[i], "--secrets") == 0)
      return mdk_cli_inspect_secrets(s, a, argc, argv);
  out = json_array();
  if(argc >= 2 && strcmp(argv[0], "--format") == 0) {
    fmt = argv[1];
    argc -= 2;
    argv += 2;
    if(strcmp(fmt, "config") && strcmp(fmt, "manifest") &&
       strcmp(fmt, "history"))
      return usage("mdock inspect [--format config|history|manifest] "
                   "IMAGE...  |  mdock inspect --secrets IMAGE...");
  }
  if(argc < 1)
    return usage("mdock inspect [--format config|history|manifest] "
                 "IMAGE...");
  for(i = 0; i < argc; i++) {
    struct mdk_be_image im;
    struct mdk_err e;
    if(mdk_be_image_resolve(s, a, argv[i], &im, &e)) {
      rc = fail(&e);
      continue;
    }
    if(fmt) {
      /* one document, as stored: the image's runtime config, its history
       * or its manifest */
      json_t *j = strcmp(fmt, "config") == 0
                    ? json_object_get(im.config, "config")
                    : strcmp(fmt, "history") == 0
                        ? json_object_get(im.config, "history") : NULL;
      char *data;
      size_t len;
      if(!j && mdk_be_blob_read(s, a, im.manifest, MDK_BE_DOC_MAX, &data,
                                &len, &e) == MDK_OK) {
        json_error_t je;
        json_t *m = json_loadb(data, len, 0, &je);
        json_dumpf(m, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
        json_decref(m);
      }
      else if(j) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
      }
      else {
        fputs("{}", stdout);
      }
      fputc('\n', stdout);
      mdk_be_image_free(&im);
      continue;
    }
    json_array_append_new(out, json_pack(
      "{s:s,s:s,s:s,s:O,s:O,s:I}", "Name", argv[i], "Id", im.config_digest,
      "Digest", im.manifest, "Config", im.config, "Layers", im.layers,
      "Size", (json_int_t)image_size(&im)));
    mdk_be_image_free(&im);
  }
  if(!fmt) {
    json_dumpf(out, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
    fputc('\n', stdout);
  }
  json_decref(out);
  return rc;
}

static int cmd_tag(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                   char **argv)
{
  struct mdk_be_image im;
  struct mdk_err e;
  int rc;
  if(argc != 2)
    return usage("mdock tag IMAGE NAME[:TAG]");
  if(mdk_be_image_resolve(s, a, argv[0], &im, &e))
    return fail(&e);
  rc = mdk_be_tag_set(s, mdk_be_ref_normalize(a, argv[1]), im.manifest, &e)
         ? fail(&e) : 0;
  mdk_be_image_free(&im);
  return rc;
}

static int cmd_rmi(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                   char **argv)
{
  int i, rc = 0;
  if(argc < 1)
    return usage("mdock rmi NAME[:TAG]...  (then `mdock prune` frees the "
                 "space)");
  for(i = 0; i < argc; i++) {
    struct mdk_err e;
    const char *t = mdk_be_ref_normalize(a, argv[i]);
    if(mdk_be_tag_rm(s, t, &e))
      rc = fail(&e);
    else
      printf("untagged %s\n", t);
  }
  return rc;
}

static int cmd_import(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                      char **argv)
{
  struct mdk_err e;
  mdk_digest d;
  const char *name = NULL;
  if(argc < 1 || argc > 2)
    return usage("mdock import oci:DIR[:tag] | oci-archive:FILE[:tag] | "
                 "docker-archive:FILE [NAME[:TAG]]");
  if(mdk_be_import(s, a, argv[0], argc > 1 ? argv[1] : NULL, &name, d, &e))
    return fail(&e);
  printf("%s%s%s\n", d, name ? " " : "", name ? name : "");
  return 0;
}

static int cmd_export(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                      char **argv)
{
  struct mdk_be_output out;
  struct mdk_be_image im;
  struct mdk_err e;
  const char *why = NULL, *spec = NULL, *image = NULL;
  int i, rc;
  for(i = 0; i < argc; i++) {
    if((strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "-o") == 0) &&
       i + 1 < argc)
      spec = argv[++i];
    else if(strncmp(argv[i], "--output=", 9) == 0)
      spec = argv[i] + 9;
    else
      image = argv[i];
  }
  if(!image || !spec)
    return usage("mdock export IMAGE --output type=oci|oci-archive|"
                 "docker-archive|local,dest=PATH");
  if(!mdk_be_output_parse(a, spec, &out, &why)) {
    fprintf(stderr, "mdock: error: %s\n", why);
    return 2;
  }
  if(mdk_be_image_resolve(s, a, image, &im, &e))
    return fail(&e);
  rc = mdk_be_export(s, &im, &out, mdk_be_ref_normalize(a, image), &e)
         ? fail(&e) : 0;
  mdk_be_image_free(&im);
  return rc;
}

static int cmd_fsck(struct mdk_be_store *s)
{
  struct mdk_be_fsck_report r;
  enum mdk_status st = mdk_be_fsck(s, stdout, &r);
  printf("fsck: %zu blobs, %zu tags, %zu cache entries: %s (%zu corrupt, "
         "%zu broken tags, %zu stale cache entries, %zu orphans, %zu "
         "leftovers of interrupted writes)\n", r.blobs, r.tags, r.cache,
         st ? "PROBLEMS" : "clean", r.corrupt, r.broken_tags, r.stale_cache,
         r.orphans, r.leftovers);
  return st ? 1 : 0;
}

static int cmd_prune(struct mdk_be_store *s, int argc, char **argv)
{
  struct mdk_be_prune_report r;
  struct mdk_err e;
  bool all = argc > 0 && (strcmp(argv[0], "--all") == 0 ||
                          strcmp(argv[0], "-a") == 0);
  if(mdk_be_prune(s, all, &r, &e))
    return fail(&e);
  printf("prune: removed %zu blobs (%.1f MB), %zu snapshots, %zu temporary "
         "files%s\n", r.blobs, (double)r.bytes / 1e6, r.snapshots, r.tmp,
         all ? ", and the cache index" : "");
  return 0;
}

/* mdock layer DIR: a directory tree as a layer blob (overlay whiteouts
 * converted), printed as its descriptor: for benchmarks and debugging. */
static int cmd_layer(struct mdk_be_store *s, int argc, char **argv)
{
  struct mdk_be_layer_opts o;
  struct mdk_be_layer_desc d;
  struct mdk_err e;
  const char *dir = NULL, *ep = getenv("SOURCE_DATE_EPOCH");
  int i;
  memset(&o, 0, sizeof(o));
  o.epoch = ep && *ep ? strtoll(ep, NULL, 10) : -1;
  for(i = 0; i < argc; i++) {
    if(strcmp(argv[i], "--compression") == 0 && i + 1 < argc) {
      if(!mdk_be_compression_parse(argv[++i], &o.comp))
        return usage("mdock layer [--compression gzip[:N]|zstd[:N]|"
                     "uncompressed] DIR");
    }
    else {
      dir = argv[i];
    }
  }
  if(!dir)
    return usage("mdock layer [--compression gzip[:N]|zstd[:N]|"
                 "uncompressed] DIR");
  if(mdk_be_layer_from_dir(s, dir, &o, &d, &e))
    return fail(&e);
  printf("{\"mediaType\": \"%s\", \"digest\": \"%s\", \"size\": %llu, "
         "\"diff_id\": \"%s\"}\n", d.media_type, d.digest,
         (unsigned long long)d.size, d.diff_id);
  return 0;
}

/* mdock run [--rm] IMAGE [CMD...] and mdock run --check-entrypoint IMAGE */
static int cmd_run(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                   char **argv)
{
  struct mdk_be_image im;
  struct mdk_err e;
  const char *image = NULL;
  bool check = false;
  int i, code = 0, rc;
  char *work;
  for(i = 0; i < argc && argv[i][0] == '-'; i++) {
    if(strcmp(argv[i], "--rm") == 0)
      continue;             /* there are no containers to keep */
    if(strcmp(argv[i], "--check-entrypoint") == 0) {
      check = true;
      continue;
    }
    return usage("mdock run [--rm] IMAGE [CMD...] | mdock run "
                 "--check-entrypoint IMAGE");
  }
  if(i >= argc)
    return usage("mdock run [--rm] IMAGE [CMD...]");
  image = argv[i++];
  if(mdk_be_image_resolve(s, a, image, &im, &e))
    return fail(&e);
  work = mdk_arena_printf(a, "%s/tmp/run-%ld", s->root, (long)getpid());
  mdk_rmtree(work);
  if(mkdir(work, 0700)) {
    mdk_be_image_free(&im);
    fprintf(stderr, "mdock: error: cannot create %s\n", work);
    return 1;
  }
  if(check) {
    /* Modal appends its own command to the ENTRYPOINT: a script that does
     * not exec "$@" never runs it.  The sentinel proves it either way. */
    char token[64], *outp = mdk_arena_printf(a, "%s/out", work);
    const char *sent[3];
    FILE *f;
    char buf[8192] = {0};
    int fd;
    snprintf(token, sizeof(token), "mdock-sentinel-%ld", (long)getpid());
    sent[0] = "/bin/sh";
    sent[1] = "-c";
    /* the output joins what the command line keeps apart, so an
     * entrypoint that merely echoes its arguments does not pass */
    sent[2] = mdk_arena_printf(a, "printf '%%s%%s\\n' %.8s %s", token,
                               token + 8);
    fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    rc = mdk_be_run_image(s, a, &im, sent, 3, work, fd, -1, -1, &code, &e);
    close(fd);
    if(rc) {
      mdk_rmtree(work);
      mdk_be_image_free(&im);
      return fail(&e);
    }
    f = fopen(outp, "r");
    if(f) {
      size_t n = fread(buf, 1, sizeof(buf) - 1, f);
      buf[n] = '\0';
      fclose(f);
    }
    if(strstr(buf, token)) {
      printf("ok: the entrypoint runs the command it is given (exit %d)\n",
             code);
      rc = 0;
    }
    else {
      printf("FAIL: the entrypoint never ran the command it was given (exit "
             "%d): Modal's command would be ignored; end the script with "
             "exec \"$@\"\n", code);
      rc = 1;
    }
    mdk_rmtree(work);
    mdk_be_image_free(&im);
    return rc;
  }
  rc = mdk_be_run_image(s, a, &im, (const char *const *)argv + i,
                        (size_t)(argc - i), work, 1, 2, 0, &code, &e);
  mdk_rmtree(work);
  mdk_be_image_free(&im);
  if(rc) {
    fail(&e);
    return 125;             /* docker run's "the run itself failed" */
  }
  return code;
}

/* mdock pull [--insecure-registry HOST] REF */
static int cmd_pull(struct mdk_be_store *s, int argc, char **argv)
{
  struct mdk_be_pull_opts po = {.progress = stderr};
  struct mdk_err e;
  mdk_digest d;
  int i;
  const char *ref = NULL;
  for(i = 0; i < argc; i++) {
    if(strcmp(argv[i], "--insecure-registry") == 0 && i + 1 < argc)
      po.insecure_host = argv[++i];
    else if(strcmp(argv[i], "--platform") == 0 && i + 1 < argc)
      po.platform = argv[++i];
    else if(strcmp(argv[i], "-q") == 0)
      po.progress = NULL;
    else
      ref = argv[i];
  }
  if(!ref)
    return usage("mdock pull [-q] [--insecure-registry HOST] "
                 "[--platform OS/ARCH[/VARIANT]] REF");
  if(mdk_be_pull(s, ref, &po, d, &e))
    return fail(&e);
  printf("%s\n", d);
  return 0;
}

/* mdock push [--insecure-registry HOST] IMAGE [REF] */
static int cmd_push(struct mdk_be_store *s, struct mdk_arena *a, int argc,
                    char **argv)
{
  struct mdk_be_pull_opts po = {.progress = stderr};
  struct mdk_be_push_report rep;
  struct mdk_be_image im;
  struct mdk_err e;
  const char *image = NULL, *dest = NULL;
  int i, rc;
  for(i = 0; i < argc; i++) {
    if(strcmp(argv[i], "--insecure-registry") == 0 && i + 1 < argc)
      po.insecure_host = argv[++i];
    else if(strcmp(argv[i], "-q") == 0)
      po.progress = NULL;
    else if(!image)
      image = argv[i];
    else
      dest = argv[i];
  }
  if(!image)
    return usage("mdock push [-q] [--insecure-registry HOST] IMAGE [REF]");
  if(mdk_be_image_resolve(s, a, image, &im, &e))
    return fail(&e);
  rc = mdk_be_push(s, &im, dest ? dest : image, &po, &rep, &e) ? fail(&e)
                                                              : 0;
  if(!rc && po.progress)
    fprintf(stderr, "pushed %s: %zu blobs sent, %zu already there\n",
            dest ? dest : image, rep.pushed, rep.skipped);
  if(!rc)
    printf("%s\n", im.manifest);
  mdk_be_image_free(&im);
  return rc;
}

/* mdock login [-u USER] [--password-stdin] HOST / mdock logout HOST:
 * where Docker keeps credentials (registry/creds.h) */
static int cmd_login(struct mdk_arena *a, int argc, char **argv, bool out)
{
  const char *user = NULL, *host = NULL;
  char pass[1024] = "";
  struct mdk_err e;
  enum mdk_status st;
  bool had = false;
  int i;
  (void)a;
  for(i = 0; i < argc; i++) {
    if((strcmp(argv[i], "-u") == 0 || strcmp(argv[i], "--username") == 0) &&
       i + 1 < argc)
      user = argv[++i];
    else if(strcmp(argv[i], "--password-stdin") == 0)
      continue;
    else
      host = argv[i];
  }
  if(!host || (!out && !user))
    return usage(out ? "mdock logout HOST"
                     : "mdock login -u USER [--password-stdin] HOST "
                       "(the password is read from stdin)");
  memset(&e, 0, sizeof(e));
  if(out) {
    st = mdk_be_creds_erase(host, &had, &e);
    if(!st && !had) {
      fprintf(stderr, "mdock: not logged in to %s\n", host);
      return 1;
    }
  } else {
    size_t n;
    if(!fgets(pass, sizeof(pass), stdin)) {
      fprintf(stderr, "mdock: error: no password on stdin\n");
      return 2;
    }
    n = strlen(pass);
    while(n && (pass[n - 1] == '\n' || pass[n - 1] == '\r'))
      pass[--n] = '\0';
    st = mdk_be_creds_store(host, user, pass, &e);
    memset(pass, 0, sizeof(pass));
  }
  if(st) {
    fprintf(stderr, "mdock: error: %s\n", e.msg);
    return 1;
  }
  printf("%s %s\n", out ? "logged out of" : "credentials saved for", host);
  return 0;
}

int mdk_cli_store_cmd(const char *cmd, int argc, char **argv)
{
  static const char *const names[] = {"images", "inspect", "tag", "rmi",
                                      "import", "export", "prune", "fsck",
                                      "layer", "run", "pull", "push",
                                      "login", "logout", NULL};
  struct mdk_be_store s;
  struct mdk_err e;
  struct mdk_arena a;
  int i, rc;
  for(i = 0; names[i]; i++)
    if(strcmp(cmd, names[i]) == 0)
      break;
  if(!names[i])
    return -1;
  if(want_help(argc, argv)) {
    printf("usage: mdock %s ... (the store is $MDOCK_ROOT, default "
           "/var/lib/mdock for root)\n", cmd);
    return 0;
  }
  if(strcmp(cmd, "login") == 0 || strcmp(cmd, "logout") == 0) {
    mdk_arena_init(&a);
    rc = cmd_login(&a, argc, argv, strcmp(cmd, "logout") == 0);
    mdk_arena_fini(&a);
    return rc;
  }
  /* prune alone removes things: it waits for builds to finish */
  if(mdk_be_store_open(&s, NULL, strcmp(cmd, "prune") == 0
                                   ? MDK_BE_LOCK_EXCLUSIVE
                                   : MDK_BE_LOCK_SHARED, &e))
    return fail(&e);
  mdk_arena_init(&a);
  if(strcmp(cmd, "images") == 0)
    rc = cmd_images(&s, &a, argc, argv);
  else if(strcmp(cmd, "inspect") == 0)
    rc = cmd_inspect(&s, &a, argc, argv);
  else if(strcmp(cmd, "tag") == 0)
    rc = cmd_tag(&s, &a, argc, argv);
  else if(strcmp(cmd, "rmi") == 0)
    rc = cmd_rmi(&s, &a, argc, argv);
  else if(strcmp(cmd, "import") == 0)
    rc = cmd_import(&s, &a, argc, argv);
  else if(strcmp(cmd, "export") == 0)
    rc = cmd_export(&s, &a, argc, argv);
  else if(strcmp(cmd, "prune") == 0)
    rc = cmd_prune(&s, argc, argv);
  else if(strcmp(cmd, "layer") == 0)
    rc = cmd_layer(&s, argc, argv);
  else if(strcmp(cmd, "run") == 0)
    rc = cmd_run(&s, &a, argc, argv);
  else if(strcmp(cmd, "pull") == 0)
    rc = cmd_pull(&s, argc, argv);
  else if(strcmp(cmd, "push") == 0)
    rc = cmd_push(&s, &a, argc, argv);
  else
    rc = cmd_fsck(&s);
  mdk_arena_fini(&a);
  mdk_be_store_close(&s);
  return rc;
}
