/* jsonw.h - a small streaming JSON writer for mdock's own output (stable key
 * order as written, two-space indentation). */
#ifndef MDK_JSONW_H
#define MDK_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/str.h"

struct mdk_jsonw {
  struct mdk_buf *out;
  FILE *sink;          /* out goes here in 64 KiB pieces, or NULL */
  int depth;
  bool first;          /* no element yet at this depth */
  bool after_key;
  bool compact;        /* one line: no newlines, no indentation */
};

void mdk_jsonw_init(struct mdk_jsonw *w, struct mdk_buf *out);
/* Streams: what is written goes on to sink whenever out holds 64 KiB, so
 * a document as big as its input is never held whole; the caller writes
 * out's rest at the end (mdk_jsonw_flush). */
void mdk_jsonw_stream(struct mdk_jsonw *w, FILE *sink);
void mdk_jsonw_flush(struct mdk_jsonw *w);
void mdk_jsonw_begin(struct mdk_jsonw *w, char open);   /* '{' or '[' */
void mdk_jsonw_end(struct mdk_jsonw *w, char close);
void mdk_jsonw_key(struct mdk_jsonw *w, const char *key);
void mdk_jsonw_str(struct mdk_jsonw *w, struct mdk_str s);
void mdk_jsonw_cstr(struct mdk_jsonw *w, const char *s);
void mdk_jsonw_int(struct mdk_jsonw *w, int64_t v);
void mdk_jsonw_bool(struct mdk_jsonw *w, bool v);
void mdk_jsonw_null(struct mdk_jsonw *w);
/* A value already in JSON form (from mdk_jsonw_quote): for a string that
 * repeats, quoted once and written many times. */
void mdk_jsonw_raw(struct mdk_jsonw *w, struct mdk_str json);
/* s as a JSON string, appended to b (invalid UTF-8 becomes U+FFFD). */
void mdk_jsonw_quote(struct mdk_buf *b, struct mdk_str s);
/* The same, written at p, which has room for 6 * s.len + 2 bytes (the
 * worst case); returns the end. */
char *mdk_jsonw_quote_to(char *p, struct mdk_str s);


#endif
