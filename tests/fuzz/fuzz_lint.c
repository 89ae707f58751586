/* fuzz_lint.c - libFuzzer target: the whole lint engine (BuildKit checks,
 * best practice, Modal rules, the shell reader of RUN scripts) on
 * arbitrary bytes as a Dockerfile, in both dialects. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frontend/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Expansion is bounded (MDOCK_MAX_EXPANSION per word, _TOTAL per file),
 * but at the defaults a chain near them is a second of sanitized work: the
 * fuzzer would spend its time there and report it as a timeout.  Smaller
 * caps keep every path reachable and each input fast. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  setenv("MDOCK_MAX_EXPANSION", "262144", 1);
  setenv("MDOCK_MAX_EXPANSION_TOTAL", "1048576", 1);
  return 0;
}

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
