/* corpus.h - where the shared conformance data lives (never copied in).
 * A clone outside this project's CI may not have ../shared/corpus: the
 * tests that read it then say so in one loud SKIPPED line (naming the
 * path) and are skipped -- never counted as passed; under CI=true a
 * missing corpus fails them. */
#ifndef MDK_TEST_CORPUS_H
#define MDK_TEST_CORPUS_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline const char *corpus_dir(void)
{
  const char *d = getenv("MDK_CORPUS");
  return d && *d ? d : "../shared/corpus";
}

static inline bool corpus_present(void)
{
  static int said;
  struct stat sb;
  const char *ci = getenv("CI");
  if(stat(corpus_dir(), &sb) == 0 && S_ISDIR(sb.st_mode))
    return true;
  if(!said++)
    fprintf(stderr, "SKIPPED: the conformance corpus is not at %s (from "
            "the project root; set MDK_CORPUS to its path)%s\n",
            corpus_dir(), ci && strcmp(ci, "true") == 0
                            ? " -- an error under CI=true" : "");
  return false;
}

/* At the top of a test that reads the corpus (needs cmocka.h first). */
#define REQUIRE_CORPUS()                                                  \
  do {                                                                    \
    if(!corpus_present()) {                                               \
      const char *ci_ = getenv("CI");                                     \
      if(ci_ && strcmp(ci_, "true") == 0)                                 \
        fail_msg("CI=true and the corpus %s is missing", corpus_dir());   \
      skip();                                                             \
    }                                                                     \
  } while(0)
#endif
