/* gotmpl.h - the part of Go's text/template that people put in docker
 * --format arguments, run over a JSON value: {{.A.B}}, {{json .A}},
 * {{index .A "k"}}, {{range .L}}...{{end}}, {{if}}/{{else}}/{{with}},
 * $ and $variables, pipes, and docker's functions (join, split, lower,
 * upper, title, len, println, printf, eq/ne, not/and/or, truncate, pad).
 *
 * A value prints as Go prints it: a string bare, a list as [a b], an
 * object as map[k:v] with its keys in order, a missing list field as [],
 * a missing map field as map[], anything else missing as <no value>.
 * {{json X}} writes Go's encoding/json: compact, <, > and & escaped,
 * object keys in the order the value holds them. */
#ifndef MDK_CLI_GOTMPL_H
#define MDK_CLI_GOTMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/base.h"

/* Checks a template's syntax (every action closed, known functions,
 * if/range/with matched by end); the error says what and at which byte.
 * fields, when not NULL, is an object of every field dot has (a row of
 * docker's typed ones): a field it lacks is an error too. */
enum mdk_status mdk_tmpl_check(const char *tpl, json_t *fields,
                               struct mdk_err *e);

/* Runs a checked template with dot as its data; no newline is added. */
void mdk_tmpl_run(const char *tpl, json_t *dot, FILE *out);

/* Go's encoding/json of v (indent spaces, 0 compact): <, > and & escaped
 * as \u003c..., keys in the order v holds them, as docker writes JSON
 * (malloc'd) */
char *mdk_tmpl_go_json(json_t *v, int indent);

/* docker's table forms: "table T" is T with a header row, \t and \n in T
 * are a tab and a newline, and the cells line up as text/tabwriter aligns
 * them (minimum width 10, padding 3). */
struct mdk_tmpl_table {
  char *tpl;                    /* T with its escapes read */
  bool header;                  /* it began with "table" */
  char *buf;                    /* the rows so far */
  size_t len;
  FILE *rows;
};
/* headers: every field of a row, with its title (the header row is made
 * from it); false (and e says why) when T does not check against it */
bool mdk_tmpl_table_open(struct mdk_tmpl_table *t, const char *format,
                         json_t *headers, struct mdk_err *e);
void mdk_tmpl_table_head(struct mdk_tmpl_table *t, json_t *headers);
void mdk_tmpl_table_row(struct mdk_tmpl_table *t, json_t *row);
/* writes the aligned rows to out; frees t */
void mdk_tmpl_table_close(struct mdk_tmpl_table *t, FILE *out);

#endif
