/* gotmpl_table.c - docker's --format "table ..." and its column layout:
 * rows are collected, then aligned as Go's text/tabwriter does with
 * docker's settings (minwidth 10, tabwidth 1, padding 3, blanks): a cell
 * ended by a tab is padded to the widest cell of its column among the
 * consecutive lines that have that column; a line's last cell is not.
 * Without "table" the rows are written as they are made. */
#include "cli/gotmpl.h"

#include <stdlib.h>
#include <string.h>

enum { MIN_WIDTH = 10, PADDING = 3 };

/* \t and \n as docker's formatter reads them in a --format value */
static char *unescape(const char *s)
{
  char *o = malloc(strlen(s) + 1), *q = o;
  if(!o)
    return NULL;
  for(; *s; s++) {
    if(s[0] == '\\' && (s[1] == 't' || s[1] == 'n')) {
      *q++ = *++s == 't' ? '\t' : '\n';
      continue;
    }
    *q++ = *s;
  }
  *q = 0;
  return o;
}

bool mdk_tmpl_table_open(struct mdk_tmpl_table *t, const char *format,
                         json_t *headers, struct mdk_err *e)
{
  const char *f = format;
  size_t n;
  memset(t, 0, sizeof(*t));
  /* docker's Format: IsTable is the prefix "table", IsJSON the word json
   * (a row a line, as {{json .}}) */
  if(strncmp(f, "table", 5) == 0) {
    t->header = true;
    f += 5;
  }
  f += strspn(f, " ");
  n = strlen(f);
  while(n && f[n - 1] == ' ')
    n--;
  if(!t->header && n == 4 && strncmp(f, "json", 4) == 0)
    f = "{{json .}}";
  t->tpl = unescape(f);
  if(!t->tpl || mdk_tmpl_check(t->tpl, headers, e) != MDK_OK ||
     !(t->rows = open_memstream(&t->buf, &t->len))) {
    free(t->tpl);
    t->tpl = NULL;
    return false;
  }
  return true;
}

void mdk_tmpl_table_head(struct mdk_tmpl_table *t, json_t *headers)
{
  if(!t->header || !t->tpl[0])
    return;
  mdk_tmpl_run(t->tpl, headers, t->rows);
  fputc('\n', t->rows);
}

void mdk_tmpl_table_row(struct mdk_tmpl_table *t, json_t *row)
{
  mdk_tmpl_run(t->tpl, row, t->rows);
  fputc('\n', t->rows);
}

/* the width of a cell in characters (UTF-8 continuation bytes are not) */
static size_t text_width(const char *s, size_t n)
{
  size_t w = 0, i;
  for(i = 0; i < n; i++)
    w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

struct line {
  const char *s;
  size_t len, ncells;           /* tab-ended cells */
};

static void write_line(const struct line *ln, const size_t *width, FILE *out)
{
  const char *p = ln->s, *end = ln->s + ln->len;
  size_t c = 0;
  while(p < end) {
    const char *tab = memchr(p, '\t', (size_t)(end - p));
    size_t n = tab ? (size_t)(tab - p) : (size_t)(end - p);
    fwrite(p, 1, n, out);
    if(!tab)
      break;
    fprintf(out, "%*s", (int)(width[c] - text_width(p, n)), "");
    c++;
    p = tab + 1;
  }
  fputc('\n', out);
}

void mdk_tmpl_table_close(struct mdk_tmpl_table *t, FILE *out)
{
  struct line *lines = NULL;
  size_t n = 0, cap = 0, i, j, col, maxc = 0;
  size_t *width = NULL;
  const char *p, *end;
  if(!t->rows)
    return;
  fclose(t->rows);
  if(!t->header) {
    /* docker aligns only tables; other formats are written as made */
    fwrite(t->buf, 1, t->len, out);
    goto done;
  }
  for(p = t->buf, end = t->buf + t->len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    struct line ln = {p, nl ? (size_t)(nl - p) : (size_t)(end - p), 0};
    for(i = 0; i < ln.len; i++)
      ln.ncells += p[i] == '\t';
    if(n == cap) {
      struct line *g = realloc(lines, (cap = cap ? cap * 2 : 64) *
                               sizeof(*lines));
      if(!g)
        goto done;
      lines = g;
    }
    lines[n++] = ln;
    maxc = ln.ncells > maxc ? ln.ncells : maxc;
    p = nl ? nl + 1 : end;
  }
  width = calloc(n * (maxc + 1) + 1, sizeof(*width));
  if(!width)
    goto done;
  /* per column, per run of consecutive lines that have it */
  for(col = 0; col < maxc; col++) {
    for(i = 0; i < n;) {
      size_t w = MIN_WIDTH, k;
      if(lines[i].ncells <= col) {
        i++;
        continue;
      }
      for(j = i; j < n && lines[j].ncells > col; j++) {
        const char *c = lines[j].s;
        size_t m;
        for(k = 0; k < col; k++)
          c = strchr(c, '\t') + 1;
        m = (size_t)((const char *)memchr(c, '\t', lines[j].len -
                                          (size_t)(c - lines[j].s)) - c);
        if(text_width(c, m) + PADDING > w)
          w = text_width(c, m) + PADDING;
      }
      for(k = i; k < j; k++)
        width[k * (maxc + 1) + col] = w;
      i = j;
    }
  }
  for(i = 0; i < n; i++)
    write_line(&lines[i], &width[i * (maxc + 1)], out);
done:
  free(width);
  free(lines);
  free(t->buf);
  free(t->tpl);
  memset(t, 0, sizeof(*t));
}
