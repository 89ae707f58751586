/* lockfile.c - see lockfile.h. */
#include "cli/lockfile.h"

#include <stdio.h>
#include <string.h>

int mdk_cli_lock_load(struct mdk_arena *a, const char *path,
                      struct mdk_be_resolve_opts *ro)
{
  struct mdk_source *src;
  int err;
  size_t n = 0, cap = 0;
  const char **refs = NULL, **digs = NULL;
  const char *p, *q;
  if(mdk_source_read(a, path, 1 << 20, &src, &err)) {
    fprintf(stderr, "mdock: error: cannot read the lock file %s: %s\n", path,
            err ? strerror(err) : "too large");
    return 1;
  }
  /* "REF": "sha256:HEX" pairs; the file is ours, its form is fixed */
  p = src->data;
  while((p = strstr(p, "\": \"sha256:"))) {
    const char *start = p;
    while(start > src->data && start[-1] != '"')
      start--;
    q = p + 4;
    if(n == cap) {
      cap = cap ? cap * 2 : 8;
      refs = mdk_arena_realloc(a, refs, n * sizeof(*refs), cap * sizeof(*refs));
      digs = mdk_arena_realloc(a, digs, n * sizeof(*digs), cap * sizeof(*digs));
    }
    refs[n] = mdk_arena_strndup(a, start, (size_t)(p - start));
    digs[n] = mdk_arena_strndup(a, q, 71);
    n++;
    p = q;
  }
  ro->lock_refs = refs;
  ro->lock_digests = digs;
  ro->nlock = n;
  return 0;
}

int mdk_cli_lock_save(const char *path, const struct mdk_be_resolve_opts *ro)
{
  struct mdk_buf b;
  int err;
  size_t i, j;
  mdk_buf_init(&b, 1 << 20);
  mdk_buf_puts(&b, "{\n  \"from\": {");
  for(i = 0; i < ro->nresolved; i++) {
    bool dup = false;
    for(j = 0; j < i; j++)
      if(strcmp(ro->refs[j], ro->refs[i]) == 0)
        dup = true;
    if(dup)
      continue;
    mdk_buf_printf(&b, "%s\n    \"%s\": \"%s\"", i ? "," : "", ro->refs[i],
                   ro->digests[i]);
  }
  mdk_buf_puts(&b, "\n  }\n}\n");
  if(mdk_write_atomic(path, b.ptr, b.len, &err)) {
    fprintf(stderr, "mdock: error: cannot write %s: %s\n", path,
            strerror(err));
    mdk_buf_free(&b);
    return 1;
  }
  mdk_buf_free(&b);
  return 0;
}
