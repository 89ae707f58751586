/* cmd_history.c - mdock history IMAGE: the image's history, newest first,
 * in docker history's columns (IMAGE, CREATED, CREATED BY, SIZE,
 * COMMENT). */
#include "cli/commands.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/gotmpl.h"

enum { O_NO_TRUNC = 1, O_QUIET, O_FORMAT, O_HUMAN };

static const struct mdk_cli_opt opts[] = {
  {O_NO_TRUNC, "no-trunc", 0, MDK_ARG_NONE, NULL, NULL,
   "whole IDs and CREATED BY texts"},
  {O_QUIET, "quiet", 'q', MDK_ARG_NONE, NULL, NULL, "only the IDs"},
  {O_FORMAT, "format", 0, MDK_ARG_VALUE, "TEMPLATE", NULL,
   "a Go template over {{.ID}} {{.CreatedSince}}\n{{.CreatedAt}} "
   "{{.CreatedBy}} {{.Size}} {{.Comment}}\n(\"table TEMPLATE\" adds a header)"},
  {O_HUMAN, "human", 'H', MDK_ARG_NONE, NULL, NULL,
   "sizes and times for people (the default); --human=false:\n"
   "CREATED is the time itself and SIZE bytes"},
  {0}
};

struct entry {
  const char *id, *created, *created_by, *comment;
  uint64_t size;
  bool layer;
};

/* docker's Ellipsis: at most max characters, the last one "…" */
static void ellipsis(const char *s, size_t max, char *out, size_t cap)
{
  size_t chars = 0, i, cut = 0;
  for(i = 0; s[i]; i++)
    if(((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == max)
      cut = i;
  if(chars <= max || cap < cut + 4)
    snprintf(out, cap, "%s", s);
  else
    snprintf(out, cap, "%.*s\u2026", (int)cut, s);
}

/* an entry as docker's history context holds it (keys in Go's map order);
 * the header row when h is NULL.  Not human (--human=false): CreatedSince
 * is CreatedAt and Size the bytes, as docker's historyContext has them. */
static json_t *entry_json(const struct entry *h, bool trunc, bool human)
{
  char since[48], at[48], sz[32], id[80], *by, *p;
  size_t cap;
  json_t *j;
  if(!h)
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "Comment", "COMMENT",
                     "CreatedAt", "CREATED AT", "CreatedBy", "CREATED BY",
                     "CreatedSince", "CREATED", "ID", "IMAGE", "Size",
                     "SIZE");
  mdk_cli_time(h->created, MDK_CLI_TIME_RFC3339, at);
  if(human) {
    mdk_cli_since(h->created, since);
    mdk_cli_size(h->size, sz);
  }
  else {
    snprintf(since, sizeof(since), "%s", at);
    snprintf(sz, sizeof(sz), "%llu", (unsigned long long)h->size);
  }
  snprintf(id, sizeof(id), "%s", trunc && strncmp(h->id, "sha256:", 7) == 0
           ? h->id + 7 : h->id);
  if(trunc && id[0] != '<')
    id[12] = 0;
  cap = strlen(h->created_by) + 8;
  by = malloc(cap);
  if(!by)
    return json_object();
  if(trunc)
    ellipsis(h->created_by, 45, by, cap);
  else
    snprintf(by, cap, "%s", h->created_by);
  for(p = by; *p; p++)
    if(*p == '\t')
      *p = ' ';
  j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "Comment", h->comment,
                "CreatedAt", at, "CreatedBy", by,
                "CreatedSince", since, "ID", id, "Size", sz);
  free(by);
  return j;
}

/* docker's: not human, the table's second column is CREATED AT */
static const char *format_of(const struct mdk_cli_args *args, bool human)
{
  if(args->on[O_QUIET])
    return "{{.ID}}";
  /* "table" alone is the default table, as docker's */
  if(args->val[O_FORMAT] && strcmp(args->val[O_FORMAT], "table") != 0)
    return args->val[O_FORMAT];
  if(!human)
    return "table {{.ID}}\\t{{.CreatedAt}}\\t{{.CreatedBy}}\\t{{.Size}}"
           "\\t{{.Comment}}";
  return "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}"
         "\\t{{.Comment}}";
}

static int show(struct mdk_be_store *s, struct mdk_arena *a, const char *ref,
                const struct mdk_cli_args *args)
{
  struct mdk_be_image im;
  struct mdk_err e;
  struct mdk_tmpl_table table;
  json_t *hist, *head;
  size_t n, i, layer;
  bool human = !(args->val[O_HUMAN] && !args->on[O_HUMAN]);
  head = entry_json(NULL, true, human);
  if(!mdk_tmpl_table_open(&table, format_of(args, human), head, &e)) {
    json_decref(head);
    mdk_err_print(&e, stderr, mdk_cli_color());
    return 2;
  }
  if(mdk_be_image_resolve(s, a, ref, &im, &e)) {
    mdk_tmpl_table_close(&table, stdout);
    return mdk_cli_fail(&e);
  }
  hist = json_object_get(im.config, "history");
  n = json_array_size(hist);
  layer = mdk_be_image_nlayers(&im);
  mdk_tmpl_table_head(&table, head);
  json_decref(head);
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
    if(en.layer && layer > 0 && mdk_be_image_layer(&im, --layer, &d) &&
       mdk_be_layer_content_size(s, d.digest, &en.size, &e))
      en.size = d.size;
    head = entry_json(&en, !args->on[O_NO_TRUNC], human);
    mdk_tmpl_table_row(&table, head);
    json_decref(head);
  }
  mdk_tmpl_table_close(&table, stdout);
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
  "its layer's size (what it holds unpacked, as docker counts it) and\n"
  "the comment.",
  opts,
  "  mdock history app\n"
  "  mdock history --no-trunc --format '{{.CreatedBy}}' app\n",
  NULL, run, false, false
};
