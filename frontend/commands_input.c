/* commands_input.c - Modal-style dockerfile_commands lists: Modal sends
 * ["FROM base", *commands] to its builder, so the list is parsed as one
 * Dockerfile whose lines are the commands (a heredoc may span commands). */
#include "frontend/frontend.h"

#include <stdio.h>

#include "frontend/gojson.h"

struct mdk_source *mdk_fe_commands_source(struct mdk_arena *a,
                                          const char *list_name,
                                          const char *from,
                                          const struct mdk_str *cmds,
                                          size_t n)
{
  struct mdk_buf b;
  uint32_t *starts = mdk_arena_array(a, uint32_t, n + 1);
  uint32_t from_start = 0;
  struct mdk_source *src;
  size_t i;

  mdk_buf_init(&b, (size_t)256 << 20);
  if(from) {
    (void)mdk_buf_printf(&b, "FROM %s\n", from);
  }
  for(i = 0; i < n; i++) {
    starts[i] = (uint32_t)b.len;
    (void)mdk_buf_append(&b, cmds[i].ptr, cmds[i].len);
    (void)mdk_buf_putc(&b, '\n');
  }
  src = mdk_source_new(a, list_name, b.ptr ? b.ptr : "", b.len);
  mdk_buf_free(&b);
  if(from)
    mdk_source_add_segment(a, src, from_start, "--from");
  for(i = 0; i < n; i++) {
    char name[64];
    snprintf(name, sizeof(name), "%s[%zu]", list_name, i);
    mdk_source_add_segment(a, src, starts[i], name);
  }
  return src;
}

enum mdk_status mdk_fe_commands_parse(struct mdk_arena *a,
                                      struct mdk_str text,
                                      struct mdk_str **cmds, size_t *n,
                                      const char **why)
{
  size_t i = 0;
  struct mdk_vec v = MDK_VEC_INIT(struct mdk_str);

  while(i < text.len && (text.ptr[i] == ' ' || text.ptr[i] == '\t' ||
                         text.ptr[i] == '\n' || text.ptr[i] == '\r'))
    i++;
  if(i < text.len && text.ptr[i] == '[') {
    struct mdk_fe_arg *args;
    uint32_t bo, bl;
    size_t k;
    switch(mdk_fe_json_string_array(a, text, 0, &args, n, &bo, &bl)) {
    case MDK_FE_JSON_OK:
      *cmds = mdk_arena_array(a, struct mdk_str, *n + 1);
      for(k = 0; k < *n; k++)
        (*cmds)[k] = args[k].val;
      return MDK_OK;
    case MDK_FE_JSON_NOT_STRINGS:
      *why = "the JSON array holds something other than strings";
      return MDK_EINPUT;
    case MDK_FE_JSON_INVALID:
      *why = "it starts with '[' but is not a valid JSON array";
      return MDK_EINPUT;
    }
  }
  /* plain text: one command per line */
  i = 0;
  while(i < text.len) {
    size_t e = i;
    struct mdk_str line;
    while(e < text.len && text.ptr[e] != '\n')
      e++;
    line = mdk_str_make(text.ptr + i, e - i);
    if(line.len && line.ptr[line.len - 1] == '\r')
      line.len--;
    mdk_vec_push(a, &v, &line);
    i = e + 1;
  }
  *cmds = v.items;
  *n = v.len;
  return MDK_OK;
}
