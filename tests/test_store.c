/* test_store.c - the content store (atomic, verified blobs; tags), layer
 * round trips (gzip, zstd, plain; whiteouts, links, xattrs, determinism)
 * and the layer reader against hostile tars: `..`, absolute names,
 * symlink-then-write chains and hard links out of the root must be refused
 * or contained, and a canary file outside the root never changes. */
#include <archive.h>
#include <archive_entry.h>

#include "base/archive_dl.h"
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend/build.h"
#include "store/compress.h"
#include "store/layer.h"
#include "store/cas.h"

static char base[256];   /* a fresh directory per test */
static char canary[300];

static const char canary_text[] = "canary: must never change\n";

static int setup(void **state)
{
  FILE *f;
  (void)state;
  snprintf(base, sizeof(base), "/tmp/mdock-test-store-XXXXXX");
  assert_non_null(mkdtemp(base));
  /* outside every root the tests unpack into */
  snprintf(canary, sizeof(canary), "%s/canary", base);
  f = fopen(canary, "w");
  fputs(canary_text, f);
  fclose(f);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  mdk_rmtree(base);
  return 0;
}

static void assert_canary(void)
{
  char buf[128] = {0};
  FILE *f = fopen(canary, "r");
  assert_non_null(f);
  assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
  fclose(f);
  assert_string_equal(buf, canary_text);
}

static void open_store(struct mdk_be_store *s)
{
  char root[320];
  struct mdk_err e;
  snprintf(root, sizeof(root), "%s/store", base);
  assert_int_equal(mdk_be_store_open(s, root, MDK_BE_LOCK_SHARED, &e),
                   MDK_OK);
}

static void test_blobs(void **state)
{
  struct mdk_be_store s;
  struct mdk_err e;
  struct mdk_arena a;
  mdk_digest d, t;
  char *data, rel[96], path[512];
  size_t len;
  FILE *f;
  (void)state;
  open_store(&s);
  mdk_arena_init(&a);
  assert_int_equal(mdk_be_blob_put(&s, "hello", 5, d, &e), MDK_OK);
  assert_string_equal(d, "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa"
                         "7425e73043362938b9824");
  assert_true(mdk_be_blob_exists(&s, d));
  assert_int_equal(mdk_be_blob_read(&s, &a, d, 100, &data, &len, &e), MDK_OK);
  assert_int_equal(len, 5);
  assert_memory_equal(data, "hello", 5);
  /* a write that does not match the digest it claims stores nothing */
  {
    struct mdk_be_blobw w;
    mdk_digest got;
    assert_int_equal(mdk_be_blobw_begin(&s, &w, &e), MDK_OK);
    assert_int_equal(mdk_be_blobw_write(&w, "other", 5, &e), MDK_OK);
    assert_int_equal(mdk_be_blobw_commit(&w, d, got, NULL, &e), MDK_EINPUT);
    assert_non_null(strstr(e.msg, "digest mismatch"));
  }
  /* tags */
  assert_int_equal(mdk_be_tag_set(&s, "example.com/a/b:1", d, &e), MDK_OK);
  assert_true(mdk_be_tag_get(&s, "example.com/a/b:1", t));
  assert_string_equal(t, d);
  {
    size_t n;
    const char **tags = mdk_be_tag_list(&s, &a, &n);
    assert_int_equal(n, 1);
    assert_string_equal(tags[0], "example.com/a/b:1");
  }
  assert_string_equal(mdk_be_ref_normalize(&a, "docker.io/library/busybox"),
                      "busybox:latest");
  assert_string_equal(mdk_be_ref_normalize(&a, "localhost:5000/x"),
                      "localhost:5000/x:latest");
  assert_string_equal(mdk_be_ref_normalize(&a, "x:1"), "x:1");
  /* a flipped byte is found on the next read */
  mdk_be_blob_relpath(d, rel);
  snprintf(path, sizeof(path), "%s/%s", s.root, rel);
  f = fopen(path, "r+");
  fputc('j', f);
  fclose(f);
  assert_int_equal(mdk_be_blob_read(&s, &a, d, 100, &data, &len, &e),
                   MDK_EINPUT);
  assert_non_null(strstr(e.msg, "corrupt"));
  assert_int_equal(mdk_be_blob_verify(&s, d, &e), MDK_EINPUT);
  mdk_arena_fini(&a);
  mdk_be_store_close(&s);
}

static void write_file(const char *dir, const char *name, const char *text,
                       mode_t mode)
{
  char p[600];
  int fd;
  snprintf(p, sizeof(p), "%s/%s", dir, name);
  fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  chmod(p, mode);
}

static void layer_of(struct mdk_be_store *s, const char *dir,
                     enum mdk_be_compression k, struct mdk_be_layer_desc *d)
{
  struct mdk_be_layer_opts o;
  struct mdk_err e;
  memset(&o, 0, sizeof(o));
  o.comp.kind = k;
  o.epoch = 1700000000;
  assert_int_equal(mdk_be_layer_from_dir(s, dir, &o, d, &e), MDK_OK);
}

static void test_layer_round_trip(void **state)
{
  struct mdk_be_store s;
  struct mdk_err e;
  struct mdk_be_layer_desc d[3], again;
  struct mdk_be_unpack_opts uo = {.devices = false};
  char src[300], out[300], p[700], lbuf[64];
  struct stat sb;
  size_t i;
  bool xattrs;
  (void)state;
  open_store(&s);
  snprintf(src, sizeof(src), "%s/src", base);
  mkdir(src, 0755);
  snprintf(p, sizeof(p), "%s/dir", src);
  mkdir(p, 0750);
  write_file(src, "dir/file", "content\n", 0640);
  /* an xattr goes into the layer and comes back (when the fs has them) */
  snprintf(p, sizeof(p), "%s/dir/file", src);
  xattrs = setxattr(p, "user.mdock", "kept", 4, 0) == 0;
  write_file(src, "exec", "#!/bin/sh\n", 0755);
  snprintf(p, sizeof(p), "%s/link", src);
  assert_int_equal(symlink("dir/file", p), 0);
  {
    char p2[700];
    snprintf(p2, sizeof(p2), "%s/hard", src);
    snprintf(p, sizeof(p), "%s/exec", src);
    assert_int_equal(link(p, p2), 0);
  }
  /* an overlay whiteout (0/0 char device) when we may make one */
  snprintf(p, sizeof(p), "%s/gone", src);
  (void)mknod(p, S_IFCHR | 0600, makedev(0, 0));
  for(i = 0; i < 3; i++)
    layer_of(&s, src, (enum mdk_be_compression)i, &d[i]);
  /* the uncompressed tar is the same whatever the compression */
  assert_string_equal(d[0].diff_id, d[1].diff_id);
  assert_string_equal(d[0].diff_id, d[2].diff_id);
  assert_string_equal(d[2].digest, d[2].diff_id);
  /* deterministic: the same tree gives the same bytes */
  layer_of(&s, src, MDK_BE_COMP_GZIP, &again);
  assert_string_equal(again.digest, d[0].digest);
  for(i = 0; i < 3; i++) {
    ssize_t n;
    snprintf(out, sizeof(out), "%s/out%zu", base, i);
    /* something for the whiteout to remove */
    mkdir(out, 0755);
    write_file(out, "gone", "old\n", 0644);
    assert_int_equal(mdk_be_unpack_blob(&s, d[i].digest, out, &uo, &e),
                     MDK_OK);
    snprintf(p, sizeof(p), "%s/dir/file", out);
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0640);
    if(xattrs) {
      char xv[16] = {0};
      snprintf(p, sizeof(p), "%s/dir/file", out);
      assert_int_equal(getxattr(p, "user.mdock", xv, sizeof(xv) - 1), 4);
      assert_string_equal(xv, "kept");
    }
    snprintf(p, sizeof(p), "%s/dir", out);
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0750);
    snprintf(p, sizeof(p), "%s/link", out);
    n = readlink(p, lbuf, sizeof(lbuf) - 1);
    assert_true(n > 0);
    lbuf[n] = 0;
    assert_string_equal(lbuf, "dir/file");
    snprintf(p, sizeof(p), "%s/hard", out);
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_nlink, 2);
    snprintf(p, sizeof(p), "%s/gone", out);
    if(geteuid() == 0)
      assert_int_not_equal(lstat(p, &sb), 0);
  }
  mdk_be_store_close(&s);
  assert_canary();
}

static void test_compression_parse(void **state)
{
  struct mdk_be_compress_opts o;
  (void)state;
  assert_true(mdk_be_compression_parse("gzip", &o));
  assert_int_equal(o.kind, MDK_BE_COMP_GZIP);
  assert_true(mdk_be_compression_parse("zstd:19", &o));
  assert_int_equal(o.level, 19);
  assert_true(mdk_be_compression_parse("uncompressed", &o));
  assert_false(mdk_be_compression_parse("zstd:0", &o));
  assert_false(mdk_be_compression_parse("gzip:13", &o));
  assert_false(mdk_be_compression_parse("lz4", &o));
  assert_false(mdk_be_compression_parse("uncompressed:3", &o));
}

/* --- hostile tars --- */

struct evil {
  const char *name;
  char type;                    /* f, l (symlink), h (hard link), d */
  const char *target;
  const char *content;
};

static void make_tar(const char *path, const struct evil *ev, size_t n)
{
  struct archive *ar = archive_write_new();
  struct archive_entry *ae = archive_entry_new();
  size_t i;
  archive_write_set_format_pax_restricted(ar);
  assert_int_equal(archive_write_open_filename(ar, path), ARCHIVE_OK);
  for(i = 0; i < n; i++) {
    archive_entry_clear(ae);
    archive_entry_set_pathname(ae, ev[i].name);
    archive_entry_set_perm(ae, 0644);
    switch(ev[i].type) {
    case 'd':
      archive_entry_set_filetype(ae, AE_IFDIR);
      archive_entry_set_perm(ae, 0755);
      break;
    case 'l':
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_symlink(ae, ev[i].target);
      break;
    case 'h':
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_hardlink(ae, ev[i].target);
      break;
    default:
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_size(ae, (la_int64_t)strlen(ev[i].content));
    }
    assert_int_equal(archive_write_header(ar, ae), ARCHIVE_OK);
    if(ev[i].type == 'f')
      archive_write_data(ar, ev[i].content, strlen(ev[i].content));
  }
  archive_write_close(ar);
  archive_write_free(ar);
  archive_entry_free(ae);
}

/* Unpacks the entries into a fresh root; returns the status and checks
 * that nothing outside the root changed. */
static enum mdk_status unpack_evil(const struct evil *ev, size_t n,
                                   const char *tag, struct mdk_err *e)
{
  char tar[400], root[400];
  struct mdk_be_unpack_opts uo = {.devices = false};
  enum mdk_status st;
  int fd;
  snprintf(tar, sizeof(tar), "%s/%s.tar", base, tag);
  snprintf(root, sizeof(root), "%s/root-%s/a/b", base, tag);
  make_tar(tar, ev, n);
  fd = open(tar, O_RDONLY);
  assert_true(fd >= 0);
  st = mdk_be_unpack_fd(fd, root, &uo, e);
  close(fd);
  assert_canary();
  return st;
}

static void test_hostile_tars(void **state)
{
  struct mdk_err e;
  char p[600], cwd_canary[320];
  struct stat sb;
  (void)state;
  snprintf(cwd_canary, sizeof(cwd_canary), "%s", canary);
  {
    /* "../" out of the root: refused */
    struct evil ev[] = {{"../../../canary", 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 1, "dotdot", &e), MDK_EINPUT);
    assert_non_null(strstr(e.msg, "'..'"));
  }
  {
    struct evil ev[] = {{"a/../../../../canary", 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 1, "dotdot2", &e), MDK_EINPUT);
  }
  {
    /* an absolute name: refused */
    struct evil ev[] = {{cwd_canary, 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 1, "abs", &e), MDK_EINPUT);
    assert_non_null(strstr(e.msg, "absolute"));
  }
  {
    /* a symlink to the canary's directory, then a write through it:
     * contained (the link resolves inside the root) */
    struct evil ev[] = {{"esc", 'l', base, NULL},
                        {"esc/canary", 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 2, "symdir", &e), MDK_OK);
    snprintf(p, sizeof(p), "%s/root-symdir/a/b%s/canary", base, base);
    assert_int_equal(stat(p, &sb), 0);     /* landed inside the root */
  }
  {
    /* a symlink to the canary itself, then the same name as a file: the
     * link is replaced, never written through */
    struct evil ev[] = {{"f", 'l', canary, NULL},
                        {"f", 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 2, "symfile", &e), MDK_OK);
  }
  {
    /* chains: a relative link climbing out, then a write below it */
    struct evil ev[] = {{"up", 'l', "../../../..", NULL},
                        {"up/canary", 'f', NULL, "pwned\n"}};
    assert_int_equal(unpack_evil(ev, 2, "symchain", &e), MDK_OK);
  }
  {
    /* a hard link to a file outside: refused */
    struct evil ev[] = {{"hl", 'h', "../../../canary", NULL}};
    assert_int_equal(unpack_evil(ev, 1, "hardout", &e), MDK_EINPUT);
  }
  {
    /* a hard link through a symlink that leaves the root: contained, and
     * then the target is not in this image */
    struct evil ev[] = {{"esc", 'l', base, NULL},
                        {"hl", 'h', "esc/canary", NULL},
                        {"hl", 'f', NULL, "pwned\n"}};
    assert_int_not_equal(unpack_evil(ev, 3, "hardsym", &e), MDK_OK);
  }
  {
    /* an absolute hard link target: refused */
    struct evil ev[] = {{"hl", 'h', canary, NULL}};
    assert_int_equal(unpack_evil(ev, 1, "hardabs", &e), MDK_EINPUT);
  }
  {
    /* whiteouts cannot reach out either */
    struct evil ev[] = {{"esc", 'l', base, NULL},
                        {"esc/.wh.canary", 'f', NULL, ""}};
    assert_int_equal(unpack_evil(ev, 2, "whiteout", &e), MDK_OK);
  }
  {
    struct evil ev[] = {{".wh...", 'f', NULL, ""}};
    (void)unpack_evil(ev, 1, "whdot", &e);
  }
}

static void test_resolve_in_root(void **state)
{
  char root[400], p[600], out[512];
  int fd;
  (void)state;
  snprintf(root, sizeof(root), "%s/rr", base);
  mkdir(root, 0755);
  snprintf(p, sizeof(p), "%s/usr", root);
  mkdir(p, 0755);
  snprintf(p, sizeof(p), "%s/usr/bin", root);
  mkdir(p, 0755);
  snprintf(p, sizeof(p), "%s/bin", root);
  assert_int_equal(symlink("usr/bin", p), 0);
  snprintf(p, sizeof(p), "%s/abs", root);
  assert_int_equal(symlink("/usr", p), 0);
  snprintf(p, sizeof(p), "%s/loop", root);
  assert_int_equal(symlink("loop", p), 0);
  fd = open(root, O_RDONLY | O_DIRECTORY);
  assert_true(mdk_resolve_in_root(fd, "/bin/sh", out, sizeof(out)));
  assert_string_equal(out, "usr/bin/sh");
  assert_true(mdk_resolve_in_root(fd, "abs/bin/../../../x", out,
                                     sizeof(out)));
  assert_string_equal(out, "x");
  assert_true(mdk_resolve_in_root(fd, "../../..", out, sizeof(out)));
  assert_string_equal(out, "");
  assert_false(mdk_resolve_in_root(fd, "loop/x", out, sizeof(out)));
  close(fd);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_blobs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_layer_round_trip, setup, teardown),
    cmocka_unit_test(test_compression_parse),
    cmocka_unit_test_setup_teardown(test_hostile_tars, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_in_root, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
