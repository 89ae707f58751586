/* fuzz_regdoc.c - libFuzzer target: the registry documents the client
 * trusts least, image manifests and indexes (backend/regdoc.c). */
#include <stddef.h>
#include <stdint.h>

#include "registry/regdoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_be_doc d;
  char why[300];
  if(size > 1 << 20)
    return 0;
  if(mdk_be_doc_parse((const char *)data, size, "linux", "amd64",
                      size % 2 ? "v8" : NULL, &d, why, sizeof(why)))
    mdk_be_doc_free(&d);
  return 0;
}
