/* frontend.h - the public face of the frontend: Dockerfile text to an AST,
 * typed instructions and expanded values.  Nothing here touches files beyond
 * reading the Dockerfile. */
#ifndef MDK_FRONTEND_H
#define MDK_FRONTEND_H

#include "base/diag.h"
#include "frontend/ast.h"

/* Parses src; errors go to diags.  The AST lives in the arena. */
enum mdk_status mdk_fe_parse(struct mdk_arena *a, struct mdk_diags *diags,
                             const struct mdk_source *src,
                             struct mdk_fe_ast **out);

#endif
