/* test_parser.c - BuildKit's parser conformance data read from
 * ../shared/corpus/buildkit-parser: every positive case must dump
 * byte-identical to its `result`, every negative case must fail with a located
 * error, and heredoc-extract.json's heredocs must match field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "corpus.h"
#include "frontend/frontend.h"

static bool read_file(const char *path, struct mdk_buf *b)
{
  FILE *f = fopen(path, "rb");
  char chunk[8192];
  size_t n;
  if(!f)
    return false;
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    (void)mdk_buf_append(b, chunk, n);
  fclose(f);
  return true;
}

static void test_positive_goldens(void **state)
{
  char path[4096], line[1024];
  FILE *idx;
  int ran = 0, failed = 0, negatives = 0;
  (void)state;

  REQUIRE_CORPUS();
  snprintf(path, sizeof(path), "%s/buildkit-parser/INDEX.tsv", corpus_dir());
  idx = fopen(path, "r");
  assert_non_null(idx);
  while(fgets(line, sizeof(line), idx)) {
    char *name = strtok(line, "\t\n"), *kind = strtok(NULL, "\t\n");
    struct mdk_arena a;
    struct mdk_diags d;
    struct mdk_source *src;
    struct mdk_fe_ast *ast;
    struct mdk_buf want, got;
    int err;
    enum mdk_status st;
    if(!name || !kind || strcmp(name, "case") == 0)
      continue;
    mdk_arena_init(&a);
    mdk_diags_init(&d, &a);
    snprintf(path, sizeof(path), "%s/buildkit-parser/%s/Dockerfile",
             corpus_dir(), name);
    assert_int_equal(mdk_source_read(&a, path, 1 << 24, &src, &err), MDK_OK);
    st = mdk_fe_parse(&a, &d, src, &ast);
    if(strcmp(kind, "negative") == 0) {
      const struct mdk_diag *dg;
      negatives++;
      if(st == MDK_OK || d.items.len == 0) {
        print_error("%s: expected a parse error\n", name);
        failed++;
      }
      else {
        dg = mdk_vec_at(&d.items, struct mdk_diag, 0);
        assert_non_null(dg->loc.src);   /* located */
      }
      mdk_arena_fini(&a);
      continue;
    }
    mdk_buf_init(&want, 1 << 24);
    mdk_buf_init(&got, 1 << 24);
    snprintf(path, sizeof(path), "%s/buildkit-parser/%s/result", corpus_dir(),
             name);
    assert_true(read_file(path, &want));
    if(st != MDK_OK) {
      print_error("%s: unexpected parse error\n", name);
      mdk_diags_print(&d, stderr, false);
      failed++;
    }
    else {
      mdk_fe_ast_dump_buildkit(ast, &got);
      if(!mdk_str_eq(mdk_buf_str(&want), mdk_buf_str(&got))) {
        print_error("%s: dump differs\n--- want\n%.*s--- got\n%.*s", name,
                    (int)want.len, want.ptr, (int)got.len, got.ptr);
        failed++;
      }
    }
    ran++;
    mdk_buf_free(&want);
    mdk_buf_free(&got);
    mdk_arena_fini(&a);
  }
  fclose(idx);
  print_message("buildkit-parser: %d positive, %d negative, %d failed\n", ran,
                negatives, failed);
  assert_int_equal(ran, 33);
  assert_int_equal(negatives, 4);
  assert_int_equal(failed, 0);
}

static void test_heredoc_extract(void **state)
{
  char path[4096];
  json_error_t jerr;
  json_t *root, *exp;
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_source *src;
  struct mdk_fe_ast *ast;
  const char *df;
  size_t i, j, checked = 0;
  (void)state;

  REQUIRE_CORPUS();
  snprintf(path, sizeof(path), "%s/buildkit-parser/heredoc-extract.json",
           corpus_dir());
  root = json_load_file(path, 0, &jerr);
  assert_non_null(root);
  df = json_string_value(json_object_get(root, "dockerfile"));
  exp = json_object_get(root, "expected");
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  src = mdk_source_new(&a, "Dockerfile", df, strlen(df));
  assert_int_equal(mdk_fe_parse(&a, &d, src, &ast), MDK_OK);
  assert_int_equal(ast->nnodes, json_array_size(exp) + 1);
  for(i = 0; i < json_array_size(exp); i++) {
    const struct mdk_fe_node *n = ast->nodes[i + 1];
    json_t *e = json_array_get(exp, i);
    if(json_is_null(e)) {
      if(n->nheredocs)
        fail_msg("child %zu: expected no heredocs, got %zu", i + 1,
                 n->nheredocs);
      continue;
    }
    assert_int_equal(n->nheredocs, json_array_size(e));
    for(j = 0; j < n->nheredocs; j++) {
      json_t *h = json_array_get(e, j);
      const struct mdk_fe_heredoc *hd = &n->heredocs[j];
      if(!mdk_str_eq_c(hd->name, json_string_value(json_object_get(h,
                                                                   "Name"))) ||
         !mdk_str_eq_c(hd->content,
                       json_string_value(json_object_get(h, "Content"))) ||
         hd->expand != json_is_true(json_object_get(h, "Expand")) ||
         hd->chomp != json_is_true(json_object_get(h, "Chomp")) ||
         hd->fd != json_integer_value(json_object_get(h, "FileDescriptor")))
        fail_msg("child %zu heredoc %zu: got name '%.*s' content '%.*s' "
                 "expand %d chomp %d fd %u", i + 1, j, MDK_STR_FMT(hd->name),
                 MDK_STR_FMT(hd->content), hd->expand, hd->chomp, hd->fd);
      checked++;
    }
  }
  print_message("heredoc-extract: %zu instructions, %zu heredocs checked\n",
                json_array_size(exp), checked);
  mdk_arena_fini(&a);
  json_decref(root);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_positive_goldens),
    cmocka_unit_test(test_heredoc_extract),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
