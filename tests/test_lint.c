/* test_lint.c - BuildKit's build-check cases (../shared/corpus/buildkit-lint
 * /lint-cases.json): each Dockerfile (with its .dockerignore) must give
 * exactly the expected warnings, by rule name and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "corpus.h"
#include "lint/engine.h"
#include "lint/shell_words.h"

/* Inputs the corpus lost (raw Go it could not keep): reconstructed from the
 * upstream test's intent, each with the reason. */
struct fixup {
  int index;
  const char *check_override;   /* BUILDKIT_DOCKERFILE_CHECK frontend attr */
  const char *dockerignore;
  const char *why;
  const char *expect;           /* corrected expectation, or NULL */
};
static const struct fixup fixups[] = {
  {9, NULL, "*\n", "testCopyIgnoredFileContextRoot: the second case excludes "
   "the whole context; its .dockerignore is missing from the corpus", NULL},
  {18, "skip=ConsistentInstructionCasing;error=true", NULL,
   "testRuleCheckOption: FrontendAttrs (map literal) lost; the expected "
   "result is BUILDKIT_DOCKERFILE_CHECK overriding '#check=skip=all'", NULL},
  {19, "skip=all", NULL, "testRuleCheckOption: FrontendAttrs lost; the "
   "expected result is BUILDKIT_DOCKERFILE_CHECK=skip=all", NULL},
  {63, NULL, NULL, "testLegacyKeyValueFormat (UnmarshalWarnings): the "
   "recorded lines 3 and 4 are a blank line and a FROM in this Dockerfile; "
   "its legacy ENV and LABEL are on lines 5 and 6",
   "LegacyKeyValueFormat:5 LegacyKeyValueFormat:6"},
};

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void write_file(const char *dir, const char *name, const char *text)
{
  char p[512];
  FILE *f;
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_buildkit_lint_cases(void **state)
{
  char path[4096];
  json_error_t jerr;
  json_t *root, *c;
  size_t idx;
  int failed = 0, ran = 0, fixed = 0;
  (void)state;

  REQUIRE_CORPUS();
  snprintf(path, sizeof(path), "%s/buildkit-lint/lint-cases.json",
           corpus_dir());
  root = json_load_file(path, 0, &jerr);
  assert_non_null(root);
  json_array_foreach(root, idx, c) {
    char dir[] = "/tmp/mdock-lint-XXXXXX", df[600];
    const char *text = json_string_value(json_object_get(c, "dockerfile"));
    const char *ign = json_string_value(json_object_get(c, "dockerignore"));
    json_t *want = json_object_get(c, "warnings"), *w;
    struct mdk_arena a;
    struct mdk_source *src;
    struct mdk_fe_lint_opts o = {.dialect = MDK_FE_DIALECT_DOCKER};
    struct mdk_fe_lint_result r;
    char *got[256], *exp[256], line[256];
    size_t ng = 0, ne = 0, i, k;
    bool same;
    const char *expect = NULL;

    for(k = 0; k < sizeof(fixups) / sizeof(fixups[0]); k++)
      if(fixups[k].index == (int)idx) {
        if(fixups[k].dockerignore)
          ign = fixups[k].dockerignore;
        o.check_override = fixups[k].check_override;
        expect = fixups[k].expect;
        fixed++;
      }
    assert_non_null(mkdtemp(dir));
    write_file(dir, "Dockerfile", text);
    if(ign)
      write_file(dir, ".dockerignore", ign);
    snprintf(df, sizeof(df), "%s/Dockerfile", dir);
    o.context_dir = dir;
    o.dockerfile_path = df;
    mdk_arena_init(&a);
    src = mdk_source_new(&a, "Dockerfile", text, strlen(text));
    assert_int_equal(mdk_fe_lint(&a, src, &o, &r), MDK_OK);
    for(i = 0; i < r.n && ng < 256; i++) {
      if(mdk_fe_rule_info(r.f[i].rule)->cat != MDK_LINT_BUILDKIT)
        continue;
      snprintf(line, sizeof(line), "%s:%u", mdk_fe_rule_info(r.f[i].rule)->id,
               r.f[i].line);
      got[ng++] = strdup(line);
    }
    if(expect) {
      char *cp = strdup(expect), *tok, *sv;
      for(tok = strtok_r(cp, " ", &sv); tok; tok = strtok_r(NULL, " ", &sv))
        exp[ne++] = strdup(tok);
      free(cp);
    }
    else {
      json_array_foreach(want, i, w) {
        snprintf(line, sizeof(line), "%s:%lld",
                 json_string_value(json_object_get(w, "RuleName")),
                 (long long)json_integer_value(json_object_get(w, "Line")));
        exp[ne++] = strdup(line);
      }
    }
    qsort(got, ng, sizeof(*got), cmp_str);
    qsort(exp, ne, sizeof(*exp), cmp_str);
    same = ng == ne;
    for(i = 0; same && i < ng; i++)
      same = strcmp(got[i], exp[i]) == 0;
    if(!same) {
      failed++;
      print_error("case %zu (%s):\n  want:", idx,
                  json_string_value(json_object_get(c, "test")));
      for(i = 0; i < ne; i++)
        print_error(" %s", exp[i]);
      print_error("\n  got: ");
      for(i = 0; i < ng; i++)
        print_error(" %s", got[i]);
      print_error("\n");
    }
    for(i = 0; i < ng; i++)
      free(got[i]);
    for(i = 0; i < ne; i++)
      free(exp[i]);
    ran++;
    mdk_arena_fini(&a);
    snprintf(path, sizeof(path), "%s/Dockerfile", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/.dockerignore", dir);
    unlink(path);
    rmdir(dir);
  }
  json_decref(root);
  print_message("buildkit-lint: %d cases (%d with reconstructed inputs), %d "
                "failed\n", ran, fixed, failed);
  assert_int_equal(ran, 74);
  assert_int_equal(failed, 0);
}

/* Inputs the fuzzers found, linted in both dialects: each must give its
 * located MD000 finding and nothing worse.  A string flag with no value
 * (--from build, a space for the '=') was read as set with no value. */
/* Inputs fuzz_lint stopped on (testdata/fuzz/fuzz_lint/): each lints in
 * both dialects, and fast (a timeout there was an amplified expansion). */
static void test_fuzz_inputs(void **state)
{
  DIR *dir = opendir("testdata/fuzz/fuzz_lint");
  struct dirent *e;
  int n = 0, d;
  (void)state;
  assert_non_null(dir);
  while((e = readdir(dir))) {
    char path[600], *text;
    FILE *f;
    long len;
    if(e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "testdata/fuzz/fuzz_lint/%s", e->d_name);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)len + 1);
    assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    for(d = 0; d < 2; d++) {
      struct mdk_arena a;
      struct mdk_fe_lint_opts o = {
        .dialect = d ? MDK_FE_DIALECT_MODAL : MDK_FE_DIALECT_DOCKER};
      struct mdk_fe_lint_result r;
      mdk_arena_init(&a);
      assert_int_equal(mdk_fe_lint(&a, mdk_source_new(&a, "Dockerfile", text,
                                                      (size_t)len),
                                   &o, &r), MDK_OK);
      mdk_arena_fini(&a);
    }
    free(text);
    n++;
  }
  closedir(dir);
  assert_true(n > 0);
}

static void test_fuzz_regressions(void **state)
{
  static const char *const cases[] = {
    "FROM alpine:3.19\nCOPY --from build /a /b\n",
    "FROM --platform alpine:3.19\nRUN true\n",
    "FROM alpine:3.19\nCOPY --chmod --chown /a /b\n",
    "FROM alpine:3.19\nADD --checksum x /b\n",
  };
  size_t i, k;
  int d;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    for(d = 0; d < 2; d++) {
      struct mdk_arena a;
      struct mdk_fe_lint_opts o = {
        .dialect = d ? MDK_FE_DIALECT_MODAL : MDK_FE_DIALECT_DOCKER};
      struct mdk_fe_lint_result r;
      bool md000 = false;
      mdk_arena_init(&a);
      assert_int_equal(mdk_fe_lint(&a, mdk_source_new(&a, "Dockerfile",
                                                      cases[i],
                                                      strlen(cases[i])),
                                   &o, &r), MDK_OK);
      for(k = 0; k < r.n; k++)
        if(r.f[k].rule == MDK_LINT_SYNTAX && r.f[k].line >= 1)
          md000 = true;
      if(!md000)
        fail_msg("case %zu: no MD000 finding", i);
      mdk_arena_fini(&a);
    }
}

/* The RUN tokenizer: a word's text is its raw bytes unless a quote, an
 * escape or a line continuation changed it (then a copy), and each
 * command's words and operator are as a shell splits them. */
static void test_shell_words(void **state)
{
  static const char script[] =
    "a \"b c\"d e\\ f g\\\nh $(x \"y\") `q r` '' x=1 #c\n"
    "case $v in a|b) y;; esac && p | q\n";
  static const struct {
    size_t cmd, word;
    const char *text, *raw;
    bool quoted;
  } want[] = {
    {0, 0, "a", "a", false},
    {0, 1, "b cd", "\"b c\"d", true},
    {0, 2, "e f", "e\\ f", false},
    {0, 3, "gh", "g\\\nh", false},
    {0, 4, "$(x \"y\")", "$(x \"y\")", false},
    {0, 5, "`q r`", "`q r`", false},
    {0, 6, "", "''", true},
    {0, 7, "x=1", "x=1", false},
    {1, 0, "y", "y", false},        /* "case $v in a|b)" is no command */
    {2, 0, "esac", "esac", false},
    {3, 0, "p", "p", false},
    {4, 0, "q", "q", false},
  };
  struct mdk_arena a;
  struct mdk_sh_script sc;
  size_t i;
  (void)state;
  mdk_arena_init(&a);
  mdk_sh_parse(&a, mdk_str_make(script, sizeof(script) - 1), &sc);
  assert_int_equal(sc.n, 5);
  assert_int_equal(sc.c[0].n, 8);
  assert_int_equal(sc.c[3].sep_before, '&');
  assert_true(sc.c[3].piped);
  assert_int_equal(sc.c[4].sep_before, '|');
  for(i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    const struct mdk_sh_word *w = &sc.c[want[i].cmd].w[want[i].word];
    assert_true(mdk_str_eq_c(w->text, want[i].text));
    assert_true(mdk_str_eq_c(w->raw, want[i].raw));
    assert_int_equal(w->quoted, want[i].quoted);
    /* an unchanged word is not copied */
    if(strcmp(want[i].text, want[i].raw) == 0)
      assert_ptr_equal(w->text.ptr, w->raw.ptr);
  }
  mdk_arena_fini(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_buildkit_lint_cases),
    cmocka_unit_test(test_fuzz_regressions),
    cmocka_unit_test(test_fuzz_inputs),
    cmocka_unit_test(test_shell_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
