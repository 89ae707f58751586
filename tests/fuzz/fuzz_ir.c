/* fuzz_ir.c - libFuzzer target: source to hashed IR (parse, type, ONBUILD,
 * expansion, lowering, every pass, keys) on arbitrary bytes; the IR's
 * invariants must hold for whatever compiles, and dumping it must work. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frontend/frontend.h"
#include "cli/pipeline.h"
#include "ir/ir.h"

#include "tests/fuzz/small_caps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_arena a;
  struct mdk_diags d;
  struct mdk_source *src;
  struct mdk_ir_graph *g = NULL;
  struct mdk_cli_compile_opts o = {
    .dialect = size % 2 ? MDK_FE_DIALECT_MODAL : MDK_FE_DIALECT_DOCKER,
    .no_opt = size % 3 == 0,
  };
  if(size > 64 * 1024)
    return 0;
  mdk_arena_init(&a);
  mdk_diags_init(&d, &a);
  src = mdk_source_new(&a, "fuzz", (const char *)data, size);
  if(!mdk_cli_compile(&a, &d, src, &o, &g) && g) {
    const char *broken = mdk_ir_verify(g);
    if(broken)
      abort();                  /* an invariant the passes broke */
  }
  mdk_arena_fini(&a);
  return 0;
}
