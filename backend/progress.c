/* progress.c - see progress.h. */
#include "backend/progress.h"
#include "base/base.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void mdk_be_progress_init(struct mdk_be_progress_w *w, FILE *out,
                          enum mdk_be_progress fmt)
{
  memset(w, 0, sizeof(*w));
  pthread_mutex_init(&w->mu, NULL);
  w->out = out;
  w->fmt = fmt;
  w->t0 = mdk_now();
}

static void emit(struct mdk_be_progress_w *w, json_t *ev)
{
  char *s = json_dumps(ev, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(ev);
  if(s) {
    fprintf(w->out, "%s\n", s);
    fflush(w->out);
  }
  free(s);
}

void mdk_be_progress_step(struct mdk_be_progress_w *w, int step, int stage,
                          const struct mdk_ir_op *op, const char *what,
                          const char *status, double seconds,
                          const struct mdk_be_layer_desc *layer)
{
  char key[65];
  pthread_mutex_lock(&w->mu);
  w->steps++;
  if(strcmp(status, "cached") == 0)
    w->cached++;
  else if(strcmp(status, "failed") != 0)
    w->built++;
  if(!w->out) {
    pthread_mutex_unlock(&w->mu);
    return;
  }
  mdk_ir_key_hex(&op->key, key);
  if(w->fmt == MDK_BE_PROGRESS_JSON) {
    json_t *ev = json_pack("{s:s,s:i,s:i,s:s,s:s,s:i,s:s,s:s,s:f}", "event",
                           "step", "step", step, "stage", stage, "op",
                           mdk_ir_kind_name(op->kind), "instruction",
                           op->instr ? op->instr : "", "line", (int)op->line,
                           "key", key, "status", status, "seconds", seconds);
    json_object_set_new(ev, "what", json_string(what));
    if(layer)
      json_object_set_new(ev, "layer", json_pack("{s:s,s:I}", "digest",
                                                 layer->digest, "size",
                                                 (json_int_t)layer->size));
    emit(w, ev);
    pthread_mutex_unlock(&w->mu);
    return;
  }
  {
    bool tty = w->fmt == MDK_BE_PROGRESS_TTY;
    const char *col = !tty ? "" : strcmp(status, "cached") == 0 ? "\033[36m"
                    : strcmp(status, "failed") == 0 ? "\033[31m" : "\033[32m";
    fprintf(w->out, "#%d [stage %d] %.160s%s: %s%s%s", step, stage, what,
            strlen(what) > 160 ? "..." : "", col, status, tty ? "\033[0m" : "");
    if(strcmp(status, "cached") != 0)
      fprintf(w->out, " %.2fs", seconds);
    if(layer)
      fprintf(w->out, " (layer %.19s, %.1f kB)", layer->digest,
              (double)layer->size / 1e3);
    fputc('\n', w->out);
  }
  pthread_mutex_unlock(&w->mu);
}

void mdk_be_progress_log(struct mdk_be_progress_w *w, int step,
                         const char *path)
{
  FILE *f;
  char line[4096];
  if(!w->out || !path || !(f = fopen(path, "r")))
    return;
  pthread_mutex_lock(&w->mu);
  while(fgets(line, sizeof(line), f)) {
    size_t n = strlen(line);
    if(n && line[n - 1] == '\n')
      line[--n] = '\0';
    if(w->fmt == MDK_BE_PROGRESS_JSON)
      emit(w, json_pack("{s:s,s:i,s:s}", "event", "log", "step", step, "line",
                        line));
    else
      fprintf(w->out, "#%d | %s\n", step, line);
  }
  pthread_mutex_unlock(&w->mu);
  fclose(f);
}

void mdk_be_progress_summary(struct mdk_be_progress_w *w,
                             const char *manifest, const char *error)
{
  double t = mdk_now() - w->t0;
  if(!w->out)
    return;
  if(w->fmt == MDK_BE_PROGRESS_JSON) {
    json_t *ev = json_pack("{s:s,s:i,s:i,s:i,s:f,s:b}", "event", "summary",
                           "steps", w->steps, "cached", w->cached, "built",
                           w->built, "seconds", t, "ok", !error);
    if(manifest)
      json_object_set_new(ev, "image", json_string(manifest));
    if(error)
      json_object_set_new(ev, "error", json_string(error));
    emit(w, ev);
    return;
  }
  fprintf(w->out, "%s: %d steps, %d cached, %d built in %.2fs%s%s\n",
          error ? "build failed" : "built", w->steps, w->cached, w->built, t,
          manifest ? ", image " : "", manifest ? manifest : "");
}
