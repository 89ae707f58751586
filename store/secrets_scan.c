/* secrets.c - see secrets.h.  Layer bytes are searched block by block,
 * with the last OVERLAP bytes of a block carried into the next, so that a
 * value or token split across two blocks is still found. */
#include "store/secrets_scan.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/archive_dl.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/layer.h"

enum { OVERLAP = 256, MAX_PATH_SEEN = 4096 };

struct scan {
  struct mdk_arena a;
  const struct mdk_be_secret_value *vals;
  size_t nvals;
  mdk_be_secret_name_fn secret_name;
  mdk_be_finding_fn fn;
  void *ctx;
  size_t count;
  const char *where;            /* "history N", "config Env", "layer N" */
  unsigned char *buf;           /* a data block and the tail before it */
  /* findings of the layers so far, to say when a later one deletes them */
  struct mdk_vec found;         /* struct found */
};

struct found {
  struct mdk_be_finding f;
  size_t layer;
  bool deleted;
};

/* a finding at sc->where */
static void report(struct scan *sc, const char *path, const char *kind,
                   const char *msg)
{
  struct found fd = {{sc->where, path, kind, msg}, 0, false};
  mdk_vec_push(&sc->a, &sc->found, &fd);
}

/* --- token formats --- */

static bool is_alnum(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

static bool is_upper_digit(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* n characters after p (bounded by end) that all pass ok, and the next
 * one does not continue the run */
static bool run_of(const unsigned char *p, const unsigned char *end,
                   size_t n, bool (*ok)(unsigned char), bool extra_dash)
{
  size_t i;
  if((size_t)(end - p) < n)
    return false;
  for(i = 0; i < n; i++)
    if(!ok(p[i]) && !(extra_dash && (p[i] == '-' || p[i] == '_')))
      return false;
  return (size_t)(end - p) == n || !(ok(p[n]) ||
                                     (extra_dash && (p[n] == '-' ||
                                                     p[n] == '_')));
}

struct pattern {
  const char *anchor;
  const char *kind, *what;
  /* the bytes after the anchor that make it a token */
  bool (*tail)(const unsigned char *p, const unsigned char *end);
};

static bool aws_tail(const unsigned char *p, const unsigned char *end)
{
  /* AWS's documentation key, AKIAIOSFODNN7EXAMPLE, is in every SDK */
  return run_of(p, end, 16, is_upper_digit, false) &&
         memcmp(p + 9, "EXAMPLE", 7) != 0;
}

static bool gh_tail(const unsigned char *p, const unsigned char *end)
{
  /* ghp_ gho_ ghu_ ghs_ ghr_ then 36 alphanumerics */
  return end - p > 2 && strchr("pousr", p[0]) && p[1] == '_' &&
         run_of(p + 2, end, 36, is_alnum, false);
}

static bool glpat_tail(const unsigned char *p, const unsigned char *end)
{
  return run_of(p, end, 20, is_alnum, true);
}

static bool slack_tail(const unsigned char *p, const unsigned char *end)
{
  size_t i;
  if(end - p < 12 || !strchr("abprs", p[0]) || p[1] != '-')
    return false;
  for(i = 2; i < 12; i++)
    if(!is_alnum(p[i]) && p[i] != '-')
      return false;
  return true;
}

static bool google_tail(const unsigned char *p, const unsigned char *end)
{
  return run_of(p, end, 35, is_alnum, true);
}

static bool npm_tail(const unsigned char *p, const unsigned char *end)
{
  return run_of(p, end, 36, is_alnum, false);
}

static bool pem_tail(const unsigned char *p, const unsigned char *end)
{
  /* "-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED ]PRIVATE KEY-----" */
  static const char *const pre[] = {"", "RSA ", "EC ", "DSA ", "OPENSSH ",
                                    "ENCRYPTED "};
  size_t i;
  for(i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
    size_t l = strlen(pre[i]);
    if((size_t)(end - p) >= l + 16 && memcmp(p, pre[i], l) == 0 &&
       memcmp(p + l, "PRIVATE KEY-----", 16) == 0)
      return true;
  }
  return false;
}

static bool value_tail(const unsigned char *p, const unsigned char *end)
{
  /* `_authToken=` or `password:` with something after it */
  while(p < end && (*p == ' ' || *p == '\t' || *p == '"'))
    p++;
  return p < end && *p != '\n' && *p != '\r' && *p != '$' && *p != '"';
}

static const struct pattern patterns[] = {
  {"-----BEGIN ", "private-key", "a private key", pem_tail},
  {"AKIA", "aws-access-key", "an AWS access key id", aws_tail},
  {"ASIA", "aws-access-key", "an AWS temporary access key id", aws_tail},
  {"gh", "github-token", "a GitHub token", gh_tail},
  {"glpat-", "gitlab-token", "a GitLab personal access token", glpat_tail},
  {"xox", "slack-token", "a Slack token", slack_tail},
  {"AIza", "google-api-key", "a Google API key", google_tail},
  {"npm_", "npm-token", "an npm access token", npm_tail},
  {"_authToken=", "npm-token", "an npm registry token (.npmrc)",
   value_tail},
};
enum { NPATTERNS = sizeof(patterns) / sizeof(patterns[0]) };

/* --- one layer entry's bytes --- */

struct entry_scan {
  struct scan *sc;
  const char *path;
  bool hit_val[64];             /* each value reported once per file */
  bool hit_pat[NPATTERNS];
};

static void search(struct entry_scan *es, const unsigned char *p, size_t n,
                   size_t fresh_from)
{
  const unsigned char *end = p + n;
  size_t k;
  struct scan *sc = es->sc;
  for(k = 0; k < sc->nvals && k < 64; k++) {
    struct mdk_str v = sc->vals[k].value;
    const unsigned char *h;
    if(es->hit_val[k] || v.len < MDK_BE_SECRET_MIN)
      continue;
    if(v.len > OVERLAP)
      v.len = OVERLAP;          /* a long secret (a key file): its start */
    h = memmem(p, n, v.ptr, v.len);
    /* a hit wholly in the carried-over bytes was reported before */
    if(h && (size_t)(h - p) + v.len > fresh_from) {
      es->hit_val[k] = true;
      report(sc, es->path, "value",
             mdk_arena_printf(&sc->a, "holds the value of %s: it is in the "
                              "image for anyone who pulls it (pass it with "
                              "--secret and RUN --mount=type=secret, which "
                              "leaves no trace)", sc->vals[k].what));
    }
  }
  for(k = 0; k < NPATTERNS; k++) {
    const struct pattern *pt = &patterns[k];
    size_t al = strlen(pt->anchor);
    const unsigned char *q = p;
    if(es->hit_pat[k])
      continue;
    while((q = memmem(q, (size_t)(end - q), pt->anchor, al))) {
      if((size_t)(q - p) + al > fresh_from &&
         (!pt->tail || pt->tail(q + al, end))) {
        es->hit_pat[k] = true;
        report(sc, es->path, pt->kind,
               mdk_arena_printf(&sc->a, "holds %s: remove it from the "
                                "build (a file deleted in a later layer is "
                                "still in this one), or mount it with "
                                "RUN --mount=type=secret", pt->what));
        break;
      }
      q += 1;
    }
  }
}

/* the last path component */
static const char *base_name(const char *p)
{
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static bool ends_with(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* files that are credentials by their name alone */
static const char *credential_file(const char *path)
{
  const char *b = base_name(path);
  if(!strcmp(b, ".git-credentials"))
    return "a git credential store (.git-credentials)";
  if(!strcmp(b, ".netrc") || !strcmp(b, "_netrc"))
    return "a .netrc (machine passwords)";
  if(!strcmp(b, ".pgpass"))
    return "a PostgreSQL password file (.pgpass)";
  if(ends_with(path, ".aws/credentials"))
    return "AWS credentials (.aws/credentials)";
  if(!strcmp(b, "id_rsa") || !strcmp(b, "id_dsa") || !strcmp(b, "id_ecdsa") ||
     !strcmp(b, "id_ed25519"))
    return "an ssh private key";
  return NULL;
}

static enum mdk_status scan_entry(void *ctx, struct archive *ar,
                                  struct archive_entry *ae,
                                  struct mdk_err *e)
{
  struct scan *sc = ctx;
  struct entry_scan es;
  const char *raw = archive_entry_pathname(ae);
  const char *cred, *b;
  unsigned char *buf = sc->buf;
  size_t have = 0;
  const void *blk;
  size_t len;
  la_int64_t off;
  int r;
  (void)e;
  if(!raw)
    return MDK_OK;
  memset(&es, 0, sizeof(es));
  es.sc = sc;
  while(raw[0] == '.' && raw[1] == '/')
    raw += 2;
  es.path = mdk_arena_printf(&sc->a, "/%s", raw);
  b = base_name(es.path);
  if(strncmp(b, ".wh.", 4) == 0) {
    /* a whiteout: the earlier layers' findings under it are deleted from
     * the file system, not from the image */
    size_t dl = (size_t)(b - es.path), i;
    const char *gone = strcmp(b, ".wh..wh..opq") == 0 ? NULL : b + 4;
    for(i = 0; i < sc->found.len; i++) {
      struct found *f = mdk_vec_at(&sc->found, struct found, i);
      const char *p = f->f.path;
      if(!p || strncmp(p, es.path, dl))
        continue;
      if(!gone || (strncmp(p + dl, gone, strlen(gone)) == 0 &&
                   (p[dl + strlen(gone)] == '\0' ||
                    p[dl + strlen(gone)] == '/')))
        f->deleted = true;
    }
    return MDK_OK;
  }
  if(archive_entry_filetype(ae) != AE_IFREG)
    return MDK_OK;
  if((cred = credential_file(es.path)) && archive_entry_size(ae) > 0)
    report(sc, es.path, "credential-file",
           mdk_arena_printf(&sc->a, "is %s: remove it from the build, or "
                            "mount it with RUN --mount=type=secret", cred));
  /* stream the bytes: a block, with the tail of the one before */
  while((r = archive_read_data_block(ar, &blk, &len, &off)) == ARCHIVE_OK) {
    const unsigned char *c = blk;
    while(len) {
      size_t take = len > (1 << 16) ? (1 << 16) : len;
      memcpy(buf + have, c, take);
      search(&es, buf, have + take, have);
      if(have + take > OVERLAP) {
        memmove(buf, buf + have + take - OVERLAP, OVERLAP);
        have = OVERLAP;
      }
      else {
        have += take;
      }
      c += take;
      len -= take;
    }
  }
  (void)off;
  return MDK_OK;
}

/* --- history and config --- */

/* GPG_KEY and the like hold the fingerprint of a public signing key (the
 * official python images set it): no secret */
static bool public_key_name(struct mdk_str name)
{
  size_t i;
  for(i = 0; i + 3 <= name.len; i++)
    if((name.ptr[i] == 'G' || name.ptr[i] == 'g' || name.ptr[i] == 'P' ||
        name.ptr[i] == 'p') &&
       (mdk_str_eq_ci(mdk_str_make(name.ptr + i, 3), "gpg") ||
        mdk_str_eq_ci(mdk_str_make(name.ptr + i, 3), "pgp")))
      return true;
  return false;
}

/* NAME=VALUE words in text whose NAME looks secret and VALUE is there
 * (not masked as ***) */
static void secret_assignments(struct scan *sc, const char *text)
{
  const char *eq = text;
  while((eq = strchr(eq, '='))) {
    const char *n = eq, *v = eq + 1;
    struct mdk_str name;
    size_t vl = strcspn(v, " \t\n\"]'");
    while(n > text && (is_alnum((unsigned char)n[-1]) || n[-1] == '_'))
      n--;
    name = mdk_str_make(n, (size_t)(eq - n));
    if(name.len && vl && strncmp(v, "***", 3) != 0 && v[0] != '$' &&
       sc->secret_name(name) && !public_key_name(name))
      report(sc, NULL, "secret-name",
             mdk_arena_printf(&sc->a, "holds a value for %.*s, a name that "
                              "looks secret: build with --secret-build-arg "
                              "%.*s (or pass it with --secret), so that no "
                              "history or config keeps it",
                              MDK_STR_FMT(name), MDK_STR_FMT(name)));
    eq++;
  }
}

/* the values and token formats in a history or config string, reported
 * at sc->where */
static void search_text(struct scan *sc, const char *text)
{
  struct entry_scan es;
  memset(&es, 0, sizeof(es));
  es.sc = sc;
  search(&es, (const unsigned char *)text, strlen(text), 0);
}

enum mdk_status mdk_be_scan_secrets(struct mdk_be_store *s,
                                    const struct mdk_be_image *im,
                                    const struct mdk_be_secret_value *vals,
                                    size_t nvals,
                                    mdk_be_secret_name_fn secret_name,
                                    mdk_be_finding_fn fn,
                                    void *ctx, size_t *count,
                                    struct mdk_err *e)
{
  struct scan sc;
  json_t *hist = json_object_get(im->config, "history"), *h, *cfg, *x;
  size_t i, n = mdk_be_image_nlayers(im);
  const char *key;
  enum mdk_status st = MDK_OK;
  memset(&sc, 0, sizeof(sc));
  mdk_arena_init(&sc.a);
  sc.vals = vals;
  sc.nvals = nvals;
  sc.secret_name = secret_name;
  sc.found = MDK_VEC_INIT(struct found);
  sc.buf = mdk_arena_alloc(&sc.a, OVERLAP + (1 << 16));
  json_array_foreach(hist, i, h) {
    const char *cb = json_string_value(json_object_get(h, "created_by"));
    if(!cb)
      continue;
    sc.where = mdk_arena_printf(&sc.a, "history %zu", i);
    search_text(&sc, cb);
    secret_assignments(&sc, cb);
  }
  cfg = json_object_get(im->config, "config");
  json_array_foreach(json_object_get(cfg, "Env"), i, x) {
    const char *v = json_string_value(x);
    if(!v)
      continue;
    sc.where = "config Env";
    search_text(&sc, v);
    secret_assignments(&sc, v);
  }
  json_object_foreach(json_object_get(cfg, "Labels"), key, x) {
    const char *v = json_string_value(x);
    sc.where = mdk_arena_printf(&sc.a, "config label %s", key);
    if(v)
      search_text(&sc, v);
    if(v && *v && sc.secret_name(mdk_str_c(key)) &&
       !public_key_name(mdk_str_c(key)))
      report(&sc, NULL, "secret-name",
             mdk_arena_printf(&sc.a, "holds a value under a name that "
                              "looks secret: labels are public"));
  }
  {
    /* the rest of the config (Cmd, Entrypoint, Healthcheck...) */
    json_t *rest = json_deep_copy(cfg);
    char *txt;
    json_object_del(rest, "Env");
    json_object_del(rest, "Labels");
    txt = json_dumps(rest, JSON_COMPACT);
    sc.where = "config";
    if(txt)
      search_text(&sc, txt);
    free(txt);
    json_decref(rest);
  }
  for(i = 0; i < n && !st; i++) {
    struct mdk_be_layer_desc d;
    size_t first = sc.found.len, k;
    if(!mdk_be_image_layer(im, i, &d))
      continue;
    sc.where = mdk_arena_printf(&sc.a, "layer %zu (%.19s)", i + 1, d.digest);
    st = mdk_be_layer_walk(s, d.digest, scan_entry, &sc, e);
    for(k = first; k < sc.found.len; k++)
      mdk_vec_at(&sc.found, struct found, k)->layer = i + 1;
  }
  for(i = 0; i < sc.found.len; i++) {
    struct found *f = mdk_vec_at(&sc.found, struct found, i);
    struct mdk_be_finding out = f->f;
    if(f->deleted)
      out.msg = mdk_arena_printf(&sc.a, "%s; a later layer deletes it, but "
                                 "this layer still carries it", out.msg);
    fn(ctx, &out);
  }
  *count = sc.found.len;
  mdk_arena_fini(&sc.a);
  return st;
}
