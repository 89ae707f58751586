/* config_yaml.c - hadolint's config file, read with libyaml and checked as
 * strictly as .mdock-lint.json: an unknown key or a wrong type is an error
 * that names the file and line, never silently ignored. */
#include "lint/config.h"
#include "lint/output.h"

#include <stdio.h>
#include <string.h>

#include <yaml.h>

struct ycfg {
  struct mdk_arena *a;
  yaml_document_t *doc;
  struct mdk_cli_lint_config *cfg;
  const char *path;
  int sev;                      /* the override level being read */
};

static const char *scalar(yaml_node_t *n)
{
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                          : NULL;
}

static const char *where(struct ycfg *y, yaml_node_t *n, const char *fmt,
                         const char *what)
{
  return mdk_arena_printf(y->a, "%s:%lu:%lu: %s%s", y->path,
                          (unsigned long)n->start_mark.line + 1,
                          (unsigned long)n->start_mark.column + 1,
                          what ? what : "", fmt);
}

/* a list of strings, or one string (hadolint accepts both for
 * trustedRegistries) */
static const char *strings(struct ycfg *y, yaml_node_t *n, const char *key,
                           void (*each)(struct ycfg *, const char *, bool *),
                           bool *bad)
{
  yaml_node_item_t *it;
  if(scalar(n)) {
    each(y, scalar(n), bad);
    return *bad ? where(y, n, " is not a rule code (see mdock lint "
                        "--list-rules)", scalar(n)) : NULL;
  }
  if(n->type != YAML_SEQUENCE_NODE)
    return where(y, n, "\" must be a list", mdk_arena_printf(y->a, "\"%s",
                                                            key));
  for(it = n->data.sequence.items.start; it < n->data.sequence.items.top;
      it++) {
    yaml_node_t *e = yaml_document_get_node(y->doc, *it);
    if(!scalar(e))
      return where(y, e, "\" must hold strings", mdk_arena_printf(
                     y->a, "\"%s", key));
    each(y, scalar(e), bad);
    if(*bad)
      return where(y, e, " is not a rule code (see mdock lint --list-rules)",
                   scalar(e));
  }
  return NULL;
}

static void ignore_one(struct ycfg *y, const char *code, bool *bad)
{
  int r = mdk_fe_rule_lookup(code);
  if(r < 0 && code[0] == 'S' && code[1] == 'C') {
    mdk_cli_lint_sc_code(y->a, y->cfg, code, -1);
    return;
  }
  if(r < 0) {
    *bad = true;
    return;
  }
  y->cfg->enabled[r] = -1;
}

static void override_one(struct ycfg *y, const char *code, bool *bad)
{
  int r = mdk_fe_rule_lookup(code);
  if(r < 0 && code[0] == 'S' && code[1] == 'C') {
    mdk_cli_lint_sc_code(y->a, y->cfg, code, y->sev);
    return;
  }
  if(r < 0) {
    *bad = true;
    return;
  }
  y->cfg->sev[r] = (signed char)y->sev;
}

static void trusted_one(struct ycfg *y, const char *reg, bool *bad)
{
  (void)bad;
  mdk_cli_lint_add_trusted(y->a, y->cfg, reg);
}

static bool boolean(const char *s, bool *out)
{
  if(!s)
    return false;
  if(!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes")) {
    *out = true;
    return true;
  }
  if(!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "no")) {
    *out = false;
    return true;
  }
  return false;
}

static const char *key_value(struct ycfg *y, const char *k, yaml_node_t *v)
{
  const char *e = NULL;
  bool bad = false, b;
  if(!strcmp(k, "ignored"))
    return strings(y, v, k, ignore_one, &bad);
  if(!strcmp(k, "trustedRegistries"))
    return strings(y, v, k, trusted_one, &bad);
  if(!strcmp(k, "override")) {
    yaml_node_pair_t *p;
    if(v->type != YAML_MAPPING_NODE)
      return where(y, v, "\"override\" must map error|warning|info|style to "
                   "rule lists", NULL);
    for(p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
      yaml_node_t *kn = yaml_document_get_node(y->doc, p->key);
      const char *lvl = scalar(kn);
      y->sev = lvl ? mdk_cli_lint_sev_parse(lvl) : -1;
      if(y->sev < 0 || y->sev == MDK_LINT_IGNORE)
        return where(y, kn, "\" under override: use error, warning, info "
                     "or style", mdk_arena_printf(y->a, "\"%s",
                                                  lvl ? lvl : "?"));
      e = strings(y, yaml_document_get_node(y->doc, p->value), lvl,
                  override_one, &bad);
      if(e)
        return e;
    }
    return NULL;
  }
  if(!strcmp(k, "label-schema")) {
    yaml_node_pair_t *p;
    if(v->type != YAML_MAPPING_NODE)
      return where(y, v, "\"label-schema\" must map label names to types",
                   NULL);
    for(p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
      const char *name = scalar(yaml_document_get_node(y->doc, p->key));
      yaml_node_t *tn = yaml_document_get_node(y->doc, p->value);
      const char *type = scalar(tn);
      if(!name || !type || !mdk_cli_lint_add_label(
           y->a, y->cfg, name, strlen(name), mdk_cli_lint_label_type(type)))
        return where(y, tn, " is not a label type (text, url, email, "
                     "rfc3339, spdx, hash, semver)", type ? type : "?");
    }
    return NULL;
  }
  if(!strcmp(k, "failure-threshold")) {
    const char *s = scalar(v);
    y->cfg->threshold = s ? mdk_cli_lint_sev_parse(s) : -1;
    if(y->cfg->threshold < 0 || y->cfg->threshold == MDK_LINT_IGNORE)
      return where(y, v, "\"failure-threshold\" must be error, warning, info "
                   "or style", NULL);
    return NULL;
  }
  if(!strcmp(k, "strict-labels") || !strcmp(k, "no-fail") ||
     !strcmp(k, "disable-ignore-pragma") || !strcmp(k, "no-color") ||
     !strcmp(k, "verbose")) {
    if(!boolean(scalar(v), &b))
      return where(y, v, "\" must be true or false", mdk_arena_printf(
                     y->a, "\"%s", k));
    if(!strcmp(k, "strict-labels"))
      y->cfg->strict_labels = b;
    else if(!strcmp(k, "no-fail"))
      y->cfg->no_fail = b;
    else if(!strcmp(k, "disable-ignore-pragma"))
      y->cfg->no_inline_ignores = b;
    else if(!strcmp(k, "no-color"))
      y->cfg->no_color = b;
    else
      y->cfg->verbose = b;
    return NULL;
  }
  if(!strcmp(k, "format")) {
    const char *s = scalar(v);
    if(!s || mdk_cli_lint_format_parse(s) < 0)
      return where(y, v, "\"format\" must be tty, json, checkstyle, "
                   "codeclimate, gitlab_codeclimate, gnu, codacy, sonarqube, "
                   "sarif or junit", NULL);
    y->cfg->format = mdk_arena_strndup(y->a, s, strlen(s));
    return NULL;
  }
  /* hadolint has no such setting; accepted as before, unused */
  if(!strcmp(k, "output-file"))
    return NULL;
  return where(y, v, "\" is not a hadolint config key (ignored, override, "
               "trustedRegistries, label-schema, strict-labels, "
               "failure-threshold, no-fail, disable-ignore-pragma, format)",
               mdk_arena_printf(y->a, "\"%s", k));
}

enum mdk_status mdk_cli_lint_config_yaml(struct mdk_arena *a, const char *path,
                                         struct mdk_cli_lint_config *cfg,
                                         const char **why)
{
  FILE *f = fopen(path, "rb");
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_node_t *root;
  struct ycfg y = {a, &doc, cfg, path, -1};
  const char *e = NULL;
  if(!f) {
    *why = mdk_arena_printf(a, "%s: cannot open", path);
    return MDK_EINPUT;
  }
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, f);
  if(!yaml_parser_load(&parser, &doc)) {
    *why = mdk_arena_printf(a, "%s:%lu:%lu: %s", path,
                            (unsigned long)parser.problem_mark.line + 1,
                            (unsigned long)parser.problem_mark.column + 1,
                            parser.problem ? parser.problem : "invalid YAML");
    yaml_parser_delete(&parser);
    fclose(f);
    return MDK_EINPUT;
  }
  root = yaml_document_get_root_node(&doc);
  if(root && root->type == YAML_MAPPING_NODE) {
    yaml_node_pair_t *p;
    for(p = root->data.mapping.pairs.start;
        !e && p < root->data.mapping.pairs.top; p++) {
      const char *k = scalar(yaml_document_get_node(&doc, p->key));
      e = key_value(&y, k ? k : "", yaml_document_get_node(&doc, p->value));
    }
  }
  else if(root && !(root->type == YAML_SCALAR_NODE &&
                    !root->data.scalar.length)) {
    e = mdk_arena_printf(a, "%s: the config must be a mapping", path);
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  fclose(f);
  if(e) {
    *why = e;
    return MDK_EINPUT;
  }
  return MDK_OK;
}
