/* meter.c - see meter.h. */
#include "registry/meter.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

enum { BAR = 24 };

void mdk_be_meter_init(struct mdk_be_meter *m, FILE *log, const char *verb,
                       uint64_t total, int blobs)
{
  const char *term = getenv("TERM");
  memset(m, 0, sizeof(*m));
  m->log = log;
  m->bar = log && isatty(fileno(log)) && !(term && strcmp(term, "dumb") == 0);
  m->verb = verb;
  m->total = total;
  m->blobs = blobs;
  m->t0 = mdk_now();
  pthread_mutex_init(&m->mu, NULL);
}

/* Holds mu. */
static void draw(struct mdk_be_meter *m)
{
  double el = mdk_now() - m->t0, done = m->done > 0 ? (double)m->done : 0;
  double frac = m->total ? done / (double)m->total : 0;
  char bar[BAR + 1];
  int k, fill;
  if(frac > 1)
    frac = 1;
  fill = (int)(frac * BAR);
  for(k = 0; k < BAR; k++)
    bar[k] = k < fill ? '=' : k == fill ? '>' : ' ';
  bar[BAR] = '\0';
  fprintf(m->log, "\r\033[K%s %6.1f/%.1f MB [%s] %6.1f MB/s %d/%d blobs",
          m->verb, done / 1e6, (double)m->total / 1e6, bar,
          el > 0 ? done / 1e6 / el : 0.0, m->blobs_done, m->blobs);
  fflush(m->log);
  m->drawn = mdk_now();
}

void mdk_be_meter_add(struct mdk_be_meter *m, int64_t n)
{
  if(!m)
    return;
  pthread_mutex_lock(&m->mu);
  m->done += n;
  if(m->bar && mdk_now() - m->drawn >= 0.1)
    draw(m);
  pthread_mutex_unlock(&m->mu);
}

void mdk_be_meter_blob_done(struct mdk_be_meter *m)
{
  if(!m)
    return;
  pthread_mutex_lock(&m->mu);
  m->blobs_done++;
  if(m->bar)
    draw(m);
  pthread_mutex_unlock(&m->mu);
}

void mdk_be_meter_log(struct mdk_be_meter *m, const char *fmt, ...)
{
  va_list ap;
  if(!m || !m->log)
    return;
  pthread_mutex_lock(&m->mu);
  if(m->bar)
    fputs("\r\033[K", m->log);
  va_start(ap, fmt);
  vfprintf(m->log, fmt, ap);
  va_end(ap);
  if(m->bar)
    draw(m);
  pthread_mutex_unlock(&m->mu);
}

void mdk_be_meter_end(struct mdk_be_meter *m)
{
  if(m->bar) {
    fputs("\r\033[K", m->log);
    fflush(m->log);
  }
  pthread_mutex_destroy(&m->mu);
}
