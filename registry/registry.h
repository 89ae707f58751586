/* registry.h - registry/'s public header: the distribution API client
 * (pull, push; transport and auth inside), credentials and their helpers,
 * the registry build cache, image document checks and URL downloads. */
#ifndef MDK_REGISTRY_H
#define MDK_REGISTRY_H

#include "registry/client.h"
#include "registry/creds.h"
#include "registry/fetch.h"
#include "registry/import.h"
#include "registry/regcache.h"
#include "registry/regdoc.h"

#endif
