/* test_ir.c - cache-key properties of the IR, from testdata/:
 *  keys/same/<pair>: two Dockerfiles that differ only in layout (whitespace,
 *    comments, continuations, case, key order...) must give equal keys;
 *  keys/diff/<pair>: a semantic change must change the first affected op
 *    (its line is in first-changed-line) and every later op of that stage,
 *    and no op before it;
 *  hash/<case>: keys pinned in keys.txt, computed from copies of the
 *    Dockerfile in two different directories (a key never sees a path). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/pipeline.h"
#include "frontend/frontend.h"
#include "ir/ir.h"

struct built {
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_ir_graph *g;
};

/* out = a + b, refusing (failing the test) what does not fit */
static void cat2(char *out, size_t n, const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if(la + lb + 1 > n)
    fail_msg("path too long: %s%s", a, b);
  memcpy(out, a, la);
  memcpy(out + la, b, lb + 1);
}

static bool slurp(const char *path, struct mdk_buf *b)
{
  FILE *f = fopen(path, "rb");
  char chunk[4096];
  size_t n;
  if(!f)
    return false;
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    (void)mdk_buf_append(b, chunk, n);
  fclose(f);
  return true;
}

/* args files: --build-arg K=V, --platform P, --target T (one per line) */
static enum mdk_status build(struct built *bt, const char *df,
                             const char *args)
{
  struct mdk_buf text, ab;
  struct mdk_source *src;
  struct mdk_cli_compile_opts o = {0};
  struct mdk_vec bargs = MDK_VEC_INIT(struct mdk_fe_kv);
  enum mdk_status st;

  mdk_arena_init(&bt->a);
  mdk_diags_init(&bt->d, &bt->a);
  mdk_buf_init(&text, 1 << 24);
  mdk_buf_init(&ab, 1 << 20);
  if(!slurp(df, &text))
    fail_msg("cannot read %s", df);
  if(args && slurp(args, &ab) && ab.len) {
    char *s = mdk_arena_strndup(&bt->a, ab.ptr, ab.len), *line, *sv;
    const char *pending = NULL;
    for(line = strtok_r(s, "\n", &sv); line; line = strtok_r(NULL, "\n", &sv)) {
      if(!pending) {
        pending = line;
        continue;
      }
      if(strcmp(pending, "--build-arg") == 0) {
        struct mdk_fe_kv kv;
        char *eq = strchr(line, '=');
        kv.key = mdk_str_make(line, (size_t)(eq - line));
        kv.val = mdk_str_c(eq + 1);
        mdk_vec_push(&bt->a, &bargs, &kv);
      }
      else if(strcmp(pending, "--platform") == 0)
        o.platform = line;
      else if(strcmp(pending, "--target") == 0)
        o.target = line;
      pending = NULL;
    }
  }
  o.build_args = bargs.items;
  o.nbuild_args = bargs.len;
  src = mdk_source_new(&bt->a, "Dockerfile", text.ptr ? text.ptr : "",
                       text.len);
  st = mdk_cli_compile(&bt->a, &bt->d, src, &o, &bt->g);
  if(st)
    mdk_diags_print(&bt->d, stderr, false);
  /* a.context/ beside a.Dockerfile: the build context of that side */
  if(!st) {
    char ctx[600];
    struct stat cs;
    size_t l = strlen(df);
    if(l > 11 && strcmp(df + l - 11, ".Dockerfile") == 0 && l < 580) {
      memcpy(ctx, df, l - 11);
      strcpy(ctx + l - 11, ".context");
      if(stat(ctx, &cs) == 0 && S_ISDIR(cs.st_mode))
        st = mdk_cli_ir_hash_context(&bt->a, bt->g, ctx, NULL, NULL, false);
    }
  }
  mdk_buf_free(&text);
  mdk_buf_free(&ab);
  return st;
}

/* live ops of a stage */
static size_t live(const struct mdk_ir_stage *s, const struct mdk_ir_op **o)
{
  size_t i, n = 0;
  for(i = 0; i < s->nops; i++)
    if(!s->ops[i]->dead)
      o[n++] = s->ops[i];
  return n;
}

static bool key_eq(const struct mdk_ir_key *a, const struct mdk_ir_key *b)
{
  return memcmp(a->b, b->b, MDK_IR_KEY_LEN) == 0;
}

static int pair_dirs(const char *kind, char names[][256], int max)
{
  char path[512];
  DIR *d;
  struct dirent *e;
  int n = 0;
  snprintf(path, sizeof(path), "testdata/keys/%s", kind);
  d = opendir(path);
  if(!d)
    fail_msg("cannot open %s", path);
  while((e = readdir(d)) && n < max)
    if(e->d_name[0] != '.') {
      char tmp[256];
      cat2(tmp, sizeof(tmp), path, "/");
      cat2(names[n++], 256, tmp, e->d_name);
    }
  closedir(d);
  return n;
}

static void test_layout_changes_keep_keys(void **state)
{
  static char names[128][256];
  int n = pair_dirs("same", names, 128), i, failed = 0;
  (void)state;
  for(i = 0; i < n; i++) {
    struct built a, b;
    char pa[512], pb[512];
    size_t s, k;
    bool same = true;
    cat2(pa, sizeof(pa), names[i], "/a.Dockerfile");
    cat2(pb, sizeof(pb), names[i], "/b.Dockerfile");
    assert_int_equal(build(&a, pa, NULL), MDK_OK);
    assert_int_equal(build(&b, pb, NULL), MDK_OK);
    if(a.g->nstages != b.g->nstages)
      same = false;
    for(s = 0; same && s < a.g->nstages; s++) {
      const struct mdk_ir_op *oa[256], *ob[256];
      size_t na = live(a.g->stages[s], oa), nb = live(b.g->stages[s], ob);
      if(na != nb || !key_eq(&a.g->stages[s]->base_key,
                             &b.g->stages[s]->base_key))
        same = false;
      for(k = 0; same && k < na; k++)
        if(!key_eq(&oa[k]->key, &ob[k]->key))
          same = false;
    }
    if(!same) {
      print_error("%s: keys differ\n", names[i]);
      failed++;
    }
    mdk_arena_fini(&a.a);
    mdk_arena_fini(&b.a);
  }
  print_message("keys/same: %d pairs, %d failed\n", n, failed);
  assert_true(n >= 25);
  assert_int_equal(failed, 0);
}

static void test_semantic_changes_change_keys(void **state)
{
  static char names[128][256];
  int n = pair_dirs("diff", names, 128), i, failed = 0;
  (void)state;
  for(i = 0; i < n; i++) {
    struct built a, b;
    char pa[512], pb[512], aa[512], ab[512], fl[512];
    struct mdk_buf want;
    size_t s, k;
    unsigned first_line = 0;
    bool ok = true, any = false;
    cat2(pa, sizeof(pa), names[i], "/a.Dockerfile");
    cat2(pb, sizeof(pb), names[i], "/b.Dockerfile");
    cat2(aa, sizeof(aa), names[i], "/a.args");
    cat2(ab, sizeof(ab), names[i], "/b.args");
    cat2(fl, sizeof(fl), names[i], "/first-changed-line");
    mdk_buf_init(&want, 64);
    assert_true(slurp(fl, &want));
    assert_int_equal(build(&a, pa, aa), MDK_OK);
    assert_int_equal(build(&b, pb, ab), MDK_OK);
    assert_int_equal(a.g->nstages, b.g->nstages);
    for(s = 0; ok && s < a.g->nstages; s++) {
      const struct mdk_ir_op *oa[256], *ob[256];
      size_t na = live(a.g->stages[s], oa), nb = live(b.g->stages[s], ob);
      size_t m = na < nb ? na : nb, first = m;
      for(k = 0; k < m; k++)
        if(!key_eq(&oa[k]->key, &ob[k]->key)) {
          first = k;
          break;
        }
      if(first == m && na == nb)
        continue;   /* this stage is untouched */
      /* every op from the first changed one on must differ */
      for(k = first; k < m; k++)
        if(key_eq(&oa[k]->key, &ob[k]->key))
          ok = false;
      if(!any && first < nb) {
        first_line = ob[first]->line;
        any = true;
      }
    }
    if(!ok || !any || first_line != (unsigned)atoi(want.ptr)) {
      print_error("%s: first changed op at line %u (want %s), later ops all "
                  "changed: %s\n", names[i], first_line, want.ptr,
                  ok ? "yes" : "no");
      failed++;
    }
    mdk_buf_free(&want);
    mdk_arena_fini(&a.a);
    mdk_arena_fini(&b.a);
  }
  print_message("keys/diff: %d pairs, %d failed\n", n, failed);
  assert_true(n >= 25);
  assert_int_equal(failed, 0);
}

/* All keys of a build, one per line: stage base keys and op keys. */
static void keys_text(const struct mdk_ir_graph *g, struct mdk_buf *out)
{
  size_t s, k;
  char hex[65];
  for(s = 0; s < g->nstages; s++) {
    mdk_ir_key_hex(&g->stages[s]->base_key, hex);
    (void)mdk_buf_printf(out, "stage %zu base %s\n", s, hex);
    for(k = 0; k < g->stages[s]->nops; k++) {
      const struct mdk_ir_op *op = g->stages[s]->ops[k];
      if(op->dead)
        continue;
      mdk_ir_key_hex(&op->key, hex);
      (void)mdk_buf_printf(out, "stage %zu %s line %u %s\n", s,
                           mdk_ir_kind_name(op->kind), op->line, hex);
    }
  }
}

static void copy_file(const char *from, const char *to)
{
  struct mdk_buf b;
  FILE *f;
  mdk_buf_init(&b, 1 << 24);
  assert_true(slurp(from, &b));
  f = fopen(to, "wb");
  assert_non_null(f);
  fwrite(b.ptr ? b.ptr : "", 1, b.len, f);
  fclose(f);
  mdk_buf_free(&b);
}

static void test_pinned_keys(void **state)
{
  DIR *d = opendir("testdata/hash");
  struct dirent *e;
  int n = 0;
  bool update = getenv("MDK_UPDATE_GOLDEN") &&
                strcmp(getenv("MDK_UPDATE_GOLDEN"), "1") == 0;
  (void)state;
  assert_non_null(d);
  while((e = readdir(d))) {
    char src[512], want_path[512], args[512];
    char t1[] = "/tmp/mdock-hash-a-XXXXXX", t2[] = "/tmp/mdock-hash-bb-XXXXXX";
    char p1[600], p2[600];
    struct built a, b;
    struct mdk_buf ka, kb, want;
    if(e->d_name[0] == '.')
      continue;
    snprintf(src, sizeof(src), "testdata/hash/%s/Dockerfile", e->d_name);
    snprintf(args, sizeof(args), "testdata/hash/%s/args", e->d_name);
    snprintf(want_path, sizeof(want_path), "testdata/hash/%s/keys.txt",
             e->d_name);
    assert_non_null(mkdtemp(t1));
    assert_non_null(mkdtemp(t2));
    snprintf(p1, sizeof(p1), "%s/Dockerfile", t1);
    snprintf(p2, sizeof(p2), "%s/Dockerfile", t2);
    copy_file(src, p1);
    copy_file(src, p2);
    assert_int_equal(build(&a, p1, args), MDK_OK);
    assert_int_equal(build(&b, p2, args), MDK_OK);
    mdk_buf_init(&ka, 1 << 20);
    mdk_buf_init(&kb, 1 << 20);
    mdk_buf_init(&want, 1 << 20);
    keys_text(a.g, &ka);
    keys_text(b.g, &kb);
    assert_true(mdk_str_eq(mdk_buf_str(&ka), mdk_buf_str(&kb)));
    if(update) {
      FILE *f = fopen(want_path, "wb");
      fwrite(ka.ptr, 1, ka.len, f);
      fclose(f);
    }
    assert_true(slurp(want_path, &want));
    if(!mdk_str_eq(mdk_buf_str(&ka), mdk_buf_str(&want)))
      fail_msg("%s: keys changed\n--- pinned\n%.*s--- now\n%.*s", e->d_name,
               (int)want.len, want.ptr, (int)ka.len, ka.ptr);
    unlink(p1);
    unlink(p2);
    rmdir(t1);
    rmdir(t2);
    mdk_buf_free(&ka);
    mdk_buf_free(&kb);
    mdk_buf_free(&want);
    mdk_arena_fini(&a.a);
    mdk_arena_fini(&b.a);
    n++;
  }
  closedir(d);
  print_message("hash: %d cases pinned\n", n);
  assert_true(n >= 3);
}

/* Each pass alone on a small graph. */
/* Inputs the fuzzers crashed on (testdata/fuzz/fuzz_ir/): each compiles
 * or fails cleanly, and what compiles keeps the IR's invariants.  Under
 * the sanitizer build an out-of-bounds or undefined step aborts here. */
static void test_fuzz_regressions(void **state)
{
  DIR *d = opendir("testdata/fuzz/fuzz_ir");
  struct dirent *e;
  int n = 0;
  (void)state;
  assert_non_null(d);
  while((e = readdir(d))) {
    char path[600];
    struct built bt;
    if(e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "testdata/fuzz/fuzz_ir/%s", e->d_name);
    if(build(&bt, path, NULL) == MDK_OK && bt.g)
      assert_null(mdk_ir_verify(bt.g));
    mdk_arena_fini(&bt.a);
    n++;
  }
  closedir(d);
  assert_true(n > 0);
}

static void test_passes_alone(void **state)
{
  struct mdk_arena a;
  struct mdk_ir_graph *g;
  struct mdk_ir_stage *s0, *s1, *s2;
  struct mdk_ir_op *op;
  size_t k;
  (void)state;
  mdk_arena_init(&a);
  g = mdk_ir_graph_new(&a);
  s0 = mdk_ir_stage_add(g);
  s0->base_kind = MDK_IR_BASE_SCRATCH;
  op = mdk_ir_op_add(g, s0, MDK_IR_CONFIG, "ARG");
  mdk_ir_field(g, op, MDK_IR_F_ARG, mdk_str_c("V"));
  op = mdk_ir_op_add(g, s0, MDK_IR_CONFIG, "ENV");
  mdk_ir_field_list(g, op, MDK_IR_F_ENV, (struct mdk_str[]){{"B=1", 3}}, 1);
  op = mdk_ir_op_add(g, s0, MDK_IR_CONFIG, "ENV");
  mdk_ir_field_list(g, op, MDK_IR_F_ENV, (struct mdk_str[]){{"A=2", 3}, {"B=2", 3}},
                    2);
  s1 = mdk_ir_stage_add(g);     /* unreachable, same as s2 */
  s1->base_kind = MDK_IR_BASE_SCRATCH;
  mdk_ir_op_add(g, s1, MDK_IR_RUN, "RUN");
  s2 = mdk_ir_stage_add(g);
  s2->base_kind = MDK_IR_BASE_SCRATCH;
  mdk_ir_op_add(g, s2, MDK_IR_RUN, "RUN");
  op = mdk_ir_op_add(g, s2, MDK_IR_COPY, "COPY");
  op->from_stage = 0;
  g->target = 2;
  for(k = 0; k < mdk_ir_npasses; k++) {
    mdk_ir_passes[k].run(g);
    assert_null(mdk_ir_verify(g));
    if(strcmp(mdk_ir_passes[k].name, "fold") == 0)
      assert_true(s0->ops[0]->dead);
    if(strcmp(mdk_ir_passes[k].name, "prune") == 0) {
      assert_true(s0->reachable);
      assert_false(s1->reachable);
      assert_true(s2->reachable);
    }
    if(strcmp(mdk_ir_passes[k].name, "merge") == 0) {
      const struct mdk_ir_field *f = mdk_ir_op_get(s0->ops[1], MDK_IR_F_ENV);
      assert_true(s0->ops[2]->dead);
      /* Docker's Env order: B keeps its place with its new value, A is
       * appended */
      assert_int_equal(f->nvals, 2);
      assert_true(mdk_str_eq_c(f->vals[0], "B=2"));
      assert_true(mdk_str_eq_c(f->vals[1], "A=2"));
    }
    if(strcmp(mdk_ir_passes[k].name, "dedupe") == 0)
      assert_int_equal(s1->alias_of, -1);   /* s2 has a COPY more */
    if(strcmp(mdk_ir_passes[k].name, "order") == 0) {
      assert_int_equal(s0->order, 0);
      assert_int_equal(s2->order, 1);
    }
  }
  /* the verifier catches a forward reference */
  s0->ops[1]->from_stage = 2;
  assert_non_null(mdk_ir_verify(g));
  mdk_arena_fini(&a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_layout_changes_keep_keys),
    cmocka_unit_test(test_semantic_changes_change_keys),
    cmocka_unit_test(test_pinned_keys),
    cmocka_unit_test(test_passes_alone),
    cmocka_unit_test(test_fuzz_regressions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
