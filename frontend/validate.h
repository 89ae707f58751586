/* validate.h - checks BuildKit makes on expanded values (dockerfile2llb):
 * image references, --chmod, STOPSIGNAL, EXPOSE port specs, --platform.
 * Each returns NULL when the value is fine, else the error message, with a
 * hint in *hint. */
#ifndef MDK_FE_VALIDATE_H
#define MDK_FE_VALIDATE_H

#include "base/base.h"

const char *mdk_fe_check_image_ref(struct mdk_arena *a, struct mdk_str ref,
                                   const char **hint);
const char *mdk_fe_check_chmod(struct mdk_arena *a, struct mdk_str mode,
                               const char **hint);
const char *mdk_fe_check_signal(struct mdk_arena *a, struct mdk_str sig,
                                const char **hint);
/* One EXPOSE word: [ip:][hostport:]port[-end][/proto]. *mapped is set when
 * it holds an IP or host port (BuildKit's ExposeInvalidFormat). */
const char *mdk_fe_check_port(struct mdk_arena *a, struct mdk_str spec,
                              bool *mapped, const char **hint);
const char *mdk_fe_check_platform(struct mdk_arena *a, struct mdk_str p,
                                  const char **hint);

#endif
