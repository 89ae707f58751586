/* test_cli.c - the Go template subset of --format (each form against what
 * Go's text/template and docker print), docker's table layout, the option
 * parser's pflag forms and docker's time texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/commands.h"
#include "cli/gotmpl.h"
#include "cli/opts.h"

static json_t *data(void)
{
  json_error_t je;
  json_t *j = json_loads(
    "{\"Id\":\"sha256:abc\",\"RepoTags\":[\"app:1\",\"app:latest\"],"
    "\"Config\":{\"Env\":[\"A=1\",\"B=<2>\"],\"Cmd\":[\"sh\"],"
    "\"Entrypoint\":null,\"Labels\":{\"z\":\"last\",\"a\":\"first\"},"
    "\"User\":\"\"},\"Size\":1234,\"Os\":\"linux\",\"Empty\":[]}", 0, &je);
  assert_non_null(j);
  return j;
}

/* runs tpl over the data; the text it printed (malloc'd) */
static char *run(const char *tpl)
{
  json_t *d = data();
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  struct mdk_err e;
  assert_non_null(f);
  if(mdk_tmpl_check(tpl, NULL, &e) != MDK_OK)
    fail_msg("%s: %s", tpl, e.msg);
  mdk_tmpl_run(tpl, d, f);
  fclose(f);
  json_decref(d);
  return buf;
}

static void expect(const char *tpl, const char *want)
{
  char *got = run(tpl);
  if(strcmp(got, want) != 0)
    fail_msg("%s: got '%s', want '%s'", tpl, got, want);
  free(got);
}

static void test_fields_and_printing(void **state)
{
  (void)state;
  expect("{{.Id}}", "sha256:abc");
  expect("{{.Config.Env}}", "[A=1 B=<2>]");
  expect("{{.Config.Labels}}", "map[a:first z:last]");
  expect("{{.Config.Entrypoint}}", "[]");          /* a nil slice */
  expect("{{.Config.Volumes}}", "map[]");          /* a nil map */
  expect("{{.Nothing}}", "<no value>");
  expect("{{.Size}} {{.Os}}", "1234 linux");
  expect("x {{- .Os -}} y", "xlinuxy");
  expect("{{/* a comment */}}ok", "ok");
  expect("{{.}}", "map[Config:map[Cmd:[sh] Entrypoint:<nil> Env:[A=1 "
         "B=<2>] Labels:map[a:first z:last] User:] Empty:[] Id:sha256:abc "
         "Os:linux RepoTags:[app:1 app:latest] Size:1234]");
}

static void test_functions(void **state)
{
  (void)state;
  expect("{{json .Config.Env}}", "[\"A=1\",\"B=\\u003c2\\u003e\"]");
  expect("{{json .Config.Entrypoint}}", "null");
  expect("{{.Config.Cmd | json}}", "[\"sh\"]");
  expect("{{index .Config.Labels \"a\"}}", "first");
  expect("{{index .RepoTags 1}}", "app:latest");
  expect("{{len .RepoTags}}", "2");
  expect("{{join .RepoTags \",\"}}", "app:1,app:latest");
  expect("{{upper .Os}} {{title \"a b\"}}", "LINUX A B");
  expect("{{printf \"%s=%d\" .Os .Size}}", "linux=1234");
  expect("{{printf \"%q\" .Os}}", "\"linux\"");
  expect("{{println .Os}}", "linux\n");
  expect("{{split \"a:b\" \":\"}}", "[a b]");
  expect("{{(index .RepoTags 0)}}", "app:1");
}

static void test_control(void **state)
{
  (void)state;
  expect("{{range .RepoTags}}<{{.}}>{{end}}", "<app:1><app:latest>");
  expect("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}",
         "0=app:1 1=app:latest ");
  expect("{{range $k, $v := .Config.Labels}}{{$k}}:{{$v}};{{end}}",
         "a:first;z:last;");
  expect("{{range .Empty}}x{{else}}none{{end}}", "none");
  expect("{{if .Config.User}}u{{else if .Config.Cmd}}c{{else}}n{{end}}",
         "c");
  expect("{{if eq .Os \"linux\" \"darwin\"}}yes{{end}}", "yes");
  expect("{{if not .Empty}}empty{{end}}", "empty");
  expect("{{with .Config}}{{.Cmd}}{{end}}", "[sh]");
  expect("{{with .Nothing}}x{{else}}y{{end}}", "y");
  expect("{{$os := .Os}}{{range .RepoTags}}{{$os}}{{end}}", "linuxlinux");
  expect("{{range .RepoTags}}{{$.Os}}{{end}}", "linuxlinux");
}

static void test_errors(void **state)
{
  static const char *const bad[] = {
    "{{.Id", "{{range .RepoTags}}x", "{{end}}", "{{nosuch .Id}}",
    "{{if .Id}}a{{else}}b{{else}}c{{end}}", "{{template \"x\"}}",
    "{{index .Id \"unterminated}}", "{{$undefined}}", "{{.Id .Os}}", NULL};
  struct mdk_err e;
  json_t *fields = json_pack("{s:s}", "ID", "IMAGE ID");
  size_t i;
  (void)state;
  for(i = 0; bad[i]; i++)
    if(mdk_tmpl_check(bad[i], NULL, &e) == MDK_OK)
      fail_msg("'%s' was accepted", bad[i]);
  /* a row of known fields: a field it lacks is an error, as docker's */
  assert_int_equal(mdk_tmpl_check("{{.ID}}", fields, &e), MDK_OK);
  assert_int_equal(mdk_tmpl_check("{{.Nope}}", fields, &e), MDK_EUSAGE);
  assert_non_null(strstr(e.msg, "can't evaluate field Nope"));
  json_decref(fields);
}

static void test_table(void **state)
{
  struct mdk_tmpl_table t;
  struct mdk_err e;
  json_t *head = json_pack("{s:s,s:s}", "Repository", "REPOSITORY", "Tag",
                           "TAG");
  json_t *r1 = json_pack("{s:s,s:s}", "Repository", "a", "Tag", "1");
  json_t *r2 = json_pack("{s:s,s:s}", "Repository",
                         "a-rather-long-repository", "Tag", "latest");
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  (void)state;
  assert_true(mdk_tmpl_table_open(&t, "table {{.Repository}}\\t{{.Tag}}",
                                  head, &e));
  mdk_tmpl_table_head(&t, head);
  mdk_tmpl_table_row(&t, r1);
  mdk_tmpl_table_row(&t, r2);
  mdk_tmpl_table_close(&t, f);
  fclose(f);
  /* text/tabwriter: the widest cell + 3, at least 10; the last cell bare */
  assert_string_equal(buf, "REPOSITORY                 TAG\n"
                           "a                          1\n"
                           "a-rather-long-repository   latest\n");
  free(buf);
  /* not a table: no header, no alignment */
  buf = NULL;
  f = open_memstream(&buf, &len);
  assert_true(mdk_tmpl_table_open(&t, "{{.Repository}}\\t{{.Tag}}", head,
                                  &e));
  mdk_tmpl_table_head(&t, head);
  mdk_tmpl_table_row(&t, r1);
  mdk_tmpl_table_close(&t, f);
  fclose(f);
  assert_string_equal(buf, "a\t1\n");
  free(buf);
  assert_false(mdk_tmpl_table_open(&t, "table {{.Nope}}", head, &e));
  json_decref(head);
  json_decref(r1);
  json_decref(r2);
}

enum { T_QUIET = 1, T_HUMAN, T_FILE };
static const struct mdk_cli_opt topts[] = {
  {T_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "q"},
  {T_HUMAN, "human", 'H', MDK_ARG_NONE, NULL, NULL, "h"},
  {T_FILE, "file", 'f', MDK_ARG_VALUE, "FILE", NULL, "f"},
  {0}
};
static const struct mdk_cli_cmd tcmd = {"t", "", "", "", topts, NULL, NULL,
                                        NULL, false, false};

/* the parse of a space-separated command line: "id=val" per item */
static void parses(const char *line, const char *want)
{
  char buf[256], *argv[16], out[256] = "";
  const char *v;
  int argc = 0, id;
  struct mdk_cli_parser p;
  snprintf(buf, sizeof(buf), "%s", line);
  for(char *t = strtok(buf, " "); t && argc < 16; t = strtok(NULL, " "))
    argv[argc++] = t;
  mdk_cli_parser_init(&p, &tcmd, argc, argv);
  while((id = mdk_cli_next(&p, &v)) != MDK_CLI_END && id != MDK_CLI_ERROR) {
    size_t n = strlen(out);
    snprintf(out + n, sizeof(out) - n, "%s%d=%s", n ? " " : "", id,
             v ? v : "-");
  }
  if(id == MDK_CLI_ERROR)
    strcat(out, " error");
  if(strcmp(out, want) != 0)
    fail_msg("%s: got '%s', want '%s'", line, out, want);
}

/* pflag's forms: -X=VALUE for a short option, Go's booleans for a switch */
static void test_options(void **state)
{
  (void)state;
  parses("-f=Dockerfile", "3=Dockerfile");
  parses("-fDockerfile -f x", "3=Dockerfile 3=x");
  parses("-H=false --human=0 -H=F --quiet=True", "2=false 2=false 2=false "
         "1=true");
  parses("-qH=false", "1=- 2=false");
  parses("-qf=a", "1=- 3=a");
  parses("-qfa", "1=- 3=a");
  parses("-H=maybe", " error");
  parses("--human=tru", " error");
  parses("-H=", " error");
  parses("--human=1 op", "2=true -1=op");
}

/* docker's CLI texts of a time: history's RFC 3339 and images' Go
 * time.String(), both in the local zone, whole seconds */
static void test_times(void **state)
{
  struct timespec ts;
  char out[48];
  const char *tz = getenv("TZ");
  char *saved = tz ? strdup(tz) : NULL;
  (void)state;
  assert_true(mdk_cli_time_parse("2026-12-03T23:07:24.5Z", &ts));
  assert_int_equal(ts.tv_sec, 1796339244);
  assert_int_equal(ts.tv_nsec, 500000000);
  assert_true(mdk_cli_time_parse("2026-12-04T04:37:24+05:30", &ts));
  assert_int_equal(ts.tv_sec, 1796339244);
  assert_true(mdk_cli_time_parse("2026-12-03T18:07:24.123456789-05:00", &ts));
  assert_int_equal(ts.tv_sec, 1796339244);
  assert_int_equal(ts.tv_nsec, 123456789);
  assert_false(mdk_cli_time_parse("yesterday", &ts));
  assert_false(mdk_cli_time_parse(NULL, &ts));
  setenv("TZ", "UTC", 1);
  tzset();
  mdk_cli_time("2026-12-03T23:07:24.9Z", MDK_CLI_TIME_RFC3339, out);
  assert_string_equal(out, "2026-12-03T23:07:24Z");
  mdk_cli_time("2026-12-03T23:07:24.9Z", MDK_CLI_TIME_GO_STRING, out);
  assert_string_equal(out, "2026-12-03 23:07:24 +0000 UTC");
  /* a POSIX zone needs no tzdata: half an hour's offset, Go's forms */
  setenv("TZ", "IST-5:30", 1);
  tzset();
  mdk_cli_time("2026-12-03T23:07:24Z", MDK_CLI_TIME_RFC3339, out);
  assert_string_equal(out, "2026-12-04T04:37:24+05:30");
  mdk_cli_time("2026-12-03T23:07:24Z", MDK_CLI_TIME_GO_STRING, out);
  assert_string_equal(out, "2026-12-04 04:37:24 +0530 IST");
  setenv("TZ", "XST+3", 1);
  tzset();
  mdk_cli_time("2026-12-03T23:07:24Z", MDK_CLI_TIME_RFC3339, out);
  assert_string_equal(out, "2026-12-03T20:07:24-03:00");
  mdk_cli_time("nonsense", MDK_CLI_TIME_RFC3339, out);
  assert_string_equal(out, "N/A");
  if(saved)
    setenv("TZ", saved, 1);
  else
    unsetenv("TZ");
  tzset();
  free(saved);
}

/* go-units' sizes: 3 significant digits (Size), 4 (HumanSize) */
static void test_sizes(void **state)
{
  char out[32];
  (void)state;
  mdk_cli_size(1984252, out);
  assert_string_equal(out, "1.98MB");
  mdk_cli_size_prec(1984252, 4, out);
  assert_string_equal(out, "1.984MB");
  mdk_cli_size(0, out);
  assert_string_equal(out, "0B");
  mdk_cli_size(999, out);
  assert_string_equal(out, "999B");
  mdk_cli_size(1000, out);
  assert_string_equal(out, "1kB");
  mdk_cli_size(123456789012ULL, out);
  assert_string_equal(out, "123GB");
}

/* go-units' RAMInBytes, as docker reads --shm-size */
static void test_ram_bytes(void **state)
{
  uint64_t n;
  (void)state;
  assert_true(mdk_cli_ram_bytes("64m", &n));
  assert_int_equal(n, 64ULL << 20);
  assert_true(mdk_cli_ram_bytes("2g", &n));
  assert_int_equal(n, 2ULL << 30);
  assert_true(mdk_cli_ram_bytes("512MiB", &n));
  assert_int_equal(n, 512ULL << 20);
  assert_true(mdk_cli_ram_bytes("1.5k", &n));
  assert_int_equal(n, 1536);
  assert_true(mdk_cli_ram_bytes("1048576", &n));
  assert_int_equal(n, 1048576);
  assert_true(mdk_cli_ram_bytes("100b", &n));
  assert_int_equal(n, 100);
  assert_false(mdk_cli_ram_bytes("2x", &n));
  assert_false(mdk_cli_ram_bytes("-1m", &n));
  assert_false(mdk_cli_ram_bytes("", &n));
  assert_false(mdk_cli_ram_bytes("m", &n));
  assert_false(mdk_cli_ram_bytes("9999999p", &n));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_fields_and_printing),
    cmocka_unit_test(test_functions),
    cmocka_unit_test(test_control),
    cmocka_unit_test(test_errors),
    cmocka_unit_test(test_table),
    cmocka_unit_test(test_options),
    cmocka_unit_test(test_times),
    cmocka_unit_test(test_sizes),
    cmocka_unit_test(test_ram_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
