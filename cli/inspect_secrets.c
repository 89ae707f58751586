/* inspect_secrets.c - see inspect_secrets.h. */
#include "cli/inspect_secrets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "backend/backend.h"

#define USAGE                                                              \
  "mdock inspect --secrets [--format text|json] [--secret id=ID,src=FILE|" \
  "env=VAR]... [--secret-build-arg K[=V]]... IMAGE..."

struct out {
  const char *image;
  json_t *json;                 /* the findings, for --format json */
};

static void print_finding(void *ctx, const struct mdk_be_finding *f)
{
  struct out *o = ctx;
  json_t *j;
  if(!o->json) {
    printf("%s: %s%s%s: %s\n", o->image, f->where, f->path ? " " : "",
           f->path ? f->path : "", f->msg);
    return;
  }
  j = json_pack("{s:s,s:s,s:s,s:s}", "image", o->image, "where", f->where,
                "kind", f->kind, "message", f->msg);
  if(f->path)
    json_object_set_new(j, "path", json_string(f->path));
  json_array_append_new(o->json, j);
}

/* A secret's value, as the build reads it, without the final newline an
 * editor adds to a file (the build would have copied it with or without). */
static int secret_value(struct mdk_arena *a, const char *spec,
                        struct mdk_be_secret_value *v)
{
  struct mdk_be_secret sec;
  struct mdk_err e;
  struct mdk_buf b;
  const char *why;
  size_t n;
  if(!mdk_be_secret_parse(a, spec, &sec, &why)) {
    fprintf(stderr, "mdock: error: %s\n", why);
    return 2;
  }
  if(mdk_be_secret_read(&sec, &b, &e)) {
    fprintf(stderr, "mdock: error: %s\n", e.msg);
    return 1;
  }
  n = b.len;
  while(n && (b.ptr[n - 1] == '\n' || b.ptr[n - 1] == '\r'))
    n--;
  v->what = mdk_arena_printf(a, "secret %s", sec.id);
  v->value = mdk_str_make(n ? mdk_arena_strndup(a, b.ptr, n) : "", n);
  mdk_buf_free(&b);
  return 0;
}

int mdk_cli_inspect_secrets(struct mdk_be_store *s, struct mdk_arena *a,
                            int argc, char **argv)
{
  struct mdk_vec vals = MDK_VEC_INIT(struct mdk_be_secret_value);
  struct mdk_vec images = MDK_VEC_INIT(const char *);
  bool json = false;
  int i, rc = 0;
  size_t k, total = 0;
  for(i = 0; i < argc; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if(strcmp(argv[i], "--secrets") == 0)
      continue;
    if(strcmp(argv[i], "--format") == 0 && v) {
      if(strcmp(v, "json") && strcmp(v, "text")) {
        fprintf(stderr, "usage: %s\n", USAGE);
        return 2;
      }
      json = strcmp(v, "json") == 0;
      i++;
    }
    else if(strcmp(argv[i], "--secret") == 0 && v) {
      struct mdk_be_secret_value sv;
      int bad = secret_value(a, v, &sv);
      if(bad)
        return bad;
      mdk_vec_push(a, &vals, &sv);
      i++;
    }
    else if(strcmp(argv[i], "--secret-build-arg") == 0 && v) {
      const char *eq = strchr(v, '=');
      struct mdk_be_secret_value sv;
      const char *val = eq ? eq + 1 : getenv(v);
      sv.what = mdk_arena_printf(a, "build argument %.*s",
                                 eq ? (int)(eq - v) : (int)strlen(v), v);
      sv.value = mdk_str_c(val ? val : "");
      mdk_vec_push(a, &vals, &sv);
      i++;
    }
    else if(argv[i][0] == '-') {
      fprintf(stderr, "usage: %s\n", USAGE);
      return 2;
    }
    else {
      mdk_vec_push(a, &images, &argv[i]);
    }
  }
  if(!images.len) {
    fprintf(stderr, "usage: %s\n", USAGE);
    return 2;
  }
  for(k = 0; k < vals.len; k++) {
    const struct mdk_be_secret_value *sv =
      mdk_vec_at(&vals, struct mdk_be_secret_value, k);
    if(sv->value.len < MDK_BE_SECRET_MIN)
      fprintf(stderr, "mdock: warning: the value of %s is shorter than %d "
              "bytes, too short to search for\n", sv->what,
              MDK_BE_SECRET_MIN);
  }
  {
    struct out o = {NULL, json ? json_array() : NULL};
    for(k = 0; k < images.len; k++) {
      struct mdk_be_image im;
      struct mdk_err e;
      size_t n = 0;
      o.image = *mdk_vec_at(&images, const char *, k);
      if(mdk_be_image_resolve(s, a, o.image, &im, &e)) {
        fprintf(stderr, "mdock: error: %s\n", e.msg);
        rc = 1;
        continue;
      }
      if(mdk_be_scan_secrets(s, &im, vals.items, vals.len, print_finding, &o,
                             &n, &e)) {
        fprintf(stderr, "mdock: error: %s\n", e.msg);
        rc = 1;
      }
      total += n;
      mdk_be_image_free(&im);
    }
    if(o.json) {
      json_dumpf(o.json, stdout, JSON_INDENT(2));
      putchar('\n');
      json_decref(o.json);
    }
  }
  if(!json && !total && !rc)
    printf("no secrets found in %zu image%s\n", images.len,
           images.len == 1 ? "" : "s");
  return rc ? rc : total ? 1 : 0;
}
