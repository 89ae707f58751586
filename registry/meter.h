/* meter.h - the live line of a pull or push on a terminal:
 *   pulling  45.2/304.1 MB  [=====>              ]  118.0 MB/s  3/11 blobs
 * redrawn at most ten times a second from every transfer thread, cleared
 * when it ends.  Off the terminal (logs, pipes, CI) there is no bar, only
 * the one line per blob the callers print through mdk_be_meter_log. */
#ifndef MDK_BE_METER_H
#define MDK_BE_METER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct mdk_be_meter {
  FILE *log;                    /* the per-blob lines; NULL: quiet */
  bool bar;                     /* log is a terminal: the live line too */
  const char *verb;             /* "pulling", "pushing" */
  pthread_mutex_t mu;
  int64_t done;                 /* bytes moved (less what was redone) */
  uint64_t total;
  int blobs, blobs_done;
  double t0, drawn;
};

void mdk_be_meter_init(struct mdk_be_meter *m, FILE *log, const char *verb,
                       uint64_t total, int blobs);
/* n bytes moved (negative: bytes that will be moved again) */
void mdk_be_meter_add(struct mdk_be_meter *m, int64_t n);
void mdk_be_meter_blob_done(struct mdk_be_meter *m);
/* a line of its own above the bar (to log; nothing when quiet) */
void mdk_be_meter_log(struct mdk_be_meter *m, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
void mdk_be_meter_end(struct mdk_be_meter *m);

#endif
