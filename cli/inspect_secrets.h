/* inspect_secrets.h - `mdock inspect --secrets IMAGE...`: what each image
 * gives away (store/secrets_scan.h), as text or JSON; exit 1 when anything
 * was found, so that CI can gate on it. */
#ifndef MDK_CLI_INSPECT_SECRETS_H
#define MDK_CLI_INSPECT_SECRETS_H

#include "store/store.h"

int mdk_cli_inspect_secrets(struct mdk_be_store *s, struct mdk_arena *a,
                            int argc, char **argv);

#endif
