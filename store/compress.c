/* compress.c - see compress.h. */
#include "store/compress.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

enum { CHUNK = 1 << 20, MAX_THREADS = 16 };

bool mdk_be_compression_parse(const char *s, struct mdk_be_compress_opts *o)
{
  const char *colon = strchr(s, ':');
  size_t n = colon ? (size_t)(colon - s) : strlen(s);
  char *end;
  long lv = 0;
  memset(o, 0, sizeof(*o));
  if(n == 4 && strncmp(s, "gzip", 4) == 0)
    o->kind = MDK_BE_COMP_GZIP;
  else if(n == 4 && strncmp(s, "zstd", 4) == 0)
    o->kind = MDK_BE_COMP_ZSTD;
  else if((n == 12 && strncmp(s, "uncompressed", 12) == 0) ||
          (n == 4 && strncmp(s, "none", 4) == 0))
    o->kind = MDK_BE_COMP_NONE;
  else
    return false;
  if(colon) {
    lv = strtol(colon + 1, &end, 10);
    if(!colon[1] || *end || lv < 1 ||
       lv > (o->kind == MDK_BE_COMP_ZSTD ? 19 : 12) ||
       o->kind == MDK_BE_COMP_NONE)
      return false;
  }
  o->level = (int)lv;
  return true;
}

const char *mdk_be_layer_media_type(enum mdk_be_compression k)
{
  switch(k) {
  case MDK_BE_COMP_GZIP:
    return "application/vnd.oci.image.layer.v1.tar+gzip";
  case MDK_BE_COMP_ZSTD:
    return "application/vnd.oci.image.layer.v1.tar+zstd";
  case MDK_BE_COMP_NONE:
    break;
  }
  return "application/vnd.oci.image.layer.v1.tar";
}

enum slot_state { SLOT_EMPTY, SLOT_FILLED, SLOT_BUSY, SLOT_DONE };

struct slot {
  unsigned char *in, *out;
  size_t in_len, out_len, out_cap;
  enum slot_state state;
};

struct mdk_be_compressor {
  struct mdk_be_compress_opts o;
  mdk_be_sink_fn sink;
  void *ctx;
  enum mdk_status err;
  /* gzip */
  pthread_mutex_t mu;
  pthread_cond_t filled, done;
  pthread_t tid[MAX_THREADS];
  int nthreads;
  struct slot *slots;
  size_t nslots;
  size_t fill_seq;              /* slot being filled */
  size_t compress_seq;          /* next slot a worker takes */
  size_t write_seq;             /* next slot written to the sink */
  bool stop, wrote_any;
  /* zstd */
  ZSTD_CCtx *zc;
  unsigned char *zout;
  size_t zout_cap;
};

static int online_cores(int want)
{
  long n = want > 0 ? want : mdk_cpu_count();
  if(n < 1)
    n = 1;
  if(n > MAX_THREADS)
    n = MAX_THREADS;
  return (int)n;
}

static void *gzip_worker(void *p)
{
  struct mdk_be_compressor *c = p;
  struct libdeflate_compressor *d =
    libdeflate_alloc_compressor(c->o.level ? c->o.level : 6);
  pthread_mutex_lock(&c->mu);
  for(;;) {
    struct slot *s;
    while(!c->stop && c->compress_seq >= c->fill_seq)
      pthread_cond_wait(&c->filled, &c->mu);
    if(c->compress_seq >= c->fill_seq)
      break;
    s = &c->slots[c->compress_seq % c->nslots];
    c->compress_seq++;
    s->state = SLOT_BUSY;
    pthread_mutex_unlock(&c->mu);
    s->out_len = d ? libdeflate_gzip_compress(d, s->in, s->in_len, s->out,
                                              s->out_cap) : 0;
    pthread_mutex_lock(&c->mu);
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&c->done);
  }
  pthread_mutex_unlock(&c->mu);
  libdeflate_free_compressor(d);
  return NULL;
}

/* Writes finished slots in order; with `until`, waits until the slot of
 * that sequence number is free again.  Called with the lock held. */
static void drain(struct mdk_be_compressor *c, size_t until)
{
  while(c->write_seq < until) {
    struct slot *s = &c->slots[c->write_seq % c->nslots];
    if(s->state != SLOT_DONE) {
      pthread_cond_wait(&c->done, &c->mu);
      continue;
    }
    pthread_mutex_unlock(&c->mu);
    if(!c->err && s->out_len == 0)
      c->err = MDK_ENOMEM;
    if(!c->err)
      c->err = c->sink(c->ctx, s->out, s->out_len);
    c->wrote_any = true;
    pthread_mutex_lock(&c->mu);
    s->state = SLOT_EMPTY;
    s->in_len = 0;
    c->write_seq++;
  }
}

static void submit(struct mdk_be_compressor *c)
{
  pthread_mutex_lock(&c->mu);
  c->slots[c->fill_seq % c->nslots].state = SLOT_FILLED;
  c->fill_seq++;
  pthread_cond_signal(&c->filled);
  /* the next slot to fill must have been written out */
  if(c->fill_seq >= c->nslots)
    drain(c, c->fill_seq - c->nslots + 1);
  pthread_mutex_unlock(&c->mu);
}

struct mdk_be_compressor *mdk_be_compressor_new(
  const struct mdk_be_compress_opts *o, mdk_be_sink_fn sink, void *ctx)
{
  struct mdk_be_compressor *c = calloc(1, sizeof(*c));
  size_t i;
  if(!c)
    return NULL;
  c->o = *o;
  c->sink = sink;
  c->ctx = ctx;
  if(o->kind == MDK_BE_COMP_ZSTD) {
    c->zc = ZSTD_createCCtx();
    c->zout_cap = ZSTD_CStreamOutSize();
    c->zout = malloc(c->zout_cap);
    if(!c->zc || !c->zout)
      goto fail;
    ZSTD_CCtx_setParameter(c->zc, ZSTD_c_compressionLevel,
                           o->level ? o->level : 3);
    /* always the threaded format, whatever the core count */
    ZSTD_CCtx_setParameter(c->zc, ZSTD_c_nbWorkers, online_cores(o->threads));
    return c;
  }
  if(o->kind == MDK_BE_COMP_NONE)
    return c;
  c->nthreads = online_cores(o->threads);
  c->nslots = (size_t)c->nthreads * 2 + 1;
  c->slots = calloc(c->nslots, sizeof(*c->slots));
  if(!c->slots)
    goto fail;
  for(i = 0; i < c->nslots; i++) {
    c->slots[i].out_cap = libdeflate_gzip_compress_bound(NULL, CHUNK);
    c->slots[i].in = malloc(CHUNK);
    c->slots[i].out = malloc(c->slots[i].out_cap);
    if(!c->slots[i].in || !c->slots[i].out)
      goto fail;
  }
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->filled, NULL);
  pthread_cond_init(&c->done, NULL);
  for(i = 0; i < (size_t)c->nthreads; i++)
    if(pthread_create(&c->tid[i], NULL, gzip_worker, c)) {
      c->nthreads = (int)i;
      break;
    }
  if(!c->nthreads) {
    mdk_be_compressor_free(c);
    return NULL;
  }
  return c;
fail:
  mdk_be_compressor_free(c);
  return NULL;
}

static enum mdk_status zstd_pump(struct mdk_be_compressor *c, const void *p,
                                 size_t n, ZSTD_EndDirective mode)
{
  ZSTD_inBuffer in = {p, n, 0};
  for(;;) {
    ZSTD_outBuffer out = {c->zout, c->zout_cap, 0};
    size_t left = ZSTD_compressStream2(c->zc, &out, &in, mode);
    if(ZSTD_isError(left))
      return MDK_EIO;
    if(out.pos) {
      enum mdk_status st = c->sink(c->ctx, c->zout, out.pos);
      if(st)
        return st;
    }
    if(mode == ZSTD_e_end ? left == 0 : in.pos == in.size)
      return MDK_OK;
  }
}

enum mdk_status mdk_be_compressor_write(struct mdk_be_compressor *c,
                                        const void *p, size_t n)
{
  const unsigned char *b = p;
  if(c->err)
    return c->err;
  if(c->o.kind == MDK_BE_COMP_NONE)
    return c->err = c->sink(c->ctx, p, n);
  if(c->zc)
    return c->err = zstd_pump(c, p, n, ZSTD_e_continue);
  while(n) {
    struct slot *s = &c->slots[c->fill_seq % c->nslots];
    size_t k = CHUNK - s->in_len < n ? CHUNK - s->in_len : n;
    memcpy(s->in + s->in_len, b, k);
    s->in_len += k;
    b += k;
    n -= k;
    if(s->in_len == CHUNK)
      submit(c);
  }
  return c->err;
}

enum mdk_status mdk_be_compressor_finish(struct mdk_be_compressor *c)
{
  if(c->err)
    return c->err;
  if(c->o.kind == MDK_BE_COMP_NONE)
    return MDK_OK;
  if(c->zc)
    return c->err = zstd_pump(c, NULL, 0, ZSTD_e_end);
  /* the last partial chunk; an empty stream still gets one member */
  if(c->slots[c->fill_seq % c->nslots].in_len || c->fill_seq == 0)
    submit(c);
  pthread_mutex_lock(&c->mu);
  drain(c, c->fill_seq);
  pthread_mutex_unlock(&c->mu);
  return c->err;
}

void mdk_be_compressor_free(struct mdk_be_compressor *c)
{
  size_t i;
  int t;
  if(!c)
    return;
  if(c->nthreads) {
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_broadcast(&c->filled);
    pthread_mutex_unlock(&c->mu);
    for(t = 0; t < c->nthreads; t++)
      pthread_join(c->tid[t], NULL);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->filled);
    pthread_cond_destroy(&c->done);
  }
  if(c->slots)
    for(i = 0; i < c->nslots; i++) {
      free(c->slots[i].in);
      free(c->slots[i].out);
    }
  free(c->slots);
  ZSTD_freeCCtx(c->zc);
  free(c->zout);
  free(c);
}
