/*
 * proc.h - what eBPF helpers ask the OS about the calling process and thread (ids, credentials, name),
 * a random seed, and the clocks Linux helpers read besides plat_monotonic_ns (platform.h).
 * Implemented in posix/proc.c and win32/proc.c.
 *
 * Where a host has no equivalent the function documents its stand-in: programs see a plausible
 * value, never an error (the Linux helpers built on these cannot fail for a running task).
 */
#ifndef EBPF_PLATFORM_PROC_H
#define EBPF_PLATFORM_PROC_H

#include <stddef.h>
#include <stdint.h>

/* Linux TASK_COMM_LEN: a task name is at most 15 characters and a NUL. */
#define PLAT_COMM_LEN 16u

/* Monotonic time including time spent suspended (Linux CLOCK_BOOTTIME), in nanoseconds.
 * Hosts without such a clock: the monotonic clock. */
uint64_t plat_boottime_ns(void);

/* A cheaper, lower-resolution monotonic clock (Linux CLOCK_MONOTONIC_COARSE), in nanoseconds. */
uint64_t plat_coarse_monotonic_ns(void);

/* International Atomic Time in nanoseconds since the epoch (Linux CLOCK_TAI); hosts without it:
 * the real-time clock (which is what Linux gives too while no TAI offset has been set). */
uint64_t plat_tai_ns(void);

/* 64 bits from the OS's random source; a mix of clocks and ids if that source fails. */
uint64_t plat_random_seed(void);

/* The process id (Linux: the thread group id, tgid). */
uint32_t plat_process_id(void);

/* The calling thread's id (Linux: the task's pid). Hosts without thread ids: the process id. */
uint32_t plat_thread_id(void);

/* The real user and group ids of the process. Hosts without them (Windows): 0. */
void plat_user_ids(uint32_t *uid, uint32_t *gid);

/* The calling thread's name as Linux keeps it (comm: at most PLAT_COMM_LEN - 1 characters),
 * NUL-terminated in name[PLAT_COMM_LEN]. Hosts without thread names: the executable's base name. */
void plat_thread_name(char name[PLAT_COMM_LEN]);

#endif
