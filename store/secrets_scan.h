/* secrets.h - what an image gives away: the scanner behind `mdock inspect
 * --secrets`.  It reads the history, the config and every layer's names
 * and bytes (streamed, never a whole layer in memory) for
 *   - values the caller says are secret (--secret files and variables,
 *     --secret-build-arg values), wherever they appear;
 *   - build arguments and ENV whose names look secret (BuildKit's
 *     SecretsUsedInArgOrEnv rule) holding a value in the history or config;
 *   - private keys and well-known token formats (AWS, GitHub, GitLab,
 *     Slack, Google, npm) and credential files (.git-credentials, .netrc,
 *     .npmrc and .pypirc with tokens, .docker/config.json with auths,
 *     .aws/credentials, ssh private keys).
 * A secret a later layer deletes is still reported: it is in the image. */
#ifndef MDK_BE_SECRETS_H
#define MDK_BE_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/image.h"
#include "store/cas.h"

struct mdk_be_secret_value {
  const char *what;             /* "secret npm", "build argument TOKEN" */
  struct mdk_str value;
};

struct mdk_be_finding {
  const char *where;            /* "history 3", "config Env", "layer 2" */
  const char *path;             /* in the layer, or NULL */
  const char *kind;             /* short class: "private-key", "value" */
  const char *msg;              /* what and how to fix */
};

typedef void (*mdk_be_finding_fn)(void *ctx, const struct mdk_be_finding *f);
/* which variable names look secret: lint's rule (BuildKit's
 * SecretsUsedInArgOrEnv), handed in so the store does not depend on lint */
typedef bool (*mdk_be_secret_name_fn)(struct mdk_str name);

/* Values shorter than this are not searched for (they would match
 * anywhere). */
enum { MDK_BE_SECRET_MIN = 4 };

/* Scans im; every finding goes to fn (in layer order); *count is how many. */
enum mdk_status mdk_be_scan_secrets(struct mdk_be_store *s,
                                    const struct mdk_be_image *im,
                                    const struct mdk_be_secret_value *vals,
                                    size_t nvals,
                                    mdk_be_secret_name_fn secret_name,
                                    mdk_be_finding_fn fn,
                                    void *ctx, size_t *count,
                                    struct mdk_err *e);

#endif
