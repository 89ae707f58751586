/* inspect_secrets.c - see inspect_secrets.h. */
#include "cli/inspect_secrets.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint.h"
#include "store/store.h"
#include "backend/backend.h"
#include "cli/commands.h"

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
  if(mdk_be_secret_read(&sec, &b, &e))
    return mdk_cli_fail(&e);
  n = b.len;
  while(n && (b.ptr[n - 1] == '\n' || b.ptr[n - 1] == '\r'))
    n--;
  v->what = mdk_arena_printf(a, "secret %s", sec.id);
  v->value = mdk_str_make(n ? mdk_arena_strndup(a, b.ptr, n) : "", n);
  mdk_buf_free(&b);
  return 0;
}

/* --secret-build-arg K[=V]: V from the environment when omitted */
static void build_arg_value(struct mdk_arena *a, const char *v,
                            struct mdk_be_secret_value *sv)
{
  const char *eq = strchr(v, '=');
  const char *val = eq ? eq + 1 : getenv(v);
  sv->what = mdk_arena_printf(a, "build argument %.*s",
                              eq ? (int)(eq - v) : (int)strlen(v), v);
  sv->value = mdk_str_c(val ? val : "");
}

int mdk_cli_inspect_secrets(struct mdk_be_store *s, struct mdk_arena *a,
                            const struct mdk_cli_secrets_query *q)
{
  struct mdk_vec vals = MDK_VEC_INIT(struct mdk_be_secret_value);
  bool json = q->json;
  int rc = 0;
  size_t k, total = 0;
  for(k = 0; k < q->nsecrets; k++) {
    struct mdk_be_secret_value sv;
    int bad = secret_value(a, q->secrets[k], &sv);
    if(bad)
      return bad;
    mdk_vec_push(a, &vals, &sv);
  }
  for(k = 0; k < q->nbuild_args; k++) {
    struct mdk_be_secret_value sv;
    build_arg_value(a, q->build_args[k], &sv);
    mdk_vec_push(a, &vals, &sv);
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
    for(k = 0; k < q->nimages; k++) {
      struct mdk_be_image im;
      struct mdk_err e;
      size_t n = 0;
      o.image = q->images[k];
      if(mdk_be_image_resolve(s, a, o.image, &im, &e)) {
        rc = mdk_cli_fail(&e);
        continue;
      }
      if(mdk_be_scan_secrets(s, &im, vals.items, vals.len,
                             mdk_lint_secret_name, print_finding, &o,
                             &n, &e)) {
        rc = mdk_cli_fail(&e);
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
    printf("no secrets found in %zu image%s\n", q->nimages,
           q->nimages == 1 ? "" : "s");
  return rc ? rc : total ? 1 : 0;
}
