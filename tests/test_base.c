/* test_base.c - the base helpers the hot paths rely on, checked against
 * the libc routines they stand in for: arena printf against vsnprintf,
 * JSON quoting (escapes, invalid UTF-8, strings longer than one chunk),
 * string compares with NULL and empty operands, and buffer room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <stdint.h>

#include "base/arena.h"
#include "base/fsutil.h"
#include "base/source.h"
#include "base/jsonw.h"
#include "base/str.h"

static void check_printf(struct mdk_arena *a, const char *fmt, ...)
{
  char want[2048];
  char *got;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(want, sizeof(want), fmt, ap);
  va_end(ap);
  va_start(ap, fmt);
  got = mdk_arena_vprintf(a, fmt, ap);
  va_end(ap);
  if(strcmp(want, got) != 0)
    fail_msg("format \"%s\": got \"%s\", want \"%s\"", fmt, got, want);
}

static void test_arena_printf(void **state)
{
  struct mdk_arena a;
  char big[1500];
  (void)state;
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  mdk_arena_init(&a);
  check_printf(&a, "plain text");
  check_printf(&a, "");
  check_printf(&a, "%s and %s", "one", "");
  check_printf(&a, "%.*s|%.*s|%.*s", 3, "abcdef", 0, "abc", 9, "ab");
  check_printf(&a, "%d %d %d %i", 0, -1, 2147483647, -2147483647 - 1);
  check_printf(&a, "%u %lu %ld %zu", 4294967295u, 18446744073709551615ul,
               -9223372036854775807l - 1, (size_t)42);
  check_printf(&a, "%c%c 100%%", 'o', 'k');
  /* conversions it leaves to vsnprintf */
  check_printf(&a, "%5d|%-3s|%x|%08.3f|%p", 7, "a", 255u, 3.14159,
               (void *)0);
  check_printf(&a, "%s", (const char *)NULL);
  check_printf(&a, "%.*s", 8, (const char *)NULL);
  /* longer than the one-pass buffer */
  check_printf(&a, "%s-%d", big, 5);
  check_printf(&a, "%.*s", 1200, big);
  mdk_arena_fini(&a);
}

static char *quoted(struct mdk_str s)
{
  struct mdk_buf b;
  mdk_buf_init(&b, SIZE_MAX);
  mdk_jsonw_quote(&b, s);
  return b.ptr;
}

/* The arena's inline bump and its slow path agree: allocations never
 * overlap, keep their bytes, are aligned; the newest one grows in place;
 * a large first allocation (a block of its own as the head) and a block
 * change in the middle of a growing vector keep everything intact. */
static void test_arena_blocks(void **state)
{
  struct mdk_arena a;
  unsigned char *p[3000];
  size_t len[3000], i, j;
  char *big, *v;
  (void)state;
  mdk_arena_init(&a);
  big = mdk_arena_alloc_raw(&a, 40000);     /* large, first: the head */
  memset(big, 'B', 40000);
  big = mdk_arena_realloc(&a, big, 40000, 90000);
  for(i = 0; i < 40000; i++)
    assert_int_equal(big[i], 'B');
  assert_int_equal(big[89999], 0);
  for(i = 0; i < 3000; i++) {
    len[i] = 1 + (i * 37) % 300;
    p[i] = mdk_arena_alloc(&a, len[i]);
    assert_int_equal((uintptr_t)p[i] % MDK_ARENA_ALIGN, 0);
    for(j = 0; j < len[i]; j++)
      assert_int_equal(p[i][j], 0);
    memset(p[i], (int)(i & 0xff), len[i]);
  }
  for(i = 0; i < 3000; i++)
    for(j = 0; j < len[i]; j++)
      assert_int_equal(p[i][j], (int)(i & 0xff));
  /* the newest allocation grows in place, and grows on into a new block */
  v = mdk_arena_alloc_raw(&a, 16);
  memcpy(v, "0123456789abcde", 16);
  assert_ptr_equal(mdk_arena_realloc(&a, v, 16, 64), v);
  for(i = 64; i < 200000; i *= 2) {
    v = mdk_arena_realloc_raw(&a, v, i, i * 2);
    assert_string_equal(v, "0123456789abcde");
  }
  for(i = 0; i < 3000; i++)
    assert_int_equal(p[i][len[i] - 1], (int)(i & 0xff));
  mdk_arena_fini(&a);
  /* a finished arena is empty and takes allocations again */
  v = mdk_arena_alloc(&a, 100);
  assert_non_null(v);
  mdk_arena_fini(&a);
}

/* Line starts (found eight bytes at a time) against a byte loop, over
 * texts with newlines at every position of a word, runs of them, bytes
 * that differ from '\n' in one bit (0x0b, 0x8a) and odd lengths. */
static void test_source_lines(void **state)
{
  static const char alphabet[] = "\n\n\na\x0b\x8a\r\xff";
  struct mdk_arena a;
  char text[300];
  unsigned seed = 7;
  int round;
  (void)state;
  mdk_arena_init(&a);
  for(round = 0; round < 400; round++) {
    size_t len = (size_t)round % sizeof(text), i, k = 1;
    struct mdk_source *src;
    for(i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      text[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
    }
    src = mdk_source_new(&a, "t", text, len);
    assert_int_equal(src->line_starts[0], 0);
    for(i = 0; i < len; i++)
      if(text[i] == '\n') {
        assert_true(k < src->nlines);
        assert_int_equal(src->line_starts[k], i + 1);
        k++;
      }
    assert_int_equal(src->nlines, k);
  }
  mdk_arena_fini(&a);
}

/* A file is read to its end with no size asked for: its bytes exactly,
 * across the first buffer's size, and a limit it does not fit refuses it. */
static void test_source_read(void **state)
{
  char path[] = "/tmp/mdock-test-source.XXXXXX";
  static char text[20000];
  struct mdk_arena a;
  struct mdk_source *src = NULL;
  size_t sizes[] = {0, 1, 8190, 8191, 8192, 20000}, i;
  int fd = mkstemp(path), err = 0;
  (void)state;
  assert_true(fd >= 0);
  for(i = 0; i < sizeof(text); i++)
    text[i] = (char)('a' + i % 26);
  mdk_arena_init(&a);
  for(i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(pwrite(fd, text, sizes[i], 0), (ssize_t)sizes[i]);
    assert_int_equal(mdk_source_read(&a, path, 1 << 20, &src, &err), MDK_OK);
    assert_int_equal(src->len, sizes[i]);
    assert_memory_equal(src->data, text, sizes[i]);
    assert_int_equal(src->data[sizes[i]], '\0');
    /* known regular: ends at the first short read, the same bytes */
    assert_int_equal(mdk_source_read_at(&a, AT_FDCWD, path, path, true,
                                        1 << 20, &src, &err), MDK_OK);
    assert_int_equal(src->len, sizes[i]);
    assert_memory_equal(src->data, text, sizes[i]);
    assert_int_equal(src->data[sizes[i]], '\0');
  }
  assert_int_equal(mdk_source_read(&a, path, 4096, &src, &err), MDK_ETOOBIG);
  mdk_arena_fini(&a);
  close(fd);
  unlink(path);
}

/* A listing's names, sorted, each with what readdir said it is. */
static void test_dir_names_types(void **state)
{
  char dir[] = "/tmp/mdock-test-names.XXXXXX", p[128];
  char **names;
  size_t n = 0;
  int fd;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(p, sizeof(p), "%s/b.Dockerfile", dir);
  fd = open(p, O_CREAT | O_WRONLY, 0644);
  assert_true(fd >= 0);
  close(fd);
  snprintf(p, sizeof(p), "%s/a", dir);
  assert_int_equal(mkdir(p, 0755), 0);
  snprintf(p, sizeof(p), "%s/c", dir);
  assert_int_equal(symlink("b.Dockerfile", p), 0);
  fd = open(dir, O_RDONLY | O_DIRECTORY);
  assert_true(fd >= 0);
  names = mdk_dir_names(fd, &n);
  assert_non_null(names);
  assert_int_equal(n, 3);
  assert_string_equal(names[0], "a");
  assert_string_equal(names[1], "b.Dockerfile");
  assert_string_equal(names[2], "c");
  /* tmpfs and ext4 say; a file system that does not gives DT_UNKNOWN */
  if(mdk_dir_name_type(names[1]) != DT_UNKNOWN) {
    assert_int_equal(mdk_dir_name_type(names[0]), DT_DIR);
    assert_int_equal(mdk_dir_name_type(names[1]), DT_REG);
    assert_int_equal(mdk_dir_name_type(names[2]), DT_LNK);
  }
  mdk_dir_names_free(names, n);
  close(fd);
  assert_int_equal(mdk_rmtree(dir), 0);
}

/* Every special byte at every place of the eight-byte chunks the quoting
 * copies whole: each is escaped exactly as a byte-by-byte quoting does. */
static void test_json_quote_chunks(void **state)
{
  static const char *const specials[] = {"\"", "\\", "\n", "\x01", "\x1f",
                                         "\x7f", "\x7e", " ", "\xc3\xa9"};
  static const char *const escaped[] = {"\\\"", "\\\\", "\\n", "\\u0001",
                                        "\\u001f", "\\u007f", "~", " ",
                                        "\xc3\xa9"};
  size_t k, at;
  (void)state;
  for(k = 0; k < sizeof(specials) / sizeof(specials[0]); k++)
    for(at = 0; at < 20; at++) {
      char in[64], want[96], *q;
      size_t sl = strlen(specials[k]);
      memset(in, 'a', 24);
      memcpy(in + at, specials[k], sl);
      in[24 + sl] = '\0';
      memset(in + 24, 'b', sl);     /* same length whatever the special */
      snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at, in,
               escaped[k], (int)(24 + sl - at - sl), in + at + sl);
      q = quoted(mdk_str_make(in, 24 + sl));
      assert_string_equal(q, want);
      free(q);
    }
}

static void test_json_quote(void **state)
{
  static const char ctl[] = "a\"b\\c\nd\re\tf\x01g\x7fh";
  char *q;
  size_t n = 200000, i, len;
  char *lng;
  (void)state;
  q = quoted(mdk_str_make(ctl, sizeof(ctl) - 1));
  assert_string_equal(q, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh\"");
  free(q);
  /* valid UTF-8 stays, a stray byte becomes U+FFFD */
  q = quoted(mdk_str_c("caf\xc3\xa9 \xff!"));
  assert_string_equal(q, "\"caf\xc3\xa9 \\ufffd!\"");
  free(q);
  q = quoted(mdk_str_make("", 0));
  assert_string_equal(q, "\"\"");
  free(q);
  /* longer than one chunk, with a two-byte rune on every boundary the
   * chunking could pick: nothing split, nothing replaced */
  lng = malloc(n);
  assert_non_null(lng);
  for(i = 0; i + 1 < n; i += 2) {
    lng[i] = '\xc3';
    lng[i + 1] = '\xa9';
  }
  q = quoted(mdk_str_make(lng, n));
  len = strlen(q);
  assert_int_equal(len, n + 2);
  assert_memory_equal(q + 1, lng, n);
  assert_null(strstr(q, "\\ufffd"));
  free(q);
  free(lng);
}

static void test_str_compare(void **state)
{
  int c;
  (void)state;
  /* hex digits in either case; every other byte is none */
  for(c = 0; c < 256; c++) {
    int want = c >= '0' && c <= '9' ? c - '0'
             : c >= 'a' && c <= 'f' ? c - 'a' + 10
             : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    assert_int_equal(mdk_hex_value((char)c), want);
  }
  /* in place for short strings, memchr for long ones: the same answer */
  assert_int_equal(mdk_str_index(mdk_str_c("abc=d"), '='), 3);
  assert_int_equal(mdk_str_index(mdk_str_c("abc"), '='), -1);
  assert_int_equal(mdk_str_index(mdk_str_c("0123456789abcdefgh=i"), '='), 18);
  assert_int_equal(mdk_str_index(mdk_str_c("0123456789abcdefghi"), '='), -1);
  assert_int_equal(mdk_str_index(mdk_str_make(NULL, 0), '='), -1);
  assert_true(mdk_str_eq_c(mdk_str_make("abc", 3), "abc"));
  assert_false(mdk_str_eq_c(mdk_str_make("abc", 3), "abd"));
  assert_false(mdk_str_eq_c(mdk_str_make("abc", 3), "ab"));
  assert_false(mdk_str_eq_c(mdk_str_make("ab", 2), "abc"));
  assert_true(mdk_str_eq_c(MDK_STR_NULL, ""));
  assert_true(mdk_str_eq_c(MDK_STR_NULL, NULL));
  assert_false(mdk_str_eq_c(MDK_STR_NULL, "a"));
  assert_false(mdk_str_eq_c(mdk_str_make("a", 1), NULL));
  assert_false(mdk_str_eq_c(mdk_str_make("a", 1), ""));
  assert_true(mdk_str_eq_ci(mdk_str_make("FrOm", 4), "from"));
  assert_false(mdk_str_eq_ci(mdk_str_make("FrOm", 4), "fro"));
  assert_true(mdk_str_has_prefix(mdk_str_make("--mount", 7), "--"));
  assert_false(mdk_str_has_prefix(mdk_str_make("-", 1), "--"));
}

static void test_buf_room(void **state)
{
  struct mdk_buf b;
  char *at;
  (void)state;
  mdk_buf_init(&b, 16);
  assert_int_equal(mdk_buf_append(&b, NULL, 0), MDK_OK);
  assert_int_equal(mdk_buf_append(&b, "0123456789", 10), MDK_OK);
  at = mdk_buf_reserve(&b, 5);
  assert_non_null(at);
  memcpy(at, "abcde", 5);
  mdk_buf_commit(&b, 5);
  assert_string_equal(b.ptr, "0123456789abcde");
  /* the limit counts the NUL: one more byte does not fit */
  assert_null(mdk_buf_reserve(&b, 1));
  assert_int_equal(mdk_buf_append(&b, "z", 1), MDK_ETOOBIG);
  assert_string_equal(b.ptr, "0123456789abcde");
  mdk_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_arena_printf),
    cmocka_unit_test(test_arena_blocks),
    cmocka_unit_test(test_source_lines),
    cmocka_unit_test(test_source_read),
    cmocka_unit_test(test_dir_names_types),
    cmocka_unit_test(test_json_quote),
    cmocka_unit_test(test_json_quote_chunks),
    cmocka_unit_test(test_str_compare),
    cmocka_unit_test(test_buf_room),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
