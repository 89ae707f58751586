/* test_backend.c - .dockerignore matching (moby/patternmatcher semantics),
 * context digests (content and mode count; mtime, owner and ignored files
 * do not), the stat cache, context digests in IR keys, and the overlay
 * options of a step's root. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/context.h"
#include "registry/client.h"
#include "cli/pipeline.h"
#include "frontend/frontend.h"
#include "ir/ir.h"
#include "runtime/run.h"

static void test_dockerignore(void **state)
{
  struct mdk_arena a;
  struct mdk_ignore ig;
  (void)state;
  mdk_arena_init(&a);
  mdk_ignore_parse(&a, mdk_str_c("# comment\n\n*.md\n/build\nlogs/**\n"
                                    "!logs/keep.log\n**/*.tmp\ndocs/../cache\n"
                                    "  spaced  \n"), &ig);
  assert_int_equal(ig.n, 7);
  assert_true(ig.has_exclusions);
  assert_true(mdk_ignore_match(&ig, "README.md"));
  assert_false(mdk_ignore_match(&ig, "docs/README.md")); /* root only */
  assert_true(mdk_ignore_match(&ig, "build"));
  assert_true(mdk_ignore_match(&ig, "build/out/x.o"));   /* a parent */
  assert_true(mdk_ignore_match(&ig, "logs/a.log"));
  assert_false(mdk_ignore_match(&ig, "logs/keep.log"));  /* '!' wins */
  assert_true(mdk_ignore_match(&ig, "a/b/c.tmp"));
  assert_true(mdk_ignore_match(&ig, "cache/x"));         /* cleaned */
  assert_true(mdk_ignore_match(&ig, "spaced"));
  assert_false(mdk_ignore_match(&ig, "src/main.c"));
  assert_false(mdk_ignore_skip_dir(&ig, "logs"));        /* has '!' */
  mdk_ignore_free(&ig);
  mdk_ignore_parse(&a, mdk_str_c("node_modules\n"), &ig);
  assert_true(mdk_ignore_skip_dir(&ig, "node_modules"));
  mdk_ignore_free(&ig);
  mdk_arena_fini(&a);
}

static char tmpl[64];

static void put(const char *rel, const char *text)
{
  char p[512];
  FILE *f;
  snprintf(p, sizeof(p), "%s/%s", tmpl, rel);
  f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void dig(const char *cache, const char *src, char out[80],
                uint64_t *hashed, uint64_t *cached)
{
  struct mdk_arena a;
  struct mdk_be_context c;
  struct mdk_str s = mdk_str_c(src), d;
  const char **missing;
  size_t n;
  int err;
  mdk_arena_init(&a);
  assert_int_equal(mdk_be_context_open(&a, tmpl, NULL, cache, &c, &err),
                   MDK_OK);
  assert_int_equal(mdk_be_context_digest(&c, &s, 1, &d, &missing, &n),
                   MDK_OK);
  snprintf(out, 80, "%.*s", MDK_STR_FMT(d));
  if(hashed)
    *hashed = c.files_hashed;
  if(cached)
    *cached = c.files_cached;
  assert_int_equal(mdk_be_context_close(&c), MDK_OK);
  mdk_arena_fini(&a);
}

static void test_context_digest(void **state)
{
  char d0[80], d1[80], d2[80], cache[96], p[256];
  uint64_t hashed, cached;
  struct timespec ts[2];
  (void)state;
  snprintf(tmpl, sizeof(tmpl), "/tmp/mdock-ctx-XXXXXX");
  assert_non_null(mkdtemp(tmpl));
  snprintf(cache, sizeof(cache), "%s.cache", tmpl);
  snprintf(p, sizeof(p), "%s/src", tmpl);
  mkdir(p, 0755);
  put("src/a.c", "int a;\n");
  put("src/b.c", "int b;\n");
  put("notes.md", "ignored\n");
  put(".dockerignore", "*.md\n");
  dig(NULL, "src", d0, NULL, NULL);
  /* mtime alone does not count */
  snprintf(p, sizeof(p), "%s/src/a.c", tmpl);
  ts[0].tv_sec = ts[1].tv_sec = 1000000;
  ts[0].tv_nsec = ts[1].tv_nsec = 0;
  utimensat(AT_FDCWD, p, ts, 0);
  dig(NULL, "src", d1, NULL, NULL);
  assert_string_equal(d0, d1);
  /* the mode does (COPY keeps it) */
  chmod(p, 0755);
  dig(NULL, "src", d1, NULL, NULL);
  assert_string_not_equal(d0, d1);
  chmod(p, 0644);
  dig(NULL, "src", d1, NULL, NULL);
  assert_string_equal(d0, d1);
  /* and the content does */
  put("src/b.c", "int b2;\n");
  dig(NULL, "src", d2, NULL, NULL);
  assert_string_not_equal(d0, d2);
  /* an ignored file is not in the context */
  dig(NULL, ".", d0, NULL, NULL);
  put("notes.md", "changed, still ignored\n");
  dig(NULL, ".", d1, NULL, NULL);
  assert_string_equal(d0, d1);
  /* the stat cache: a second look reads nothing -- once the files are
   * older than the racy window of the save */
  usleep(120000);
  dig(cache, "src", d1, &hashed, &cached);
  assert_int_equal(hashed, 2);
  dig(cache, "src", d2, &hashed, &cached);
  assert_string_equal(d1, d2);
  assert_int_equal(hashed, 0);
  assert_int_equal(cached, 2);
  /* a change under the cache is seen */
  usleep(20000);
  put("src/a.c", "int a2;\n");
  dig(cache, "src", d0, &hashed, &cached);
  assert_string_not_equal(d0, d2);
  assert_int_equal(hashed, 1);
}

/* A context file's content reaches the key of its COPY and every later op,
 * and nothing before it. */
static void test_context_in_keys(void **state)
{
  const char *df = "FROM alpine\nRUN before\nCOPY src/ /src/\nRUN after\n";
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_ir_graph *g1, *g2;
  struct mdk_cli_compile_opts o = {0};
  struct mdk_source *src;
  (void)state;
  put("src/a.c", "one\n");
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  src = mdk_source_new(&a, "Dockerfile", df, strlen(df));
  assert_int_equal(mdk_cli_compile(&a, &d, src, &o, &g1), MDK_OK);
  assert_int_equal(mdk_cli_ir_hash_context(&a, g1, tmpl, NULL, NULL, false),
                   MDK_OK);
  put("src/a.c", "two\n");
  assert_int_equal(mdk_cli_compile(&a, &d, src, &o, &g2), MDK_OK);
  assert_int_equal(mdk_cli_ir_hash_context(&a, g2, tmpl, NULL, NULL, false),
                   MDK_OK);
  assert_memory_equal(g1->stages[0]->ops[0]->key.b,
                      g2->stages[0]->ops[0]->key.b, MDK_IR_KEY_LEN);
  assert_memory_not_equal(g1->stages[0]->ops[1]->key.b,
                          g2->stages[0]->ops[1]->key.b, MDK_IR_KEY_LEN);
  assert_memory_not_equal(g1->stages[0]->ops[2]->key.b,
                          g2->stages[0]->ops[2]->key.b, MDK_IR_KEY_LEN);
  mdk_arena_fini(&a);
}

/* Regression: with lowers longer than the buffer the options were written
 * past its end (the remaining size wrapped) instead of refused. */
static void test_overlay_opts(void **state)
{
  static char buf[64], lowers_text[40][300];
  const char *lowers[40];
  struct mdk_rt_spec sp;
  size_t i;
  (void)state;
  memset(&sp, 0, sizeof(sp));
  sp.upper = "/u";
  sp.work = "/w";
  sp.lowers = lowers;
  lowers[0] = "/l1";
  lowers[1] = "/l0";
  sp.nlowers = 2;
  assert_true(mdk_rt_overlay_opts(&sp, buf, sizeof(buf)));
  assert_string_equal(buf, "lowerdir=/l1:/l0,upperdir=/u,workdir=/w");
  sp.nlowers = 0;
  assert_true(mdk_rt_overlay_opts(&sp, buf, sizeof(buf)));
  assert_string_equal(buf, "lowerdir=,upperdir=/u,workdir=/w");
  /* exactly full: 63 characters and the NUL fit, one more does not */
  sp.upper = "/uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu";
  assert_int_equal(strlen("lowerdir=,upperdir=,workdir=/w") +
                   strlen(sp.upper), 63);
  assert_true(mdk_rt_overlay_opts(&sp, buf, sizeof(buf)));
  sp.work = "/ww";
  assert_false(mdk_rt_overlay_opts(&sp, buf, sizeof(buf)));
  for(i = 0; i < 40; i++) {
    memset(lowers_text[i], 'x', sizeof(lowers_text[i]) - 1);
    lowers_text[i][0] = '/';
    lowers[i] = lowers_text[i];
  }
  sp.nlowers = 40;
  assert_false(mdk_rt_overlay_opts(&sp, buf, sizeof(buf)));
}

/* WWW-Authenticate as registries send it: Docker Hub's Bearer with realm,
 * service and scope; Basic; a parameter whose name ends another's
 * ("xrealm" is not "realm"); no realm; an unknown scheme. */
static void test_auth_challenge(void **state)
{
  struct mdk_be_challenge c;
  (void)state;
  assert_true(mdk_be_parse_challenge(
    " Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
    "scope=\"repository:library/busybox:pull\"", &c));
  assert_false(c.basic);
  assert_string_equal(c.realm, "https://auth.docker.io/token");
  assert_string_equal(c.service, "registry.docker.io");
  assert_string_equal(c.scope, "repository:library/busybox:pull");
  assert_true(mdk_be_parse_challenge("Basic realm=\"x\"", &c));
  assert_true(c.basic);
  assert_true(mdk_be_parse_challenge("Bearer xrealm=\"bad\", realm=\"good\"",
                                     &c));
  assert_string_equal(c.realm, "good");
  assert_string_equal(c.scope, "");
  assert_false(mdk_be_parse_challenge("Bearer service=\"s\"", &c));
  assert_false(mdk_be_parse_challenge("Bearer realm=\"unterminated", &c));
  assert_false(mdk_be_parse_challenge("Negotiate abc", &c));
  assert_false(mdk_be_parse_challenge("Bearerish realm=\"x\"", &c));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_dockerignore),
    cmocka_unit_test(test_context_digest),
    cmocka_unit_test(test_context_in_keys),
    cmocka_unit_test(test_overlay_opts),
    cmocka_unit_test(test_auth_challenge),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  char cmd[256];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s.cache'", tmpl, tmpl);
  if(tmpl[0])
    (void)!system(cmd);
  return rc;
}
