/* cmd_rmi.c - mdock rmi: names removed; prune frees the space. */
#include "cli/commands.h"

enum { O_FORCE = 1, O_NO_PRUNE };

static const struct mdk_cli_opt opts[] = {
  {O_FORCE, "force", 'f', MDK_ARG_NONE, NULL, NULL,
   "an image that is not there is no error; an ID\nremoves every name of "
   "its image"},
  {O_NO_PRUNE, "no-prune", 0, MDK_ARG_NONE, NULL, NULL,
   "docker's: mdock never deletes parents (space is\nfreed by mdock prune)"},
  {0}
};

/* rmi ID: every name of that image goes (docker asks for -f when there is
 * more than one) */
static int rmi_image(struct mdk_be_store *s, struct mdk_arena *a,
                     const char *ref, bool force)
{
  struct mdk_be_image im;
  struct mdk_err e;
  const char **tags;
  size_t n, i, hits = 0;
  int rc = 0;
  if(mdk_be_image_resolve(s, a, ref, &im, &e))
    return force ? 0 : mdk_cli_fail(&e);
  tags = mdk_be_tag_list(s, a, &n);
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    hits += mdk_be_tag_get(s, tags[i], d) && strcmp(d, im.manifest) == 0;
  }
  if(hits > 1 && !force) {
    fprintf(stderr, "mdock: error: image %s has %zu names: remove them by "
            "name, or with -f all of them\n", ref, hits);
    mdk_be_image_free(&im);
    return 1;
  }
  for(i = 0; tags[i]; i++) {
    mdk_digest d;
    if(!mdk_be_tag_get(s, tags[i], d) || strcmp(d, im.manifest) != 0)
      continue;
    if(mdk_be_tag_rm(s, tags[i], &e))
      rc = mdk_cli_fail(&e);
    else
      printf("Untagged: %s\n", tags[i]);
  }
  printf("Deleted: %s\n", im.config_digest);
  mdk_be_image_free(&im);
  return rc;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  size_t i;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && !args.operands.len)
    rc = mdk_cli_usage_error(cmd, "no image name given");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  for(i = 0; i < args.operands.len; i++) {
    struct mdk_err e;
    mdk_digest d;
    const char *t = mdk_be_ref_normalize(&args.a, mdk_cli_operand(&args, i));
    if(!mdk_be_tag_get(&s, t, d)) {
      /* not a name: an image ID (or a prefix of one) */
      int r1 = rmi_image(&s, &args.a, mdk_cli_operand(&args, i),
                         args.on[O_FORCE]);
      if(r1)
        rc = r1;
      continue;
    }
    if(mdk_be_tag_rm(&s, t, &e))
      rc = mdk_cli_fail(&e);
    else
      printf("Untagged: %s\n", t);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_rmi = {
  "rmi", "[options] NAME[:TAG] | ID...",
  "remove image names",
  "Removes names from the store; `mdock prune` then frees the space of\n"
  "images no name or cache entry uses.",
  opts,
  "  mdock rmi app:v2\n"
  "  mdock rmi -f app:maybe-there\n",
  NULL, run, false, false
};
