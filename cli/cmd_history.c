/* cmd_history.c - mdock history IMAGE: the image's history, newest first,
 * in docker history's columns (IMAGE, CREATED, CREATED BY, SIZE,
 * COMMENT). */
#include "cli/commands.h"

#include <jansson.h>
#include <string.h>

enum { O_NO_TRUNC = 1, O_QUIET, O_FORMAT };

static const struct mdk_cli_opt opts[] = {
  {O_NO_TRUNC, "no-trunc", 0, MDK_ARG_NONE, NULL, NULL,
   "whole IDs and CREATED BY texts"},
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "only the IDs"},
  {O_FORMAT, "format", 0, MDK_ARG_VALUE, "TEMPLATE", NULL,
   "{{.ID}} {{.CreatedSince}} {{.CreatedAt}} {{.CreatedBy}}\n{{.Size}} "
   "{{.Comment}}, \\t for a tab"},
  {0}
};

struct entry {
  const char *id, *created, *created_by, *comment;
  uint64_t size;
  bool layer;
};

static void field(const struct entry *h, const char *f, size_t n, FILE *out)
{
  char buf[48];
#define IS(s) (n == sizeof(s) - 1 && strncmp(f, s, n) == 0)
  if(IS(".ID"))
    fputs(h->id, out);
  else if(IS(".CreatedSince")) {
    mdk_cli_since(h->created, buf);
    fputs(buf, out);
  }
  else if(IS(".CreatedAt"))
    fputs(h->created ? h->created : "", out);
  else if(IS(".CreatedBy"))
    fputs(h->created_by, out);
  else if(IS(".Size")) {
    mdk_cli_size(h->size, buf);
    fputs(buf, out);
  }
  else if(IS(".Comment"))
    fputs(h->comment, out);
#undef IS
}

/* a --format template for one entry ({{.Field}}, \t and \n) */
static void render(const char *tpl, const struct entry *h, FILE *out)
{
  const char *p = tpl;
  while(*p) {
    const char *open = strstr(p, "{{"), *close;
    size_t lit = open ? (size_t)(open - p) : strlen(p), k;
    for(k = 0; k < lit; k++) {
      if(p[k] == '\\' && (p[k + 1] == 't' || p[k + 1] == 'n')) {
        fputc(p[++k] == 't' ? '\t' : '\n', out);
        continue;
      }
      fputc(p[k], out);
    }
    if(!open || !(close = strstr(open, "}}")))
      break;
    open += 2;
    while(*open == ' ')
      open++;
    k = (size_t)(close - open);
    while(k && open[k - 1] == ' ')
      k--;
    field(h, open, k, out);
    p = close + 2;
  }
  fputc('\n', out);
}

static void print_entry(const struct entry *h, const struct mdk_cli_args *args)
{
  bool trunc = !args->on[O_NO_TRUNC];
  char since[48], sz[32];
  const char *by = h->created_by;
  if(args->val[O_FORMAT]) {
    render(args->val[O_FORMAT], h, stdout);
    return;
  }
  if(args->on[O_QUIET]) {
    printf(trunc && h->id[0] == 's' ? "%.12s\n" : "%s\n",
           trunc && h->id[0] == 's' ? h->id + 7 : h->id);
    return;
  }
  mdk_cli_since(h->created, since);
  mdk_cli_size(h->size, sz);
  printf(trunc && h->id[0] == 's' ? "%-14.12s " : "%-14s ",
         trunc && h->id[0] == 's' ? h->id + 7 : h->id);
  printf("%-18s ", since);
  /* docker cuts CREATED BY at 45 characters with an ellipsis */
  if(trunc && strlen(by) > 45)
    printf("%.44s\u2026 ", by);
  else
    printf(trunc ? "%-45s " : "%s ", by);
  printf("%-9s %s\n", sz, h->comment);
}

static int show(struct mdk_be_store *s, struct mdk_arena *a, const char *ref,
                const struct mdk_cli_args *args)
{
  struct mdk_be_image im;
  struct mdk_err e;
  json_t *hist;
  size_t n, i, layer;
  if(mdk_be_image_resolve(s, a, ref, &im, &e))
    return mdk_cli_fail(&e);
  hist = json_object_get(im.config, "history");
  n = json_array_size(hist);
  layer = mdk_be_image_nlayers(&im);
  if(!args->val[O_FORMAT] && !args->on[O_QUIET])
    printf("%-14s %-18s %-45s %-9s %s\n", "IMAGE", "CREATED", "CREATED BY",
           "SIZE", "COMMENT");
  /* newest first: layers are counted down from the top */
  for(i = n; i-- > 0;) {
    json_t *h = json_array_get(hist, i);
    struct entry en;
    struct mdk_be_layer_desc d;
    const char *c;
    memset(&en, 0, sizeof(en));
    en.id = i + 1 == n ? im.config_digest : "<missing>";
    en.created = json_string_value(json_object_get(h, "created"));
    c = json_string_value(json_object_get(h, "created_by"));
    en.created_by = c ? c : "";
    c = json_string_value(json_object_get(h, "comment"));
    en.comment = c ? c : "";
    en.layer = !json_is_true(json_object_get(h, "empty_layer"));
    if(en.layer && layer > 0 && mdk_be_image_layer(&im, --layer, &d))
      en.size = d.size;
    print_entry(&en, args);
  }
  mdk_be_image_free(&im);
  return 0;
}

static int run(const struct mdk_cli_cmd *cmd, int argc, char **argv)
{
  struct mdk_cli_args args;
  struct mdk_be_store s;
  int rc = mdk_cli_args_read(cmd, &args, argc, argv);
  if(!rc && args.operands.len != 1)
    rc = mdk_cli_usage_error(cmd, "history takes one IMAGE");
  if(!rc && !mdk_cli_store_open(&s, MDK_BE_LOCK_SHARED))
    rc = 1;
  if(rc)
    return mdk_cli_args_done(&args, rc);
  rc = show(&s, &args.a, mdk_cli_operand(&args, 0), &args);
  mdk_be_store_close(&s);
  return mdk_cli_args_done(&args, rc);
}

const struct mdk_cli_cmd mdk_cli_cmd_history = {
  "history", "[options] IMAGE",
  "show an image's history (docker history's columns)",
  "Shows the history of a stored image, newest first: the image ID on the\n"
  "top row, when each step was made, what made it (BuildKit's record),\n"
  "its layer's size (compressed, as stored) and the comment.",
  opts,
  "  mdock history app\n"
  "  mdock history --no-trunc --format '{{.CreatedBy}}' app\n",
  NULL, run, false, false
};
