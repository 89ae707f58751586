/* corpus.h - where the shared conformance data lives (never copied in). */
#ifndef MDK_TEST_CORPUS_H
#define MDK_TEST_CORPUS_H
#include <stdlib.h>
static inline const char *corpus_dir(void)
{
  const char *d = getenv("MDK_CORPUS");
  return d && *d ? d : "../shared/corpus";
}
#endif
