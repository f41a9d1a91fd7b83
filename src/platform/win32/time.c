/* time.c (win32) - the monotonic clock, from the performance counter. */
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

uint64_t plat_monotonic_ns(void)
{
    LARGE_INTEGER counter, frequency;
    QueryPerformanceCounter(&counter);      /* cannot fail on Windows XP and later */
    QueryPerformanceFrequency(&frequency);  /* fixed at boot; reading it is as cheap as caching it */
    uint64_t ticks = (uint64_t)counter.QuadPart, hz = (uint64_t)frequency.QuadPart;
    /* Whole seconds and the remainder apart, so that ticks * 1e9 cannot overflow. */
    return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}
