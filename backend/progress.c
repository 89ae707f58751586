/* progress.c - see progress.h. */
#include "backend/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "base/base.h"

enum { FRAME_MS = 100 };        /* the tty view's redraw period */

/* a number with three decimals, as a JSON value */
static void json_secs(struct mdk_jsonw *j, double v)
{
  char t[64];
  snprintf(t, sizeof(t), "%.3f", v);
  mdk_jsonw_raw(j, mdk_str_c(t));
}

static char *masked(struct mdk_be_progress_w *w, const char *s, size_t n)
{
  char *c = malloc(n + 1), *m;
  if(!c)
    return NULL;
  memcpy(c, s, n);
  c[n] = '\0';
  if(!w->mask)
    return c;
  m = w->mask(w->mask_ctx, c);
  free(c);
  return m;
}

static struct mdk_be_step *step(struct mdk_be_progress_w *w, int id)
{
  return id > 0 && id <= w->nsteps ? &w->steps[id] : NULL;
}

/* --- json ---------------------------------------------------------- */

/* an event's line begun: {"event": E, "step": N, "time": T */
static void json_begin(struct mdk_be_progress_w *w, struct mdk_jsonw *j,
                       struct mdk_buf *b, const char *event, int id)
{
  mdk_buf_init(b, (size_t)1 << 24);
  mdk_jsonw_init(j, b);
  j->compact = true;
  mdk_jsonw_begin(j, '{');
  mdk_jsonw_key(j, "event");
  mdk_jsonw_cstr(j, event);
  if(id) {
    mdk_jsonw_key(j, "step");
    mdk_jsonw_int(j, id + w->id_base);
  }
  if(w->platform) {
    mdk_jsonw_key(j, "platform");
    mdk_jsonw_cstr(j, w->platform);
  }
  mdk_jsonw_key(j, "time");
  json_secs(j, mdk_now() - w->t0);
}

/* ... and written out, one line */
static void json_finish(struct mdk_be_progress_w *w, struct mdk_jsonw *j,
                        struct mdk_buf *b)
{
  mdk_jsonw_end(j, '}');
  fprintf(w->out, "%.*s\n", (int)b->len, b->ptr);
  fflush(w->out);
  mdk_buf_free(b);
}

static void json_event(struct mdk_be_progress_w *w, const char *event, int id,
                       const char *k1, const char *v1, const char *k2,
                       const char *v2, double secs)
{
  struct mdk_buf b;
  struct mdk_jsonw j;
  json_begin(w, &j, &b, event, id);
  if(k1 && v1) {
    mdk_jsonw_key(&j, k1);
    mdk_jsonw_cstr(&j, v1);
  }
  if(k2 && v2) {
    mdk_jsonw_key(&j, k2);
    mdk_jsonw_cstr(&j, v2);
  }
  if(secs >= 0) {
    mdk_jsonw_key(&j, "seconds");
    json_secs(&j, secs);
  }
  json_finish(w, &j, &b);
}

/* --- tty: the live view --------------------------------------------- */

static int term_width(FILE *out)
{
  struct winsize ws;
  if(ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
    return ws.ws_col;
  return 80;
}

static int term_height(FILE *out)
{
  struct winsize ws;
  if(ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_row >= 5)
    return ws.ws_row;
  return 24;
}

/* one line of the view, cut to the width with the time on the right */
static void view_line(struct mdk_buf *b, int width, const char *prefix,
                      const char *text, const char *right)
{
  int room = width - (int)strlen(prefix) - (int)strlen(right) - 2, n;
  if(room < 8)
    room = 8;
  n = (int)strlen(text);
  mdk_buf_puts(b, "\033[2K");
  mdk_buf_puts(b, prefix);
  if(n > room)
    mdk_buf_printf(b, "%.*s...", room - 3, text);
  else
    mdk_buf_printf(b, "%s%*s", text, room - n, "");
  mdk_buf_printf(b, " %s\n", right);
}

/* Redraws the whole view over the last one (the caller holds the lock). */
static void draw(struct mdk_be_progress_w *w, bool final)
{
  struct mdk_buf b;
  int width = term_width(w->out), height = term_height(w->out);
  int i, done = 0, lines = 0, first = 1, budget;
  double now = mdk_now();
  mdk_buf_init(&b, (size_t)1 << 24);
  if(w->drawn)
    mdk_buf_printf(&b, "\033[%dA", w->drawn);
  for(i = 1; i <= w->nsteps; i++)
    done += w->steps[i].state >= MDK_STEP_DONE;
  /* what fits: the header, then the newest steps (a long build scrolls) */
  budget = height - 2;
  for(i = w->nsteps; i >= 1 && budget > 0; i--) {
    const struct mdk_be_step *s = &w->steps[i];
    if(s->state == MDK_STEP_WAITING)
      continue;
    budget -= 1 + (s->state == MDK_STEP_RUNNING ? (int)s->ntail : 0);
    if(budget >= 0)
      first = i;
  }
  mdk_buf_printf(&b, "\033[2K%s[+] Building %.1fs (%d/%d)%s%s\n",
                 final ? "" : "\033[34m", now - w->t0, done, w->nsteps,
                 final ? " FINISHED" : "", final ? "" : "\033[0m");
  lines++;
  for(i = first; i <= w->nsteps; i++) {
    struct mdk_be_step *s = &w->steps[i];
    char right[32];
    const char *pre = " => ";
    size_t t;
    if(s->state == MDK_STEP_WAITING)
      continue;
    snprintf(right, sizeof(right), "%.1fs",
             (s->state == MDK_STEP_RUNNING ? now : s->t1) - s->t0);
    if(s->state == MDK_STEP_CACHED)
      pre = " => CACHED ";
    else if(s->state == MDK_STEP_ERROR)
      pre = " => ERROR ";
    else if(s->state == MDK_STEP_CANCELED)
      pre = " => CANCELED ";
    if(s->state == MDK_STEP_ERROR)
      mdk_buf_puts(&b, "\033[31m");
    view_line(&b, width, pre, s->name ? s->name : "", right);
    if(s->state == MDK_STEP_ERROR)
      mdk_buf_puts(&b, "\033[0m");
    lines++;
    for(t = 0; s->state == MDK_STEP_RUNNING && t < s->ntail; t++) {
      view_line(&b, width, " => => # ", s->tail[t], "");
      lines++;
    }
  }
  mdk_buf_puts(&b, "\033[J");
  fwrite(b.ptr, 1, b.len, w->out);
  fflush(w->out);
  mdk_buf_free(&b);
  w->drawn = lines;
}

static void *render_main(void *p)
{
  struct mdk_be_progress_w *w = p;
  struct timespec ts = {0, FRAME_MS * 1000000L};
  for(;;) {
    nanosleep(&ts, NULL);
    pthread_mutex_lock(&w->mu);
    if(w->stop) {
      pthread_mutex_unlock(&w->mu);
      return NULL;
    }
    draw(w, false);
    pthread_mutex_unlock(&w->mu);
  }
}

/* --- the steps ------------------------------------------------------ */

void mdk_be_progress_init(struct mdk_be_progress_w *w, FILE *out,
                          enum mdk_be_progress fmt, mdk_be_mask_fn mask,
                          void *mask_ctx)
{
  memset(w, 0, sizeof(*w));
  pthread_mutex_init(&w->mu, NULL);
  w->out = out;
  w->fmt = fmt;
  w->t0 = mdk_now();
  w->mask = mask;
  w->mask_ctx = mask_ctx;
  w->steps = calloc(1, sizeof(*w->steps));
}

void mdk_be_progress_add(struct mdk_be_progress_w *w, int id,
                         const char *name)
{
  struct mdk_be_step *n;
  if(id <= 0)
    return;
  pthread_mutex_lock(&w->mu);
  if(id > w->nsteps) {
    n = realloc(w->steps, sizeof(*n) * ((size_t)id + 1));
    if(!n) {
      pthread_mutex_unlock(&w->mu);
      return;
    }
    memset(n + w->nsteps + 1, 0, sizeof(*n) * (size_t)(id - w->nsteps));
    w->steps = n;
    w->nsteps = id;
  }
  free(w->steps[id].name);
  w->steps[id].name = masked(w, name, strlen(name));
  pthread_mutex_unlock(&w->mu);
}

void mdk_be_progress_start(struct mdk_be_progress_w *w, int id)
{
  struct mdk_be_step *s;
  pthread_mutex_lock(&w->mu);
  s = step(w, id);
  if(!s) {
    pthread_mutex_unlock(&w->mu);
    return;
  }
  s->state = MDK_STEP_RUNNING;
  s->t0 = mdk_now();
  if(w->out && w->fmt == MDK_BE_PROGRESS_PLAIN) {
    fprintf(w->out, "\n#%d %s\n", id + w->id_base, s->name ? s->name : "");
    fflush(w->out);
    s->shown = true;
  }
  else if(w->out && w->fmt == MDK_BE_PROGRESS_JSON) {
    json_event(w, "started", id, "name", s->name, NULL, NULL, -1);
  }
  else if(w->out && w->fmt == MDK_BE_PROGRESS_TTY && !w->rendering) {
    w->rendering = pthread_create(&w->render, NULL, render_main, w) == 0;
  }
  pthread_mutex_unlock(&w->mu);
}

void mdk_be_progress_line(struct mdk_be_progress_w *w, int id,
                          const char *line, size_t n)
{
  struct mdk_be_step *s;
  char *m;
  while(n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    n--;
  m = masked(w, line, n);
  if(!m)
    return;
  pthread_mutex_lock(&w->mu);
  s = step(w, id);
  if(s && w->out) {
    double at = mdk_now() - s->t0;
    if(w->fmt == MDK_BE_PROGRESS_PLAIN) {
      fprintf(w->out, "#%d %.3f %s\n", id + w->id_base, at, m);
      fflush(w->out);
    }
    else if(w->fmt == MDK_BE_PROGRESS_JSON) {
      json_event(w, "log", id, "line", m, NULL, NULL, at);
    }
    if(s->ntail == MDK_BE_STEP_TAIL) {
      free(s->tail[0]);
      memmove(s->tail, s->tail + 1, sizeof(s->tail[0]) * (MDK_BE_STEP_TAIL - 1));
      s->ntail--;
    }
    s->tail[s->ntail++] = m;
    m = NULL;
  }
  pthread_mutex_unlock(&w->mu);
  free(m);
}

static const char *state_event(enum mdk_be_step_state st)
{
  switch(st) {
  case MDK_STEP_CACHED: return "cached";
  case MDK_STEP_ERROR: return "error";
  case MDK_STEP_CANCELED: return "canceled";
  default: return "done";
  }
}

static void json_end(struct mdk_be_progress_w *w, int id,
                     const struct mdk_be_step *s, const char *key,
                     const struct mdk_be_layer_desc *layer, const char *error)
{
  struct mdk_buf b;
  struct mdk_jsonw j;
  json_begin(w, &j, &b, state_event(s->state), id);
  mdk_jsonw_key(&j, "name");
  mdk_jsonw_cstr(&j, s->name ? s->name : "");
  /* status: cached, done, unchanged (no layer), failed */
  mdk_jsonw_key(&j, "status");
  mdk_jsonw_cstr(&j, s->state == MDK_STEP_CACHED ? "cached"
                     : s->state == MDK_STEP_ERROR ? "failed"
                     : s->state == MDK_STEP_CANCELED ? "canceled"
                     : layer || !key ? "done" : "unchanged");
  mdk_jsonw_key(&j, "seconds");
  json_secs(&j, s->t1 - s->t0);
  if(key) {
    mdk_jsonw_key(&j, "key");
    mdk_jsonw_cstr(&j, key);
  }
  if(layer) {
    mdk_jsonw_key(&j, "layer");
    mdk_jsonw_begin(&j, '{');
    mdk_jsonw_key(&j, "digest");
    mdk_jsonw_cstr(&j, layer->digest);
    mdk_jsonw_key(&j, "size");
    mdk_jsonw_int(&j, (int64_t)layer->size);
    mdk_jsonw_end(&j, '}');
  }
  if(error) {
    mdk_jsonw_key(&j, "error");
    mdk_jsonw_cstr(&j, error);
  }
  json_finish(w, &j, &b);
}

void mdk_be_progress_end(struct mdk_be_progress_w *w, int id,
                         enum mdk_be_step_state state, const char *key,
                         const struct mdk_be_layer_desc *layer,
                         const char *error)
{
  struct mdk_be_step *s;
  char *err = error ? masked(w, error, strlen(error)) : NULL;
  pthread_mutex_lock(&w->mu);
  s = step(w, id);
  if(!s) {
    pthread_mutex_unlock(&w->mu);
    free(err);
    return;
  }
  if(s->state == MDK_STEP_WAITING)
    s->t0 = mdk_now();
  s->state = state;
  s->t1 = mdk_now();
  if(state == MDK_STEP_CACHED)
    w->cached++;
  else if(state == MDK_STEP_DONE)
    w->built++;
  if(w->out && w->fmt == MDK_BE_PROGRESS_PLAIN) {
    if(!s->shown)
      fprintf(w->out, "\n#%d %s\n", id + w->id_base, s->name ? s->name : "");
    s->shown = true;
    if(state == MDK_STEP_CACHED)
      fprintf(w->out, "#%d CACHED\n", id + w->id_base);
    else if(state == MDK_STEP_ERROR)
      fprintf(w->out, "#%d ERROR: %s\n", id + w->id_base, err ? err : "failed");
    else if(state == MDK_STEP_CANCELED)
      fprintf(w->out, "#%d CANCELED\n", id + w->id_base);
    else
      fprintf(w->out, "#%d DONE %.1fs\n", id + w->id_base, s->t1 - s->t0);
    fflush(w->out);
  }
  else if(w->out && w->fmt == MDK_BE_PROGRESS_JSON) {
    json_end(w, id, s, key, layer, err);
  }
  pthread_mutex_unlock(&w->mu);
  free(err);
}

/* --- following a step's log file ------------------------------------ */

struct mdk_be_follow {
  struct mdk_be_progress_w *w;
  int id, fd;
  pthread_t t;
  bool stop, started;
  char part[8192];              /* a line not ended yet */
  size_t npart;
};

/* reads what is there; emits every complete line */
static void drain(struct mdk_be_follow *f, bool last)
{
  char buf[8192];
  ssize_t n;
  while((n = read(f->fd, buf, sizeof(buf))) > 0) {
    ssize_t i, s = 0;
    for(i = 0; i < n; i++) {
      if(buf[i] != '\n' && f->npart + (size_t)(i - s) < sizeof(f->part) - 1)
        continue;
      if(f->npart) {
        size_t k = (size_t)(i - s);
        if(f->npart + k > sizeof(f->part))
          k = sizeof(f->part) - f->npart;
        memcpy(f->part + f->npart, buf + s, k);
        mdk_be_progress_line(f->w, f->id, f->part, f->npart + k);
        f->npart = 0;
      }
      else {
        mdk_be_progress_line(f->w, f->id, buf + s, (size_t)(i - s));
      }
      s = i + (buf[i] == '\n');
    }
    if(s < n) {
      size_t k = (size_t)(n - s);
      if(f->npart + k > sizeof(f->part))
        k = sizeof(f->part) - f->npart;
      memcpy(f->part + f->npart, buf + s, k);
      f->npart += k;
    }
  }
  if(last && f->npart) {
    mdk_be_progress_line(f->w, f->id, f->part, f->npart);
    f->npart = 0;
  }
}

static void *follow_main(void *p)
{
  struct mdk_be_follow *f = p;
  struct timespec ts = {0, 50 * 1000000L};
  while(!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
    drain(f, false);
    nanosleep(&ts, NULL);
  }
  return NULL;
}

struct mdk_be_follow *mdk_be_progress_follow(struct mdk_be_progress_w *w,
                                             int id, const char *path)
{
  struct mdk_be_follow *f;
  if(!w->out || !path)
    return NULL;
  f = calloc(1, sizeof(*f));
  if(!f)
    return NULL;
  f->w = w;
  f->id = id;
  f->fd = open(path, O_RDONLY | O_CLOEXEC);
  if(f->fd < 0) {
    free(f);
    return NULL;
  }
  f->started = pthread_create(&f->t, NULL, follow_main, f) == 0;
  return f;
}

void mdk_be_progress_unfollow(struct mdk_be_follow *f)
{
  if(!f)
    return;
  __atomic_store_n(&f->stop, true, __ATOMIC_RELEASE);
  if(f->started)
    pthread_join(f->t, NULL);
  drain(f, true);
  close(f->fd);
  free(f);
}

/* --- the end -------------------------------------------------------- */

static void stop_render(struct mdk_be_progress_w *w)
{
  bool was;
  pthread_mutex_lock(&w->mu);
  was = w->rendering;
  w->stop = true;
  w->rendering = false;
  pthread_mutex_unlock(&w->mu);
  if(was)
    pthread_join(w->render, NULL);
}

void mdk_be_progress_summary(struct mdk_be_progress_w *w, const char *image,
                             const char *error, bool canceled)
{
  double t = mdk_now() - w->t0;
  char *err = error ? masked(w, error, strlen(error)) : NULL;
  stop_render(w);
  if(!w->out) {
    free(err);
    return;
  }
  pthread_mutex_lock(&w->mu);
  if(w->fmt == MDK_BE_PROGRESS_TTY)
    draw(w, true);
  if(w->fmt == MDK_BE_PROGRESS_JSON) {
    struct mdk_buf b;
    struct mdk_jsonw j;
    mdk_buf_init(&b, (size_t)1 << 20);
    mdk_jsonw_init(&j, &b);
  j.compact = true;
    mdk_jsonw_begin(&j, '{');
    mdk_jsonw_key(&j, "event");
    mdk_jsonw_cstr(&j, "summary");
    mdk_jsonw_key(&j, "steps");
    mdk_jsonw_int(&j, w->nsteps);
    mdk_jsonw_key(&j, "cached");
    mdk_jsonw_int(&j, w->cached);
    mdk_jsonw_key(&j, "built");
    mdk_jsonw_int(&j, w->built);
    mdk_jsonw_key(&j, "seconds");
    json_secs(&j, t);
    mdk_jsonw_key(&j, "ok");
    mdk_jsonw_bool(&j, !err && !canceled);
    if(canceled) {
      mdk_jsonw_key(&j, "canceled");
      mdk_jsonw_bool(&j, true);
    }
    if(image) {
      mdk_jsonw_key(&j, "image");
      mdk_jsonw_cstr(&j, image);
    }
    if(err) {
      mdk_jsonw_key(&j, "error");
      mdk_jsonw_cstr(&j, err);
    }
    mdk_jsonw_end(&j, '}');
    fprintf(w->out, "%.*s\n", (int)b.len, b.ptr);
    mdk_buf_free(&b);
  }
  else {
    fprintf(w->out, "%s%s: %d steps, %d cached, %d built in %.1fs%s%s\n",
            w->fmt == MDK_BE_PROGRESS_PLAIN ? "\n" : "",
            canceled ? "build canceled" : err ? "build failed" : "built",
            w->nsteps, w->cached, w->built, t, image ? ", image " : "",
            image ? image : "");
  }
  fflush(w->out);
  pthread_mutex_unlock(&w->mu);
  free(err);
}

void mdk_be_progress_fini(struct mdk_be_progress_w *w)
{
  int i;
  size_t k;
  stop_render(w);
  for(i = 0; i <= w->nsteps; i++) {
    free(w->steps[i].name);
    for(k = 0; k < w->steps[i].ntail; k++)
      free(w->steps[i].tail[k]);
  }
  free(w->steps);
  w->steps = NULL;
  pthread_mutex_destroy(&w->mu);
}
