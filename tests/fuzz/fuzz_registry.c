/* fuzz_registry.c - libFuzzer target: what a registry or a user hands the
 * client as text: image references and WWW-Authenticate challenges (the
 * input is both, NUL-terminated). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry/client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct mdk_be_ref r;
  struct mdk_be_challenge c;
  const char *why;
  char *s;
  if(size > 16 * 1024)
    return 0;
  s = malloc(size + 1);
  if(!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  (void)mdk_be_ref_parse(s, &r, &why);
  (void)mdk_be_parse_challenge(s, &c);
  free(s);
  return 0;
}
