/* fuzz_image.c - libFuzzer target: image documents as the store reads them
 * (backend/image.c) and as a build takes them in (cli/base_env.c): the
 * input is a manifest or index, a NUL, and an image config.  Both are put
 * in a store on tmpfs; the manifest's config digest is pointed at the
 * config blob so the config parser is reached. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "store/image.h"
#include "store/cas.h"
#include "cli/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mdk_be_store store;
static bool opened;

/* every input's blobs go again, so a long run does not fill tmpfs */
static void drop(const char *digest)
{
  char rel[96];
  mdk_be_blob_relpath(digest, rel);
  unlinkat(store.rootfd, rel, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *nul = memchr(data, '\0', size);
  const char *cfg = nul ? nul + 1 : "{}";
  size_t mlen = nul ? (size_t)(nul - (const char *)data) : size;
  size_t clen = nul ? size - mlen - 1 : 2;
  mdk_digest cd, md;
  struct mdk_err e;
  struct mdk_be_image im, cp;
  struct mdk_arena a;
  char *m, *at;
  if(size > 256 * 1024)
    return 0;
  if(!opened) {
    char root[64];
    snprintf(root, sizeof(root), "/dev/shm/fuzz_image.%d", (int)getpid());
    if(mdk_be_store_open(&store, root, MDK_BE_LOCK_EXCLUSIVE, &e))
      abort();
    opened = true;
  }
  if(mdk_be_blob_put(&store, cfg, clen, cd, &e))
    return 0;
  /* "@CONFIG@" in the manifest stands for the config blob's digest */
  m = malloc(mlen + sizeof(cd) + 1);
  memcpy(m, data, mlen);
  m[mlen] = '\0';
  if((at = strstr(m, "@CONFIG@")) && (size_t)(at - m) + 8 <= mlen) {
    size_t tail = mlen - (size_t)(at - m) - 8;
    memmove(at + strlen(cd), at + 8, tail + 1);
    memcpy(at, cd, strlen(cd));
    mlen = mlen - 8 + strlen(cd);
  }
  if(mdk_be_blob_put(&store, m, mlen, md, &e)) {
    free(m);
    drop(cd);
    return 0;
  }
  free(m);
  {
    /* an index: each platform's image, and one platform asked for */
    struct mdk_be_image *ims, one;
    struct mdk_platform p;
    size_t n;
    if(mdk_be_index_images(&store, md, &ims, &n, &e) == MDK_OK)
      mdk_be_index_images_free(ims, n);
    if(mdk_platform_parse("linux/arm/v7", &p) &&
       mdk_be_image_load_for(&store, md, &p, &one, &e) == MDK_OK)
      mdk_be_image_free(&one);
  }
  if(!mdk_be_image_load(&store, md, &im, &e)) {
    struct mdk_be_layer_desc d;
    char *canon = mdk_be_json_canonical(im.config);
    size_t i, n = mdk_be_image_nlayers(&im);
    free(canon);
    for(i = 0; i < n; i++)
      (void)mdk_be_image_layer(&im, i, &d);
    mdk_be_image_copy(&cp, &im);
    mdk_be_image_add_history(&cp, "1970-01-01T00:00:00Z", "fuzz", true);
    mdk_be_image_free(&cp);
    mdk_be_image_free(&im);
    if(!mdk_be_tag_set(&store, "fuzz:latest", md, &e)) {
      const struct mdk_fe_kv *env;
      const struct mdk_str *trig;
      size_t k;
      mdk_arena_init(&a);
      (void)mdk_cli_base_env(&store, &a, mdk_str_c("fuzz:latest"),
                             mdk_str_c("linux/arm64"), &env, &k);
      (void)mdk_cli_base_onbuild(&store, &a, mdk_str_c("fuzz:latest"),
                                 mdk_str_c(""), &trig, &k);
      mdk_arena_fini(&a);
    }
  }
  drop(md);
  drop(cd);
  return 0;
}
