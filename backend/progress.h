/* progress.h - what a build tells the person or tool watching it:
 * plain (one line per step, for logs), tty (the same with colours and
 * timings), json (one event per line: step, log, summary). */
#ifndef MDK_BE_PROGRESS_H
#define MDK_BE_PROGRESS_H

#include <pthread.h>
#include <stdio.h>

#include "ir/ir.h"
#include "store/store.h"

enum mdk_be_progress { MDK_BE_PROGRESS_PLAIN, MDK_BE_PROGRESS_TTY,
                       MDK_BE_PROGRESS_JSON };

struct mdk_be_progress_w {
  FILE *out;                    /* NULL: quiet */
  enum mdk_be_progress fmt;
  double t0;
  int steps, cached, built;
  pthread_mutex_t mu;           /* stages may build at once */
};

void mdk_be_progress_init(struct mdk_be_progress_w *w, FILE *out,
                          enum mdk_be_progress fmt);
/* status: "cached", "done", "unchanged" (no layer), "failed" */
void mdk_be_progress_step(struct mdk_be_progress_w *w, int step, int stage,
                          const struct mdk_ir_op *op, const char *what,
                          const char *status, double seconds,
                          const struct mdk_be_layer_desc *layer);
/* a step's output, line by line */
void mdk_be_progress_log(struct mdk_be_progress_w *w, int step,
                         const char *path);
void mdk_be_progress_summary(struct mdk_be_progress_w *w,
                             const char *manifest, const char *error);

#endif
