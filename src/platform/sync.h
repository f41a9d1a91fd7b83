/*
 * sync.h - threads, locks, condition variables, thread-local storage and CPU slots, declared once for
 * every OS (posix/sync.c: pthreads; win32/sync.c: SRW locks, condition variables, FLS).
 *
 * Locks and condition variables are embeddable: the core sees fixed-size opaque storage and each OS
 * file checks at compile time that its native object fits. Atomics are not here: C11 <stdatomic.h>
 * is used directly by the core.
 *
 * CPU slots: eBPF per-CPU maps and bpf_get_smp_processor_id() need "the CPU this program runs on".
 * Outside the kernel a thread can migrate at any moment, so each thread that asks gets a stable slot
 * in [0, plat_cpu_count()): the lowest free one, given back when the thread exits. With more such
 * threads than CPUs, slots are shared (round robin) - like two programs interleaved on one Linux CPU,
 * per-CPU data is then not exclusive, which programs must already tolerate.
 */
#ifndef EBPF_PLATFORM_SYNC_H
#define EBPF_PLATFORM_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAT_SYNC_STORAGE 64

/* A non-recursive sleeping mutex. */
typedef struct plat_mutex {
    _Alignas(16) unsigned char opaque[PLAT_SYNC_STORAGE];
} plat_mutex;

/* A condition variable used with a plat_mutex. */
typedef struct plat_cond {
    _Alignas(16) unsigned char opaque[PLAT_SYNC_STORAGE];
} plat_cond;

/* Returns 0 or a negative errno. A mutex must be unlocked when destroyed. */
int plat_mutex_init(plat_mutex *m);
void plat_mutex_destroy(plat_mutex *m);
void plat_mutex_lock(plat_mutex *m);
bool plat_mutex_trylock(plat_mutex *m);
void plat_mutex_unlock(plat_mutex *m);

int plat_cond_init(plat_cond *c);
void plat_cond_destroy(plat_cond *c);
/* Waits until signalled or `timeout_ms` passed (negative: no timeout). Returns true when woken
 * (spuriously or not), false on timeout. The mutex is held again on return either way. */
bool plat_cond_wait(plat_cond *c, plat_mutex *m, int64_t timeout_ms);
void plat_cond_signal(plat_cond *c);
void plat_cond_broadcast(plat_cond *c);

/* Threads. */
typedef struct plat_thread plat_thread;
typedef void (*plat_thread_fn)(void *arg);
/* Starts fn(arg) on a new thread. Returns 0 or a negative errno. */
int plat_thread_create(plat_thread **thread, plat_thread_fn fn, void *arg);
/* Waits for the thread to finish and releases it. */
void plat_thread_join(plat_thread *thread);
/* Gives the processor to another ready thread, if any. */
void plat_thread_yield(void);

/* Thread-local storage with a destructor run (with the thread's non-NULL value) when a thread that
 * set a value exits. Keys are process-wide and meant to be created once. */
typedef struct plat_tls {
    uintptr_t key;
} plat_tls;
int plat_tls_create(plat_tls *tls, void (*destructor)(void *value));
void *plat_tls_get(plat_tls tls);
int plat_tls_set(plat_tls tls, void *value);

/* Runs init() exactly once per flag across all threads; others wait until it has returned. */
typedef struct plat_once {
    atomic_int state;
} plat_once;
#define PLAT_ONCE_INIT { 0 }
void plat_call_once(plat_once *once, void (*init)(void));

/* Number of possible CPUs (Linux: as /sys/devices/system/cpu/possible says, the count libbpf uses
 * for per-CPU value layouts), >= 1 and fixed for the life of the process. */
unsigned plat_cpu_count(void);

/* The calling thread's CPU slot, in [0, plat_cpu_count()); stable for the thread's life. */
unsigned plat_cpu_slot(void);

#endif
