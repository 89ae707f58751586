/* snapshot.c - unpacked layers by chain id, the overlay lower dirs of RUN
 * steps: snapshots/<chain id hex>/fs holds one layer (whiteouts as overlay
 * whiteouts), made once per store and shared by every build.  A snapshot
 * is unpacked under tmp/ and renamed into place, so a half-made one is
 * never used. */
#include "store/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

void mdk_be_chain_id(const char *parent, const char *diff_id, mdk_digest out)
{
  struct mdk_sha256 h;
  uint8_t raw[32];
  if(!parent || !*parent) {
    snprintf(out, sizeof(mdk_digest), "%s", diff_id);
    return;
  }
  /* OCI: ChainID(L0..Ln) = Digest(ChainID(L0..Ln-1) + " " + DiffID(Ln)) */
  mdk_sha256_init(&h);
  mdk_sha256_update(&h, parent, strlen(parent));
  mdk_sha256_update(&h, " ", 1);
  mdk_sha256_update(&h, diff_id, strlen(diff_id));
  mdk_sha256_final(&h, raw);
  mdk_digest_from_raw(raw, out);
}

enum mdk_status mdk_be_snapshots(struct mdk_be_store *s, struct mdk_arena *a,
                                 const struct mdk_be_image *im, size_t n,
                                 const char ***dirs, struct mdk_err *e)
{
  const char **out = mdk_arena_array(a, const char *, n + 1);
  struct mdk_be_unpack_opts uo = {.devices = true, .same_owner = true,
                                  .overlay = true};
  mdk_digest chain = "";
  size_t i;
  for(i = 0; i < n; i++) {
    struct mdk_be_layer_desc d;
    char *dir, *tmp, *fs;
    struct stat sb;
    enum mdk_status st;
    if(!mdk_be_image_layer(im, i, &d))
      return mdk_fail(e, MDK_EINPUT, "layer %zu of the image is invalid",
                         i);
    mdk_be_chain_id(chain, d.diff_id, chain);
    dir = mdk_arena_printf(a, "%s/snapshots/%s", s->root, chain + 7);
    fs = mdk_arena_printf(a, "%s/fs", dir);
    if(stat(fs, &sb) != 0) {
      {
        char tmpdir[4200], name[4300];
        snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", s->root);
        tmp = mdk_arena_printf(a, "%s", mdk_temp_name(name, sizeof(name), tmpdir,
                                                "snap"));
      }
      mdk_rmtree(tmp);
      if(mkdir(tmp, 0700))
        return mdk_fail(e, MDK_EIO, "cannot create %s: %s", tmp,
                           strerror(errno));
      st = mdk_be_unpack_blob(s, d.digest, mdk_arena_printf(a, "%s/fs", tmp),
                              &uo, e);
      if(st) {
        mdk_rmtree(tmp);
        return st;
      }
      /* another build may have made it meanwhile: theirs is as good */
      if(rename(tmp, dir) != 0) {
        int er = errno;
        mdk_rmtree(tmp);
        if(stat(fs, &sb) != 0)
          return mdk_fail(e, MDK_EIO, "cannot store snapshot %s: %s",
                             chain, strerror(er));
      }
    }
    out[n - 1 - i] = fs;        /* overlay wants the topmost first */
  }
  out[n] = NULL;
  *dirs = out;
  return MDK_OK;
}
