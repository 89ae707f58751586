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

char *mdk_cli_lint_config_find(const char *dir)
{
  char cur[PATH_MAX], cand[PATH_MAX + 32];
  if(!realpath(dir ? dir : ".", cur))
    return NULL;
  for(;;) {
    char *slash;
    snprintf(cand, sizeof(cand), "%s/.mdock-lint.json", cur);
    if(access(cand, R_OK) == 0)
      return strdup(cand);
    slash = strrchr(cur, '/');
    if(!slash || slash == cur)
      break;
    *slash = '\0';
  }
  return NULL;
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

  memset(cfg, 0, sizeof(*cfg));
  for(i = 0; i < MDK_LINT__COUNT; i++)
    cfg->sev[i] = -1;
  cfg->threshold = -1;
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
