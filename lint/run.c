/* lint_run.c - see lint_run.h. */
#include "lint/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "lint/config.h"

enum { INPUT_LIMIT = 64 << 20, WINDOW = 256, MAX_WORKERS = 8 };

struct dir_memo;

/* Files of one directory share what is known about it: the config, which
 * is searched once per directory, not once per file (the corpus has
 * hundreds per directory), and the directory's names, read once, so that
 * lint's looks for NAME.dockerignore, .dockerignore and scripts cost no
 * system call when the file is not there.  The directories are grouped
 * before linting starts; each is prepared once, by the first worker
 * started (all of them, in order, while the calling thread lints the first
 * directory's files) or by a thread that needs it sooner. */
struct mdk_cli_lint_dir {
  char *dir;
  struct dir_memo *memo;
  _Atomic int state;            /* 0 unprepared, 1 being prepared, 2 ready */
  bool list;                    /* read its names when preparing it */
  const char *config;           /* "" when there is none */
  char **names;                 /* sorted; NULL when not listed */
  int fd;                       /* listed: the directory, for openat
                                   (a file's path is not walked again) */
  size_t nnames;
  size_t nfiles;                /* files of the run in it */
  /* the context directory's entry when it is not this one (the modal
   * dialect's context is the current directory), or NULL */
  struct mdk_cli_lint_dir *ctx;
};

enum { LIST_FROM = 4 };         /* files in a directory that make it listed */

struct dir_memo {
  struct mdk_cli_lint_dir *v;
  size_t n, cap;
  const struct mdk_cli_lint_run_opts *o;
  struct mdk_arena *a;                 /* the configs' names */
  pthread_mutex_t mu;                  /* the finder and the arena */
  struct mdk_cli_lint_finder finder;   /* configs, searched once a dir */
};

static int cmp_name(const void *key, const void *elem)
{
  return strcmp(key, *(char *const *)elem);
}

/* lint's may_exist for the files of one directory: a path in another
 * directory, or in one that could not be listed, may exist. */
static bool in_listing(const struct mdk_cli_lint_dir *d, const char *path,
                       bool *known)
{
  const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
  size_t dl = strlen(d->dir);
  *known = false;
  if(!d->names)
    return true;
  /* a bare name is in the current directory, listed as "." */
  if(slash ? (size_t)(slash - path) != dl || memcmp(path, d->dir, dl) != 0
           : strcmp(d->dir, ".") != 0)
    return true;
  *known = true;
  return bsearch(name, d->names, d->nnames, sizeof(char *),
                 cmp_name) != NULL;
}

/* Whether d's listing has name as a regular file (not a symlink, not
 * unknown). */
static bool listed_regular(const struct mdk_cli_lint_dir *d, const char *name)
{
  char *const *hit;
  if(!d->names)
    return false;
  hit = bsearch(name, d->names, d->nnames, sizeof(char *), cmp_name);
  return hit && mdk_dir_name_type(*hit) == DT_REG;
}

static bool may_exist(const void *ud, const char *path)
{
  const struct mdk_cli_lint_dir *d = ud;
  bool known, r = in_listing(d, path, &known);
  if(!known && d->ctx)
    r = in_listing(d->ctx, path, &known);
  return r;
}

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  return strcmp(path, "-") == 0 || !slash
           ? strdup(".")
           : strndup(path, (size_t)(slash - path) + (slash == path));
}

/* The index of path's directory in m, added when it is new. */
static size_t dir_for(struct dir_memo *m, const char *path)
{
  char *dir = dir_of(path);
  struct mdk_cli_lint_dir *d;
  size_t i;
  if(!dir)
    abort();
  for(i = m->n; i-- > 0;)       /* the files of a directory come together */
    if(strcmp(m->v[i].dir, dir) == 0) {
      free(dir);
      return i;
    }
  if(m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    m->v = realloc(m->v, m->cap * sizeof(*m->v));
    if(!m->v)
      abort();
  }
  d = &m->v[m->n];
  memset(d, 0, sizeof(*d));
  d->dir = dir;
  d->memo = m;
  d->fd = -1;
  return m->n++;
}

/* Reads the names of a directory that many files of the run share: for a
 * few, a failed open per file is cheaper than listing a big directory. */
static void list_dir(struct mdk_cli_lint_dir *d)
{
  int fd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd >= 0) {
    d->names = mdk_dir_names(fd, &d->nnames);
    d->fd = fd;
  }
}

static void prepare(struct mdk_cli_lint_dir *d)
{
  struct dir_memo *m = d->memo;
  if(!m->o->config) {           /* --config: the one config, not searched */
    char *f;
    pthread_mutex_lock(&m->mu);
    f = mdk_cli_lint_finder_find(&m->finder, d->dir);
    d->config = mdk_arena_strndup(m->a, f ? f : "", f ? strlen(f) : 0);
    pthread_mutex_unlock(&m->mu);
    if(m->o->verbose)
      fprintf(stderr, "mdock lint: %s: %s%s\n", d->dir,
              f ? "config " : "no config (the defaults)", f ? f : "");
    free(f);
  }
  if(d->list)
    list_dir(d);
}

/* Prepares d unless another thread has or is preparing it. */
static void dir_try_prepare(struct mdk_cli_lint_dir *d)
{
  int unprepared = 0;
  if(atomic_load_explicit(&d->state, memory_order_acquire) == 0 &&
     atomic_compare_exchange_strong(&d->state, &unprepared, 1)) {
    prepare(d);
    atomic_store_explicit(&d->state, 2, memory_order_release);
  }
}

/* Prepares d, or waits for the thread preparing it without sleeping (a
 * preparation is tens of microseconds, a sleeping thread's wakeup can be
 * milliseconds). */
static void dir_ready(struct mdk_cli_lint_dir *d)
{
  dir_try_prepare(d);
  while(atomic_load_explicit(&d->state, memory_order_acquire) != 2)
    sched_yield();
}

static void job_dir_ready(struct mdk_cli_lint_dir *d)
{
  dir_ready(d);
  if(d->ctx)
    dir_ready(d->ctx);
}

static void dir_memo_free(struct dir_memo *m)
{
  size_t i;
  mdk_cli_lint_finder_free(&m->finder);
  pthread_mutex_destroy(&m->mu);
  for(i = 0; i < m->n; i++) {
    free(m->v[i].dir);
    if(m->v[i].names)
      mdk_dir_names_free(m->v[i].names, m->v[i].nnames);
    if(m->v[i].fd >= 0)
      close(m->v[i].fd);
  }
  free(m->v);
}

static void lint_one(const struct mdk_cli_lint_run_opts *o,
                     struct mdk_cli_lint_job *job)
{
  struct mdk_arena *a = &job->arena;
  const char *path = job->path, *why = NULL, *dir = job->dir->dir;
  const char *config;
  bool stdin_src = strcmp(path, "-") == 0;
  struct mdk_cli_lint_config cfg;
  struct mdk_fe_lint_result res;
  struct mdk_fe_lint_opts lo = {.dialect = o->dialect,
                                .check_override = o->check_override};
  struct mdk_source *src;
  struct mdk_fe_finding *kept;
  bool *force;
  size_t j, n = 0;
  int err, r, threshold;

  job_dir_ready(job->dir);
  config = o->config ? o->config : job->dir->config;
  if(mdk_cli_lint_config_load(a, config, dir,
                               &cfg, &why)) {
    job->error = mdk_arena_printf(a, "invalid lint config: %s", why);
    job->config_error = true;
    return;
  }
  if(o->cli)
    mdk_cli_lint_config_merge(a, &cfg, o->cli);
  if(o->list_src)
    src = o->list_src;
  else if(job->dir->fd >= 0 && strncmp(path, dir, strlen(dir)) == 0 &&
          path[strlen(dir)] == '/'
          ? mdk_source_read_at(a, job->dir->fd, path + strlen(dir) + 1, path,
                               listed_regular(job->dir,
                                              path + strlen(dir) + 1),
                               INPUT_LIMIT, &src, &err)
          : mdk_source_read(a, path, INPUT_LIMIT, &src, &err)) {
    job->error = mdk_arena_printf(a, "cannot read %s: %s", path,
                                  err ? strerror(err) : "file too large");
    return;
  }
  force = mdk_arena_array(a, bool, MDK_LINT__COUNT);
  for(r = 0; r < MDK_LINT__COUNT; r++)
    force[r] = cfg.enabled[r] > 0 || (cfg.have_only && cfg.only[r]);
  /* the context: --context, else what each builder uses: Modal's
   * from_dockerfile uploads from the current directory (its context_dir
   * defaults to Path.cwd()), a docker user's context is usually the
   * Dockerfile's directory */
  lo.context_dir = o->context ? o->context
                 : o->dialect == MDK_FE_DIALECT_MODAL ? "." : dir;
  lo.dockerfile_path = stdin_src || o->list_src ? NULL : path;
  lo.no_inline_ignores = cfg.no_inline_ignores;
  lo.trusted = cfg.trusted;
  lo.ntrusted = cfg.ntrusted;
  lo.labels = cfg.labels;
  lo.nlabels = cfg.nlabels;
  lo.strict_labels = cfg.strict_labels;
  lo.shellcheck = o->shellcheck;
  lo.force_enable = force;
  if(!stdin_src && !o->context) {
    lo.may_exist = may_exist;
    lo.may_exist_ud = job->dir;
  }
  mdk_fe_lint(a, src, &lo, &res);
  /* --file-path-in-report: the name the findings are shown under */
  if(o->report_path)
    src->name = o->report_path;
  kept = mdk_arena_array(a, struct mdk_fe_finding, res.n + 1);
  for(j = 0; j < res.n; j++) {
    struct mdk_fe_finding f = res.f[j];
    if(cfg.enabled[f.rule] < 0 || (cfg.have_only && !cfg.only[f.rule]))
      continue;
    if(cfg.sev[f.rule] >= 0)
      f.sev = (enum mdk_fe_lint_sev)cfg.sev[f.rule];
    if(f.code) {                /* ShellCheck's own codes */
      int s = mdk_cli_lint_sc_sev(&cfg, f.code, (int)f.sev);
      if(s < 0)
        continue;
      f.sev = (enum mdk_fe_lint_sev)s;
    }
    if(f.sev == MDK_LINT_IGNORE)
      continue;
    kept[n++] = f;
  }
  /* the threshold: the option, else this file's config, else info */
  threshold = o->threshold >= 0 ? o->threshold
            : cfg.threshold >= 0 ? cfg.threshold : MDK_LINT_INFO;
  for(j = 0; j < n; j++)
    if((int)kept[j].sev <= threshold && !cfg.no_fail)
      job->failed = true;
  job->lf.name = src->name;
  job->lf.src = src;
  job->lf.f = kept;
  job->lf.n = n;
}

/* Lints a file and, when the run formats in its threads, formats it there
 * and frees what linting it took: only its text waits for its turn. */
static void lint_and_format(const struct mdk_cli_lint_run_opts *o,
                            struct mdk_cli_lint_job *job)
{
  lint_one(o, job);
  if(o->writer && !job->error &&
     mdk_cli_lint_format(o->writer, &job->lf, &job->text)) {
    job->formatted = true;
    memset(&job->lf, 0, sizeof(job->lf));
    mdk_arena_fini(&job->arena);
  }
}

static int worker_count(size_t n)
{
  int w = mdk_cpu_count();
  if(w > MAX_WORKERS)
    w = MAX_WORKERS;
  if((size_t)w > n)
    w = (int)n;
  return w < 1 ? 1 : w;
}

/* The run is a pipeline: workers take files in input order from one counter
 * and the calling thread, itself a worker, writes every finished file as
 * soon as all before it are written, so output overlaps linting.  Workers
 * stay at most WINDOW files ahead of the output, which bounds memory. */
struct pipeline {
  const struct mdk_cli_lint_run_opts *o;
  struct dir_memo *memo;
  _Atomic bool preparer;        /* the first worker prepares the dirs */
  struct mdk_cli_lint_job *jobs;
  bool *done;                   /* guarded by mu */
  size_t n, next, flushed;      /* guarded by mu */
  bool stop;
  /* per worker, the texts it made that are written (guarded by mu): it
   * frees them itself, as a block freed by another thread takes the
   * allocator's lock of the thread that made it, and both then wait */
  size_t dead[MAX_WORKERS];
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

struct worker_arg {
  struct pipeline *p;
  int id;                       /* 1.. (0 is the calling thread) */
};

static void free_dead(struct pipeline *p, size_t i)
{
  while(i != SIZE_MAX) {
    size_t next = p->jobs[i].dead_next;
    mdk_buf_free(&p->jobs[i].text);
    i = next;
  }
}

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
  struct worker_arg *wa = arg;
  struct pipeline *p = wa->p;
  size_t i;
  bool no = false;
  /* the first worker prepares the directories the calling thread, busy
   * with the first files, has not taken */
  if(atomic_compare_exchange_strong(&p->preparer, &no, true))
    for(i = 0; i < p->memo->n; i++)
      dir_try_prepare(&p->memo->v[i]);
  for(;;) {
    bool got;
    size_t dead;
    pthread_mutex_lock(&p->mu);
    got = take(p, true, &i);
    dead = p->dead[wa->id];
    p->dead[wa->id] = SIZE_MAX;
    pthread_mutex_unlock(&p->mu);
    free_dead(p, dead);
    if(!got)
      return NULL;
    p->jobs[i].owner = wa->id;
    lint_and_format(p->o, &p->jobs[i]);
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
      if(p->jobs[i].formatted && !p->jobs[i].owner)
        mdk_buf_free(&p->jobs[i].text);
      pthread_mutex_lock(&p->mu);
      if(p->jobs[i].formatted && p->jobs[i].owner) {
        p->jobs[i].dead_next = p->dead[p->jobs[i].owner];
        p->dead[p->jobs[i].owner] = i;
      }
      if(!go)
        p->stop = true;
      p->flushed++;
      pthread_cond_broadcast(&p->cv);
    } else if(take(p, false, &i)) {
      pthread_mutex_unlock(&p->mu);
      lint_and_format(p->o, &p->jobs[i]);
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
  struct dir_memo memo = {0};
  size_t *dirs, cwd_dir = SIZE_MAX;
  struct mdk_arena ma;
  struct pipeline p;
  pthread_t tid[MAX_WORKERS];
  struct worker_arg wargs[MAX_WORKERS];
  size_t i;
  int w, t, started = 0;
  /* stdin can only be read once and only by one thread: one at a time */
  bool threads = true;

  /* Each file's arena is freed before the next one's is made: keep the
   * freed memory (and big blocks) in the heap, so the next file reuses
   * pages already mapped instead of faulting in fresh ones. */
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  for(i = 0; i < n; i++)
    if(strcmp(paths[i], "-") == 0)
      threads = false;
  if(n == 0)
    return;
  mdk_arena_init(&ma);
  memo.o = o;
  memo.a = &ma;
  mdk_mutex_init(&memo.mu);
  memset(&p, 0, sizeof(p));
  p.memo = &memo;
  p.o = o;
  p.n = n;
  p.jobs = calloc(n, sizeof(*p.jobs));
  p.done = calloc(n, sizeof(*p.done));
  if(!p.jobs || !p.done)
    abort();
  mdk_mutex_init(&p.mu);
  pthread_cond_init(&p.cv, NULL);
  dirs = calloc(n, sizeof(*dirs));
  if(!dirs)
    abort();
  for(i = 0; i < n; i++) {
    dirs[i] = dir_for(&memo, paths[i]);   /* may move memo.v */
    memo.v[dirs[i]].nfiles++;
  }
  /* the modal dialect's context, the current directory: listed once for
   * all files when there are several */
  if(o->dialect == MDK_FE_DIALECT_MODAL && !o->context && n >= LIST_FROM) {
    cwd_dir = dir_for(&memo, "./-");
    memo.v[cwd_dir].nfiles += LIST_FROM;
  }
  /* with --context the scripts are elsewhere: only the names in the
   * Dockerfile's own directory are used */
  for(i = 0; i < memo.n && !o->context; i++)
    memo.v[i].list = memo.v[i].nfiles >= LIST_FROM;
  for(i = 0; cwd_dir != SIZE_MAX && i < memo.n; i++)
    if(i != cwd_dir)
      memo.v[i].ctx = &memo.v[cwd_dir];
  for(i = 0; i < n; i++) {     /* memo.v no longer moves */
    p.jobs[i].path = paths[i];
    p.jobs[i].dir = &memo.v[dirs[i]];
    mdk_arena_init(&p.jobs[i].arena);
  }
  free(dirs);
  w = threads ? worker_count(n) : 1;
  for(t = 0; t < MAX_WORKERS; t++)
    p.dead[t] = SIZE_MAX;
  /* workers first (one takes a few hundred microseconds to start): this
   * thread then prepares the first file's directory and lints, while the
   * first worker prepares the other directories */
  for(t = 1; t < w; t++) {
    wargs[started].p = &p;
    wargs[started].id = started + 1;
    if(mdk_thread_start(&tid[started], started, worker, &wargs[started]) == 0)
      started++;
  }
  writer(&p, sink, ctx);
  pthread_mutex_lock(&p.mu);
  p.stop = true;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for(t = 0; t < started; t++)
    pthread_join(tid[t], NULL);
  for(t = 0; t < MAX_WORKERS; t++)      /* the workers have ended */
    free_dead(&p, p.dead[t]);
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.cv);
  dir_memo_free(&memo);
  free(p.jobs);
  free(p.done);
  mdk_arena_fini(&ma);
}
