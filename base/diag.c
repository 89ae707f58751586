#include "base/diag.h"

#include <stdarg.h>
#include <string.h>

#include "base/utf8.h"

void mdk_diags_init(struct mdk_diags *d, struct mdk_arena *a)
{
  d->arena = a;
  d->items = MDK_VEC_INIT(struct mdk_diag);
  d->nerrors = 0;
}

struct mdk_diag *mdk_diag_add(struct mdk_diags *d, enum mdk_sev sev,
                              struct mdk_loc loc, const char *fmt, ...)
{
  struct mdk_diag dg = {0};
  va_list ap;
  char *m;

  va_start(ap, fmt);
  m = mdk_arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
  /* Messages are one line: a newline would break the file:line:col format. */
  for(char *p = m; *p; p++)
    if(*p == '\n' || *p == '\r')
      *p = ' ';
  dg.sev = sev;
  dg.loc = loc;
  dg.msg = m;
  mdk_vec_push(d->arena, &d->items, &dg);
  if(sev == MDK_SEV_ERROR)
    d->nerrors++;
  return mdk_vec_at(&d->items, struct mdk_diag, d->items.len - 1);
}

void mdk_diag_hint(struct mdk_diags *d, struct mdk_diag *dg,
                   const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  dg->hint = mdk_arena_vprintf(d->arena, fmt, ap);
  va_end(ap);
}

static const char *sev_name(enum mdk_sev s)
{
  switch(s) {
  case MDK_SEV_ERROR: return "error";
  case MDK_SEV_WARNING: return "warning";
  case MDK_SEV_NOTE: return "note";
  }
  return "error";
}

/* Prints the physical line holding the span, then a caret line that keeps the
 * line's tabs so the caret lands under the right character in any terminal. */
enum { EXCERPT_MAX = 160, EXCERPT_BEFORE = 60 };

/* Prints the physical line holding the span (a window of it when the line is
 * long), then a caret line that keeps the line's tabs so the caret lands under
 * the right character in any terminal. */
static void print_excerpt(const struct mdk_loc *loc, const struct mdk_pos *p,
                          FILE *out, bool color)
{
  const char *data = loc->src->data;
  uint32_t i, end = loc->end, ws = p->line_start, we = p->line_end;
  size_t w;

  if(we - ws > EXCERPT_MAX) {
    if(loc->start > ws + EXCERPT_BEFORE)
      ws = loc->start - EXCERPT_BEFORE;
    /* do not start in the middle of a UTF-8 sequence */
    while(ws > p->line_start && ((unsigned char)data[ws] & 0xC0) == 0x80)
      ws--;
    if(we > ws + EXCERPT_MAX)
      we = ws + EXCERPT_MAX;
    while(we < p->line_end && ((unsigned char)data[we] & 0xC0) == 0x80)
      we++;
  }
  fputs(ws > p->line_start ? "... " : "    ", out);
  for(i = ws; i < we; i++) {
    unsigned char c = (unsigned char)data[i];
    /* Control bytes would garble the terminal; show them as '?'. */
    fputc(c < 0x20 && c != '\t' ? '?' : c, out);
  }
  if(we < p->line_end)
    fputs(" ...", out);
  fputs("\n    ", out);
  for(i = ws; i < loc->start && i < we; i += (uint32_t)w) {
    mdk_utf8_decode(data + i, we - i, &w);
    fputc(data[i] == '\t' ? '\t' : ' ', out);
  }
  if(color)
    fputs("\033[1;32m", out);
  fputc('^', out);
  if(end > we)
    end = we;
  if(loc->start < end) {
    mdk_utf8_decode(data + loc->start, end - loc->start, &w);
    for(i = loc->start + (uint32_t)w; i < end; i += (uint32_t)w) {
      mdk_utf8_decode(data + i, end - i, &w);
      fputc('~', out);
    }
  }
  if(color)
    fputs("\033[0m", out);
  fputc('\n', out);
}

void mdk_diag_print(const struct mdk_diag *dg, FILE *out, bool color)
{
  const char *sev = sev_name(dg->sev);
  const char *sevcol = dg->sev == MDK_SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
  struct mdk_pos p = {0};

  if(dg->loc.src) {
    p = mdk_source_pos(dg->loc.src, dg->loc.start);
    fprintf(out, "%s%s:%u:%u:%s ", color ? "\033[1m" : "", p.name, p.line,
            p.col, color ? "\033[0m" : "");
  }
  else {
    fputs("mdock: ", out);
  }
  fprintf(out, "%s%s:%s %s", color ? sevcol : "", sev, color ? "\033[0m" : "",
          dg->msg);
  if(dg->rule)
    fprintf(out, " [%s]", dg->rule);
  fputc('\n', out);
  if(dg->loc.src)
    print_excerpt(&dg->loc, &p, out, color);
  if(dg->hint)
    fprintf(out, "    hint: %s\n", dg->hint);
}

void mdk_diags_print(const struct mdk_diags *d, FILE *out, bool color)
{
  size_t i;
  for(i = 0; i < d->items.len; i++)
    mdk_diag_print(mdk_vec_at(&d->items, struct mdk_diag, i), out, color);
}
