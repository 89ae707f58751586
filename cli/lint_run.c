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

enum { INPUT_LIMIT = 64 << 20, BATCH = 64, MAX_WORKERS = 8 };

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

struct batch {
  const struct mdk_cli_lint_run_opts *o;
  struct mdk_cli_lint_job *jobs;
  size_t n;
  atomic_size_t next;
};

static void *worker(void *p)
{
  struct batch *b = p;
  size_t i;
  while((i = atomic_fetch_add(&b->next, 1)) < b->n)
    lint_one(b->o, &b->jobs[i]);
  return NULL;
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

void mdk_cli_lint_run(const struct mdk_cli_lint_run_opts *o,
                      const char *const *paths, size_t n,
                      mdk_cli_lint_sink sink, void *ctx)
{
  struct mdk_cli_lint_job jobs[BATCH];
  struct config_memo memo = {0};
  struct mdk_arena ma;
  size_t base, i;
  bool go = true;
  /* stdin can only be read once and only by one thread: one at a time */
  bool threads = true;
  for(i = 0; i < n; i++)
    if(strcmp(paths[i], "-") == 0)
      threads = false;
  mdk_arena_init(&ma);

  for(base = 0; base < n && go; base += BATCH) {
    size_t m = n - base < BATCH ? n - base : BATCH;
    struct batch b = {o, jobs, m, 0};
    pthread_t tid[MAX_WORKERS];
    int w = threads ? worker_count(m) : 1, t, started = 0;
    for(i = 0; i < m; i++) {
      memset(&jobs[i], 0, sizeof(jobs[i]));
      jobs[i].path = paths[base + i];
      jobs[i].config = o->config ? NULL : config_for(&memo, &ma, jobs[i].path);
      mdk_arena_init(&jobs[i].arena);
    }
    /* the calling thread is one of the workers */
    for(t = 1; t < w; t++)
      if(pthread_create(&tid[started], NULL, worker, &b) == 0)
        started++;
    worker(&b);
    for(t = 0; t < started; t++)
      pthread_join(tid[t], NULL);
    for(i = 0; i < m; i++) {
      if(go)
        go = sink(ctx, &jobs[i]);
      mdk_arena_fini(&jobs[i].arena);
    }
  }
  for(i = 0; i < memo.n; i++)
    free(memo.dirs[i]);
  free(memo.dirs);
  free(memo.found);
  mdk_arena_fini(&ma);
}
