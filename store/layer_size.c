/* layer_size.c - a layer's content size as docker reports it (docker
 * history's SIZE, docker image inspect's Size): what its files hold once
 * unpacked, not the size of its blob.  dockerd sums the diff directory as
 * pkg/directory does: every entry but directories, by its lstat size
 * (a symlink's is its target's length), each inode once -- so a layer
 * that only makes directories or whiteouts is 0B. */
#include "store/image.h"
#include "store/layer.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/archive_dl.h"

static enum mdk_status add_entry(void *ctx, struct archive *ar,
                                 struct archive_entry *ae, struct mdk_err *e)
{
  uint64_t *sum = ctx;
  const char *target;
  (void)ar;
  (void)e;
  /* a hard link is the inode of a file counted already */
  if(archive_entry_hardlink(ae))
    return MDK_OK;
  switch(archive_entry_filetype(ae)) {
  case AE_IFREG:
    *sum += (uint64_t)archive_entry_size(ae);
    break;
  case AE_IFLNK:
    target = archive_entry_symlink(ae);
    *sum += target ? strlen(target) : 0;
    break;
  default:
    break;
  }
  return MDK_OK;
}

/* The sum is kept in sizes/<hex> (content-addressed, so it never goes
 * stale): a listing does not unpack every layer each time. */
enum mdk_status mdk_be_layer_content_size(struct mdk_be_store *s,
                                          const char *digest, uint64_t *size,
                                          struct mdk_err *e)
{
  char rel[96], num[24];
  struct mdk_arena a;
  const char *known;
  enum mdk_status st;
  *size = 0;
  if(!mdk_digest_valid(digest))
    return mdk_fail(e, MDK_EINPUT, "not a layer digest: %s", digest);
  snprintf(rel, sizeof(rel), "sizes/%s", digest + 7);
  mdk_arena_init(&a);
  known = mdk_be_store_read(s, &a, rel, 32);
  if(known && *known >= '0' && *known <= '9') {
    *size = strtoull(known, NULL, 10);
    mdk_arena_fini(&a);
    return MDK_OK;
  }
  mdk_arena_fini(&a);
  st = mdk_be_layer_walk(s, digest, add_entry, size, e);
  if(st == MDK_OK) {
    int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)*size);
    /* only a cache: a failed write costs the next walk */
    mdk_be_store_write(s, rel, num, (size_t)n, NULL);
  }
  return st;
}

enum mdk_status mdk_be_image_content_size(struct mdk_be_store *s,
                                          const struct mdk_be_image *im,
                                          uint64_t *size, struct mdk_err *e)
{
  size_t i, n = mdk_be_image_nlayers(im);
  *size = 0;
  for(i = 0; i < n; i++) {
    struct mdk_be_layer_desc d;
    uint64_t one;
    enum mdk_status st;
    if(!mdk_be_image_layer(im, i, &d))
      continue;
    st = mdk_be_layer_content_size(s, d.digest, &one, e);
    if(st)
      return st;
    *size += one;
  }
  return MDK_OK;
}
