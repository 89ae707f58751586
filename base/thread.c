/* thread.c - see thread.h. */
#include "base/thread.h"

#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

int mdk_cpu_count(void)
{
  cpu_set_t set;
  long n;
  if(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

struct start {
  void *(*fn)(void *);
  void *arg;
  cpu_set_t all;                /* the process's set, given back at start */
};

static void *trampoline(void *p)
{
  struct start st = *(struct start *)p;
  free(p);
  (void)pthread_setaffinity_np(pthread_self(), sizeof(st.all), &st.all);
  return st.fn(st.arg);
}

/* The k-th CPU of set other than self, wrapping; -1 when there is none. */
static int pick(const cpu_set_t *set, int self, int k)
{
  int n = 0, c, want;
  for(c = 0; c < CPU_SETSIZE; c++)
    if(CPU_ISSET(c, set) && c != self)
      n++;
  if(!n)
    return -1;
  want = k % n;
  for(c = 0; c < CPU_SETSIZE; c++)
    if(CPU_ISSET(c, set) && c != self && want-- == 0)
      return c;
  return -1;
}

int mdk_thread_start(pthread_t *t, int k, void *(*fn)(void *), void *arg)
{
  struct start *st = malloc(sizeof(*st));
  pthread_attr_t attr;
  cpu_set_t one;
  int cpu, r;
  if(!st || sched_getaffinity(0, sizeof(st->all), &st->all) != 0 ||
     (cpu = pick(&st->all, sched_getcpu(), k)) < 0) {
    free(st);
    return pthread_create(t, NULL, fn, arg);
  }
  st->fn = fn;
  st->arg = arg;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  if(pthread_attr_init(&attr) != 0) {
    free(st);
    return pthread_create(t, NULL, fn, arg);
  }
  (void)pthread_attr_setaffinity_np(&attr, sizeof(one), &one);
  r = pthread_create(t, &attr, trampoline, st);
  pthread_attr_destroy(&attr);
  if(r != 0)
    free(st);
  return r;
}

void mdk_mutex_init(pthread_mutex_t *m)
{
  pthread_mutexattr_t a;
  if(pthread_mutexattr_init(&a) != 0) {
    pthread_mutex_init(m, NULL);
    return;
  }
  (void)pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ADAPTIVE_NP);
  pthread_mutex_init(m, &a);
  pthread_mutexattr_destroy(&a);
}
