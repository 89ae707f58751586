/* lint_config.c - the JSON config file, strictly checked. */
#include "lint/config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

int mdk_cli_lint_sev_parse(const char *s)
{
  static const char *const n[] = {"error", "warning", "info", "style",
                                  "ignore"};
  int i;
  for(i = 0; i < 5; i++)
    if(strcmp(s, n[i]) == 0)
      return i;
  return -1;
}

static const char *rule_list(struct mdk_arena *a, json_t *v, const char *key,
                             void (*set)(struct mdk_cli_lint_config *, int),
                             struct mdk_cli_lint_config *cfg)
{
  size_t i;
  json_t *e;
  if(!v)
    return NULL;
  if(!json_is_array(v))
    return mdk_arena_printf(a, "\"%s\" must be an array of rule ids", key);
  json_array_foreach(v, i, e) {
    int r = json_is_string(e) ? mdk_fe_rule_lookup(json_string_value(e)) : -1;
    if(r < 0)
      return mdk_arena_printf(a, "\"%s\": unknown rule %s (see mdock lint "
                              "--list-rules)", key, json_is_string(e)
                              ? json_string_value(e) : "(not a string)");
    set(cfg, r);
  }
  return NULL;
}

static void set_on(struct mdk_cli_lint_config *c, int r) { c->enabled[r] = 1; }
static void set_off(struct mdk_cli_lint_config *c, int r) { c->enabled[r] = -1; }
static void set_only(struct mdk_cli_lint_config *c, int r)
{
  c->only[r] = true;
  c->have_only = true;
}

static const char *const config_names[] = {".mdock-lint.json",
                                           ".hadolint.yaml", ".hadolint.yml"};

static char *user_config(void)
{
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  char cand[PATH_MAX + 64];
  size_t i;
  if(xdg && *xdg) {
    snprintf(cand, sizeof(cand), "%s/hadolint.yaml", xdg);
    if(access(cand, R_OK) == 0)
      return strdup(cand);
  }
  if(home && *home) {
    static const char *const user[] = {".config/hadolint.yaml",
                                       ".hadolint/hadolint.yaml",
                                       ".hadolint.yaml"};
    for(i = 0; i < sizeof(user) / sizeof(user[0]); i++) {
      snprintf(cand, sizeof(cand), "%s/%s", home, user[i]);
      if(access(cand, R_OK) == 0)
        return strdup(cand);
    }
  }
  return NULL;
}

static struct mdk_cli_lint_found *cached(struct mdk_cli_lint_finder *f,
                                         const char *dir)
{
  size_t i;
  for(i = f->n; i-- > 0;)
    if(strcmp(f->v[i].dir, dir) == 0)
      return &f->v[i];
  return NULL;
}

static void remember(struct mdk_cli_lint_finder *f, const char *dir,
                     const char *config)
{
  if(f->n == f->cap) {
    size_t ncap = f->cap ? f->cap * 2 : 16;
    struct mdk_cli_lint_found *nv = realloc(f->v, ncap * sizeof(*nv));
    if(!nv)
      return;                   /* only a cache */
    f->v = nv;
    f->cap = ncap;
  }
  f->v[f->n].dir = strdup(dir);
  f->v[f->n].config = config ? strdup(config) : NULL;
  if(f->v[f->n].dir)
    f->n++;
}

char *mdk_cli_lint_finder_find(struct mdk_cli_lint_finder *f, const char *dir)
{
  char cur[PATH_MAX], cand[PATH_MAX + 64];
  /* the directories walked so far, which get the answer found above */
  char *walked[64];
  size_t nwalked = 0, i;
  const char *answer = NULL;
  bool known = false;   /* answered by the walk or the cache */
  if(realpath(dir ? dir : ".", cur))
    for(;;) {
      struct mdk_cli_lint_found *c = cached(f, cur);
      char *slash;
      if(c) {
        answer = c->config;
        known = true;
        break;
      }
      for(i = 0; i < sizeof(config_names) / sizeof(config_names[0]); i++) {
        snprintf(cand, sizeof(cand), "%s/%s", strcmp(cur, "/") ? cur : "",
                 config_names[i]);
        if(access(cand, R_OK) == 0)
          break;
      }
      if(nwalked < sizeof(walked) / sizeof(walked[0]))
        walked[nwalked++] = strdup(cur);
      if(i < sizeof(config_names) / sizeof(config_names[0])) {
        answer = strdup(cand);
        known = true;
        /* the found path is remembered below, then freed */
        for(i = 0; i < nwalked; i++)
          if(walked[i])
            remember(f, walked[i], answer);
        for(i = 0; i < nwalked; i++)
          free(walked[i]);
        return (char *)answer;
      }
      slash = strrchr(cur, '/');
      if(!slash || (slash == cur && !cur[1]))
        break;
      if(slash == cur)
        cur[1] = '\0';
      else
        *slash = '\0';
    }
  if(!known) {
    if(!f->user_done) {
      f->user = user_config();
      f->user_done = true;
    }
    answer = f->user;
  }
  for(i = 0; i < nwalked; i++) {
    if(walked[i])
      remember(f, walked[i], answer);
    free(walked[i]);
  }
  return answer ? strdup(answer) : NULL;
}

void mdk_cli_lint_finder_free(struct mdk_cli_lint_finder *f)
{
  size_t i;
  for(i = 0; i < f->n; i++) {
    free(f->v[i].dir);
    free(f->v[i].config);
  }
  free(f->v);
  free(f->user);
  memset(f, 0, sizeof(*f));
}

char *mdk_cli_lint_config_find(const char *dir)
{
  struct mdk_cli_lint_finder f;
  char *r;
  memset(&f, 0, sizeof(f));
  r = mdk_cli_lint_finder_find(&f, dir);
  mdk_cli_lint_finder_free(&f);
  return r;
}

void mdk_cli_lint_config_init(struct mdk_cli_lint_config *cfg)
{
  int i;
  memset(cfg, 0, sizeof(*cfg));
  for(i = 0; i < MDK_LINT__COUNT; i++)
    cfg->sev[i] = -1;
  cfg->threshold = -1;
}

void mdk_cli_lint_add_trusted(struct mdk_arena *a,
                              struct mdk_cli_lint_config *c, const char *r)
{
  const char **v = mdk_arena_array(a, const char *, c->ntrusted + 1);
  if(c->ntrusted)
    memcpy(v, c->trusted, c->ntrusted * sizeof(*v));
  v[c->ntrusted++] = mdk_arena_strndup(a, r, strlen(r));
  c->trusted = v;
}

int mdk_cli_lint_label_type(const char *s)
{
  static const char *const n[] = {"text", "url", "rfc3339", "spdx", "hash",
                                  "semver", "email"};
  int i;
  for(i = 0; i < 7; i++)
    if(strcmp(s, n[i]) == 0)
      return i;
  return -1;
}

bool mdk_cli_lint_add_label(struct mdk_arena *a, struct mdk_cli_lint_config *c,
                            const char *name, size_t len, int type)
{
  struct mdk_lint_label_rule *v;
  if(!len || type < 0)
    return false;
  v = mdk_arena_array(a, struct mdk_lint_label_rule, c->nlabels + 1);
  if(c->nlabels)
    memcpy(v, c->labels, c->nlabels * sizeof(*v));
  v[c->nlabels].name = mdk_arena_strndup(a, name, len);
  v[c->nlabels].type = (enum mdk_lint_label_type)type;
  c->labels = v;
  c->nlabels++;
  return true;
}

void mdk_cli_lint_sc_code(struct mdk_arena *a, struct mdk_cli_lint_config *c,
                          const char *code, int sev)
{
  struct mdk_cli_lint_sc *v = mdk_arena_array(a, struct mdk_cli_lint_sc,
                                               c->nsc + 1);
  if(c->nsc)
    memcpy(v, c->sc, c->nsc * sizeof(*v));
  v[c->nsc].code = mdk_arena_strndup(a, code, strlen(code));
  v[c->nsc].sev = sev;
  c->sc = v;
  c->nsc++;
}

int mdk_cli_lint_sc_sev(const struct mdk_cli_lint_config *c, const char *code,
                        int sev)
{
  size_t i;
  for(i = 0; i < c->nsc; i++)     /* the last word wins */
    if(strcmp(c->sc[i].code, code) == 0)
      sev = c->sc[i].sev;
  return sev;
}

void mdk_cli_lint_config_merge(struct mdk_arena *a,
                               struct mdk_cli_lint_config *f,
                               const struct mdk_cli_lint_config *cli)
{
  size_t i;
  int r;
  for(r = 0; r < MDK_LINT__COUNT; r++) {
    if(cli->enabled[r])
      f->enabled[r] = cli->enabled[r];
    if(cli->sev[r] >= 0)
      f->sev[r] = cli->sev[r];
  }
  if(cli->threshold >= 0)
    f->threshold = cli->threshold;
  f->no_inline_ignores |= cli->no_inline_ignores;
  f->strict_labels |= cli->strict_labels;
  f->no_fail |= cli->no_fail;
  for(i = 0; i < cli->ntrusted; i++)
    mdk_cli_lint_add_trusted(a, f, cli->trusted[i]);
  for(i = 0; i < cli->nsc; i++)
    mdk_cli_lint_sc_code(a, f, cli->sc[i].code, cli->sc[i].sev);
  for(i = 0; i < cli->nlabels; i++)
    mdk_cli_lint_add_label(a, f, cli->labels[i].name,
                           strlen(cli->labels[i].name), (int)cli->labels[i].type);
}

enum mdk_status mdk_cli_lint_config_load(struct mdk_arena *a, const char *path,
                                         const char *dir,
                                         struct mdk_cli_lint_config *cfg,
                                         const char **why)
{
  json_error_t err;
  json_t *root, *v;
  char *found = NULL;
  const char *k;
  int i;

  (void)i;
  mdk_cli_lint_config_init(cfg);
  if(path && !*path)
    return MDK_OK;
  if(!path) {
    found = mdk_cli_lint_config_find(dir);
    if(!found)
      return MDK_OK;
    path = found;
  }
  cfg->path = mdk_arena_strndup(a, path, strlen(path));
  free(found);
  if((strlen(cfg->path) > 5 &&
      strcmp(cfg->path + strlen(cfg->path) - 5, ".yaml") == 0) ||
     (strlen(cfg->path) > 4 &&
      strcmp(cfg->path + strlen(cfg->path) - 4, ".yml") == 0))
    return mdk_cli_lint_config_yaml(a, cfg->path, cfg, why);
  root = json_load_file(cfg->path, JSON_REJECT_DUPLICATES, &err);
  if(!root) {
    *why = mdk_arena_printf(a, "%s:%d:%d: %s", cfg->path, err.line,
                            err.column, err.text);
    return MDK_EINPUT;
  }
  if(!json_is_object(root)) {
    *why = mdk_arena_printf(a, "%s: the config must be a JSON object",
                            cfg->path);
    json_decref(root);
    return MDK_EINPUT;
  }
  json_object_foreach(root, k, v) {
    const char *e = NULL;
    if(strcmp(k, "enable") == 0)
      e = rule_list(a, v, k, set_on, cfg);
    else if(strcmp(k, "disable") == 0)
      e = rule_list(a, v, k, set_off, cfg);
    else if(strcmp(k, "only") == 0)
      e = rule_list(a, v, k, set_only, cfg);
    else if(strcmp(k, "no-inline-ignores") == 0) {
      if(!json_is_boolean(v))
        e = "\"no-inline-ignores\" must be true or false";
      else
        cfg->no_inline_ignores = json_is_true(v);
    }
    else if(strcmp(k, "failure-threshold") == 0) {
      cfg->threshold = json_is_string(v)
                         ? mdk_cli_lint_sev_parse(json_string_value(v)) : -1;
      if(cfg->threshold < 0)
        e = "\"failure-threshold\" must be error, warning, info or style";
    }
    else if(strcmp(k, "severity") == 0) {
      const char *rk;
      json_t *rv;
      if(!json_is_object(v))
        e = "\"severity\" must map rule ids to error|warning|info|style|ignore";
      else
        json_object_foreach(v, rk, rv) {
          int r = mdk_fe_rule_lookup(rk);
          int s = json_is_string(rv) ? mdk_cli_lint_sev_parse(
                                         json_string_value(rv)) : -1;
          if(r < 0 || s < 0) {
            e = mdk_arena_printf(a, "\"severity\": %s %s", rk,
                                 r < 0 ? "is not a rule id"
                                       : "needs error|warning|info|style|"
                                         "ignore");
            break;
          }
          cfg->sev[r] = (signed char)s;
        }
    }
    else {
      e = mdk_arena_printf(a, "unknown key \"%s\" (keys: enable, disable, "
                           "only, severity, no-inline-ignores, "
                           "failure-threshold)", k);
    }
    if(e) {
      *why = mdk_arena_printf(a, "%s: %s", cfg->path, e);
      json_decref(root);
      return MDK_EINPUT;
    }
  }
  json_decref(root);
  return MDK_OK;
}
