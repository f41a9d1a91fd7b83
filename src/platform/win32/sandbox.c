/*
 * sandbox.c (win32) - child.h on Windows: the verifier-style helper process confines itself in a job
 * object (committed memory per process, user-mode CPU time per process, no child processes, killed
 * when the job closes). Windows has no system-call filter like seccomp: the job bounds resources
 * only. Also the signal names, the stdin/stdout pipe calls and ending the process at once.
 */
#include "platform/child.h"
#include "platform/platform.h"
#include "platform/win32/win32_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *plat_signal_name(int sig, char *buf, size_t size)
{
    switch (sig) {
    case 4: return "SIGILL";
    case 6: return "SIGABRT";
    case 8: return "SIGFPE";
    case 9: return "SIGKILL";
    case 11: return "SIGSEGV";
    case 24: return "SIGXCPU";
    case 31: return "SIGSYS";
    default: snprintf(buf, size, "signal %d", sig); return buf;
    }
}

int plat_sandbox_enter(const plat_sandbox_limits *limits, char *why, size_t why_size)
{
    HANDLE job = CreateJobObjectA(NULL, NULL);
    if (!job) {
        snprintf(why, why_size, "cannot create a job object");
        return -plat_win32_errno(GetLastError());
    }
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION info;
    memset(&info, 0, sizeof info);
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
                                            JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    info.BasicLimitInformation.ActiveProcessLimit = 1;
    if (limits->memory_bytes) {
        info.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
        info.ProcessMemoryLimit = (SIZE_T)limits->memory_bytes;
    }
    if (limits->cpu_seconds) {
        info.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_TIME;
        info.BasicLimitInformation.PerProcessUserTimeLimit.QuadPart = (LONGLONG)limits->cpu_seconds * 10000000;
    }
    if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &info, sizeof info) ||
        !AssignProcessToJobObject(job, GetCurrentProcess())) {
        int rc = -plat_win32_errno(GetLastError());
        snprintf(why, why_size, "cannot confine the process in a job object");
        CloseHandle(job);
        return rc;
    }
    /* The handle stays open for the life of the process (closing it would kill us). */
    return 0;
}

long plat_stdin_read(void *buf, size_t size)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    size_t got = 0;
    while (got < size) {
        DWORD chunk = size - got > (1u << 20) ? (1u << 20) : (DWORD)(size - got), n = 0;
        if (!ReadFile(in, (char *)buf + got, chunk, &n, NULL)) {
            DWORD error = GetLastError();
            if (error == ERROR_BROKEN_PIPE)
                break;
            return -plat_win32_errno(error);
        }
        if (n == 0)
            break;
        got += n;
    }
    return (long)got;
}

int plat_stdout_write(const void *data, size_t size)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    size_t done = 0;
    while (done < size) {
        DWORD chunk = size - done > (1u << 20) ? (1u << 20) : (DWORD)(size - done), n = 0;
        if (!WriteFile(out, (const char *)data + done, chunk, &n, NULL))
            return -plat_win32_errno(GetLastError());
        done += n;
    }
    return 0;
}

void plat_exit_now(int status)
{
    for (;;)
        TerminateProcess(GetCurrentProcess(), (UINT)status);
}
