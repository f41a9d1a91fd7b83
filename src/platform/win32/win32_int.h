/*
 * win32_int.h (win32) - private to src/platform/win32/: the one place that includes <windows.h> for
 * the platform layer, and the translation of Win32 error codes into the errno values that platform.h
 * promises. Nothing outside this folder may include it.
 */
#ifndef EBPF_PLATFORM_WIN32_INT_H
#define EBPF_PLATFORM_WIN32_INT_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0601 /* Windows 7: extended startup info with an explicit handle list */
#endif
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

/* The errno value (positive) closest to a GetLastError() code; EIO when there is no better one. */
int plat_win32_errno(DWORD error);

/* plat_run_process that also gives the size of stdout (which may hold NUL bytes) and, with timeout_ms
 * non-zero, ends the child when that time is up (*timed_out set). */
int plat_win32_run_process(char *const argv[], const char *input, size_t input_size, char **out, size_t *out_size,
                           char **err, int *exit_code, uint64_t timeout_ms, bool *timed_out);

#endif
