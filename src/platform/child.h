/*
 * child.h - a helper process the library starts and confines: running it with a deadline and a cap on
 * its output (plat_run_child), and the sandbox such a process enters on itself (plat_sandbox_enter).
 * Used by the runtime for the verifier process (src/runtime/verify.c, src/verifier/proc/main.c).
 * Implemented in posix/process.c + posix/sandbox.c and win32/process.c + win32/sandbox.c.
 *
 * Signal numbers are Linux's on every host (the PLAT_SIG_* below); win32 reports a child killed by an
 * exception as the closest signal (see win32/process.c), and a child its job object ended for CPU
 * time as PLAT_SIG_XCPU.
 */
#ifndef EBPF_PLATFORM_CHILD_H
#define EBPF_PLATFORM_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAT_SIG_ABRT 6
#define PLAT_SIG_KILL 9
#define PLAT_SIG_SEGV 11
#define PLAT_SIG_XCPU 24
#define PLAT_SIG_XFSZ 25
#define PLAT_SIG_SYS 31

typedef struct plat_child_opts {
    uint64_t timeout_ms;     /* 0: none. On expiry the child is killed and timed_out set */
    size_t max_output;       /* 0: none. Bytes of stdout kept; beyond, the child is killed and
                              * output_overflow set (win32: the whole output is read, then judged) */
} plat_child_opts;

typedef struct plat_child_result {
    uint8_t *out;            /* stdout, malloc'd, NUL-terminated (out_size excludes the NUL) */
    size_t out_size;
    char *err;               /* stderr, malloc'd, NUL-terminated */
    int exit_code;           /* when signal == 0 */
    int signal;              /* Linux number of the signal that ended it, 0 when it exited */
    bool timed_out;
    bool output_overflow;
} plat_child_result;

/* Runs argv[0] (looked up in PATH when it has no '/') with argv, feeding `input` on stdin and
 * collecting stdout and stderr. Returns 0 with *res filled (free with plat_child_result_free), or a
 * negative errno when the child could not be run at all. */
int plat_run_child(char *const argv[], const void *input, size_t input_size, const plat_child_opts *opts,
                   plat_child_result *res);
void plat_child_result_free(plat_child_result *res);

/* "SIGSYS", ... for the signals above and a few more; "signal N" (in buf) otherwise. */
const char *plat_signal_name(int sig, char *buf, size_t size);

/* The folder holding the running executable (no trailing separator), in buf. 0 or a negative errno. */
int plat_self_dir(char *buf, size_t size);

/* The folder holding the module (shared library or executable) this code was linked into. */
int plat_module_dir(char *buf, size_t size);

/* Is path an existing file this process may execute? */
bool plat_is_executable(const char *path);

/* What executables' names end with on this host ("" or ".exe"). */
#ifdef _WIN32
#define PLAT_EXE_SUFFIX ".exe"
#else
#define PLAT_EXE_SUFFIX ""
#endif

/* Confines the calling process for good, before it reads untrusted input:
 *  posix (Linux): RLIMIT_AS = current address space + memory_bytes, RLIMIT_CPU = cpu_seconds (SIGXCPU,
 *  then SIGKILL a second later), no core dumps, then a seccomp filter (libseccomp) that allows only
 *  read on fd 0, write on fds 1 and 2, exit/exit_group, brk, mmap/mprotect without PROT_EXEC, munmap,
 *  mremap, madvise and rt_sigreturn, and kills the process (SIGSYS) on any other system call.
 *  win32: the process puts itself in a job object with a committed-memory limit and a user-time limit
 *  (no system-call filter exists there: a verifier bug could still reach the OS; see README).
 * 0, or a negative errno with the reason in why. */
typedef struct plat_sandbox_limits {
    uint64_t memory_bytes;
    uint32_t cpu_seconds;
} plat_sandbox_limits;
int plat_sandbox_enter(const plat_sandbox_limits *limits, char *why, size_t why_size);

/* Ends the calling process at once with status: no atexit handlers, no stdio flush, and no detour
 * through a sanitizer's exit hooks (which would make system calls a sandbox forbids). Never returns;
 * deliberately not declared _Noreturn: AddressSanitizer instruments calls to no-return functions
 * with a sigaltstack query, which the sandbox forbids. */
void plat_exit_now(int status);

/* Reads up to size bytes from stdin (fewer only at end of input) / writes all of data to stdout.
 * The number read, or a negative errno. Only these touch the sandboxed process's pipes. */
long plat_stdin_read(void *buf, size_t size);
int plat_stdout_write(const void *data, size_t size);

#endif
