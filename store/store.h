/* store.h - store/'s public header: the content store (cas.h: blobs, tags,
 * the cache index, the lock), gc and fsck, image documents, layers (read,
 * write, compression), snapshots, the stat cache and the secrets scan of
 * stored images.  No network, no running of steps. */
#ifndef MDK_STORE_H
#define MDK_STORE_H

#include "store/cas.h"
#include "store/compress.h"
#include "store/gc.h"
#include "store/image.h"
#include "store/layer.h"
#include "store/secrets_scan.h"
#include "store/snapshot.h"
#include "store/statcache.h"

#endif
