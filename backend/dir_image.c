/* dir_image.c - a local directory as an image (for --build-context
 * NAME=DIR): one layer holding the tree, an empty config.  FROM NAME then
 * starts from the tree, COPY --from=NAME copies out of it, and since the
 * image is named by its digest a changed directory changes every key that
 * uses it. */
#include "backend/build.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum mdk_status mdk_be_image_from_dir(struct mdk_be_store *s,
                                      const char *dir, const char *platform,
                                      const struct mdk_be_layer_opts *lo,
                                      mdk_digest manifest, struct mdk_err *e)
{
  char os[32] = "linux", arch[32] = "amd64", var[32] = "";
  struct mdk_be_layer_desc d;
  struct mdk_be_image im;
  struct stat st;
  enum mdk_status rc;
  if(stat(dir, &st) || !S_ISDIR(st.st_mode))
    return mdk_fail(e, MDK_EINPUT, "%s is not a directory", dir);
  rc = mdk_be_layer_from_dir(s, dir, lo, &d, e);
  if(rc)
    return rc;
  if(platform)
    sscanf(platform, "%31[^/]/%31[^/]/%31s", os, arch, var);
  mdk_be_image_init_scratch(&im, os, arch, var);
  /* no time of its own: the same tree is the same image */
  mdk_be_image_add_layer(&im, &d, "1970-01-01T00:00:00Z", "");
  rc = mdk_be_image_store(s, &im, e);
  if(!rc)
    snprintf(manifest, sizeof(mdk_digest), "%s", im.manifest);
  mdk_be_image_free(&im);
  return rc;
}
