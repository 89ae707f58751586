/* rules_practice.c - mdock's best-practice rules (MD..., hadolint's DL
 * rules by alias) over the instructions: base image pinning, COPY and ADD,
 * WORKDIR, USER, EXPOSE, ENV, duplicate CMD/ENTRYPOINT/HEALTHCHECK, and the
 * stage facts RUN rules depend on (rules_run.c).  Words are judged as the
 * builder sees them: quotes removed, variables expanded. */
#include <string.h>
#include <strings.h>

#include "lint/internal.h"
#include "lint/shell_words.h"

static struct mdk_loc kw(const struct mdk_fe_node *n)
{
  return mdk_fe_node_loc(n);
}

/* the expanded value `what` (the n-th of them) of an instruction */
static const struct mdk_fe_xval *xval(const struct mdk_fe_xcmd *x,
                                      const char *what, size_t nth)
{
  size_t i;
  for(i = 0; i < x->nvals; i++)
    if(strcmp(x->vals[i].what, what) == 0 && nth-- == 0)
      return &x->vals[i];
  return NULL;
}

static size_t xcount(const struct mdk_fe_xcmd *x, const char *what)
{
  size_t i, n = 0;
  for(i = 0; i < x->nvals; i++)
    n += strcmp(x->vals[i].what, what) == 0;
  return n;
}

/* hadolint's archive extensions (DL3010) */
static bool is_archive_name(struct mdk_str s)
{
  static const char *const ext[] = {".tar", ".Z", ".bz2", ".gz", ".lz",
                                    ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2",
                                    ".tgz", ".tlz", ".tpz", ".txz", ".xz",
                                    ".zip", ".zst", ".tzst"};
  size_t i;
  for(i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
    if(lint_ends_with(s, ext[i]))
      return true;
  return false;
}

/* what ADD unpacks itself (MD017 leaves these alone) */
static bool is_archive(struct mdk_str s)
{
  static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2",
                                    ".tbz2", ".tbz", ".tar.xz", ".txz",
                                    ".tar.zst", ".gz", ".bz2", ".xz"};
  size_t i;
  for(i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
    if(lint_ends_with(s, ext[i]))
      return true;
  return false;
}

static struct mdk_str basename_of(struct mdk_str s)
{
  while(s.len > 1 && s.ptr[s.len - 1] == '/')
    s.len--;
  for(size_t i = s.len; i > 0; i--)
    if(s.ptr[i - 1] == '/' || s.ptr[i - 1] == '\\')
      return mdk_str_make(s.ptr + i, s.len - i);
  return s;
}

/* credentials with well-known shapes */
static bool secret_value(struct mdk_str v)
{
  static const char *const prefixes[] = {"AKIA", "ASIA", "ghp_", "gho_",
                                         "ghs_", "ghu_", "github_pat_",
                                         "glpat-", "xoxb-", "xoxp-", "sk_live_",
                                         "AIza", "-----BEGIN"};
  size_t i;
  if(v.len < 16)
    return false;
  for(i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    if(mdk_str_has_prefix(v, prefixes[i]))
      return true;
  return lint_contains(v, "PRIVATE KEY-----");
}

/* an absolute destination, Unix or Windows (c:\x, c:/x), or a variable */
static bool abs_or_var(struct mdk_str raw, struct mdk_str val)
{
  struct mdk_str r = lint_unquote(raw);
  return (val.len && val.ptr[0] == '/') || (r.len && r.ptr[0] == '/') ||
         (r.len && r.ptr[0] == '$') ||
         (r.len > 2 && r.ptr[1] == ':' && (r.ptr[2] == '\\' ||
                                           r.ptr[2] == '/'));
}

/* an archive COPY'd into a stage, for DL3010 */
struct copied_archive {
  struct mdk_str name;          /* basename */
  const struct mdk_fe_node *node;
  bool reported;
};

/* a RUN that unpacks one of the archives COPY'd earlier in the stage */
static void archive_extracted(struct lint *l, const struct mdk_fe_cmd *c,
                              struct mdk_vec *archives)
{
  struct mdk_sh_script s;
  size_t i, k, j;
  if(c->json || !c->nargs || !archives->len)
    return;
  mdk_sh_parse(l->a, c->args[0].val, &s);
  for(i = 0; i < s.n; i++) {
    const struct mdk_sh_cmd *sc = &s.c[i];
    size_t at;
    struct mdk_str name = mdk_sh_cmd_name(sc, &at);
    bool tar = mdk_str_eq_c(name, "tar"), unz = false, extract = false;
    static const char *const unzips[] = {"unzip", "gunzip", "bunzip2",
                                         "unlzma", "unxz", "zgz",
                                         "uncompress", "zcat", "gzcat",
                                         "unzstd"};
    for(k = 0; k < sizeof(unzips) / sizeof(unzips[0]); k++)
      unz |= mdk_str_eq_c(name, unzips[k]);
    if(!tar && !unz)
      continue;
    for(k = at + 1; tar && k < sc->n; k++) {
      struct mdk_str w = sc->w[k].text;
      extract |= mdk_str_eq_c(w, "--extract") || mdk_str_eq_c(w, "--get") ||
                 (k == at + 1 && w.len && w.ptr[0] != '-' &&
                  memchr(w.ptr, 'x', w.len)) ||
                 (w.len > 1 && w.ptr[0] == '-' && w.ptr[1] != '-' &&
                  memchr(w.ptr, 'x', w.len));
    }
    if(tar && !extract)
      continue;
    for(k = at + 1; k < sc->n; k++) {
      /* as the shell reads it, and as written (a Windows path's
       * backslashes) */
      struct mdk_str b = basename_of(sc->w[k].text);
      struct mdk_str br = basename_of(lint_unquote(sc->w[k].raw));
      if(!b.len || b.ptr[0] == '-')
        continue;
      for(j = 0; j < archives->len; j++) {
        struct copied_archive *ca = mdk_vec_at(archives, struct copied_archive,
                                               j);
        if(!ca->reported && (mdk_str_eq(ca->name, b) ||
                             mdk_str_eq(ca->name, br))) {
          ca->reported = true;
          lint_report(l, MDK_LINT_ARCHIVE_COPY, ca->node, kw(ca->node),
                      ca->node->start_line, "%.*s is COPY'd and then "
                      "extracted by a RUN: ADD extracts a local archive in "
                      "one layer", MDK_STR_FMT(ca->name));
        }
      }
    }
  }
}

/* the registry of an image reference: docker.io when it names none */
static struct mdk_str registry_of(struct mdk_str ref)
{
  long slash = mdk_str_index(ref, '/');
  struct mdk_str first;
  if(slash < 0)
    return mdk_str_c("docker.io");
  first = mdk_str_make(ref.ptr, (size_t)slash);
  if(mdk_str_index(first, '.') >= 0 || mdk_str_index(first, ':') >= 0 ||
     mdk_str_eq_c(first, "localhost"))
    return first;
  return mdk_str_c("docker.io");
}

/* a trustedRegistries entry: a name, or a pattern with '*' */
static bool glob_match(const char *pat, struct mdk_str s)
{
  if(!*pat)
    return s.len == 0;
  if(*pat == '*') {
    size_t i;
    for(i = 0; i <= s.len; i++)
      if(glob_match(pat + 1, mdk_str_make(s.ptr + i, s.len - i)))
        return true;
    return false;
  }
  return s.len && *pat == s.ptr[0] &&
         glob_match(pat + 1, mdk_str_make(s.ptr + 1, s.len - 1));
}

static bool trusted(const struct mdk_fe_lint_opts *o, struct mdk_str reg)
{
  size_t i;
  for(i = 0; i < o->ntrusted; i++)
    if(glob_match(o->trusted[i], reg) ||
       (mdk_str_eq_c(reg, "docker.io") &&
        (strcmp(o->trusted[i], "hub.docker.com") == 0 ||
         strcmp(o->trusted[i], "index.docker.io") == 0 ||
         strcmp(o->trusted[i], "registry-1.docker.io") == 0)))
      return true;
  return false;
}

/* a reference in ENV's other values to a name: ${name} or $name ended */
static bool refers_to(struct mdk_str v, struct mdk_str name)
{
  size_t i;
  for(i = 0; i + name.len < v.len; i++) {
    if(v.ptr[i] != '$')
      continue;
    if(v.ptr[i + 1] == '{' && i + 2 + name.len < v.len &&
       memcmp(v.ptr + i + 2, name.ptr, name.len) == 0 &&
       strchr("}:-+?", v.ptr[i + 2 + name.len]))
      return true;
    if(memcmp(v.ptr + i + 1, name.ptr, name.len) == 0) {
      char nx = i + 1 + name.len < v.len ? v.ptr[i + 1 + name.len] : '\0';
      if(!((nx >= 'a' && nx <= 'z') || (nx >= 'A' && nx <= 'Z') ||
           (nx >= '0' && nx <= '9') || nx == '_'))
        return true;
    }
  }
  return false;
}

/* hadolint's DL3064: a name of its list of credentials (any case), or one
 * holding one of its words (api_key, password, token, ...).  Not a bare
 * USERNAME: the dev-container idiom for the image's own user (ARG
 * USERNAME=vscode, every devcontainer image), never a credential; the
 * registry pairs (DOCKER_USERNAME, ...) still are. */
static bool sensitive_name(struct mdk_str name)
{
  static const char *const names[] = {
    "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN",
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY",
    "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN",
    "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD",
    "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
    "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET",
    "FIREBASE_API_TOKEN", "FIREBASE_TOKEN", "FOSSA_API_KEY",
    "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
    "GITHUB_TOKEN", "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN",
    "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL",
    "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET",
    "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD",
    "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME",
    "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY",
    "VAULT_TOKEN"};
  static const char *const words[] = {"api_key", "client_key", "password",
                                      "private", "secret", "token",
                                      "username"};
  size_t i;
  if(name.len == 8 && strncasecmp(name.ptr, "USERNAME", 8) == 0)
    return false;
  for(i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(strlen(names[i]) == name.len &&
       strncasecmp(names[i], name.ptr, name.len) == 0)
      return true;
  for(i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if(lint_contains_nocase(name, words[i]))
      return true;
  return false;
}

/* one finding for an ARG or ENV (or its ONBUILD, node n) naming one */
static void sensitive_names(struct lint *l, const struct mdk_fe_cmd *c,
                            const struct mdk_fe_node *n)
{
  size_t j, count = c->kind == MDK_FE_ARG ? c->nargdefs : c->npairs;
  for(j = 0; j < count; j++) {
    struct mdk_str name = c->kind == MDK_FE_ARG ? c->argdefs[j].name
                                                : c->keys[j * 3].val;
    if(sensitive_name(name)) {
      lint_report(l, MDK_LINT_SENSITIVE_NAME, n, kw(n), n->start_line,
                  "%s %.*s: a name for a credential; what it holds stays in "
                  "the image (use a secret mount)", c->kind == MDK_FE_ARG
                  ? "ARG" : "ENV", MDK_STR_FMT(name));
      return;
    }
  }
}

/* hadolint's DL3044: a name defined by an earlier ARG or ENV of the file
 * is no self-reference (the value from before is what is meant) */
static bool defined_before(const struct mdk_vec *defined, struct mdk_str name)
{
  size_t i;
  for(i = 0; i < defined->len; i++)
    if(mdk_str_eq(*mdk_vec_at(defined, struct mdk_str, i), name))
      return true;
  return false;
}

static void env_self_ref(struct lint *l, const struct mdk_fe_cmd *c,
                         const struct mdk_vec *defined)
{
  size_t i, j;
  for(i = 0; i < c->npairs; i++) {
    struct mdk_str name = c->keys[i * 3].val;
    if(defined_before(defined, name))
      continue;
    for(j = 0; j < c->npairs; j++)
      if(j != i && refers_to(c->keys[j * 3 + 1].val, name)) {
        lint_report(l, MDK_LINT_ENV_SELF_REF, c->node, kw(c->node),
                    c->node->start_line, "ENV %.*s refers to %.*s, which this "
                    "ENV defines: it sees the value from before the line "
                    "(split the ENV)", MDK_STR_FMT(c->keys[j * 3].val),
                    MDK_STR_FMT(name));
        return;
      }
  }
}

/* USER root, USER 0, USER root:x */
static bool is_root_user(struct mdk_str u)
{
  long colon = mdk_str_index(u, ':');
  if(colon >= 0)
    u.len = (size_t)colon;
  return mdk_str_eq_c(u, "root") || mdk_str_eq_c(u, "0");
}

/* per stage, what the target image inherits */
struct stage_end {
  const struct mdk_fe_cmd *user;         /* last USER */
  bool healthcheck;
};

/* COPY --from: a stage before this one, a stage index, or an image */
static void copy_from(struct lint *l, const struct mdk_fe_cmd *c, int cur,
                      struct mdk_str from)
{
  size_t i;
  bool digits = from.len > 0;
  int found;
  if(!from.len || mdk_str_index(from, '$') >= 0)
    return;
  for(i = 0; i < from.len; i++)
    digits &= from.ptr[i] >= '0' && from.ptr[i] <= '9';
  found = mdk_fe_stage_lookup(l->stage_names, (size_t)cur + 1, from,
                              MDK_FE_REF_MOUNT_FROM);
  if(found == cur)
    lint_report(l, MDK_LINT_COPY_FROM_SELF, c->node, kw(c->node),
                c->node->start_line, "COPY --from=%.*s names its own stage",
                MDK_STR_FMT(from));
  if(found >= 0 || digits)
    return;
  /* an image: a registry, a path, a tag or a digest in it */
  if(mdk_str_index(from, ':') >= 0 || mdk_str_index(from, '/') >= 0 ||
     mdk_str_index(from, '@') >= 0 || mdk_str_index(from, '.') >= 0)
    return;
  lint_report(l, MDK_LINT_COPY_FROM_UNKNOWN, c->node, kw(c->node),
              c->node->start_line, "COPY --from=%.*s names no earlier stage: "
              "BuildKit would pull an image called %.*s (a typo, or a stage "
              "defined later?)", MDK_STR_FMT(from), MDK_STR_FMT(from));
}

static void from_rules(struct lint *l, const struct mdk_fe_cmd *c, int cur)
{
  const struct mdk_fe_node *n = c->node;
  struct mdk_str b = cur >= 0 ? l->sem->stages[cur].base : MDK_STR_NULL;
  const char *slash, *colon;
  if(!c->base || mdk_str_index(c->base->val, '$') >= 0 ||
     mdk_str_eq_c(b, "scratch") || (cur >= 0 &&
                                    l->sem->stages[cur].parent >= 0) ||
     !b.len)
    return;
  if(l->o->ntrusted && !trusted(l->o, registry_of(b)))
    lint_report(l, MDK_LINT_UNTRUSTED_REGISTRY, n, mdk_fe_arg_loc(n, c->base),
                n->start_line, "FROM %.*s: registry %.*s is not in "
                "trustedRegistries", MDK_STR_FMT(b),
                MDK_STR_FMT(registry_of(b)));
  if(mdk_str_index(b, '@') >= 0)
    return;
  slash = memrchr(b.ptr, '/', b.len);
  colon = memchr(slash ? slash : b.ptr, ':',
                 b.len - (size_t)((slash ? slash : b.ptr) - b.ptr));
  if(!colon)
    lint_report(l, MDK_LINT_FROM_UNTAGGED, n, mdk_fe_arg_loc(n, c->base),
                n->start_line, "FROM %.*s has no tag and means :latest: pin "
                "a version", MDK_STR_FMT(b));
  else if(mdk_str_eq_c(mdk_str_make(colon + 1, b.len - (size_t)(colon + 1 -
                                                                 b.ptr)),
                       "latest"))
    lint_report(l, MDK_LINT_FROM_LATEST, n, mdk_fe_arg_loc(n, c->base),
                n->start_line, "FROM %.*s: :latest moves; pin a version",
                MDK_STR_FMT(b));
}

static void expose_rules(struct lint *l, const struct mdk_fe_cmd *c,
                         const struct mdk_fe_xcmd *x, struct mdk_vec *ports)
{
  size_t j, k;
  for(j = 0; j < x->nvals; j++) {
    struct mdk_str p = x->vals[j].val;
    struct mdk_str norm;
    long slash = mdk_str_index(p, '/');
    bool dup = false;
    /* ports outside 0-65535 are the builder's error, reported as MD069 */
    norm = slash < 0 ? mdk_str_c(mdk_arena_printf(l->a, "%.*s/tcp",
                                                  MDK_STR_FMT(p)))
                     : mdk_str_lower(l->a, p);
    for(k = 0; k < ports->len; k++)
      if(mdk_str_eq(*mdk_vec_at(ports, struct mdk_str, k), norm))
        dup = true;
    if(dup)
      lint_report(l, MDK_LINT_DUP_EXPOSE, c->node, kw(c->node),
                  c->node->start_line, "port %.*s is already exposed in this "
                  "stage", MDK_STR_FMT(norm));
    else
      mdk_vec_push(l->a, ports, &norm);
  }
}

static void add_rules(struct lint *l, const struct mdk_fe_cmd *c,
                      const struct mdk_fe_xcmd *x)
{
  const struct mdk_fe_node *n = c->node;
  const struct mdk_fe_flagval *sum = mdk_fe_cmd_flag(c, "checksum");
  const struct mdk_fe_flagval *unpack = mdk_fe_cmd_flag(c, "unpack");
  size_t j;
  for(j = 0; j < x->nvals; j++) {
    struct mdk_str s = x->vals[j].val;
    enum mdk_ir_src kind;
    if(strcmp(x->vals[j].what, "source") != 0)
      continue;
    kind = mdk_ir_source_kind(s);
    if(kind == MDK_IR_SRC_HTTP && !(sum && sum->set))
      lint_report(l, MDK_LINT_ADD_NO_CHECKSUM, n, kw(n), n->start_line,
                  "ADD %.*s without --checksum=sha256:... downloads whatever "
                  "the server sends", MDK_STR_FMT(s));
    if(kind == MDK_IR_SRC_CONTEXT && (!is_archive(s) ||
                                      (unpack && unpack->set &&
                                       !unpack->bval)))
      lint_report(l, MDK_LINT_ADD_LOCAL, n, kw(n), n->start_line,
                  "ADD %.*s copies a local file: use COPY", MDK_STR_FMT(s));
  }
}

static void copy_rules(struct lint *l, const struct mdk_fe_cmd *c,
                       const struct mdk_fe_xcmd *x, int cur,
                       const struct lint_stage *st, struct mdk_vec *archives)
{
  const struct mdk_fe_node *n = c->node;
  const struct mdk_fe_flagval *from = mdk_fe_cmd_flag(c, "from");
  const struct mdk_fe_xval *dest = xval(x, "dest", 0);
  size_t nsrc = xcount(x, "source") + n->nheredocs, j;
  struct mdk_str d = dest ? dest->val : MDK_STR_NULL;
  bool var_dest = dest && mdk_str_index(dest->raw, '$') >= 0;
  (void)var_dest;
  bool has_from = from && from->set && from->nvals;
  if(nsrc >= 2 && d.len && d.ptr[d.len - 1] != '/' && !var_dest)
    lint_report(l, MDK_LINT_COPY_MULTI_DEST, n,
                c->nargs ? mdk_fe_arg_loc(n, &c->args[c->nargs - 1]) : kw(n),
                n->start_line, "COPY with %zu sources into %.*s: end the "
                "destination with /", nsrc, MDK_STR_FMT(d));
  if(has_from)
    copy_from(l, c, cur, from->vals[from->nvals - 1].val);
  if(dest && !st->workdir && d.len && !abs_or_var(dest->raw, d))
    lint_report(l, MDK_LINT_COPY_REL_NO_WORKDIR, n, kw(n), n->start_line,
                "COPY to %.*s, a relative path, with no WORKDIR set in the "
                "stage: it lands wherever the base image's WORKDIR is",
                MDK_STR_FMT(d));
  if(has_from && mdk_str_eq_c(d, "/")) {
    for(j = 0; j < nsrc && j < x->nvals; j++) {
      const struct mdk_fe_xval *s = xval(x, "source", j);
      if(s && mdk_str_eq_c(s->val, "/")) {
        lint_report(l, MDK_LINT_COPY_ROOT_FS, n, kw(n), n->start_line,
                    "COPY --from=%.*s / / copies a whole filesystem over this "
                    "one", MDK_STR_FMT(from->vals[from->nvals - 1].val));
        break;
      }
    }
  }
  /* archives that a later RUN may extract (DL3010); names as written */
  if(!has_from && dest) {
    struct mdk_str dr = lint_unquote(dest->raw);
    struct copied_archive ca = {basename_of(dr), n, false};
    if(dr.len && dr.ptr[dr.len - 1] != '/' && is_archive_name(dr))
      mdk_vec_push(l->a, archives, &ca);
    else
      for(j = 0; j < nsrc; j++) {
        const struct mdk_fe_xval *s = xval(x, "source", j);
        if(s && is_archive_name(lint_unquote(s->raw))) {
          ca.name = basename_of(lint_unquote(s->raw));
          mdk_vec_push(l->a, archives, &ca);
        }
      }
  }
}

/* ONBUILD COPY: DL3045 as the child will run it (ONBUILD WORKDIR counts) */
static void onbuild_copy(struct lint *l, const struct mdk_fe_cmd *ob,
                         const struct lint_stage *st, bool onbuild_workdir)
{
  const struct mdk_fe_cmd *t = ob->trigger;
  struct mdk_str raw, d;
  if(!t->nargs || st->workdir || onbuild_workdir)
    return;
  raw = t->args[t->nargs - 1].val;
  d = lint_unquote(raw);
  if(d.len && !abs_or_var(raw, d))
    lint_report(l, MDK_LINT_COPY_REL_NO_WORKDIR, ob->node, kw(ob->node),
                ob->node->start_line, "ONBUILD COPY to %.*s, a relative "
                "path, with no WORKDIR set", MDK_STR_FMT(d));
}

void mdk_fe_lint_practice(struct lint *l)
{
  const struct mdk_fe_file *file = l->file;
  size_t ns = l->sem->nstages;
  struct lint_stage *stages = mdk_arena_array(l->a, struct lint_stage, ns + 1);
  struct stage_end *ends = mdk_arena_array(l->a, struct stage_end, ns + 1);
  const struct mdk_fe_cmd **own_user = mdk_arena_array(
    l->a, const struct mdk_fe_cmd *, ns + 1);
  bool *ships = mdk_arena_array(l->a, bool, ns + 1);
  struct lint_stage pre;
  struct lint_stage *st = &pre;
  struct mdk_vec ports = MDK_VEC_INIT(struct mdk_str);
  struct mdk_vec archives = MDK_VEC_INIT(struct copied_archive);
  const struct mdk_fe_cmd *prev_run = NULL, *seen_cmd = NULL,
                          *seen_entry = NULL, *seen_hc = NULL;
  int cur = -1, t;
  size_t i, j;
  bool any_user = false, onbuild_workdir = false;
  struct mdk_vec defined = MDK_VEC_INIT(struct mdk_str);   /* ARG/ENV names */

  memset(&pre, 0, sizeof(pre));
  /* the stages the target image is built on: FROM the last, and up */
  for(t = (int)ns - 1; t >= 0 && !ships[t]; t = l->sem->stages[t].parent)
    ships[t] = true;

  for(i = 0; i < file->ncmds; i++) {
    const struct mdk_fe_cmd *c = &file->cmds[i];
    const struct mdk_fe_xcmd *x = &l->sem->x[i];
    const struct mdk_fe_node *n = c->node;
    bool run_prev = false;
    if(c->invalid)
      continue;
    switch(c->kind) {
    case MDK_FE_FROM:
      cur = x->stage;
      onbuild_workdir = false;
      ports.len = 0;
      archives.len = 0;
      seen_cmd = seen_entry = seen_hc = NULL;
      if(cur >= 0) {
        int p = l->sem->stages[cur].parent;
        st = &stages[cur];
        if(p >= 0) {
          *st = stages[p];
          ends[cur] = ends[p];
        }
        st->wget = st->curl = false;
      }
      from_rules(l, c, cur);
      break;
    case MDK_FE_SHELL: {
      /* -o pipefail (or -eo pipefail...) to a shell that has it */
      bool o_flag = false, pf = false;
      struct mdk_str sh = c->nargs ? c->args[0].val : MDK_STR_NULL;
      const char *slash = sh.len ? memrchr(sh.ptr, '/', sh.len) : NULL;
      if(slash)
        sh = mdk_str_make(slash + 1, sh.len - (size_t)(slash + 1 - sh.ptr));
      for(j = 1; j < c->nargs; j++) {
        struct mdk_str a = c->args[j].val;
        if(a.len > 1 && a.ptr[0] == '-' && a.ptr[1] != '-' &&
           memchr(a.ptr, 'o', a.len))
          o_flag = true;
        if(mdk_str_eq_c(a, "pipefail") || mdk_str_eq_c(a, "-opipefail"))
          pf = true;
      }
      st->pipefail = o_flag && pf &&
                     (mdk_str_eq_c(sh, "bash") || mdk_str_eq_c(sh, "zsh") ||
                      mdk_str_eq_c(sh, "ash") || mdk_str_eq_c(sh, "ksh") ||
                      mdk_str_eq_c(sh, "mksh"));
      /* pwsh and cmd are no POSIX shell: the RUN rules do not apply */
      st->nonposix = lint_contains(sh, "pwsh") || lint_contains(sh, "powershell") ||
                     mdk_str_has_prefix(sh, "cmd");
      break;
    }
    case MDK_FE_RUN: {
      struct mdk_str ps = mdk_lint_pragma_shell(&l->pragmas, n->start_line);
      bool np = st->nonposix;
      size_t prev_cmds = st->last_run_cmds;
      if(ps.len)
        st->nonposix = lint_contains(ps, "pwsh") || lint_contains(ps, "powershell") ||
                       lint_contains(ps, "cmd");
      lint_run_rules(l, c, n, st, cur < 0 || ships[cur]);
      st->nonposix = np;
      archive_extracted(l, c, &archives);
      /* hadolint's DL3059: two one-command RUNs in a row with the same
       * flags (chained commands in one of them look deliberate) */
      if(prev_run && prev_cmds <= 1 && st->last_run_cmds <= 1 &&
         prev_run->node->nflags == n->nflags) {
        bool same = true;
        for(j = 0; j < n->nflags && same; j++)
          same = mdk_str_eq(prev_run->node->flags[j].val, n->flags[j].val);
        if(same)
          lint_report(l, MDK_LINT_CONSECUTIVE_RUN, n, kw(n), n->start_line,
                      "RUN right after RUN: join them with && to save a "
                      "layer");
      }
      prev_run = c;
      run_prev = true;
      break;
    }
    case MDK_FE_ONBUILD:
      if(c->trigger && c->trigger->kind == MDK_FE_WORKDIR)
        onbuild_workdir = true;
      if(c->trigger && c->trigger->kind == MDK_FE_COPY && !c->trigger->invalid)
        onbuild_copy(l, c, st, onbuild_workdir);
      if(c->trigger && (c->trigger->kind == MDK_FE_ARG ||
                        c->trigger->kind == MDK_FE_ENV) && !c->trigger->invalid)
        sensitive_names(l, c->trigger, n);
      if(c->trigger && c->trigger->kind == MDK_FE_RUN && !c->trigger->invalid)
      {
        /* triggers run in a child image, under this image's config:
         * its SHELL and ENV hold, what ships there is unknown */
        struct lint_stage child = *st;
        child.wget = child.curl = false;
        lint_run_rules(l, c->trigger, n, &child, true);
      }
      break;
    case MDK_FE_ADD:
      add_rules(l, c, x);
      break;
    case MDK_FE_COPY:
      copy_rules(l, c, x, cur, st, &archives);
      break;
    case MDK_FE_WORKDIR: {
      const struct mdk_fe_xval *w = xval(x, "path", 0);
      struct mdk_str v = w ? w->val : x->nvals ? x->vals[0].val
                                               : MDK_STR_NULL;
      struct mdk_str raw = w ? w->raw : x->nvals ? x->vals[0].raw
                                                 : MDK_STR_NULL;
      st->workdir = true;
      if(mdk_str_has_prefix(v, "/proc/self/fd"))
        lint_report(l, MDK_LINT_WORKDIR_PROC_FD, n, kw(n), n->start_line,
                    "WORKDIR %.*s points into a file descriptor of the "
                    "runtime (CVE-2024-21626)", MDK_STR_FMT(v));
      if(v.len && v.ptr[0] != '/' && mdk_str_index(raw, '$') < 0 &&
         !(v.len > 2 && v.ptr[1] == ':' && (v.ptr[2] == '\\' ||
                                            v.ptr[2] == '/')))
        lint_report(l, MDK_LINT_WORKDIR_ABS, n, kw(n), n->start_line,
                    "WORKDIR %.*s is relative: use an absolute path",
                    MDK_STR_FMT(v));
      break;
    }
    case MDK_FE_CMD:
    case MDK_FE_ENTRYPOINT:
      if(!c->json && c->nargs && !mdk_str_has_prefix(c->args[0].val, "exec "))
        lint_report(l, MDK_LINT_SHELL_FORM_SIGNALS, n, kw(n), n->start_line,
                    "shell-form %s runs under /bin/sh -c: use the JSON form "
                    "or start with exec", c->kind == MDK_FE_CMD ? "CMD"
                                                                : "ENTRYPOINT");
      if(c->kind == MDK_FE_CMD && seen_cmd)
        lint_report(l, MDK_LINT_MULTI_CMD, n, kw(n), n->start_line,
                    "a second CMD in this stage (the first is at line %u): "
                    "only the last one counts", seen_cmd->node->start_line);
      if(c->kind == MDK_FE_ENTRYPOINT && seen_entry)
        lint_report(l, MDK_LINT_MULTI_ENTRYPOINT, n, kw(n), n->start_line,
                    "a second ENTRYPOINT in this stage (the first is at line "
                    "%u): only the last one counts",
                    seen_entry->node->start_line);
      if(c->kind == MDK_FE_CMD && !seen_cmd)
        seen_cmd = c;
      if(c->kind == MDK_FE_ENTRYPOINT && !seen_entry)
        seen_entry = c;
      break;
    case MDK_FE_HEALTHCHECK:
      if(seen_hc)
        lint_report(l, MDK_LINT_MULTI_HEALTHCHECK, n, kw(n), n->start_line,
                    "a second HEALTHCHECK in this stage (the first is at line "
                    "%u): only the last one counts", seen_hc->node->start_line);
      else
        seen_hc = c;
      if(cur >= 0)
        ends[cur].healthcheck = true;
      break;
    case MDK_FE_EXPOSE:
      expose_rules(l, c, x, &ports);
      break;
    case MDK_FE_USER:
      any_user = true;
      if(cur >= 0)
        ends[cur].user = own_user[cur] = c;
      if(c->nargs) {
        const struct mdk_fe_xval *u = x->nvals ? &x->vals[0] : NULL;
        struct mdk_str v = u ? u->val : c->args[0].val;
        long colon = mdk_str_index(v, ':');
        struct mdk_str name = colon >= 0 ? mdk_str_make(v.ptr, (size_t)colon)
                                         : v;
        bool num = name.len > 0;
        for(j = 0; j < name.len; j++)
          num &= name.ptr[j] >= '0' && name.ptr[j] <= '9';
        if(!num && name.len && mdk_str_index(u ? u->raw : v, '$') < 0)
          lint_report(l, MDK_LINT_USER_NOT_NUMERIC, n, kw(n), n->start_line,
                      "USER %.*s by name: write its numeric id (USER 1000) "
                      "so the host and Kubernetes' runAsNonRoot can check it",
                      MDK_STR_FMT(name));
      }
      break;
    case MDK_FE_ARG:
      sensitive_names(l, c, n);
      for(j = 0; j < c->nargdefs; j++)
        mdk_vec_push(l->a, &defined, &c->argdefs[j].name);
      for(j = 0; j < c->nargdefs; j++)
        if(c->argdefs[j].has_value && secret_value(c->argdefs[j].value))
          lint_report(l, MDK_LINT_SECRET_VALUE, n, kw(n), n->start_line,
                      "ARG %.*s has a value that looks like a credential: "
                      "pass it with a secret mount",
                      MDK_STR_FMT(c->argdefs[j].name));
      break;
    case MDK_FE_ENV:
      sensitive_names(l, c, n);
      env_self_ref(l, c, &defined);
      for(j = 0; j < c->npairs; j++)
        mdk_vec_push(l->a, &defined, &c->keys[j * 3].val);
      for(j = 0; j < c->npairs; j++) {
        const struct mdk_fe_xval *v = xval(x, "value", j);
        if(secret_value(c->keys[j * 3 + 1].val))
          lint_report(l, MDK_LINT_SECRET_VALUE, n, kw(n), n->start_line,
                      "ENV %.*s has a value that looks like a credential: it "
                      "stays in the image", MDK_STR_FMT(c->keys[j * 3].val));
        if(mdk_str_eq_c(c->keys[j * 3].val, "PIP_NO_CACHE_DIR"))
          st->pip_no_cache = lint_truthy(v ? v->val : c->keys[j * 3 + 1].val);
      }
      break;
    default:
      break;
    }
    if(!run_prev && c->kind != MDK_FE_FROM)
      prev_run = NULL;
    else if(c->kind == MDK_FE_FROM)
      prev_run = NULL;
  }

  /* hadolint's DL3002: a stage whose last USER is root (a stage built
   * FROM it inherits it, and is reported there) */
  for(t = 0; t < (int)ns; t++) {
    const struct mdk_fe_cmd *u = own_user[t];
    const struct mdk_fe_xcmd *x;
    struct mdk_str v;
    if(!u || !u->nargs)
      continue;
    x = &l->sem->x[u - file->cmds];
    v = x->nvals ? x->vals[0].val : u->args[0].val;
    if(is_root_user(v))
      lint_report(l, MDK_LINT_USER_ROOT, u->node, kw(u->node),
                  u->node->start_line, "the last USER of this stage is root: "
                  "switch to an unprivileged user (a stage built FROM it runs "
                  "as root too)");
  }
  /* what the target image ends with */
  if(ns) {
    const struct stage_end *e = &ends[ns - 1];
    const struct mdk_fe_cmd *last_from = NULL;
    for(i = 0; i < file->ncmds; i++)
      if(file->cmds[i].kind == MDK_FE_FROM && l->sem->x[i].stage ==
         (int)ns - 1)
        last_from = &file->cmds[i];
    (void)e;
    if(last_from && !any_user)
      lint_report(l, MDK_LINT_NO_USER, last_from->node, kw(last_from->node),
                  last_from->node->start_line, "no USER: the image runs as "
                  "its base image's user, often root");
    if(last_from && !e->healthcheck)
      lint_report(l, MDK_LINT_NO_HEALTHCHECK, last_from->node,
                  kw(last_from->node), last_from->node->start_line,
                  "the image has no HEALTHCHECK");
  }
  lint_labels(l);
}
