/* inspect_secrets.h - `mdock inspect --secrets IMAGE...`: what each image
 * gives away (store/secrets_scan.h), as text or JSON; exit 1 when anything
 * was found, so that CI can gate on it. */
#ifndef MDK_CLI_INSPECT_SECRETS_H
#define MDK_CLI_INSPECT_SECRETS_H

#include "store/store.h"

struct mdk_cli_secrets_query {
  const char *const *images;
  size_t nimages;
  const char *const *secrets;      /* --secret specs */
  size_t nsecrets;
  const char *const *build_args;   /* --secret-build-arg K[=V] */
  size_t nbuild_args;
  bool json;                       /* --format json */
};

/* 0 nothing found, 1 found (or an error), 2 a bad --secret */
int mdk_cli_inspect_secrets(struct mdk_be_store *s, struct mdk_arena *a,
                            const struct mdk_cli_secrets_query *q);

#endif
