/* test_shlex.c - BuildKit's word-expansion vectors, read straight from
 * ../shared/corpus/buildkit-shell: envVarTest (A and U lines), wordsTest and
 * processWithMatches.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "corpus.h"
#include "frontend/shlex.h"

static char *slurp(const char *rel)
{
  char path[4096];
  FILE *f;
  long n;
  char *buf;
  REQUIRE_CORPUS();
  snprintf(path, sizeof(path), "%s/%s", corpus_dir(), rel);
  f = fopen(path, "rb");
  if(!f)
    fail_msg("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 1);
  assert_non_null(buf);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static char *trim(char *s)
{
  char *e;
  while(*s == ' ' || *s == '\t' || *s == '\r')
    s++;
  e = s + strlen(s);
  while(e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
    *--e = '\0';
  return s;
}

static void test_env_var_vectors(void **state)
{
  char *buf = slurp("buildkit-shell/envVarTest"), *line, *save = NULL;
  struct mdk_fe_kv kv[] = {
    {{"PWD", 3}, {"/home", 5}},
    {{"SHELL", 5}, {"bash", 4}},
    {{"KOREAN", 6}, {"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", 9}},
    {{"NULL", 4}, {"", 0}},
  };
  struct mdk_fe_kvlist list = {kv, 4};
  struct mdk_fe_env env = {mdk_fe_kvlist_get, &list};
  struct mdk_fe_shlex_opts o = {'\\', false, false, false, false};
  int ran = 0, failed = 0;
  (void)state;

  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *f[3], *p = line;
    int k;
    struct mdk_arena a;
    struct mdk_fe_shlex_result r;
    enum mdk_status st;
    if(line[0] == '#')
      continue;
    if(!*trim(line))
      continue;
    for(k = 0; k < 3; k++) {
      char *bar = k < 2 ? strchr(p, '|') : NULL;
      if(bar)
        *bar = '\0';
      f[k] = trim(p);
      p = bar ? bar + 1 : p + strlen(p);
    }
    if(strcmp(f[0], "W") == 0)
      continue;
    mdk_arena_init(&a);
    st = mdk_fe_shlex_process(&a, &o, mdk_str_c(f[1]), &env, &r);
    if(strcmp(f[2], "error") == 0) {
      if(st == MDK_OK) {
        print_error("envVarTest: %s: expected an error, got '%.*s'\n", f[1],
                    MDK_STR_FMT(r.word));
        failed++;
      }
    }
    else if(st != MDK_OK || !mdk_str_eq_c(r.word, f[2])) {
      print_error("envVarTest: %s: expected '%s', got '%.*s' (%s)\n", f[1],
                  f[2], MDK_STR_FMT(r.word), st ? r.err : "ok");
      failed++;
    }
    ran++;
    mdk_arena_fini(&a);
  }
  free(buf);
  print_message("envVarTest: %d A/U vectors, %d failed\n", ran, failed);
  assert_int_equal(ran, 228);
  assert_int_equal(failed, 0);
}

static void test_words_vectors(void **state)
{
  char *buf = slurp("buildkit-shell/wordsTest"), *line, *save = NULL;
  struct mdk_fe_kv kv[64];
  struct mdk_fe_kvlist list = {kv, 0};
  struct mdk_fe_env env = {mdk_fe_kvlist_get, &list};
  struct mdk_fe_shlex_opts o = {'\\', false, false, false, false};
  int ran = 0, failed = 0;
  (void)state;

  for(line = strtok_r(buf, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save)) {
    char *bar, *input, *exp, *eq;
    struct mdk_arena a;
    struct mdk_fe_shlex_result r;
    enum mdk_status st;
    char got[4096];
    size_t i;
    if(line[0] == '#')
      continue;
    if(strncmp(line, "ENV ", 4) == 0) {
      char *def = line + 4;
      while(*def == ' ')
        def++;
      eq = strchr(def, '=');
      assert_non_null(eq);
      kv[list.len].key = mdk_str_make(def, (size_t)(eq - def));
      kv[list.len].val = mdk_str_c(eq + 1);
      list.len++;
      continue;
    }
    bar = strchr(line, '|');
    assert_non_null(bar);
    *bar = '\0';
    input = trim(line);
    exp = bar + 1;
    while(*exp == ' ')
      exp++;
    mdk_arena_init(&a);
    st = mdk_fe_shlex_process(&a, &o, mdk_str_c(input), &env, &r);
    got[0] = '\0';
    if(st)
      snprintf(got, sizeof(got), "error");
    else
      for(i = 0; i < r.nwords; i++)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%.*s",
                 i ? "," : "", MDK_STR_FMT(r.words[i]));
    if(strcmp(got, exp) != 0) {
      print_error("wordsTest: %s: expected '%s', got '%s'\n", input, exp, got);
      failed++;
    }
    ran++;
    mdk_arena_fini(&a);
  }
  free(buf);
  print_message("wordsTest: %d vectors, %d failed\n", ran, failed);
  assert_int_equal(ran, 24);
  assert_int_equal(failed, 0);
}

static bool names_equal(json_t *want, const struct mdk_str *got, size_t n)
{
  size_t i, j;
  if(json_array_size(want) != n)
    return false;
  for(i = 0; i < n; i++) {
    bool found = false;
    for(j = 0; j < n; j++)
      if(mdk_str_eq_c(got[j], json_string_value(json_array_get(want, i))))
        found = true;
    if(!found)
      return false;
  }
  return true;
}

static void test_process_with_matches(void **state)
{
  char path[4096];
  json_error_t jerr;
  json_t *root, *c;
  size_t idx;
  int failed = 0;
  (void)state;

  REQUIRE_CORPUS();
  snprintf(path, sizeof(path), "%s/buildkit-shell/processWithMatches.json",
           corpus_dir());
  root = json_load_file(path, 0, &jerr);
  assert_non_null(root);
  json_array_foreach(root, idx, c) {
    struct mdk_arena a;
    struct mdk_fe_kv kv[32];
    struct mdk_fe_kvlist list = {kv, 0};
    struct mdk_fe_env env = {mdk_fe_kvlist_get, &list};
    struct mdk_fe_shlex_opts o = {'\\', false, false, false, false};
    struct mdk_fe_shlex_result r;
    const char *k;
    json_t *v;
    enum mdk_status st;
    const char *input = json_string_value(json_object_get(c, "input"));
    bool want_err = json_is_true(json_object_get(c, "expectedErr"));

    json_object_foreach(json_object_get(c, "envs"), k, v) {
      kv[list.len].key = mdk_str_c(k);
      kv[list.len].val = mdk_str_c(json_string_value(v));
      list.len++;
    }
    mdk_arena_init(&a);
    st = mdk_fe_shlex_process(&a, &o, mdk_str_c(input), &env, &r);
    if(want_err) {
      if(!st) {
        print_error("processWithMatches: %s: expected an error\n", input);
        failed++;
      }
    }
    else if(st || !mdk_str_eq_c(r.word, json_string_value(json_object_get(
                                          c, "expected"))) ||
            !names_equal(json_object_get(c, "matches"), r.matched,
                         r.nmatched) ||
            !names_equal(json_object_get(c, "unmatched"), r.unmatched,
                         r.nunmatched)) {
      print_error("processWithMatches: %s: got '%.*s' (%s), %zu matched, "
                  "%zu unmatched\n", input, MDK_STR_FMT(r.word),
                  st ? r.err : "ok", r.nmatched, r.nunmatched);
      failed++;
    }
    mdk_arena_fini(&a);
  }
  print_message("processWithMatches: %zu cases, %d failed\n",
                json_array_size(root), failed);
  assert_int_equal(json_array_size(root), 47);
  json_decref(root);
  assert_int_equal(failed, 0);
}

/* Behaviour pinned beyond the corpus vectors (regressions). */
static void test_modifier_tracking(void **state)
{
  struct mdk_arena a;
  struct mdk_fe_shlex_opts o = {'\\', false, false, false, false};
  struct mdk_fe_shlex_result r;
  (void)state;
  mdk_arena_init(&a);
  assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("${A:-x}${B+y}"),
                                        NULL, &r), MDK_OK);
  assert_true(r.uses & MDK_FE_USE_DEFAULT);
  assert_true(r.uses & MDK_FE_USE_ALT);
  assert_int_equal(r.nmods, 2);
  assert_int_equal(r.mods[1].off, 7);
  assert_true(mdk_str_eq_c(r.word, "x"));
  /* ${V//p/r} replaces every match, and "$0" in r is the match (Go). */
  {
    struct mdk_fe_kv kv[] = {{{"V", 1}, {"a-b-c", 5}}};
    struct mdk_fe_kvlist l = {kv, 1};
    struct mdk_fe_env env = {mdk_fe_kvlist_get, &l};
    assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("${V//-/_}"),
                                          &env, &r), MDK_OK);
    assert_true(mdk_str_eq_c(r.word, "a_b_c"));
    assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("${V%%-*}"),
                                          &env, &r), MDK_OK);
    assert_true(mdk_str_eq_c(r.word, "a"));
    assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("${V#*-}"),
                                          &env, &r), MDK_OK);
    assert_true(mdk_str_eq_c(r.word, "b-c"));
  }
  /* patterns on unset variables (fuzzer find: NULL + 0 in trim_prefix) */
  assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("${U#*}${U%%x}"
                                                          "${U//a/$0}"),
                                        NULL, &r), MDK_OK);
  assert_int_equal(r.word.len, 0);
  /* a name then the end: BuildKit reads EOF as the modifier (U+FFFD) */
  assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("x${V"), NULL, &r),
                   MDK_EEXPAND);
  assert_string_equal(r.err, "unsupported modifier (\xef\xbf\xbd) in "
                      "substitution");
  assert_int_equal(r.err_off, 1);
  /* a modifier's word that never ends is a missing '}' */
  assert_int_equal(mdk_fe_shlex_process(&a, &o, mdk_str_c("x${V:-y"), NULL,
                                        &r), MDK_EEXPAND);
  assert_string_equal(r.err, "syntax error: missing '}'");
  mdk_arena_fini(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_env_var_vectors),
    cmocka_unit_test(test_words_vectors),
    cmocka_unit_test(test_process_with_matches),
    cmocka_unit_test(test_modifier_tracking),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
