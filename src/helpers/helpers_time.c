/*
 * helpers_time.c - the clock helpers: bpf_ktime_get_ns (CLOCK_MONOTONIC), _boot_ns (CLOCK_BOOTTIME),
 * _coarse_ns (CLOCK_MONOTONIC_COARSE), _tai_ns (CLOCK_TAI) and bpf_jiffies64, from the platform's
 * clocks (platform.h, proc.h). None can fail.
 *
 * Jiffies: Linux counts ticks of CONFIG_HZ from INITIAL_JIFFIES (2^32 - 300 * HZ on 64-bit, so that
 * 32-bit wrap-around shows up five minutes after boot). Here HZ is fixed at HELPER_HZ and the count
 * follows the monotonic clock from the same starting value.
 */
#include "helpers/helpers_int.h"

#include "platform/platform.h"
#include "platform/proc.h"

#define HELPER_HZ 1000u
#define HELPER_INITIAL_JIFFIES (0x100000000ull - 300ull * HELPER_HZ)

/* u64 bpf_ktime_get_ns(void) */
HELPER_FN(ktime_get_ns)
{
    return plat_monotonic_ns();
}

/* u64 bpf_ktime_get_boot_ns(void) */
HELPER_FN(ktime_get_boot_ns)
{
    return plat_boottime_ns();
}

/* u64 bpf_ktime_get_coarse_ns(void) */
HELPER_FN(ktime_get_coarse_ns)
{
    return plat_coarse_monotonic_ns();
}

/* u64 bpf_ktime_get_tai_ns(void) */
HELPER_FN(ktime_get_tai_ns)
{
    return plat_tai_ns();
}

/* u64 bpf_jiffies64(void) */
HELPER_FN(jiffies64)
{
    return HELPER_INITIAL_JIFFIES + plat_monotonic_ns() / (1000000000ull / HELPER_HZ);
}
