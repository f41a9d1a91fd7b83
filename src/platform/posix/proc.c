/*
 * proc.c (posix) - proc.h on POSIX: clock_gettime clocks (CLOCK_BOOTTIME, CLOCK_MONOTONIC_COARSE and
 * CLOCK_TAI where the system defines them), getrandom/getentropy for the seed, getpid and the Linux
 * thread id, getuid/getgid, and the thread's name from prctl (Linux) or pthread_getname_np.
 */
#define _GNU_SOURCE
#include "platform/proc.h"
#include "platform/platform.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#endif

static uint64_t proc_clock_ns(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0)
        return plat_monotonic_ns();
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t plat_boottime_ns(void)
{
#ifdef CLOCK_BOOTTIME
    return proc_clock_ns(CLOCK_BOOTTIME);
#else
    return plat_monotonic_ns();
#endif
}

uint64_t plat_coarse_monotonic_ns(void)
{
#ifdef CLOCK_MONOTONIC_COARSE
    return proc_clock_ns(CLOCK_MONOTONIC_COARSE);
#else
    return plat_monotonic_ns();
#endif
}

uint64_t plat_tai_ns(void)
{
#ifdef CLOCK_TAI
    return proc_clock_ns(CLOCK_TAI);
#else
    return proc_clock_ns(CLOCK_REALTIME);
#endif
}

uint64_t plat_random_seed(void)
{
    uint64_t seed = 0;
#if defined(__linux__)
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
        return seed;
#elif defined(__APPLE__) || defined(__OpenBSD__) || defined(__FreeBSD__)
    if (getentropy(&seed, sizeof seed) == 0)
        return seed;
#endif
    /* No random source: clocks, ids and an address (ASLR) mixed by the caller's generator. */
    seed = proc_clock_ns(CLOCK_REALTIME) ^ (plat_monotonic_ns() << 17);
    seed ^= (uint64_t)getpid() << 40 ^ (uint64_t)plat_thread_id() << 20;
    seed ^= (uint64_t)(uintptr_t)&seed;
    return seed;
}

uint32_t plat_process_id(void)
{
    return (uint32_t)getpid();
}

uint32_t plat_thread_id(void)
{
#if defined(__linux__)
    return (uint32_t)syscall(SYS_gettid);
#elif defined(__APPLE__)
    uint64_t tid = 0;
    pthread_threadid_np(NULL, &tid);
    return (uint32_t)tid;
#else
    return (uint32_t)getpid();
#endif
}

void plat_user_ids(uint32_t *uid, uint32_t *gid)
{
    *uid = (uint32_t)getuid();
    *gid = (uint32_t)getgid();
}

void plat_thread_name(char name[PLAT_COMM_LEN])
{
    memset(name, 0, PLAT_COMM_LEN);
#if defined(__linux__)
    if (prctl(PR_GET_NAME, name, 0, 0, 0) == 0) {
        name[PLAT_COMM_LEN - 1] = '\0';
        return;
    }
#elif defined(__APPLE__) || defined(__GLIBC__)
    if (pthread_getname_np(pthread_self(), name, PLAT_COMM_LEN) == 0) {
        name[PLAT_COMM_LEN - 1] = '\0';
        return;
    }
#endif
    name[0] = '\0';
}
