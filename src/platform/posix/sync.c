/*
 * sync.c (posix) - sync.h on pthreads: mutexes, condition variables (on CLOCK_MONOTONIC where the
 * system allows), threads, thread-specific keys with destructors, and the possible-CPU count.
 */
#define _GNU_SOURCE
#include "platform/sync.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(pthread_mutex_t) <= PLAT_SYNC_STORAGE, "pthread_mutex_t fits plat_mutex");
_Static_assert(sizeof(pthread_cond_t) <= PLAT_SYNC_STORAGE, "pthread_cond_t fits plat_cond");
_Static_assert(sizeof(pthread_key_t) <= sizeof(uintptr_t), "pthread_key_t fits plat_tls");

#define PLAT_MUTEX(m) ((pthread_mutex_t *)(void *)(m)->opaque)
#define PLAT_COND(c) ((pthread_cond_t *)(void *)(c)->opaque)

int plat_mutex_init(plat_mutex *m)
{
    return -pthread_mutex_init(PLAT_MUTEX(m), NULL);
}

void plat_mutex_destroy(plat_mutex *m)
{
    pthread_mutex_destroy(PLAT_MUTEX(m));
}

void plat_mutex_lock(plat_mutex *m)
{
    pthread_mutex_lock(PLAT_MUTEX(m));
}

bool plat_mutex_trylock(plat_mutex *m)
{
    return pthread_mutex_trylock(PLAT_MUTEX(m)) == 0;
}

void plat_mutex_unlock(plat_mutex *m)
{
    pthread_mutex_unlock(PLAT_MUTEX(m));
}

int plat_cond_init(plat_cond *c)
{
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc)
        return -rc;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    rc = pthread_cond_init(PLAT_COND(c), &attr);
    pthread_condattr_destroy(&attr);
    return -rc;
}

void plat_cond_destroy(plat_cond *c)
{
    pthread_cond_destroy(PLAT_COND(c));
}

bool plat_cond_wait(plat_cond *c, plat_mutex *m, int64_t timeout_ms)
{
    if (timeout_ms < 0)
        return pthread_cond_wait(PLAT_COND(c), PLAT_MUTEX(m)) == 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(timeout_ms / 1000);
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return pthread_cond_timedwait(PLAT_COND(c), PLAT_MUTEX(m), &ts) != ETIMEDOUT;
}

void plat_cond_signal(plat_cond *c)
{
    pthread_cond_signal(PLAT_COND(c));
}

void plat_cond_broadcast(plat_cond *c)
{
    pthread_cond_broadcast(PLAT_COND(c));
}

struct plat_thread {
    pthread_t id;
    plat_thread_fn fn;
    void *arg;
};

static void *plat_thread_start(void *p)
{
    plat_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

int plat_thread_create(plat_thread **thread, plat_thread_fn fn, void *arg)
{
    plat_thread *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->fn = fn;
    t->arg = arg;
    int rc = pthread_create(&t->id, NULL, plat_thread_start, t);
    if (rc) {
        free(t);
        return -rc;
    }
    *thread = t;
    return 0;
}

void plat_thread_join(plat_thread *thread)
{
    if (!thread)
        return;
    pthread_join(thread->id, NULL);
    free(thread);
}

void plat_thread_yield(void)
{
    sched_yield();
}

int plat_tls_create(plat_tls *tls, void (*destructor)(void *value))
{
    pthread_key_t key;
    int rc = pthread_key_create(&key, destructor);
    if (rc)
        return -rc;
    tls->key = (uintptr_t)key;
    return 0;
}

void *plat_tls_get(plat_tls tls)
{
    return pthread_getspecific((pthread_key_t)tls.key);
}

int plat_tls_set(plat_tls tls, void *value)
{
    return -pthread_setspecific((pthread_key_t)tls.key, value);
}

/* Counts the CPUs in a Linux cpu list such as "0-3,8,10-11"; 0 if unreadable. */
static unsigned plat_count_cpu_list(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    unsigned count = 0;
    for (char *p = buf; *p && *p != '\n';) {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (end == p)
            return 0;
        if (*end == '-') {
            p = end + 1;
            hi = strtoul(p, &end, 10);
            if (end == p || hi < lo)
                return 0;
        }
        count += (unsigned)(hi - lo + 1);
        p = end;
        if (*p == ',')
            p++;
    }
    return count;
}

static unsigned plat_cpus;
static plat_once plat_cpus_once = PLAT_ONCE_INIT;

static void plat_cpus_init(void)
{
    unsigned n = plat_count_cpu_list("/sys/devices/system/cpu/possible");
    if (n == 0) {
        long conf = sysconf(_SC_NPROCESSORS_CONF);
        n = conf > 0 ? (unsigned)conf : 1;
    }
    plat_cpus = n;
}

unsigned plat_cpu_count(void)
{
    plat_call_once(&plat_cpus_once, plat_cpus_init);
    return plat_cpus;
}

#include "platform/sync_portable.inc"
