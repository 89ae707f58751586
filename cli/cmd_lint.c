/* cmd_lint.c - mdock lint: Modal compatibility, BuildKit's build checks
 * and best practice over many Dockerfiles, in the format a CI wants. */
#include "cli/commands.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/input.h"
#include "lint/lint.h"

enum { O_FORMAT = 1, O_DIALECT, O_THRESHOLD, O_CONFIG, O_CONTEXT,
       O_BUILD_ARG, O_LIST_RULES, O_NO_COLOR, O_IGNORE, O_ERROR, O_WARNING,
       O_INFO, O_STYLE, O_TRUSTED, O_REQUIRE_LABEL, O_STRICT_LABELS,
       O_NO_PRAGMA, O_NO_FAIL, O_SHELLCHECK, O_NO_SHELLCHECK, O_FILES_FROM,
       O_REPORT_PATH, O_VERSION, O_VERBOSE };

static const struct mdk_cli_opt opts[] = {
  {O_FORMAT, "format", 'f', MDK_ARG_VALUE, NULL,
   "tty|json|sarif|checkstyle|gitlab|codeclimate|gitlab_codeclimate|gnu|"
   "codacy|sonarqube|junit|rdjson|rdjsonl",
   "how findings are written (default tty;\ncodeclimate, gitlab_codeclimate, "
   "gnu,\ncodacy, sonarqube and junit as hadolint;\nrdjson and rdjsonl for "
   "reviewdog)"},
  {O_REPORT_PATH, "file-path-in-report", 0, MDK_ARG_VALUE, "PATH", NULL,
   "the file's name in what is written (hadolint's;\nfor a Dockerfile on "
   "stdin, or linted in a\ncontainer)"},
  {O_DIALECT, "dialect", 0, MDK_ARG_VALUE, NULL, "modal|docker",
   "modal (default) adds the Modal rules"},
  {O_THRESHOLD, "failure-threshold", 't', MDK_ARG_VALUE, NULL,
   "error|warning|info|style", "exit 1 at or above (default info, as "
   "hadolint)"},
  {O_CONFIG, "config", 'c', MDK_ARG_VALUE, "FILE", NULL,
   "default: .mdock-lint.json, .hadolint.yaml or\n.hadolint.yml upward "
   "from each Dockerfile,\nthen hadolint's user configs"},
  {O_IGNORE, "ignore", 0, MDK_ARG_VALUE, "RULE", NULL,
   "leave out a rule (MD004, DL3008, SC2086...);\nrepeatable"},
  {O_ERROR, "error", 0, MDK_ARG_VALUE, "RULE", NULL,
   "report RULE as an error (and --warning,\n--info, --style)"},
  {O_WARNING, "warning", 0, MDK_ARG_VALUE, "RULE", NULL,
   "report RULE as a warning"},
  {O_INFO, "info", 0, MDK_ARG_VALUE, "RULE", NULL, "report RULE as info"},
  {O_STYLE, "style", 0, MDK_ARG_VALUE, "RULE", NULL,
   "report RULE as style"},
  {O_TRUSTED, "trusted-registry", 0, MDK_ARG_VALUE, "REGISTRY", NULL,
   "FROM only these registries (DL3026);\nrepeatable, '*' patterns"},
  {O_REQUIRE_LABEL, "require-label", 0, MDK_ARG_VALUE, "NAME:TYPE", NULL,
   "a label the image must have (label-schema;\ntypes text, url, email, "
   "rfc3339, spdx,\nhash, semver)"},
  {O_STRICT_LABELS, "strict-labels", 0, MDK_ARG_NONE, NULL, NULL,
   "labels outside the label-schema are findings"},
  {O_NO_PRAGMA, "disable-ignore-pragma", 0, MDK_ARG_NONE, NULL, NULL,
   "ignore comments and pragmas do not apply"},
  {O_NO_FAIL, "no-fail", 0, MDK_ARG_NONE, NULL, NULL,
   "exit 0 even when something is found"},
  {O_SHELLCHECK, "shellcheck", 0, MDK_ARG_NONE, NULL, NULL,
   "run ShellCheck on every RUN script (the\ndefault when shellcheck is "
   "installed; an\nerror when it is not)"},
  {O_NO_SHELLCHECK, "no-shellcheck", 0, MDK_ARG_NONE, NULL, NULL,
   "no ShellCheck findings (SCxxxx)"},
  {O_CONTEXT, "context", 0, MDK_ARG_VALUE, "DIR", NULL,
   "build context, for .dockerignore and scripts\n(default: the current "
   "directory in the modal\ndialect, as Modal's from_dockerfile; the\n"
   "Dockerfile's directory in the docker dialect)"},
  {O_BUILD_ARG, "build-arg", 0, MDK_ARG_VALUE, "K=V", NULL,
   "BUILDKIT_DOCKERFILE_CHECK=... as BuildKit reads it\n(other build "
   "arguments are accepted and unused)"},
  {O_FILES_FROM, "files-from", 0, MDK_ARG_VALUE, "FILE", NULL,
   "lint the Dockerfiles FILE names ('-': standard\ninput), a line each, or "
   "NUL-separated (find\n-print0): no limit or cost of a long argument\n"
   "list; repeatable"},
  MDK_IN_OPT_COMMANDS,
  {O_LIST_RULES, "list-rules", 0, MDK_ARG_NONE, NULL, NULL,
   "every rule: id, hadolint code, severity,\ncategory and what it is about"},
  {O_NO_COLOR, "no-color", 0, MDK_ARG_NONE, NULL, NULL,
   "no colours (also NO_COLOR)"},
  {O_VERBOSE, "verbose", 'V', MDK_ARG_NONE, NULL, NULL,
   "say on stderr which config each directory's\nfiles use, and what was "
   "linted"},
  {O_VERSION, "version", 'v', MDK_ARG_NONE, NULL, NULL,
   "the version (hadolint's -v)"},
  {0}
};

struct lint_opts {
  struct mdk_arena *a;
  struct mdk_vec files;         /* const char * */
  const char *format, *config, *context, *check_override;
  enum mdk_fe_dialect dialect;
  int threshold;
  bool color, list_rules, version, verbose;
  bool format_set;                   /* -f or HADOLINT_FORMAT given */
  const char *report_path;           /* --file-path-in-report */
  int shellcheck;                    /* -1 default, 0 off, 1 asked for */
  struct mdk_cli_lint_config cli;    /* hadolint's flags, over each config */
  struct mdk_cli_input in;           /* --command lists */
  const char *bad;                   /* an unknown rule or label type */
};

static void cli_rule(struct lint_opts *o, const char *code, int sev)
{
  int r = mdk_fe_rule_lookup(code);
  if(r < 0 && strncmp(code, "SC", 2) == 0)
    r = MDK_LINT_SHELLCHECK;     /* ShellCheck codes: see shellcheck.c */
  if(r < 0) {
    o->bad = mdk_arena_printf(o->a, "unknown rule %s (see mdock lint "
                              "--list-rules)", code);
    return;
  }
  if(strncmp(code, "SC", 2) == 0) {
    mdk_cli_lint_sc_code(o->a, &o->cli, code, sev);
    return;
  }
  if(sev < 0)
    o->cli.enabled[r] = -1;
  else
    o->cli.sev[r] = (signed char)sev;
}

static void list_rules(void)
{
  static const char *const cats[] = {"core", "buildkit", "practice", "modal"};
  int r;
  for(r = 0; r < MDK_LINT__COUNT; r++) {
    const struct mdk_fe_rule_info *ri = mdk_fe_rule_info(r);
    printf("%-32s %-7s %-8s %-9s %s%s\n", ri->id,
           ri->alias[0] ? ri->alias : "-", mdk_fe_lint_sev_name(ri->sev),
           cats[ri->cat], ri->experimental ? "(experimental) " : "",
           ri->doc);
  }
}

struct lint_sink_ctx {
  struct mdk_cli_lint_writer *w;
  int rc;
  bool io_error;
};

/* Writes one linted file, in input order; an invalid config stops the run. */
static bool lint_sink(void *p, struct mdk_cli_lint_job *job)
{
  struct lint_sink_ctx *c = p;
  if(job->error) {
    fprintf(stderr, "mdock: error: %s\n", job->error);
    if(job->config_error) {
      c->rc = 2;
      return false;
    }
    c->io_error = true;
    return true;
  }
  if(job->formatted)
    mdk_cli_lint_put(c->w, mdk_buf_str(&job->text));
  else
    mdk_cli_lint_file(c->w, &job->lf);
  if(job->failed && c->rc == 0)
    c->rc = 1;
  return true;
}

/* The names in a --files-from list, appended to the files: NUL-separated
 * when the list holds a NUL (no path can), else a line each (a CR before
 * the newline dropped, blank lines skipped).  0, or 2 with the error
 * said. */
static int files_from(struct lint_opts *o, const char *list)
{
  struct mdk_source *src;
  int err = 0;
  char *text, *p, *end, sep;
  if(mdk_source_read(o->a, list, (size_t)1 << 30, &src, &err)) {
    fprintf(stderr, "mdock: error: --files-from %s: %s\n", list,
            err ? strerror(err) : "larger than 1 GiB");
    return 2;
  }
  /* a copy the names are cut out of in place */
  text = mdk_arena_strndup(o->a, src->data, src->len);
  end = text + src->len;
  sep = memchr(text, '\0', src->len) ? '\0' : '\n';
  for(p = text; p < end;) {
    char *e = memchr(p, sep, (size_t)(end - p)), *name = p;
    if(!e)
      e = end;
    *e = '\0';
    p = e + 1;
    if(sep == '\n' && e > name && e[-1] == '\r')
      e[-1] = '\0';
    if(!*name)
      continue;
    if(strcmp(name, "-") == 0 && strcmp(list, "-") == 0) {
      fprintf(stderr, "mdock: error: --files-from -: the list names "
              "standard input, which is the list itself\n");
      return 2;
    }
    mdk_vec_push(o->a, &o->files, (const char **)&name);
  }
  return 0;
}

/* hadolint's environment variables, read before the command line (which
 * wins): HADOLINT_NOFAIL, HADOLINT_FORMAT, HADOLINT_FAILURE_THRESHOLD,
 * HADOLINT_IGNORE and HADOLINT_OVERRIDE_{ERROR,WARNING,INFO,STYLE} (comma
 * lists), HADOLINT_ALLOWED_REGISTRIES (or HADOLINT_TRUSTED_REGISTRIES),
 * HADOLINT_REQUIRE_LABELS (NAME:TYPE,...), HADOLINT_STRICT_LABELS,
 * HADOLINT_DISABLE_IGNORE_PRAGMA, HADOLINT_VERBOSE */
static int on_arg(void *p, int id, const char *v);

/* hadolint's truthy: 1, y, on, true or yes, in any case */
static bool env_on(const char *name)
{
  const char *v = getenv(name);
  return v && (!strcmp(v, "1") || !strcasecmp(v, "y") ||
               !strcasecmp(v, "on") || !strcasecmp(v, "true") ||
               !strcasecmp(v, "yes"));
}

static void env_list(struct lint_opts *o, const char *name, int id)
{
  const char *v = getenv(name);
  while(v && *v) {
    const char *e = strchr(v, ',');
    size_t n = e ? (size_t)(e - v) : strlen(v);
    while(n && (*v == ' ')) {
      v++;
      n--;
    }
    if(n)
      on_arg(o, id, mdk_arena_strndup(o->a, v, n));
    v = e ? e + 1 : NULL;
  }
}

static void hadolint_env(struct lint_opts *o)
{
  const char *f = getenv("HADOLINT_FORMAT"), *t =
    getenv("HADOLINT_FAILURE_THRESHOLD");
  if(f && mdk_cli_lint_format_parse(f) >= 0)
    o->format = f, o->format_set = true;
  o->verbose |= env_on("HADOLINT_VERBOSE");
  if(t && mdk_cli_lint_sev_parse(t) >= 0)
    o->threshold = mdk_cli_lint_sev_parse(t);
  o->cli.no_fail |= env_on("HADOLINT_NOFAIL");
  o->cli.strict_labels |= env_on("HADOLINT_STRICT_LABELS");
  o->cli.no_inline_ignores |= env_on("HADOLINT_DISABLE_IGNORE_PRAGMA");
  env_list(o, "HADOLINT_IGNORE", O_IGNORE);
  env_list(o, "HADOLINT_OVERRIDE_ERROR", O_ERROR);
  env_list(o, "HADOLINT_OVERRIDE_WARNING", O_WARNING);
  env_list(o, "HADOLINT_OVERRIDE_INFO", O_INFO);
  env_list(o, "HADOLINT_OVERRIDE_STYLE", O_STYLE);
  env_list(o, "HADOLINT_TRUSTED_REGISTRIES", O_TRUSTED);
  env_list(o, "HADOLINT_ALLOWED_REGISTRIES", O_TRUSTED);   /* its newer name */
  env_list(o, "HADOLINT_REQUIRE_LABELS", O_REQUIRE_LABEL);
}

static int on_arg(void *p, int id, const char *v)
{
  struct lint_opts *o = p;
  if(mdk_cli_input_opt(o->a, &o->in, id, v))
    return 0;
  switch(id) {
  case O_FORMAT: o->format = v; o->format_set = true; break;
  case O_DIALECT:
    o->dialect = strcmp(v, "docker") == 0 ? MDK_FE_DIALECT_DOCKER
                                          : MDK_FE_DIALECT_MODAL;
    break;
  case O_THRESHOLD: o->threshold = mdk_cli_lint_sev_parse(v); break;
  case O_CONFIG: o->config = v; break;
  case O_CONTEXT: o->context = v; break;
  case O_BUILD_ARG:
    if(strncmp(v, "BUILDKIT_DOCKERFILE_CHECK=", 26) == 0)
      o->check_override = v + 26;
    break;
  case O_LIST_RULES: o->list_rules = mdk_cli_on(v); break;
  case O_IGNORE: cli_rule(o, v, -1); break;
  case O_ERROR: cli_rule(o, v, MDK_LINT_ERROR); break;
  case O_WARNING: cli_rule(o, v, MDK_LINT_WARNING); break;
  case O_INFO: cli_rule(o, v, MDK_LINT_INFO); break;
  case O_STYLE: cli_rule(o, v, MDK_LINT_STYLE); break;
  case O_TRUSTED: mdk_cli_lint_add_trusted(o->a, &o->cli, v); break;
  case O_REQUIRE_LABEL: {
    const char *colon = strchr(v, ':');
    if(!colon || !mdk_cli_lint_add_label(o->a, &o->cli, v,
                                         (size_t)(colon - v),
                                         mdk_cli_lint_label_type(colon + 1)))
      o->bad = mdk_arena_printf(o->a, "--require-label %s: write NAME:TYPE "
                                "with TYPE text, url, email, rfc3339, spdx, "
                                "hash or semver", v);
    break;
  }
  case O_STRICT_LABELS: o->cli.strict_labels = mdk_cli_on(v); break;
  case O_NO_PRAGMA: o->cli.no_inline_ignores = mdk_cli_on(v); break;
  case O_NO_FAIL: o->cli.no_fail = mdk_cli_on(v); break;
  case O_SHELLCHECK: o->shellcheck = mdk_cli_on(v) ? 1 : 0; break;
  case O_NO_SHELLCHECK: o->shellcheck = mdk_cli_on(v) ? 0 : 1; break;
  case O_NO_COLOR: o->color = !mdk_cli_on(v) && o->color; break;
  case O_FILES_FROM: return files_from(o, v);   /* in place, in order */
  case O_REPORT_PATH: o->report_path = v; break;
  case O_VERSION: o->version = mdk_cli_on(v); break;
  case O_VERBOSE: o->verbose = mdk_cli_on(v); break;
  default: mdk_vec_push(o->a, &o->files, &v);
  }
  return 0;
}

/* What a config says of the whole run, as hadolint reads its one config
 * (--config, else the one found from the current directory): format,
 * no-color and verbose, under the command line and the environment; an
 * explicit config's threshold applies to every file. */
static int config_run(struct mdk_arena *a, struct lint_opts *o)
{
  struct mdk_cli_lint_config c0;
  const char *why = NULL;
  char *found = o->config ? NULL : mdk_cli_lint_config_find(".");
  const char *path = o->config ? o->config : found;
  if(!path)
    return 0;
  if(mdk_cli_lint_config_load(a, path, ".", &c0, &why)) {
    free(found);
    if(!o->config)
      return 0;                 /* a found one's error is said per file */
    fprintf(stderr, "mdock: error: invalid lint config: %s\n", why);
    return 2;
  }
  free(found);
  if(o->config && o->threshold < 0)
    o->threshold = c0.threshold;
  if(c0.format && !o->format_set)
    o->format = c0.format;
  if(c0.no_color)
    o->color = false;
  o->verbose |= c0.verbose;
  return 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_arena a;
  struct lint_opts o;
  struct mdk_cli_lint_writer writer;
  struct mdk_source *list_src = NULL;
  int rc, fmt;

  mdk_arena_init(&a);
  memset(&o, 0, sizeof(o));
  o.a = &a;
  o.files = MDK_VEC_INIT(const char *);
  o.format = "tty";
  o.dialect = MDK_FE_DIALECT_MODAL;
  o.threshold = -1;
  o.shellcheck = -1;
  o.color = isatty(1) && !getenv("NO_COLOR");
  mdk_cli_lint_config_init(&o.cli);
  mdk_cli_input_init(&o.in);
  hadolint_env(&o);
  rc = mdk_cli_each(cmd, argc, argv, on_arg, &o);
  if(rc)
    goto done;
  if(o.bad) {
    rc = mdk_cli_usage_error(cmd, "%s", o.bad);
    goto done;
  }
  if(o.shellcheck == 1 && !mdk_lint_shellcheck_available()) {
    fprintf(stderr, "mdock: error: --shellcheck: shellcheck is not on PATH "
            "(install Debian's shellcheck package: apt-get install "
            "shellcheck)\n");
    rc = 2;
    goto done;
  }
  if(o.shellcheck < 0)
    o.shellcheck = mdk_lint_shellcheck_available();
  if(o.version) {
    printf("mdock lint 0.1.0 (hadolint's DL rules, BuildKit's checks, "
           "Modal's)\n");
    goto done;
  }
  if(o.list_rules) {
    list_rules();
    goto done;
  }
  if(mdk_cli_input_is_list(&o.in)) {
    /* a dockerfile_commands list, located as --command[i]:line:col */
    static const char *const list_name[] = {"--command"};
    if(o.files.len) {
      rc = mdk_cli_usage_error(cmd, "give Dockerfiles or a --command list, "
                               "not both");
      goto done;
    }
    o.in.dialect = o.dialect;
    rc = mdk_cli_input_load(&a, &o.in, cmd, &list_src);
    if(rc)
      goto done;
    mdk_vec_push(&a, &o.files, &list_name[0]);
  }
  if(!o.files.len) {
    rc = mdk_cli_usage_error(cmd, "no Dockerfile given");
    goto done;
  }
  rc = config_run(&a, &o);
  if(rc)
    goto done;
  fmt = mdk_cli_lint_format_parse(o.format);
  mdk_cli_lint_begin(&writer, stdout, (enum mdk_cli_lint_format)fmt,
                     o.color && fmt == MDK_LINT_FMT_TTY);
  {
    struct mdk_cli_lint_run_opts ro = {o.dialect, o.config, o.context,
                                       o.check_override, o.threshold,
                                       &o.cli, o.shellcheck == 1, list_src,
                                       &writer, o.report_path, o.verbose};
    struct lint_sink_ctx sc = {&writer, 0, false};
    if(o.verbose)
      fprintf(stderr, "mdock lint: %zu file%s, %s dialect, ShellCheck %s%s%s\n",
              o.files.len, o.files.len == 1 ? "" : "s",
              o.dialect == MDK_FE_DIALECT_MODAL ? "modal" : "docker",
              o.shellcheck == 1 ? "on" : "off",
              o.config ? ", config " : "", o.config ? o.config : "");
    mdk_cli_lint_run(&ro, o.files.items, o.files.len, lint_sink, &sc);
    rc = sc.io_error ? 2 : sc.rc;
    if(rc == 1 && o.cli.no_fail)
      rc = 0;
  }
  mdk_cli_lint_end(&writer);
done:
  mdk_arena_fini(&a);
  return rc < 0 ? 0 : rc;
}

const struct mdk_cli_cmd mdk_cli_cmd_lint = {
  "lint", "[options] DOCKERFILE... | -",
  "find what will break or differ (Modal, BuildKit checks)",
  "Finds what will break or differ: Modal compatibility, BuildKit's build\n"
  "checks, best practice (every hadolint DL rule, by its DL code too) and\n"
  "ShellCheck inside RUN.  BuildKit's `# check=` directives, hadolint's\n"
  "`# hadolint ignore=`/`global ignore=`/`shell=` pragmas, .hadolint.yaml\n"
  "and .mdock-lint.json configs apply as their users expect.  Every rule is\n"
  "documented in docs/rules.md.",
  opts,
  "  mdock lint Dockerfile\n"
  "  mdock lint --dialect docker --format sarif */Dockerfile > lint.sarif\n"
  "  mdock lint --failure-threshold error Dockerfile\n"
  "  mdock lint -f json --ignore DL3008 --ignore SC2086 Dockerfile\n"
  "  mdock lint --trusted-registry docker.io --require-label \\\n"
  "      org.opencontainers.image.version:semver Dockerfile\n"
  "  mdock lint --from python:3.12 --command 'RUN pip install x' \\\n"
  "      --command 'ENTRYPOINT [\"python\", \"-m\", \"app\"]'\n"
  "  mdock lint --commands-file commands.json --from debian:12\n"
  "  mdock lint --list-rules\n"
  "  git ls-files '*Dockerfile*' | mdock lint --files-from -\n",
  "exit status: 0 clean, 1 findings at or above the threshold,\n"
  "2 usage or I/O error\n",
  run, false, false
};
