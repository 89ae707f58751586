/* image_json.h - a stored image as `docker image inspect` shows it: Id,
 * RepoTags, RepoDigests, Created, Config (docker's container config, every
 * field present), Architecture, Os, Size, RootFS, Metadata..., in docker's
 * key order, plus Descriptor (the manifest's, as docker 25 adds). */
#ifndef MDK_CLI_IMAGE_JSON_H
#define MDK_CLI_IMAGE_JSON_H

#include <jansson.h>

#include "store/store.h"

json_t *mdk_cli_image_json(struct mdk_be_store *s, struct mdk_arena *a,
                           const struct mdk_be_image *im);

#endif
