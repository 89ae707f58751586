/* lint_run.c - see lint_run.h. */
#include "cli/lint_run.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/source.h"
#include "cli/lint_config.h"

enum { INPUT_LIMIT = 64 << 20, WINDOW = 256, MAX_WORKERS = 8 };

static void lint_one(const struct mdk_cli_lint_run_opts *o,
                     struct mdk_cli_lint_job *job)
{
  struct mdk_arena *a = &job->arena;
  const char *path = job->path, *why = NULL, *slash = strrchr(path, '/');
  struct mdk_cli_lint_config cfg;
  struct mdk_fe_lint_result res;
  struct mdk_fe_lint_opts lo = {o->dialect, NULL, NULL, o->check_override,
                                false, NULL};
  struct mdk_source *src;
  struct mdk_fe_finding *kept;
  char *dir;
  bool *force;
  size_t j, n = 0;
  int err, r, threshold;

  if(strcmp(path, "-") == 0 || !slash)
    dir = mdk_arena_strndup(a, ".", 1);
  else
    dir = mdk_arena_strndup(a, path, (size_t)(slash - path) + (slash == path));
  if(mdk_cli_lint_config_load(a, o->config ? o->config : job->config, dir,
                               &cfg, &why)) {
    job->error = mdk_arena_printf(a, "invalid lint config: %s", why);
    job->config_error = true;
    return;
  }
  if(mdk_source_read(a, path, INPUT_LIMIT, &src, &err)) {
    job->error = mdk_arena_printf(a, "cannot read %s: %s", path,
                                  err ? strerror(err) : "file too large");
    return;
  }
  force = mdk_arena_array(a, bool, MDK_LINT__COUNT);
  for(r = 0; r < MDK_LINT__COUNT; r++)
    force[r] = cfg.enabled[r] > 0 || (cfg.have_only && cfg.only[r]);
  lo.context_dir = o->context ? o->context : dir;
  lo.dockerfile_path = strcmp(path, "-") == 0 ? NULL : path;
  lo.no_inline_ignores = cfg.no_inline_ignores;
  lo.force_enable = force;
  mdk_fe_lint(a, src, &lo, &res);
  kept = mdk_arena_array(a, struct mdk_fe_finding, res.n + 1);
  for(j = 0; j < res.n; j++) {
    struct mdk_fe_finding f = res.f[j];
    if(cfg.enabled[f.rule] < 0 || (cfg.have_only && !cfg.only[f.rule]))
      continue;
    if(cfg.sev[f.rule] >= 0)
      f.sev = (enum mdk_fe_lint_sev)cfg.sev[f.rule];
    if(f.sev == MDK_LINT_IGNORE)
      continue;
    kept[n++] = f;
  }
  /* the threshold: the option, else this file's config, else info */
  threshold = o->threshold >= 0 ? o->threshold
            : cfg.threshold >= 0 ? cfg.threshold : MDK_LINT_INFO;
  for(j = 0; j < n; j++)
    if((int)kept[j].sev <= threshold)
      job->failed = true;
  job->lf.name = src->name;
  job->lf.src = src;
  job->lf.f = kept;
  job->lf.n = n;
}

static int worker_count(size_t n)
{
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  int w = cpus > 0 ? (int)cpus : 1;
  if(w > MAX_WORKERS)
    w = MAX_WORKERS;
  if((size_t)w > n)
    w = (int)n;
  return w < 1 ? 1 : w;
}

/* Files of one directory share their config: it is searched once per
 * directory, not once per file (the corpus has hundreds per directory). */
struct config_memo {
  char **dirs, **found;         /* found[i] "" when there is none */
  size_t n, cap;
};

static const char *config_for(struct config_memo *m, struct mdk_arena *a,
                              const char *path)
{
  const char *slash = strrchr(path, '/');
  char *dir = strcmp(path, "-") == 0 || !slash
                ? strdup(".")
                : strndup(path, (size_t)(slash - path) + (slash == path));
  char *f;
  size_t i;
  for(i = 0; i < m->n; i++)
    if(strcmp(m->dirs[i], dir) == 0) {
      free(dir);
      return m->found[i];
    }
  f = mdk_cli_lint_config_find(dir);
  if(m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    m->dirs = realloc(m->dirs, m->cap * sizeof(char *));
    m->found = realloc(m->found, m->cap * sizeof(char *));
    if(!m->dirs || !m->found)
      abort();
  }
  m->dirs[m->n] = dir;
  m->found[m->n] = mdk_arena_strndup(a, f ? f : "", f ? strlen(f) : 0);
  free(f);
  return m->found[m->n++];
}

/* The run is a pipeline: workers take files in input order from one counter
 * and the calling thread, itself a worker, writes every finished file as
 * soon as all before it are written, so output overlaps linting.  Workers
 * stay at most WINDOW files ahead of the output, which bounds memory. */
struct pipeline {
  const struct mdk_cli_lint_run_opts *o;
  struct mdk_cli_lint_job *jobs;
  bool *done;                   /* guarded by mu */
  size_t n, next, flushed;      /* guarded by mu */
  bool stop;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

/* Takes the next file to lint, or returns false when there is none (or
 * the output is WINDOW files behind and `wait` is false). Holds mu. */
static bool take(struct pipeline *p, bool wait, size_t *i)
{
  for(;;) {
    if(p->stop || p->next >= p->n)
      return false;
    if(p->next < p->flushed + WINDOW) {
      *i = p->next++;
      return true;
    }
    if(!wait)
      return false;
    pthread_cond_wait(&p->cv, &p->mu);
  }
}

static void finish(struct pipeline *p, size_t i)
{
  pthread_mutex_lock(&p->mu);
  p->done[i] = true;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
  struct pipeline *p = arg;
  size_t i;
  for(;;) {
    bool got;
    pthread_mutex_lock(&p->mu);
    got = take(p, true, &i);
    pthread_mutex_unlock(&p->mu);
    if(!got)
      return NULL;
    lint_one(p->o, &p->jobs[i]);
    finish(p, i);
  }
}

/* The calling thread: writes what is ready, else lints, else waits. */
static void writer(struct pipeline *p, mdk_cli_lint_sink sink, void *ctx)
{
  pthread_mutex_lock(&p->mu);
  while(p->flushed < p->n) {
    size_t i = p->flushed;
    if(p->done[i]) {
      bool go;
      pthread_mutex_unlock(&p->mu);
      go = p->stop ? true : sink(ctx, &p->jobs[i]);
      mdk_arena_fini(&p->jobs[i].arena);
      pthread_mutex_lock(&p->mu);
      if(!go)
        p->stop = true;
      p->flushed++;
      pthread_cond_broadcast(&p->cv);
    } else if(take(p, false, &i)) {
      pthread_mutex_unlock(&p->mu);
      lint_one(p->o, &p->jobs[i]);
      pthread_mutex_lock(&p->mu);
      p->done[i] = true;
    } else if(p->stop && p->next <= i) {
      break;                    /* stopped: nobody will lint file i */
    } else {
      pthread_cond_wait(&p->cv, &p->mu);
    }
  }
  pthread_mutex_unlock(&p->mu);
}

void mdk_cli_lint_run(const struct mdk_cli_lint_run_opts *o,
                      const char *const *paths, size_t n,
                      mdk_cli_lint_sink sink, void *ctx)
{
  struct config_memo memo = {0};
  struct mdk_arena ma;
  struct pipeline p;
  pthread_t tid[MAX_WORKERS];
  size_t i;
  int w, t, started = 0;
  /* stdin can only be read once and only by one thread: one at a time */
  bool threads = true;
  for(i = 0; i < n; i++)
    if(strcmp(paths[i], "-") == 0)
      threads = false;
  if(n == 0)
    return;
  mdk_arena_init(&ma);
  memset(&p, 0, sizeof(p));
  p.o = o;
  p.n = n;
  p.jobs = calloc(n, sizeof(*p.jobs));
  p.done = calloc(n, sizeof(*p.done));
  if(!p.jobs || !p.done)
    abort();
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  for(i = 0; i < n; i++) {
    p.jobs[i].path = paths[i];
    p.jobs[i].config = o->config ? NULL : config_for(&memo, &ma, paths[i]);
    mdk_arena_init(&p.jobs[i].arena);
  }
  w = threads ? worker_count(n) : 1;
  for(t = 1; t < w; t++)
    if(pthread_create(&tid[started], NULL, worker, &p) == 0)
      started++;
  writer(&p, sink, ctx);
  pthread_mutex_lock(&p.mu);
  p.stop = true;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for(t = 0; t < started; t++)
    pthread_join(tid[t], NULL);
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.cv);
  for(i = 0; i < memo.n; i++)
    free(memo.dirs[i]);
  free(memo.dirs);
  free(memo.found);
  free(p.jobs);
  free(p.done);
  mdk_arena_fini(&ma);
}
