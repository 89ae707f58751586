/* test_frontend.c - unit tests of the frontend modules below the CLI:
 * Go-exact JSON arrays, BuildKit's flag/word splitting quirks, heredoc words,
 * diagnostics rendering, typed instructions and scoped expansion (the
 * reference's hard cases). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "frontend/frontend.h"
#include "frontend/gojson.h"
#include "frontend/lineparse.h"
#include "frontend/mount.h"

struct fx {
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
};

static enum mdk_status run(struct fx *f, const char *text,
                           enum mdk_fe_dialect dialect,
                           const struct mdk_fe_kv *bargs, size_t nb)
{
  struct mdk_source *src;
  struct mdk_fe_expand_opts eo = {dialect, bargs, nb, NULL, false, false,
                                  NULL, NULL, NULL, 0};
  enum mdk_status st;
  mdk_arena_init(&f->a);
  mdk_diags_init(&f->d, &f->a);
  src = mdk_source_new(&f->a, "Dockerfile", text, strlen(text));
  st = mdk_fe_parse(&f->a, &f->d, src, &f->ast);
  if(st)
    return st;
  st = mdk_fe_type(&f->a, &f->d, f->ast, &f->file);
  if(st)
    return st;
  return mdk_fe_expand(&f->a, &f->d, f->file, &eo, &f->sem);
}

/* Expanded value number k of instruction i. */
static const char *xval(struct fx *f, size_t i, size_t k)
{
  const struct mdk_fe_xcmd *x = &f->sem->x[i];
  if(k >= x->nvals)
    return "<none>";
  return mdk_arena_strndup(&f->a, x->vals[k].val.ptr, x->vals[k].val.len);
}

static const char *first_error(struct fx *f)
{
  size_t i;
  for(i = 0; i < f->d.items.len; i++) {
    const struct mdk_diag *d = mdk_vec_at(&f->d.items, struct mdk_diag, i);
    if(d->sev == MDK_SEV_ERROR)
      return d->msg;
  }
  return "";
}

/* --- gojson ---------------------------------------------------------- */

static void test_json_arrays(void **state)
{
  struct mdk_arena a;
  struct mdk_fe_arg *v;
  size_t n;
  uint32_t bo, bl;
  (void)state;
  mdk_arena_init(&a);
#define J(s) mdk_fe_json_string_array(&a, mdk_str_c(s), 0, &v, &n, &bo, &bl)
  assert_int_equal(J("[\"a\", \"b\\u00e9\\n\"]"), MDK_FE_JSON_OK);
  assert_int_equal(n, 2);
  assert_true(mdk_str_eq_c(v[1].val, "b\xc3\xa9\n"));
  assert_int_equal(v[1].off, 6);
  assert_int_equal(J("  []"), MDK_FE_JSON_OK);
  assert_int_equal(n, 0);
  /* invalid JSON falls back to shell form */
  assert_int_equal(J("['a']"), MDK_FE_JSON_INVALID);
  assert_int_equal(J("[\"a\",]"), MDK_FE_JSON_INVALID);
  assert_int_equal(J("[\"a\"] trailing"), MDK_FE_JSON_INVALID);
  assert_int_equal(J("[\"c:\\windows\"]"), MDK_FE_JSON_INVALID);
  assert_int_equal(J("[\"tab\there\"]"), MDK_FE_JSON_INVALID);
  assert_int_equal(J("[01]"), MDK_FE_JSON_INVALID);
  /* a number Go cannot hold in a float64 is a decode error, not a type one */
  assert_int_equal(J("[\"a\", 1e999]"), MDK_FE_JSON_INVALID);
  /* valid JSON, not all strings: the hard error, located */
  assert_int_equal(J("[\"sleep\", 10]"), MDK_FE_JSON_NOT_STRINGS);
  assert_int_equal(bo, 10);
  assert_int_equal(bl, 2);
  assert_int_equal(J("[\"a\", null]"), MDK_FE_JSON_NOT_STRINGS);
  /* lone surrogates and invalid UTF-8 decode to U+FFFD, as in Go */
  assert_int_equal(J("[\"\\ud800x\", \"\xff\"]"), MDK_FE_JSON_OK);
  assert_true(mdk_str_eq_c(v[0].val, "\xef\xbf\xbdx"));
  assert_true(mdk_str_eq_c(v[1].val, "\xef\xbf\xbd"));
  assert_int_equal(J("[\"\\ud83d\\ude00\"]"), MDK_FE_JSON_OK);
  assert_true(mdk_str_eq_c(v[0].val, "\xf0\x9f\x98\x80"));
#undef J
  mdk_arena_fini(&a);
}

/* --- line parsing ------------------------------------------------------ */

static void test_flag_quirks(void **state)
{
  struct fx f;
  struct mdk_buf b;
  (void)state;
  /* (in a --mount, a CSV-quoted field survives the flag lexer only inside
   * single quotes, as with BuildKit) */
  /* flag words are lexed with quotes; a bare "--" ends them and is dropped;
   * non-ASCII bytes are re-encoded one by one, exactly like BuildKit */
  const char *text = "COPY --x=\"a b\" -- --y c\n"
                     "COPY --l=caf\xc3\xa9 a b\n";
  mdk_arena_init(&f.a);
  mdk_diags_init(&f.d, &f.a);
  assert_int_equal(mdk_fe_parse(&f.a, &f.d,
                                mdk_source_new(&f.a, "D", text, strlen(text)),
                                &f.ast), MDK_OK);
  mdk_buf_init(&b, 1 << 20);
  mdk_fe_ast_dump_buildkit(f.ast, &b);
  assert_string_equal(b.ptr, "(copy [\"--x=a b\"] \"--y\" \"c\")\n"
                             "(copy [\"--l=caf\xc3\x83\xc2\xa9\"] \"a\" \"b\")\n");
  /* spans of flags point into the source */
  assert_int_equal(f.ast->nodes[0]->flags[0].off, 5);
  assert_int_equal(f.ast->nodes[0]->flags[0].len, 9);
  mdk_buf_free(&b);
  mdk_arena_fini(&f.a);
}

static void test_continuation_and_directives(void **state)
{
  struct fx f;
  struct mdk_buf b;
  const char *src = "# ESCAPE = `\n"
                    "# syntax=docker/dockerfile:1\n"
                    "FROM x\n"
                    "RUN a `\n"
                    "  # dropped comment\n"
                    "\n"
                    "  b \\\n"
                    "RUN c``\n"
                    "# escape=\\\n";
  (void)state;
  assert_int_equal(run(&f, src, MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  mdk_buf_init(&b, 1 << 20);
  mdk_fe_ast_dump_buildkit(f.ast, &b);
  assert_string_equal(b.ptr, "(from \"x\")\n(run \"a   b \\\\\")\n"
                             "(run \"c``\")\n");
  assert_int_equal(f.ast->escape, '`');
  assert_int_equal(f.ast->ndirectives, 2);
  assert_true(mdk_str_eq_c(f.ast->directives[0].key, "escape"));
  /* the blank line inside the continuation is a NoEmptyContinuation */
  assert_int_equal(f.ast->nwarnings, 1);
  assert_string_equal(f.ast->warnings[0].rule, "NoEmptyContinuation");
  /* the RUN spans lines 4..7 */
  assert_int_equal(f.ast->nodes[1]->start_line, 4);
  assert_int_equal(f.ast->nodes[1]->end_line, 7);
  mdk_buf_free(&b);
  mdk_arena_fini(&f.a);
}

static void test_heredoc_words(void **state)
{
  struct mdk_arena a;
  struct mdk_fe_heredoc hd;
  bool is;
  const char *e;
  (void)state;
  mdk_arena_init(&a);
  assert_true(mdk_fe_parse_heredoc_word(&a, mdk_str_c("3<<-'EOF'"), &hd, &is,
                                        &e));
  assert_true(is);
  assert_int_equal(hd.fd, 3);
  assert_true(hd.chomp);
  assert_false(hd.expand);
  assert_true(mdk_str_eq_c(hd.name, "EOF"));
  assert_true(mdk_fe_parse_heredoc_word(&a, mdk_str_c("<<a<b"), &hd, &is, &e));
  assert_false(is);
  assert_true(mdk_fe_parse_heredoc_word(&a, mdk_str_c("x<<EOF"), &hd, &is,
                                        &e));
  assert_false(is);
  mdk_arena_fini(&a);
}

/* --- diagnostics ------------------------------------------------------- */

static void test_diag_caret(void **state)
{
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_source *src;
  struct mdk_loc loc;
  char out[512] = {0};
  FILE *mem;
  (void)state;
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  src = mdk_source_new(&a, "Dockerfile", "FROM x\n\tRUN  --bad=1 y\r\n", 24);
  loc.src = src;
  loc.start = 13;
  loc.end = 20;
  mdk_diag_hint(&d, mdk_diag_add(&d, MDK_SEV_ERROR, loc, "unknown flag: %s",
                                 "--bad"), "did you mean %s?", "--x");
  mem = fmemopen(out, sizeof(out) - 1, "w");
  mdk_diags_print(&d, mem, false);
  fclose(mem);
  assert_string_equal(out, "Dockerfile:2:7: error: unknown flag: --bad\n"
                           "    \tRUN  --bad=1 y\n"
                           "    \t     ^~~~~~~\n"
                           "    hint: did you mean --x?\n");
  assert_int_equal(d.nerrors, 1);
  mdk_arena_fini(&a);
}

/* --- typed instructions ------------------------------------------------ */

static void test_mounts_and_flags(void **state)
{
  struct fx f;
  const struct mdk_fe_cmd *c;
  bool found;
  (void)state;
  assert_int_equal(run(&f, "FROM x\nRUN --mount=type=secret,id=tok,env=T "
                           "--mount=type=bind,'\"source=a,b\"',target=/m,ro "
                           "--network=none echo\n"
                           "COPY --link --chmod=755 --exclude=*.md "
                           "--exclude=*.txt a /b/\n"
                           "HEALTHCHECK --interval=1m30s --retries=2 CMD true\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  c = &f.file->cmds[1];
  assert_int_equal(c->nmounts, 2);
  assert_int_equal(c->mounts[0].type, MDK_FE_MOUNT_SECRET);
  assert_true(mdk_str_eq_c(mdk_fe_mount_get(&c->mounts[0], "env", &found),
                           "T"));
  assert_int_equal(c->mounts[1].type, MDK_FE_MOUNT_BIND);
  assert_true(mdk_str_eq_c(mdk_fe_mount_get(&c->mounts[1], "source", &found),
                           "a,b"));
  mdk_fe_mount_get(&c->mounts[1], "readonly", &found);
  assert_true(found);
  c = &f.file->cmds[2];
  assert_true(mdk_fe_cmd_flag(c, "link")->bval);
  assert_int_equal(mdk_fe_cmd_flag(c, "exclude")->nvals, 2);
  c = &f.file->cmds[3];
  assert_int_equal(c->hc_interval, 90000000000LL);
  assert_int_equal(c->hc_retries, 2);
  mdk_arena_fini(&f.a);
}

static void test_durations(void **state)
{
  int64_t ns;
  (void)state;
  assert_true(mdk_fe_parse_duration(mdk_str_c("1.5s"), &ns));
  assert_int_equal(ns, 1500000000LL);
  assert_true(mdk_fe_parse_duration(mdk_str_c("1h2m3s4ms"), &ns));
  assert_int_equal(ns, 3723004000000LL);
  assert_true(mdk_fe_parse_duration(mdk_str_c("0"), &ns));
  assert_false(mdk_fe_parse_duration(mdk_str_c("10"), &ns));
  assert_false(mdk_fe_parse_duration(mdk_str_c("s"), &ns));
}

/* --- expansion: the reference's hard cases ------------------------------ */

static void test_same_instruction_env(void **state)
{
  struct fx f;
  (void)state;
  /* hard case 4: every substitution of one ENV sees the env before it */
  assert_int_equal(run(&f, "FROM x\nENV abc=hello\nENV abc=bye def=$abc\n"
                           "ENV ONE TWO= THREE=world\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  assert_string_equal(xval(&f, 2, 3), "hello");
  assert_string_equal(xval(&f, 3, 1), "TWO= THREE=world");
  mdk_arena_fini(&f.a);
}

static void test_global_args(void **state)
{
  struct fx f;
  struct mdk_fe_kv ba[] = {{{"V", 1}, {"2.0", 3}}};
  (void)state;
  /* hard case 5: global ARGs are for FROM only until redeclared */
  assert_int_equal(run(&f, "ARG V=1.0\nFROM alpine:$V\nWORKDIR /a/[$V]\n"
                           "ARG V\nWORKDIR /b/[$V]\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  assert_string_equal(xval(&f, 1, 0), "alpine:1.0");
  assert_string_equal(xval(&f, 2, 0), "/a/[]");
  assert_int_equal(f.sem->x[2].nunset, 1);
  assert_string_equal(xval(&f, 4, 0), "/b/[1.0]");
  mdk_arena_fini(&f.a);
  /* a build arg replaces the default everywhere */
  assert_int_equal(run(&f, "ARG V=1.0\nFROM alpine:$V\nARG V\nUSER $V\n",
                       MDK_FE_DIALECT_DOCKER, ba, 1), MDK_OK);
  assert_string_equal(xval(&f, 1, 0), "alpine:2.0");
  assert_string_equal(xval(&f, 3, 0), "2.0");
  assert_string_equal(f.sem->stages[0].base.ptr, "alpine:2.0");
  mdk_arena_fini(&f.a);
}

static void test_arg_env_order(void **state)
{
  struct fx f;
  struct mdk_fe_kv ba[] = {{{"X", 1}, {"arg", 3}}};
  (void)state;
  /* hard case 6: the later of ARG and ENV wins */
  assert_int_equal(run(&f, "FROM x\nENV X=env\nARG X\nUSER $X\n",
                       MDK_FE_DIALECT_DOCKER, ba, 1), MDK_OK);
  assert_string_equal(xval(&f, 3, 0), "arg");
  mdk_arena_fini(&f.a);
  assert_int_equal(run(&f, "FROM x\nARG X\nENV X=env\nUSER $X\n",
                       MDK_FE_DIALECT_DOCKER, ba, 1), MDK_OK);
  assert_string_equal(xval(&f, 3, 0), "env");
  mdk_arena_fini(&f.a);
}

static void test_copy_heredoc_expansion(void **state)
{
  struct fx f;
  const struct mdk_fe_xcmd *x;
  size_t i;
  const char *body = NULL;
  (void)state;
  /* hard case 7: an unquoted COPY heredoc expands, keeps quotes, and eats
   * "$@"; a quoted one is literal */
  assert_int_equal(run(&f, "FROM x\nARG name=world\nCOPY <<EOF /e.sh\n"
                           "echo \"hi ${name}\"; exec \"$@\"\nEOF\n"
                           "COPY <<'EOF' /f.sh\nexec \"$@\"\nEOF\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  x = &f.sem->x[2];
  for(i = 0; i < x->nvals; i++)
    if(strcmp(x->vals[i].what, "heredoc") == 0)
      body = mdk_arena_strndup(&f.a, x->vals[i].val.ptr, x->vals[i].val.len);
  assert_non_null(body);
  assert_string_equal(body, "echo \"hi world\"; exec \"\"\n");
  x = &f.sem->x[3];
  for(i = 0; i < x->nvals; i++)
    assert_string_not_equal(x->vals[i].what, "heredoc");
  mdk_arena_fini(&f.a);
}

static void test_expose_splits_volume_does_not(void **state)
{
  struct fx f;
  (void)state;
  assert_int_equal(run(&f, "FROM x\nENV PORTS=\"80 443/udp\"\nEXPOSE $PORTS\n"
                           "VOLUME $PORTS\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  assert_int_equal(f.sem->x[2].nvals, 2);
  assert_string_equal(xval(&f, 2, 1), "443/udp");
  assert_int_equal(f.sem->x[3].nvals, 1);
  assert_string_equal(xval(&f, 3, 0), "80 443/udp");
  mdk_arena_fini(&f.a);
}

static void test_stage_inheritance(void **state)
{
  struct fx f;
  (void)state;
  assert_int_equal(run(&f, "FROM alpine AS Base\nENV A=1\nFROM base\n"
                           "USER $A\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  assert_int_equal(f.sem->nstages, 2);
  assert_string_equal(f.sem->stages[0].name.ptr, "base");
  assert_int_equal(f.sem->stages[1].parent, 0);
  assert_string_equal(xval(&f, 3, 0), "1");
  mdk_arena_fini(&f.a);
}

static void test_modal_dialect(void **state)
{
  struct fx f;
  (void)state;
  assert_int_equal(run(&f, "FROM x\nENV A=${B:-d}\n", MDK_FE_DIALECT_MODAL,
                       NULL, 0), MDK_EEXPAND);
  assert_non_null(strstr(first_error(&f), "Modal does not support"));
  mdk_arena_fini(&f.a);
  /* plain references and trims are fine; RUN text is not the builder's */
  assert_int_equal(run(&f, "FROM x\nENV A=${B} C=$B\n"
                           "RUN echo ${X:-y}\n", MDK_FE_DIALECT_MODAL, NULL,
                       0), MDK_OK);
  mdk_arena_fini(&f.a);
  assert_int_equal(run(&f, "FROM x\nENV A=${B:-d}\n", MDK_FE_DIALECT_DOCKER,
                       NULL, 0), MDK_OK);
  assert_string_equal(xval(&f, 1, 1), "d");
  mdk_arena_fini(&f.a);
}

static void test_commands_list(void **state)
{
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_str *cmds;
  size_t n;
  const char *why;
  struct mdk_source *src;
  struct mdk_fe_ast *ast;
  struct mdk_pos p;
  (void)state;
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  assert_int_equal(mdk_fe_commands_parse(&a, mdk_str_c("[\"RUN a\", "
                                                       "\"COPY <<EOF /x\", "
                                                       "\"hi\", \"EOF\"]"),
                                         &cmds, &n, &why), MDK_OK);
  assert_int_equal(n, 4);
  src = mdk_fe_commands_source(&a, "cmds", "python:3.12", cmds, n);
  assert_int_equal(mdk_fe_parse(&a, &d, src, &ast), MDK_OK);
  assert_int_equal(ast->nnodes, 3);
  assert_true(mdk_str_eq_c(ast->nodes[2]->heredocs[0].content, "hi\n"));
  p = mdk_source_pos(src, mdk_fe_node_loc(ast->nodes[2]).start);
  assert_string_equal(p.name, "cmds[1]");
  assert_int_equal(p.line, 1);
  assert_int_equal(mdk_fe_commands_parse(&a, mdk_str_c("RUN a\nRUN b\r\n"),
                                         &cmds, &n, &why), MDK_OK);
  assert_int_equal(n, 2);
  assert_true(mdk_str_eq_c(cmds[1], "RUN b"));
  assert_int_equal(mdk_fe_commands_parse(&a, mdk_str_c("[\"a\", 1]"), &cmds,
                                         &n, &why), MDK_EINPUT);
  mdk_arena_fini(&a);
}

static void test_check_directive_and_onbuild(void **state)
{
  struct fx f;
  struct mdk_fe_checkcfg cfg;
  const char *err;
  size_t off;
  (void)state;
  assert_int_equal(run(&f, "#check = skip=A, B ;error=1\nFROM x\n"
                           "onbuild  COPY <<EOF /x\nhi\nEOF\n",
                       MDK_FE_DIALECT_DOCKER, NULL, 0), MDK_OK);
  assert_int_equal(f.ast->checks.nskip, 2);
  assert_true(mdk_str_eq_c(f.ast->checks.skip[1], "B"));
  assert_true(f.ast->checks.error);
  /* the ONBUILD trigger as stored in the image: heredoc re-appended */
  assert_true(mdk_str_eq_c(f.file->cmds[1].onbuild_expr,
                           "COPY <<EOF /x\nhi\nEOF"));
  mdk_arena_fini(&f.a);
  mdk_arena_init(&f.a);
  assert_true(mdk_fe_checkcfg_parse(&f.a, mdk_str_c("experimental=all"), &cfg,
                                    &err, &off));
  assert_true(cfg.experimental_all);
  assert_false(mdk_fe_checkcfg_parse(&f.a, mdk_str_c("skip=all;x=1"), &cfg,
                                     &err, &off));
  assert_int_equal(off, 9);
  mdk_arena_fini(&f.a);
}

/* go-units RAMInBytes and strconv.ParseBool, as RUN --mount reads them */
static void test_mount_values(void **state)
{
  int64_t n = 0;
  bool b = false;
  (void)state;
  assert_true(mdk_fe_ram_in_bytes(mdk_str_c("64m"), &n));
  assert_int_equal(n, 64LL << 20);
  assert_true(mdk_fe_ram_in_bytes(mdk_str_c("1.5GiB"), &n));
  assert_int_equal(n, 3LL << 29);
  assert_true(mdk_fe_ram_in_bytes(mdk_str_c("512 kb"), &n));
  assert_int_equal(n, 512LL << 10);
  assert_true(mdk_fe_ram_in_bytes(mdk_str_c("100"), &n));
  assert_int_equal(n, 100);
  assert_false(mdk_fe_ram_in_bytes(mdk_str_c("1.2.3m"), &n));
  assert_false(mdk_fe_ram_in_bytes(mdk_str_c("m"), &n));
  assert_false(mdk_fe_ram_in_bytes(mdk_str_c("10 x"), &n));
  assert_false(mdk_fe_ram_in_bytes(mdk_str_c("1."), &n));
  assert_true(mdk_fe_parse_bool(mdk_str_c("True"), &b) && b);
  assert_true(mdk_fe_parse_bool(mdk_str_c("f"), &b) && !b);
  assert_false(mdk_fe_parse_bool(mdk_str_c("yes"), &b));
  assert_false(mdk_fe_parse_bool(mdk_str_c("tRUE"), &b));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json_arrays),
    cmocka_unit_test(test_flag_quirks),
    cmocka_unit_test(test_continuation_and_directives),
    cmocka_unit_test(test_heredoc_words),
    cmocka_unit_test(test_diag_caret),
    cmocka_unit_test(test_mounts_and_flags),
    cmocka_unit_test(test_durations),
    cmocka_unit_test(test_same_instruction_env),
    cmocka_unit_test(test_global_args),
    cmocka_unit_test(test_arg_env_order),
    cmocka_unit_test(test_copy_heredoc_expansion),
    cmocka_unit_test(test_expose_splits_volume_does_not),
    cmocka_unit_test(test_stage_inheritance),
    cmocka_unit_test(test_modal_dialect),
    cmocka_unit_test(test_commands_list),
    cmocka_unit_test(test_check_directive_and_onbuild),
    cmocka_unit_test(test_mount_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
