/* progress.h - what a build tells the person or tool watching it, in
 * BuildKit's model: numbered steps ("#N"), each named as BuildKit names it
 * ("[NAME k/N] RUN ..."), that start, stream their output line by line as
 * it comes, and end cached, done or in error.
 *
 *   plain  BuildKit's plain format: "#N NAME", "#N 0.215 output",
 *          "#N DONE 0.3s", "#N CACHED", "#N ERROR: ..."
 *   tty    a live view redrawn at most ten times a second: running steps
 *          with a timer and their last output lines, finished steps one
 *          line each with their time, a header and a summary
 *   json   one event per line: started, log, cached, done, error (with
 *          the step's key and layer), then summary
 *
 * Step numbers are given by the executor before anything runs, so they are
 * the same from run to run.  Every name and line passes through the mask
 * (--secret-build-arg values become ***). */
#ifndef MDK_BE_PROGRESS_H
#define MDK_BE_PROGRESS_H

#include <pthread.h>
#include <stdio.h>

#include "ir/ir.h"
#include "store/store.h"

enum mdk_be_progress { MDK_BE_PROGRESS_PLAIN, MDK_BE_PROGRESS_TTY,
                       MDK_BE_PROGRESS_JSON };

enum mdk_be_step_state { MDK_STEP_WAITING, MDK_STEP_RUNNING, MDK_STEP_DONE,
                         MDK_STEP_CACHED, MDK_STEP_ERROR,
                         MDK_STEP_CANCELED };

enum { MDK_BE_STEP_TAIL = 6 };   /* output lines a running step shows */

struct mdk_be_step {
  char *name;                   /* malloc'd, masked */
  enum mdk_be_step_state state;
  double t0, t1;
  char *tail[MDK_BE_STEP_TAIL]; /* its last output lines (malloc'd) */
  size_t ntail;
  bool shown;                   /* plain: its name line was printed */
};

/* masks a string in place-free fashion: returns a malloc'd copy */
typedef char *(*mdk_be_mask_fn)(void *ctx, const char *s);

struct mdk_be_progress_w {
  FILE *out;                    /* NULL: quiet */
  enum mdk_be_progress fmt;
  double t0;
  pthread_mutex_t mu;           /* stages build at once */
  struct mdk_be_step *steps;    /* [1..nsteps] */
  int nsteps;
  int cached, built;
  mdk_be_mask_fn mask;
  void *mask_ctx;
  const char *platform;         /* one platform of several: every json
                                   event says which (NULL: one platform) */
  int id_base;                  /* shown step numbers are id + id_base: the
                                   platforms of one build number theirs
                                   one after another */
  /* tty: the renderer */
  pthread_t render;
  bool rendering, stop;
  int drawn;                    /* lines of the last frame */
};

void mdk_be_progress_init(struct mdk_be_progress_w *w, FILE *out,
                          enum mdk_be_progress fmt, mdk_be_mask_fn mask,
                          void *mask_ctx);
/* Declares step id (1..) with its name; every step is declared before the
 * first starts (tty draws them all). */
void mdk_be_progress_add(struct mdk_be_progress_w *w, int id,
                         const char *name);
void mdk_be_progress_start(struct mdk_be_progress_w *w, int id);
/* One output line of a running step, as it comes. */
void mdk_be_progress_line(struct mdk_be_progress_w *w, int id,
                          const char *line, size_t n);
/* state: DONE, CACHED, ERROR (with error), CANCELED.  key and layer go to
 * json only (either may be NULL). */
void mdk_be_progress_end(struct mdk_be_progress_w *w, int id,
                         enum mdk_be_step_state state, const char *key,
                         const struct mdk_be_layer_desc *layer,
                         const char *error);
/* Streams a step's log file while it runs (a thread reads what the step
 * writes); unfollow reads the rest and stops. */
struct mdk_be_follow;
struct mdk_be_follow *mdk_be_progress_follow(struct mdk_be_progress_w *w,
                                             int id, const char *path);
void mdk_be_progress_unfollow(struct mdk_be_follow *f);
/* The last frame and the summary; stops the renderer. */
void mdk_be_progress_summary(struct mdk_be_progress_w *w, const char *image,
                             const char *error, bool canceled);
void mdk_be_progress_fini(struct mdk_be_progress_w *w);

#endif
