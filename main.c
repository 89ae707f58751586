/* main.c - mdock's entry point: the locale, then the command table
 * (cli/cli.c) dispatches.  Exit status: 0 ok, 1 the input or the operation
 * failed, 2 usage error. */
#include <locale.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
  /* file names are bytes, and layers carry them as UTF-8 (as BuildKit's
   * do): libarchive converts through the locale's character set, which in
   * the C locale is ASCII and fails on "café".  Names that are not UTF-8
   * still go in, raw (hdrcharset=BINARY). */
  (void)setlocale(LC_CTYPE, "C.UTF-8");
  return mdk_cli_main(argc, argv);
}
