/* fuzz_ignore.c - libFuzzer target: .dockerignore patterns and matching.
 * The input up to the first NUL is the file; every NUL-separated piece
 * after it is a path matched against it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/dockerignore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_arena a;
  struct mdk_ignore ig;
  const char *p = (const char *)data, *end = p + size;
  const char *nul = memchr(p, '\0', size);
  size_t tl = nul ? (size_t)(nul - p) : size;
  if(size > 64 * 1024)
    return 0;
  mdk_arena_init(&a);
  mdk_ignore_parse(&a, mdk_str_make(p, tl), &ig);
  p += tl + (nul != NULL);
  while(p < end) {
    const char *e = memchr(p, '\0', (size_t)(end - p));
    size_t n = e ? (size_t)(e - p) : (size_t)(end - p);
    char *path = malloc(n + 1);
    if(!path)
      break;
    memcpy(path, p, n);
    path[n] = '\0';
    (void)mdk_ignore_match(&ig, path);
    (void)mdk_ignore_skip_dir(&ig, path);
    free(path);
    p += n + 1;
  }
  mdk_ignore_free(&ig);
  mdk_arena_fini(&a);
  return 0;
}
