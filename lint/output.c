/* lint_output.c - writers for each lint output format. */
#include "lint/output.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/base.h"

#define MDOCK_URI "https://github.com/mdock/mdock"

int mdk_cli_lint_format_parse(const char *s)
{
  static const char *const names[] = {"tty", "json", "sarif", "checkstyle",
                                      "gitlab", "codeclimate", "gnu",
                                      "codacy", "sonarqube", "junit",
                                      "rdjson", "rdjsonl"};
  int i;
  for(i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
    if(strcmp(s, names[i]) == 0)
      return i;
  /* hadolint's spellings */
  if(strcmp(s, "gitlab_codeclimate") == 0)
    return MDK_LINT_FMT_GITLAB;
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
  /* docs/rules.md has a heading per rule; GitHub's anchor is its id in
   * lower case */
  return mdk_str_lower(a, mdk_str_c(mdk_arena_printf(
    a, MDOCK_URI "/blob/main/docs/rules.md#%s", ri->id))).ptr;
}

struct span {
  uint32_t line, col, end_line, end_col;
  const char *name;             /* the file, or a --command[i] entry */
};

/* The line last looked up: findings come sorted by line, and the next is
 * most often on the same one (no search then). */
struct line_memo {
  const struct mdk_source *src;
  struct mdk_pos p;
};

static struct mdk_pos pos_of(struct line_memo *m, const struct mdk_source *src,
                             uint32_t off)
{
  if(m->src == src && !src->nsegs && off >= m->p.line_start &&
     off <= m->p.line_end) {
    struct mdk_pos p = m->p;
    p.col = off - p.line_start + 1;
    return p;
  }
  m->src = src;
  m->p = mdk_source_pos(src, off);
  return m->p;
}

static struct span span_of(const struct mdk_cli_lint_file *lf,
                           const struct mdk_fe_finding *f,
                           struct line_memo *m)
{
  struct span s = {f->line ? f->line : 1, 1, f->line ? f->line : 1, 1,
                   lf->name};
  if(f->loc.src) {
    uint32_t end = f->loc.end > f->loc.start ? f->loc.end : f->loc.start;
    struct mdk_pos a = pos_of(m, f->loc.src, f->loc.start), b = a;
    /* most findings end on the line they start on: no second search */
    if(f->loc.src->nsegs || end > a.line_end)
      b = pos_of(m, f->loc.src, end);
    else
      b.col = a.col + (end - f->loc.start);
    /* a dockerfile_commands list: lines are counted in each entry */
    bool seg = f->loc.src->nsegs > 0;
    if(!f->line || seg)
      s.line = a.line;
    s.col = a.line == s.line ? a.col : 1;
    s.end_line = b.line >= s.line ? b.line : s.line;
    s.end_col = b.col;
    if(seg && a.name)
      s.name = a.name;
  }
  return s;
}

static const char *sarif_level(enum mdk_fe_lint_sev s)
{
  return s == MDK_LINT_ERROR ? "error" : s == MDK_LINT_WARNING ? "warning"
                                                               : "note";
}

/* hadolint's code for a finding: its DL alias or ShellCheck code, else
 * mdock's id */
static const char *hadolint_code(const struct mdk_fe_finding *f)
{
  const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
  return f->code ? f->code : ri->alias[0] ? ri->alias : ri->id;
}

/* reviewdog's severities */
static const char *rd_sev(enum mdk_fe_lint_sev s)
{
  return s == MDK_LINT_ERROR ? "ERROR" : s == MDK_LINT_WARNING ? "WARNING"
                                                               : "INFO";
}

/* SonarQube's generic issue severities and types, as hadolint maps them */
static const char *sonar_sev(enum mdk_fe_lint_sev s)
{
  return s == MDK_LINT_ERROR ? "CRITICAL" : s == MDK_LINT_WARNING ? "MAJOR"
       : s == MDK_LINT_INFO ? "MINOR" : "INFO";
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

/* MD004/DL3008: mdock's id and hadolint's code; a ShellCheck finding is
 * shown by its SC code */
static const char *rule_tag(struct mdk_arena *a, const struct mdk_fe_finding *f)
{
  const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
  if(f->code)
    return f->code;
  if(!ri->alias[0])
    return ri->id;
  return mdk_arena_printf(a, "%s/%s", ri->id, ri->alias);
}

static void write_tty(FILE *out, const struct mdk_cli_lint_file *files,
                      size_t n, bool color)
{
  size_t i, k;
  struct mdk_arena a;
  mdk_arena_init(&a);
  for(i = 0; i < n; i++)
    for(k = 0; k < files[i].n; k++) {
      const struct mdk_fe_finding *f = &files[i].f[k];
      struct mdk_diag dg = {0};
      dg.sev = f->sev == MDK_LINT_ERROR ? MDK_SEV_ERROR
             : f->sev == MDK_LINT_WARNING ? MDK_SEV_WARNING : MDK_SEV_NOTE;
      dg.loc = f->loc;
      dg.msg = f->msg;
      dg.rule = rule_tag(&a, f);
      if(!dg.loc.src)
        fprintf(out, "%s: ", files[i].name);
      mdk_diag_print(&dg, out, color);
    }
  mdk_arena_fini(&a);
}

/* JSON strings must be UTF-8: invalid bytes from a Dockerfile become
 * U+FFFD */
static json_t *jstr(const char *s)
{
  json_t *j = json_string(s);
  struct mdk_buf b;
  size_t i = 0, n = strlen(s), w;
  if(j)
    return j;
  mdk_buf_init(&b, (size_t)1 << 24);
  while(i < n) {
    uint32_t r = mdk_utf8_decode(s + i, n - i, &w);
    char enc[4];
    (void)mdk_buf_append(&b, enc, mdk_utf8_encode(r, enc));
    i += w;
  }
  j = json_stringn(b.ptr ? b.ptr : "", b.len);
  mdk_buf_free(&b);
  return j;
}

static char *put(char *p, const char *s, size_t n)
{
  memcpy(p, s, n);
  return p + n;
}
#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

/* A rule's "description" and "doc" members, quoted once for the run: the
 * first thread to need them makes them; one that loses the race to publish
 * frees its copy. */
static struct mdk_str quoted_doc(struct mdk_cli_lint_writer *w, int r)
{
  static const char oom[] = "\"description\": \"\",\n    \"doc\": \"\"";
  struct mdk_str *q = atomic_load_explicit(&w->quoted_doc[r],
                                           memory_order_acquire), *none = NULL;
  struct mdk_str desc = mdk_str_c(mdk_fe_rule_info(r)->doc), url;
  struct mdk_arena a;
  char *p;
  if(q)
    return *q;
  mdk_arena_init(&a);
  url = mdk_str_c(mdk_cli_rule_url(&a, r));
  /* the mdk_str heads its text; quoting takes at most 6 bytes a byte */
  q = malloc(sizeof(*q) + 64 + 6 * (desc.len + url.len));
  if(!q) {
    mdk_arena_fini(&a);
    return mdk_str_make(oom, sizeof(oom) - 1);   /* still valid JSON */
  }
  p = (char *)(q + 1);
  p = PUT_LIT(p, "\"description\": ");
  p = mdk_jsonw_quote_to(p, desc);
  p = PUT_LIT(p, ",\n    \"doc\": ");
  p = mdk_jsonw_quote_to(p, url);
  mdk_arena_fini(&a);
  *q = mdk_str_make((char *)(q + 1), (size_t)(p - (char *)(q + 1)));
  if(!atomic_compare_exchange_strong_explicit(&w->quoted_doc[r], &none, q,
                                              memory_order_acq_rel,
                                              memory_order_acquire)) {
    free(q);
    q = none;
  }
  return *q;
}

void mdk_cli_lint_begin(struct mdk_cli_lint_writer *w, FILE *out,
                        enum mdk_cli_lint_format fmt, bool color)
{
  int r;
  w->out = out;
  w->fmt = fmt;
  w->color = color;
  /* to a file or a pipe, in 64 KiB writes (stdio's default is the file's
   * block size: a write per 4 KiB of findings); a terminal stays line
   * buffered, so findings show as they come */
  if(!isatty(fileno(out))) {
    /* (glibc takes the size only with a buffer; stdout outlives the
     * writer, so the buffer is static) */
    static char obuf[64 << 10];
    (void)setvbuf(out, obuf, _IOFBF, sizeof(obuf));
  }
  w->doc = NULL;
  w->any = false;
  for(r = 0; r < MDK_LINT__COUNT; r++)
    atomic_init(&w->quoted_doc[r], (struct mdk_str *)NULL);
  if(fmt == MDK_LINT_FMT_SARIF || fmt == MDK_LINT_FMT_GITLAB ||
     fmt == MDK_LINT_FMT_SONARQUBE || fmt == MDK_LINT_FMT_RDJSON)
    w->doc = json_array();
  if(fmt == MDK_LINT_FMT_JUNIT) {
    /* hadolint's: the run's start in its id and name */
    time_t now = time(NULL);
    struct tm tm;
    char id[32], name[64];
    gmtime_r(&now, &tm);
    strftime(id, sizeof(id), "%Y%m%d_%H%M%S", &tm);
    strftime(name, sizeof(name), "mdock run at %Y-%m-%d %H:%M:%S", &tm);
    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites id=\"%s\" name=\"%s\" time=\"0.001\">\n", id,
            name);
  }
  if(fmt == MDK_LINT_FMT_JSON)  /* streamed: no tree of every finding */
    fputc('[', out);
  if(fmt == MDK_LINT_FMT_CHECKSTYLE)
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<checkstyle version=\"4.3\">\n", out);
}

static char *put_uint(char *p, uint32_t v)
{
  return p + mdk_fmt_dec(p, v, false);
}

/* One finding of --format json, formatted straight into the file's text
 * (the corpus bench writes 9,000 of them; the generic writer's per-call
 * checks were a third of the run), with the separator before it unless it
 * is the file's first.  The layout is what mdk_jsonw writes at depth 1. */
static void json_finding(struct mdk_buf *out, bool first,
                         struct mdk_str qname, const struct mdk_fe_finding *f,
                         const struct mdk_fe_rule_info *ri, struct span s,
                         struct mdk_str qdoc)
{
  struct mdk_str msg = mdk_str_c(f->msg);
  const char *sev = mdk_fe_lint_sev_name(f->sev);
  const char *code = f->code ? f->code : ri->alias[0] ? ri->alias : ri->id;
  size_t id_len = strlen(ri->id), doc_len = qdoc.len;
  size_t code_len = strlen(code), sev_len = strlen(sev);
  char *p0, *p;
  p0 = mdk_buf_reserve(out, 256 + qname.len + 6 * (id_len + msg.len) +
                              6 * code_len + doc_len + 2 * sev_len);
  if(!p0)
    return;
  p = first ? p0 : PUT_LIT(p0, ",\n  ");
  p = PUT_LIT(p, "{\n    \"file\": ");
  p = put(p, qname.ptr, qname.len);
  p = PUT_LIT(p, ",\n    \"line\": ");
  p = put_uint(p, s.line);
  p = PUT_LIT(p, ",\n    \"column\": ");
  p = put_uint(p, s.col);
  p = PUT_LIT(p, ",\n    \"end_line\": ");
  p = put_uint(p, s.end_line);
  p = PUT_LIT(p, ",\n    \"end_column\": ");
  p = put_uint(p, s.end_col);
  /* rule ids and codes are letters and digits: nothing to escape */
  p = PUT_LIT(p, ",\n    \"rule\": \"");
  p = put(p, ri->id, id_len);
  p = PUT_LIT(p, "\",\n    \"code\": \"");
  p = put(p, code, code_len);
  p = PUT_LIT(p, "\",\n    \"severity\": \"");
  p = put(p, sev, sev_len);
  p = PUT_LIT(p, "\",\n    \"level\": \"");
  p = put(p, sev, sev_len);
  p = PUT_LIT(p, "\",\n    \"message\": ");
  p = mdk_jsonw_quote_to(p, msg);
  p = PUT_LIT(p, ",\n    ");
  p = put(p, qdoc.ptr, doc_len);
  p = PUT_LIT(p, "\n  }");
  mdk_buf_commit(out, (size_t)(p - p0));
}

/* One file's findings as elements of the JSON array, separated (the
 * writer puts the separator before the file's first). */
static void format_json(struct mdk_cli_lint_writer *w,
                        const struct mdk_cli_lint_file *lf,
                        struct mdk_buf *out)
{
  /* the file name and the docs repeat in every finding: quoted once */
  struct mdk_buf qname;
  struct line_memo lm = {0};
  size_t k;
  mdk_buf_init(&qname, SIZE_MAX);
  mdk_jsonw_quote(&qname, mdk_str_c(lf->name));
  /* a finding takes about 500 bytes: one allocation, not a doubling */
  (void)mdk_buf_reserve(out, lf->n * (640 + qname.len));
  for(k = 0; k < lf->n; k++) {
    const struct mdk_fe_finding *f = &lf->f[k];
    const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
    struct span s = span_of(lf, f, &lm);
    struct mdk_str qdoc = quoted_doc(w, f->rule);
    if(s.name != lf->name) {
      struct mdk_buf qs;
      mdk_buf_init(&qs, SIZE_MAX);
      mdk_jsonw_quote(&qs, mdk_str_c(s.name));
      json_finding(out, k == 0, mdk_buf_str(&qs), f, ri, s, qdoc);
      mdk_buf_free(&qs);
      continue;
    }
    json_finding(out, k == 0, mdk_buf_str(&qname), f, ri, s, qdoc);
  }
  mdk_buf_free(&qname);
}

static void write_checkstyle(FILE *out, const struct mdk_cli_lint_file *lf)
{
  /* a commands list: a <file> per entry, as the findings name them */
  const char *open_name = NULL;
  struct line_memo lm = {0};
  size_t k;
  for(k = 0; k < lf->n; k++) {
    const struct mdk_fe_finding *f = &lf->f[k];
    struct span s = span_of(lf, f, &lm);
    if(!open_name || strcmp(open_name, s.name) != 0) {
      if(open_name)
        fputs("  </file>\n", out);
      fputs("  <file name=\"", out);
      xml(out, s.name);
      fputs("\">\n", out);
      open_name = s.name;
    }
    fprintf(out, "    <error line=\"%u\" column=\"%u\" severity=\"%s\" "
            "message=\"", s.line, s.col,
            f->sev == MDK_LINT_ERROR ? "error"
            : f->sev == MDK_LINT_WARNING ? "warning" : "info");
    xml(out, f->msg);
    fputs("\" source=\"mdock.", out);
    xml(out, f->code ? f->code : mdk_fe_rule_info(f->rule)->id);
    fputs("\"/>\n", out);
  }
  if(!open_name) {            /* a clean file still gets its element */
    fputs("  <file name=\"", out);
    xml(out, lf->name);
    fputs("\">\n", out);
  }
  fputs("  </file>\n", out);
}

/* hadolint's junit: a testsuite a file, a testcase a finding (attributes
 * in the order its XML writer sorts them) */
static void write_junit(FILE *out, const struct mdk_cli_lint_file *lf)
{
  struct line_memo lm = {0};
  size_t k;
  fprintf(out, "  <testsuite errors=\"0\" failures=\"%zu\" id=\"mdock\" "
          "name=\"mdock 0.1.0\" time=\"0.001\">\n", lf->n);
  for(k = 0; k < lf->n; k++) {
    const struct mdk_fe_finding *f = &lf->f[k];
    struct span s = span_of(lf, f, &lm);
    const char *code = hadolint_code(f), *sev = mdk_fe_lint_sev_name(f->sev);
    fputs("    <testcase id=\"mdock.rule.", out);
    xml(out, code);
    fputs("\" time=\"0.001\">\n      <failure id=\"", out);
    xml(out, code);
    fputs("\" message=\"", out);
    xml(out, f->msg);
    fprintf(out, "\" type=\"%s\">File: ", sev);
    xml(out, s.name);
    fprintf(out, "\nLine: %u\nColumn: %u\nCategory: mdock - Dockerfile "
            "Static Analysis\n%s: ", s.line, s.col, sev);
    xml(out, f->msg);
    fputs("\n</failure>\n    </testcase>\n", out);
  }
  fputs("  </testsuite>\n", out);
}

bool mdk_cli_lint_format(struct mdk_cli_lint_writer *w,
                         const struct mdk_cli_lint_file *lf,
                         struct mdk_buf *out)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f;
  mdk_buf_init(out, SIZE_MAX);
  if(w->fmt == MDK_LINT_FMT_JSON) {
    format_json(w, lf, out);
    return true;
  }
  if(w->fmt != MDK_LINT_FMT_TTY && w->fmt != MDK_LINT_FMT_CHECKSTYLE)
    return false;
  if(!(f = open_memstream(&text, &len)))
    return false;               /* mdk_cli_lint_file writes it directly */
  if(w->fmt == MDK_LINT_FMT_TTY)
    write_tty(f, lf, 1, w->color);
  else
    write_checkstyle(f, lf);
  if(fclose(f) == 0)
    (void)mdk_buf_append(out, text, len);
  free(text);
  return true;
}

void mdk_cli_lint_put(struct mdk_cli_lint_writer *w, struct mdk_str text)
{
  if(!text.len)
    return;
  if(w->fmt == MDK_LINT_FMT_JSON)
    fputs(w->any ? ",\n  " : "\n  ", w->out);
  fwrite(text.ptr, 1, text.len, w->out);
  w->any = true;
}

void mdk_cli_lint_file(struct mdk_cli_lint_writer *w,
                       const struct mdk_cli_lint_file *lf)
{
  json_t *arr = w->doc;
  struct line_memo lm = {0};
  struct mdk_buf text;
  size_t k;
  FILE *out = w->out;
  struct mdk_arena a;
  if(mdk_cli_lint_format(w, lf, &text)) {
    mdk_cli_lint_put(w, mdk_buf_str(&text));
    mdk_buf_free(&text);
    return;
  }
  mdk_arena_init(&a);
  switch(w->fmt) {
  case MDK_LINT_FMT_TTY:        /* no memory for a text: straight out */
    write_tty(out, lf, 1, w->color);
    break;
  case MDK_LINT_FMT_CHECKSTYLE:
    write_checkstyle(out, lf);
    break;
  case MDK_LINT_FMT_SARIF:
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      struct span s = span_of(lf, f, &lm);
      json_array_append_new(arr, json_pack(
        "{s:s,s:i,s:s,s:{s:o},s:[{s:{s:{s:o},s:{s:i,s:i,s:i,s:i}}}]}",
        "ruleId", f->code ? f->code : mdk_fe_rule_info(f->rule)->id,
        "ruleIndex", (int)f->rule,
        "level", sarif_level(f->sev), "message", "text", jstr(f->msg),
        "locations", "physicalLocation", "artifactLocation", "uri",
        jstr(s.name), "region", "startLine", (int)s.line, "startColumn",
        (int)s.col, "endLine", (int)s.end_line, "endColumn",
        (int)s.end_col));
    }
    break;
  case MDK_LINT_FMT_GNU:
    /* GNU's program:file:line:col: message, the code and level first */
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      struct span s = span_of(lf, f, &lm);
      fprintf(out, "mdock:%s:%u:%u: %s %s: %s\n", s.name, s.line, s.col,
              hadolint_code(f), mdk_fe_lint_sev_name(f->sev), f->msg);
    }
    break;
  case MDK_LINT_FMT_CODACY:
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      struct span s = span_of(lf, f, &lm);
      json_t *issue = json_pack("{s:o,s:i,s:o,s:s}", "filename",
                                jstr(s.name), "line", (int)s.line,
                                "message", jstr(f->msg), "patternId",
                                hadolint_code(f));
      json_dumpf(issue, out, JSON_COMPACT);
      fputc('\n', out);
      json_decref(issue);
    }
    break;
  case MDK_LINT_FMT_SONARQUBE:
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      struct span s = span_of(lf, f, &lm);
      /* columns from 0; a range that would be empty is one character */
      int c0 = (int)s.col - 1, c1 = (int)s.end_col - 1;
      if(s.end_line == s.line && c1 <= c0)
        c1 = c0 + 1;
      json_array_append_new(arr, json_pack(
        "{s:s,s:s,s:s,s:s,s:{s:o,s:o,s:{s:i,s:i,s:i,s:i}}}", "engineId",
        "mdock", "ruleId", hadolint_code(f), "severity", sonar_sev(f->sev),
        "type", f->sev == MDK_LINT_ERROR ? "BUG" : "CODE_SMELL",
        "primaryLocation", "message", jstr(f->msg), "filePath",
        jstr(s.name), "textRange", "startLine", (int)s.line, "endLine",
        (int)s.end_line, "startColumn", c0, "endColumn", c1));
    }
    break;
  case MDK_LINT_FMT_JUNIT:
    write_junit(out, lf);
    break;
  case MDK_LINT_FMT_RDJSON:
  case MDK_LINT_FMT_RDJSONL:
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      struct span s = span_of(lf, f, &lm);
      json_t *d = json_pack(
        "{s:o,s:{s:o,s:{s:{s:i,s:i},s:{s:i,s:i}}},s:s,s:{s:s,s:s}}",
        "message", jstr(f->msg), "location", "path", jstr(s.name), "range",
        "start", "line", (int)s.line, "column", (int)s.col, "end", "line",
        (int)s.end_line, "column", (int)s.end_col, "severity",
        rd_sev(f->sev), "code", "value", hadolint_code(f), "url",
        f->code ? mdk_arena_printf(&a, "https://www.shellcheck.net/wiki/%s",
                                   f->code)
                : mdk_cli_rule_url(&a, f->rule));
      if(w->fmt == MDK_LINT_FMT_RDJSON) {
        json_array_append_new(arr, d);
        continue;
      }
      /* rdjsonl: each line a whole diagnostic, its source named */
      json_object_set_new(d, "source", json_pack("{s:s,s:s}", "name",
                                                 "mdock", "url", MDOCK_URI));
      json_dumpf(d, out, JSON_COMPACT);
      fputc('\n', out);
      json_decref(d);
    }
    break;
  case MDK_LINT_FMT_GITLAB:
  case MDK_LINT_FMT_CODECLIMATE:
    for(k = 0; k < lf->n; k++) {
      const struct mdk_fe_finding *f = &lf->f[k];
      const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(f->rule);
      const char *code = hadolint_code(f);
      struct span s = span_of(lf, f, &lm);
      struct mdk_sha256 h;
      uint8_t d[32];
      char hex[65];
      int j;
      json_t *issue;
      /* stable across runs: file, rule, message (not the line, so a
       * finding keeps its identity when code above it moves) */
      mdk_sha256_init(&h);
      mdk_sha256_update(&h, s.name, strlen(s.name) + 1);
      mdk_sha256_update(&h, code, strlen(code) + 1);
      mdk_sha256_update(&h, f->msg, strlen(f->msg));
      mdk_sha256_final(&h, d);
      for(j = 0; j < 32; j++)
        snprintf(hex + 2 * j, 3, "%02x", d[j]);
      issue = json_pack(
        "{s:s,s:o,s:s,s:s,s:s,s:{s:o,s:{s:i,s:i}}}", "type", "issue",
        "description", jstr(f->msg), "check_name", code, "fingerprint", hex,
        "severity", gitlab_sev(f->sev), "location", "path", jstr(s.name),
        "lines", "begin", (int)s.line, "end", (int)s.end_line);
      if(w->fmt == MDK_LINT_FMT_GITLAB) {
        json_array_append_new(arr, issue);
        continue;
      }
      /* Code Climate's engine format: one issue, then a NUL */
      json_object_set_new(issue, "categories", json_pack(
        "[s]", ri->cat == MDK_LINT_PRACTICE && f->sev > MDK_LINT_WARNING
                 ? "Style" : "Bug Risk"));
      json_dumpf(issue, out, JSON_COMPACT | JSON_ENSURE_ASCII);
      fputc('\0', out);
      json_decref(issue);
    }
    break;
  default:                      /* json: always formatted above */
    break;
  }
  mdk_arena_fini(&a);
}

void mdk_cli_lint_end(struct mdk_cli_lint_writer *w)
{
  json_t *root = w->doc;
  struct mdk_arena a;
  int r;
  mdk_arena_init(&a);
  if(w->fmt == MDK_LINT_FMT_SARIF) {
    json_t *rules = json_array();
    for(r = 0; r < MDK_LINT__COUNT; r++) {
      const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(r);
      json_array_append_new(rules, json_pack(
        "{s:s,s:{s:s},s:s,s:{s:s}}", "id", ri->id, "shortDescription",
        "text", ri->doc, "helpUri", mdk_cli_rule_url(&a, r),
        "defaultConfiguration", "level", sarif_level(ri->sev)));
    }
    root = json_pack("{s:s,s:s,s:[{s:{s:{s:s,s:s,s:s,s:o}},s:o}]}",
                     "version", "2.1.0", "$schema",
                     "https://json.schemastore.org/sarif-2.1.0.json", "runs",
                     "tool", "driver", "name", "mdock", "version", "0.1.0",
                     "informationUri", MDOCK_URI, "rules", rules, "results",
                     w->doc);
  }
  if(w->fmt == MDK_LINT_FMT_SONARQUBE)
    root = json_pack("{s:o}", "issues", w->doc);
  if(w->fmt == MDK_LINT_FMT_RDJSON)
    root = json_pack("{s:{s:s,s:s},s:o}", "source", "name", "mdock", "url",
                     MDOCK_URI, "diagnostics", w->doc);
  if(w->fmt == MDK_LINT_FMT_JUNIT)
    fputs("</testsuites>\n", w->out);
  if(w->fmt == MDK_LINT_FMT_CHECKSTYLE)
    fputs("</checkstyle>\n", w->out);
  if(w->fmt == MDK_LINT_FMT_JSON)
    fputs(w->any ? "\n]\n" : "]\n", w->out);
  for(r = 0; r < MDK_LINT__COUNT; r++)
    free(atomic_load(&w->quoted_doc[r]));
  if(root) {
    json_dumpf(root, w->out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', w->out);
    json_decref(root);
  }
  mdk_arena_fini(&a);
}
