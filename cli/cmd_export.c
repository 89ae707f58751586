/* cmd_export.c - mdock export: a stored image written out. */
#include "cli/commands.h"

enum { O_OUTPUT = 1 };

static const struct mdk_cli_opt opts[] = {
  {O_OUTPUT, "output", 'o', MDK_ARG_VALUE, "type=T,dest=D", NULL,
   "oci (layout dir), oci-archive, docker-archive\n(docker load) or local "
   "(the root filesystem)"},
  {0}
};

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_output out;
  struct mdk_be_store s;
  struct mdk_be_image im;
  struct mdk_err e;
  const char *why = NULL, *image;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && (args.operands.len != 1 || !args.val[O_OUTPUT]))
    rc = mdk_cli_usage_error(cmd, "export takes IMAGE and --output "
                             "type=...,dest=...");
  if(!rc && !mdk_be_output_parse(&args.a, args.val[O_OUTPUT], &out, &why))
    rc = mdk_cli_usage_error(cmd, "%s", why);
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  image = mdk_cli_operand(&args, 0);
  if(mdk_be_image_resolve(&s, &args.a, image, &im, &e)) {
    rc = mdk_cli_fail(&e);
  }
  else {
    /* a multi-platform image: an OCI layout or archive holds the index
     * and every platform; the other outputs take this machine's */
    struct mdk_be_image *ims = NULL;
    size_t n = 0;
    uint64_t index_size = 0;
    mdk_digest top;
    const char *name = mdk_be_ref_normalize(&args.a, image);
    if(out.type == MDK_BE_OUT_OCI || out.type == MDK_BE_OUT_OCI_ARCHIVE)
      (void)mdk_be_name_platforms(&s, &args.a, image, top, &ims, &n,
                                  &index_size);
    if(n > 1)
      rc = mdk_be_export_index(&s, top, index_size, ims, n, &out, name, &e)
         ? mdk_cli_fail(&e) : 0;
    else
      rc = mdk_be_export(&s, &im, &out, name, &e) ? mdk_cli_fail(&e) : 0;
    mdk_be_index_images_free(ims, n);
    mdk_be_image_free(&im);
  }
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_export = {
  "export", "IMAGE --output type=T,dest=D",
  "write a stored image out (OCI layout, archives, root filesystem)",
  "Writes a stored image out: an OCI layout, an OCI archive, a docker-load\n"
  "archive or its root filesystem.",
  opts,
  "  mdock export app --output type=oci,tar=false,dest=out/\n"
  "  mdock export app -o type=docker-archive,dest=app.tar\n",
  NULL, run, false, false
};
