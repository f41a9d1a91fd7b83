/*
 * proc.c (win32) - proc.h on Windows: the performance counter (which keeps counting across sleep) as
 * boot time, GetTickCount64 as the coarse clock, the system time as TAI (Windows keeps UTC; no TAI
 * offset is applied, as on a Linux system where none was set), rand_s (RtlGenRandom) for the seed,
 * process and thread ids, uid/gid 0, and the executable's base name as the task name.
 */
#define _CRT_RAND_S
#include "platform/proc.h"
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <stdlib.h>
#include <string.h>

/* 100 ns intervals between 1601-01-01 (FILETIME) and 1970-01-01 (Unix epoch). */
#define PROC_EPOCH_DELTA 116444736000000000ull

uint64_t plat_boottime_ns(void)
{
    return plat_monotonic_ns();
}

uint64_t plat_coarse_monotonic_ns(void)
{
    return (uint64_t)GetTickCount64() * 1000000ull;
}

uint64_t plat_tai_ns(void)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    uint64_t ticks = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return ticks > PROC_EPOCH_DELTA ? (ticks - PROC_EPOCH_DELTA) * 100ull : 0;
}

uint64_t plat_random_seed(void)
{
    unsigned int lo, hi;
    if (rand_s(&lo) == 0 && rand_s(&hi) == 0)
        return (uint64_t)hi << 32 | lo;
    uint64_t seed = plat_monotonic_ns() ^ (uint64_t)GetCurrentProcessId() << 40;
    seed ^= (uint64_t)GetCurrentThreadId() << 20 ^ (uint64_t)(uintptr_t)&seed;
    return seed;
}

uint32_t plat_process_id(void)
{
    return (uint32_t)GetCurrentProcessId();
}

uint32_t plat_thread_id(void)
{
    return (uint32_t)GetCurrentThreadId();
}

void plat_user_ids(uint32_t *uid, uint32_t *gid)
{
    *uid = 0;
    *gid = 0;
}

void plat_thread_name(char name[PLAT_COMM_LEN])
{
    char path[MAX_PATH];
    memset(name, 0, PLAT_COMM_LEN);
    DWORD n = GetModuleFileNameA(NULL, path, sizeof path);
    if (n == 0 || n >= sizeof path)
        return;
    const char *base = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    size_t len = strlen(base);
    if (len > 4 && _stricmp(base + len - 4, ".exe") == 0)
        len -= 4;
    if (len > PLAT_COMM_LEN - 1)
        len = PLAT_COMM_LEN - 1;
    memcpy(name, base, len);
}
