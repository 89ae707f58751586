/* build_checks.c - how `mdock build` shows BuildKit's build checks, as
 * buildx does: in full for --check, as BuildKit's error for
 * check=error=true, and in the metadata file (BUILDX_METADATA_WARNINGS);
 * the summary after a build is lint's (mdk_lint_checks_summary). */
#include "cli/build_checks.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/crypto_dl.h"

/* --build-arg BUILDKIT_DOCKERFILE_CHECK=...: the checks' settings over the
 * Dockerfile's # check= directive */
const char *mdk_cli_check_override(struct mdk_arena *a,
                                   const struct mdk_vec *build_args)
{
  size_t i;
  const char *v = NULL;
  for(i = 0; i < build_args->len; i++) {
    const struct mdk_fe_kv *kv = mdk_vec_at(build_args, struct mdk_fe_kv, i);
    if(mdk_str_eq_c(kv->key, "BUILDKIT_DOCKERFILE_CHECK"))
      v = mdk_arena_strndup(a, kv->val.ptr, kv->val.len);
  }
  return v;
}

/* --check: the findings in full on stdout, and buildx's last line; exit 1
 * when there are any */
int mdk_cli_checks_only(const struct mdk_lint_checks *c, bool color)
{
  mdk_lint_checks_full(c, stdout, color);
  if(!c->n)
    printf("Check complete, no warnings found.\n");
  else
    printf("Check complete, %zu warning%s been found!\n", c->n,
           c->n == 1 ? " has" : "s have");
  return c->n ? 1 : 0;
}

/* check=error=true: the warnings, then BuildKit's error, before any step
 * runs */
int mdk_cli_checks_fail(struct mdk_arena *a, const struct mdk_lint_checks *c,
                        bool color)
{
  struct mdk_err e;
  const char *rules = mdk_lint_checks_rules(a, c);
  char *skip = mdk_arena_strndup(a, rules, strlen(rules)), *p, *q;
  /* check=skip= takes the names without blanks */
  for(p = q = skip; *p; p++)
    if(*p != ' ')
      *q++ = *p;
  *q = '\0';
  mdk_lint_checks_summary(c, stderr);
  mdk_fail(&e, MDK_EINPUT, "lint violation found for rules: %s", rules);
  e.loc = mdk_lint_check_directive(c);
  snprintf(e.hint, sizeof(e.hint), "%s makes build checks fail the "
           "build: fix what they found, or skip them with "
           "check=skip=%s", e.loc.src ? "check=error=true"
           : "BUILDKIT_DOCKERFILE_CHECK's error=true", skip);
  mdk_err_print(&e, stderr, color);
  return 1;
}

static const char *b64(struct mdk_arena *a, const void *data, size_t n)
{
  unsigned char *out = mdk_arena_alloc(a, 4 * ((n + 2) / 3) + 1);
  EVP_EncodeBlock(out, data, (int)n);
  return (const char *)out;
}

/* BUILDX_METADATA_WARNINGS=1: the build checks' findings under buildx's
 * key, each as a BuildKit VertexWarning (texts in base64, as Go encodes
 * bytes) */
void mdk_cli_checks_metadata(struct mdk_arena *a, struct mdk_jsonw *j,
                             const struct mdk_lint_checks *c)
{
  const char *env = getenv("BUILDX_METADATA_WARNINGS");
  uint8_t d[32];
  char vertex[80];
  struct mdk_sha256 h;
  size_t k;
  int i;
  if(!c || !c->n || !env || !(strcmp(env, "1") == 0 || !strcasecmp(env, "t") ||
                              !strcasecmp(env, "true")))
    return;
  /* the vertex: BuildKit's is its Dockerfile's; here the file's digest */
  mdk_sha256_init(&h);
  mdk_sha256_update(&h, c->src->data, c->src->len);
  mdk_sha256_final(&h, d);
  strcpy(vertex, "sha256:");
  for(i = 0; i < 32; i++)
    snprintf(vertex + 7 + 2 * i, 3, "%02x", d[i]);
  mdk_jsonw_key(j, "buildx.build.warnings");
  mdk_jsonw_begin(j, '[');
  for(k = 0; k < c->n; k++) {
    const struct mdk_fe_finding *f = &c->f[k];
    const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
    const char *s = mdk_arena_printf(a, "%s: %s (line %u)", ri->id, f->msg,
                                     f->line);
    mdk_jsonw_begin(j, '{');
    mdk_jsonw_key(j, "vertex");
    mdk_jsonw_cstr(j, vertex);
    mdk_jsonw_key(j, "level");
    mdk_jsonw_int(j, 1);
    mdk_jsonw_key(j, "short");
    mdk_jsonw_cstr(j, b64(a, s, strlen(s)));
    mdk_jsonw_key(j, "detail");
    mdk_jsonw_begin(j, '[');
    mdk_jsonw_cstr(j, b64(a, ri->doc, strlen(ri->doc)));
    mdk_jsonw_end(j, ']');
    mdk_jsonw_key(j, "url");
    mdk_jsonw_cstr(j, mdk_cli_rule_url(a, f->rule));
    mdk_jsonw_key(j, "sourceInfo");
    mdk_jsonw_begin(j, '{');
    mdk_jsonw_key(j, "filename");
    mdk_jsonw_cstr(j, c->src->name);
    mdk_jsonw_key(j, "data");
    mdk_jsonw_cstr(j, b64(a, c->src->data, c->src->len));
    mdk_jsonw_key(j, "language");
    mdk_jsonw_cstr(j, "Dockerfile");
    mdk_jsonw_end(j, '}');
    mdk_jsonw_key(j, "range");
    mdk_jsonw_begin(j, '[');
    mdk_jsonw_begin(j, '{');
    mdk_jsonw_key(j, "start");
    mdk_jsonw_begin(j, '{');
    mdk_jsonw_key(j, "line");
    mdk_jsonw_int(j, f->line);
    mdk_jsonw_end(j, '}');
    mdk_jsonw_key(j, "end");
    mdk_jsonw_begin(j, '{');
    mdk_jsonw_key(j, "line");
    mdk_jsonw_int(j, f->line);
    mdk_jsonw_end(j, '}');
    mdk_jsonw_end(j, '}');
    mdk_jsonw_end(j, ']');
    mdk_jsonw_end(j, '}');
  }
  mdk_jsonw_end(j, ']');
}
