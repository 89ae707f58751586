/* fuzz_lint.c - libFuzzer target: the whole lint engine (BuildKit checks,
 * best practice, Modal rules, the shell reader of RUN scripts) on
 * arbitrary bytes as a Dockerfile, in both dialects. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lint/engine.h"

#include "tests/fuzz/small_caps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_arena a;
  struct mdk_source *src;
  struct mdk_fe_lint_result r;
  struct mdk_fe_lint_opts o = {
    .dialect = size % 2 ? MDK_FE_DIALECT_MODAL : MDK_FE_DIALECT_DOCKER,
  };
  if(size > 256 * 1024)
    return 0;
  mdk_arena_init(&a);
  src = mdk_source_new(&a, "fuzz", (const char *)data, size);
  (void)mdk_fe_lint(&a, src, &o, &r);
  mdk_arena_fini(&a);
  return 0;
}
