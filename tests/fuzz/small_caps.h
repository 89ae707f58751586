/* small_caps.h - included by the fuzz targets that expand variables, once
 * each (it defines libFuzzer's LLVMFuzzerInitialize).
 *
 * Expansion is bounded (MDOCK_MAX_EXPANSION per word, _TOTAL per file),
 * but at the defaults a chain near them is a second of sanitized work: the
 * fuzzer would spend its time there and report it as a timeout.  Smaller
 * caps keep every path reachable and each input fast. */
#ifndef MDK_FUZZ_SMALL_CAPS_H
#define MDK_FUZZ_SMALL_CAPS_H

#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  setenv("MDOCK_MAX_EXPANSION", "262144", 1);
  setenv("MDOCK_MAX_EXPANSION_TOTAL", "1048576", 1);
  return 0;
}

#endif
