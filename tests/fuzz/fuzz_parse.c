/* fuzz_parse.c - libFuzzer target: scanner, parser, typing and expansion on
 * arbitrary bytes, as a Dockerfile and (split on NUL) as commands. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frontend/frontend.h"

#include "tests/fuzz/small_caps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_source *src;
  struct mdk_fe_ast *ast;
  struct mdk_fe_file *file;
  struct mdk_fe_sem *sem;
  struct mdk_fe_expand_opts eo = {0};
  struct mdk_buf out;

  if(size > 256 * 1024)
    return 0;
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  eo.dialect = size % 2 ? MDK_FE_DIALECT_MODAL : MDK_FE_DIALECT_DOCKER;
  src = mdk_source_new(&a, "fuzz", (const char *)data, size);
  mdk_buf_init(&out, (size_t)1 << 28);
  if(!mdk_fe_parse(&a, &d, src, &ast)) {
    mdk_fe_ast_dump_buildkit(ast, &out);
    if(!mdk_fe_type(&a, &d, ast, &file) &&
       !mdk_fe_expand(&a, &d, file, &eo, &sem))
      mdk_fe_write_json(ast, file, sem, &out, NULL);
  }
  /* render every diagnostic: exercises the location code */
  {
    FILE *null = fopen("/dev/null", "w");
    if(null) {
      mdk_diags_print(&d, null, false);
      fclose(null);
    }
  }
  mdk_buf_free(&out);
  mdk_arena_fini(&a);
  return 0;
}
