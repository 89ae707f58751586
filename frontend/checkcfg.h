/* checkcfg.h - the `# check=` parser directive (and the
 * BUILDKIT_DOCKERFILE_CHECK build arg): which build checks to skip, whether
 * they are errors, which experimental ones run (BuildKit linter config). */
#ifndef MDK_FE_CHECKCFG_H
#define MDK_FE_CHECKCFG_H

#include "base/base.h"

struct mdk_fe_checkcfg {
  bool skip_all;
  struct mdk_str *skip;
  size_t nskip;
  bool error;
  bool experimental_all;
  struct mdk_str *experimental;
  size_t nexperimental;
};

/* Parses "skip=A,B;error=true;experimental=C"; on error returns false with
 * *err (BuildKit's text) and *err_off (byte offset into s). */
bool mdk_fe_checkcfg_parse(struct mdk_arena *a, struct mdk_str s,
                           struct mdk_fe_checkcfg *out, const char **err,
                           size_t *err_off);

#endif
