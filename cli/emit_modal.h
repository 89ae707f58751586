/* emit_modal.h - `mdock ir --emit modal`: a Dockerfile as the Python
 * modal.Image chain that builds the same image on Modal's build service. */
#ifndef MDK_CLI_EMIT_MODAL_H
#define MDK_CLI_EMIT_MODAL_H

#include "base/base.h"

/* Writes the program for src to out.  path: the Dockerfile as the user
 * named it (for from_dockerfile); context: the build context, where COPY
 * sources are looked up (file or directory).  Returns an exit code. */
int mdk_cli_emit_modal(struct mdk_arena *a, const struct mdk_source *src,
                       const char *path, const char *context,
                       struct mdk_buf *out);

#endif
