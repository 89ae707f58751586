/* lint_output.c - writers for each lint output format. */
#include "cli/lint_output.h"

#include <string.h>

#include <jansson.h>

#include "base/sha256.h"

#define MDOCK_URI "https://github.com/mdock/mdock"

int mdk_cli_lint_format_parse(const char *s)
{
  static const char *const names[] = {"tty", "json", "sarif", "checkstyle",
                                      "gitlab"};
  int i;
  for(i = 0; i < 5; i++)
    if(strcmp(s, names[i]) == 0)
      return i;
  return -1;
}

/* BuildKit documents its checks at docs.docker.com; mdock's rules in the
 * README's rule list. */
const char *mdk_cli_rule_url(struct mdk_arena *a, enum mdk_fe_rule r)
{
  const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(r);
  if(ri->cat == MDK_LINT_BUILDKIT) {
    /* StageNameCasing -> stage-name-casing */
    char buf[128];
    size_t i, n = 0;
    for(i = 0; ri->id[i] && n + 2 < sizeof(buf); i++) {
      char ch = ri->id[i];
      if(ch >= 'A' && ch <= 'Z') {
        if(i)
          buf[n++] = '-';
        ch = (char)(ch - 'A' + 'a');
      }
      buf[n++] = ch;
    }
    buf[n] = '\0';
    /* "JSONArgs..." and "InvalidDefaultArg..." keep acronyms together */
    if(strcmp(ri->id, "JSONArgsRecommended") == 0)
      strcpy(buf, "json-args-recommended");
    return mdk_arena_printf(a, "https://docs.docker.com/go/dockerfile/rule/"
                            "%s/", buf);
  }
  return mdk_arena_printf(a, MDOCK_URI "/blob/main/docs/rules.md#%s",
                          ri->id);
}

struct span {
  uint32_t line, col, end_line, end_col;
};

static struct span span_of(const struct mdk_cli_lint_file *lf,
                           const struct mdk_fe_finding *f)
{
  struct span s = {f->line ? f->line : 1, 1, f->line ? f->line : 1, 1};
  if(f->loc.src) {
    struct mdk_pos a = mdk_source_pos(f->loc.src, f->loc.start);
    struct mdk_pos b = mdk_source_pos(f->loc.src, f->loc.end > f->loc.start
                                                  ? f->loc.end
                                                  : f->loc.start);
    if(!f->line)
      s.line = a.line;
    s.col = a.line == s.line ? a.col : 1;
    s.end_line = b.line >= s.line ? b.line : s.line;
    s.end_col = b.col;
  }
  (void)lf;
  return s;
}

static const char *sarif_level(enum mdk_fe_lint_sev s)
{
  return s == MDK_LINT_ERROR ? "error" : s == MDK_LINT_WARNING ? "warning"
                                                               : "note";
}

static const char *gitlab_sev(enum mdk_fe_lint_sev s)
{
  return s == MDK_LINT_ERROR ? "major" : s == MDK_LINT_WARNING ? "minor"
                                                               : "info";
}

static void xml(FILE *out, const char *s)
{
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    switch(c) {
    case '&': fputs("&amp;", out); break;
    case '<': fputs("&lt;", out); break;
    case '>': fputs("&gt;", out); break;
    case '"': fputs("&quot;", out); break;
    case '\'': fputs("&apos;", out); break;
    default:
      /* XML 1.0 forbids most control characters */
      if(c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        fputc('?', out);
      else
        fputc(c, out);
    }
  }
}

static void write_tty(FILE *out, const struct mdk_cli_lint_file *files,
                      size_t n, bool color)
{
  size_t i, k;
  for(i = 0; i < n; i++)
    for(k = 0; k < files[i].n; k++) {
      const struct mdk_fe_finding *f = &files[i].f[k];
      struct mdk_diag dg = {0};
      dg.sev = f->sev == MDK_LINT_ERROR ? MDK_SEV_ERROR
             : f->sev == MDK_LINT_WARNING ? MDK_SEV_WARNING : MDK_SEV_NOTE;
      dg.loc = f->loc;
      dg.msg = f->msg;
      dg.rule = mdk_fe_rule_info(f->rule)->id;
      if(!dg.loc.src)
        fprintf(out, "%s: ", files[i].name);
      mdk_diag_print(&dg, out, color);
    }
}

static json_t *location_json(const struct mdk_cli_lint_file *lf,
                             const struct mdk_fe_finding *f)
{
  struct span s = span_of(lf, f);
  return json_pack("{s:{s:{s:s},s:{s:i,s:i,s:i,s:i}}}", "physicalLocation",
                   "artifactLocation", "uri", lf->name, "region",
                   "startLine", (int)s.line, "startColumn", (int)s.col,
                   "endLine", (int)s.end_line, "endColumn", (int)s.end_col);
}

void mdk_cli_lint_write(FILE *out, enum mdk_cli_lint_format fmt,
                        const struct mdk_cli_lint_file *files, size_t n,
                        bool color)
{
  struct mdk_arena a;
  size_t i, k;
  json_t *root = NULL;
  mdk_arena_init(&a);

  switch(fmt) {
  case MDK_LINT_FMT_TTY:
    write_tty(out, files, n, color);
    break;
  case MDK_LINT_FMT_JSON:
    root = json_array();
    for(i = 0; i < n; i++)
      for(k = 0; k < files[i].n; k++) {
        const struct mdk_fe_finding *f = &files[i].f[k];
        struct span s = span_of(&files[i], f);
        json_array_append_new(root, json_pack(
          "{s:s,s:i,s:i,s:i,s:i,s:s,s:s,s:s,s:s}", "file", files[i].name,
          "line", (int)s.line, "column", (int)s.col, "end_line",
          (int)s.end_line, "end_column", (int)s.end_col, "rule",
          mdk_fe_rule_info(f->rule)->id, "severity",
          mdk_fe_lint_sev_name(f->sev), "message", f->msg, "doc",
          mdk_fe_rule_info(f->rule)->doc));
      }
    break;
  case MDK_LINT_FMT_SARIF: {
    json_t *rules = json_array(), *results = json_array();
    int r;
    for(r = 0; r < MDK_LINT__COUNT; r++) {
      const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(r);
      json_array_append_new(rules, json_pack(
        "{s:s,s:{s:s},s:s,s:{s:s}}", "id", ri->id, "shortDescription",
        "text", ri->doc, "helpUri", mdk_cli_rule_url(&a, r),
        "defaultConfiguration", "level", sarif_level(ri->sev)));
    }
    for(i = 0; i < n; i++)
      for(k = 0; k < files[i].n; k++) {
        const struct mdk_fe_finding *f = &files[i].f[k];
        json_array_append_new(results, json_pack(
          "{s:s,s:i,s:s,s:{s:s},s:[o]}", "ruleId",
          mdk_fe_rule_info(f->rule)->id, "ruleIndex", (int)f->rule, "level",
          sarif_level(f->sev), "message", "text", f->msg, "locations",
          location_json(&files[i], f)));
      }
    root = json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:s,s:o}},s:o}]}",
                     "version", "2.1.0", "$schema",
                     "https://json.schemastore.org/sarif-2.1.0.json", "runs",
                     "tool", "driver", "name", "mdock", "version", "0.1.0",
                     "informationUri", MDOCK_URI, "rules", rules, "results",
                     results);
    break;
  }
  case MDK_LINT_FMT_GITLAB:
    root = json_array();
    for(i = 0; i < n; i++)
      for(k = 0; k < files[i].n; k++) {
        const struct mdk_fe_finding *f = &files[i].f[k];
        struct span s = span_of(&files[i], f);
        struct mdk_sha256 h;
        uint8_t d[32];
        char hex[65];
        int j;
        /* stable across runs: file, rule, message (not the line, so a
         * finding keeps its identity when code above it moves) */
        mdk_sha256_init(&h);
        mdk_sha256_update(&h, files[i].name, strlen(files[i].name) + 1);
        mdk_sha256_update(&h, mdk_fe_rule_info(f->rule)->id,
                          strlen(mdk_fe_rule_info(f->rule)->id) + 1);
        mdk_sha256_update(&h, f->msg, strlen(f->msg));
        mdk_sha256_final(&h, d);
        for(j = 0; j < 32; j++)
          snprintf(hex + 2 * j, 3, "%02x", d[j]);
        json_array_append_new(root, json_pack(
          "{s:s,s:s,s:s,s:s,s:s,s:{s:s,s:{s:i,s:i}}}", "type", "issue",
          "description", f->msg, "check_name", mdk_fe_rule_info(f->rule)->id,
          "fingerprint", hex, "severity", gitlab_sev(f->sev), "location",
          "path", files[i].name, "lines", "begin", (int)s.line, "end",
          (int)s.end_line));
      }
    break;
  case MDK_LINT_FMT_CHECKSTYLE:
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<checkstyle version=\"4.3\">\n", out);
    for(i = 0; i < n; i++) {
      fputs("  <file name=\"", out);
      xml(out, files[i].name);
      fputs("\">\n", out);
      for(k = 0; k < files[i].n; k++) {
        const struct mdk_fe_finding *f = &files[i].f[k];
        struct span s = span_of(&files[i], f);
        fprintf(out, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" "
                "message=\"", s.line, s.col,
                f->sev == MDK_LINT_ERROR ? "error"
                : f->sev == MDK_LINT_WARNING ? "warning" : "info");
        xml(out, f->msg);
        fputs("\" source=\"mdock.", out);
        xml(out, mdk_fe_rule_info(f->rule)->id);
        fputs("\"/>\n", out);
      }
      fputs("  </file>\n", out);
    }
    fputs("</checkstyle>\n", out);
    break;
  }
  if(root) {
    json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', out);
    json_decref(root);
  }
  mdk_arena_fini(&a);
}
