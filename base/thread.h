/* thread.h - starting the workers of a pool, each on a CPU of its own. */
#ifndef MDK_THREAD_H
#define MDK_THREAD_H

#include <pthread.h>

/* How many CPUs the process may run on (its affinity), at least 1. */
int mdk_cpu_count(void);

/* pthread_create for the k-th worker (k from 0) of a pool whose caller
 * works too: the thread starts on the k-th CPU of the process's set other
 * than the caller's, then may move anywhere.  A new thread otherwise
 * starts next to its creator and waits for the scheduler's next balancing
 * (2-4 ms on a two-CPU VM, as long as a lint of 700 files' work half)
 * while the other CPU idles. */
int mdk_thread_start(pthread_t *t, int k, void *(*fn)(void *), void *arg);

/* A mutex that spins a little before sleeping: for locks held for a few
 * instructions by threads on different CPUs, where a sleep and a wakeup
 * (tens of microseconds, more on a VM) cost far more than the wait. */
void mdk_mutex_init(pthread_mutex_t *m);

#endif
