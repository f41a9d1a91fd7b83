/*
 * sandbox.c (posix) - the confinement a helper process enters on itself (child.h): resource limits,
 * then a seccomp allow-list built with libseccomp, and the two pipe calls it may still make; also the
 * names of signals. Linux only for the filter: other POSIX hosts get -ENOSYS (no confinement).
 */
#define _GNU_SOURCE
#include "platform/child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#if defined(__linux__)
#include <seccomp.h>
#include <sys/syscall.h>
#endif

const char *plat_signal_name(int sig, char *buf, size_t size)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = { { 1, "SIGHUP" },    { 2, "SIGINT" },   { 4, "SIGILL" },   { 5, "SIGTRAP" }, { 6, "SIGABRT" },
                  { 7, "SIGBUS" },    { 8, "SIGFPE" },   { 9, "SIGKILL" },  { 11, "SIGSEGV" }, { 13, "SIGPIPE" },
                  { 15, "SIGTERM" },  { 24, "SIGXCPU" }, { 25, "SIGXFSZ" }, { 31, "SIGSYS" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(buf, size, "signal %d", sig);
    return buf;
}

/* The address space in use now (bytes), from /proc/self/statm; 0 when unknown. */
static uint64_t current_address_space(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    unsigned long long pages = 0;
    if (fscanf(f, "%llu", &pages) != 1)
        pages = 0;
    fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return pages * (uint64_t)(page > 0 ? page : 4096);
}

static int set_limit(int resource, rlim_t soft, rlim_t hard, const char *what, char *why, size_t why_size)
{
    struct rlimit lim = { soft, hard };
    if (setrlimit(resource, &lim) == 0)
        return 0;
    int err = errno;
    snprintf(why, why_size, "cannot set %s: %s", what, strerror(err));
    return -err;
}

#if defined(__linux__)
/* One argument comparison (libseccomp's SCMP_An macros leave fields to zero-fill, which clang flags). */
static struct scmp_arg_cmp arg_is(unsigned arg, enum scmp_compare op, scmp_datum_t a, scmp_datum_t b)
{
    struct scmp_arg_cmp cmp = { .arg = arg, .op = op, .datum_a = a, .datum_b = b };
    return cmp;
}

static int build_filter(scmp_filter_ctx ctx)
{
    int rc = 0;
    /* Pipes: read stdin, write stdout and stderr. */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1, arg_is(0, SCMP_CMP_EQ, 0, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, arg_is(0, SCMP_CMP_EQ, 1, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, arg_is(0, SCMP_CMP_EQ, 2, 0));
    /* Ending. */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigreturn), 0);
    /* Memory: never executable. */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(brk), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1, arg_is(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1, arg_is(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(munmap), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mremap), 0);
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(madvise), 0);
    /* Questions the C library asks on its own, answered "not permitted" instead of killing: glibc's
     * qsort asks sysinfo for the machine's memory before sorting large arrays, and copes with a refusal. */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(sysinfo), 0);
    return rc;
}
#endif

int plat_sandbox_enter(const plat_sandbox_limits *limits, char *why, size_t why_size)
{
    int rc;
    if ((rc = set_limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE", why, why_size)) != 0)
        return rc;
    if (limits->memory_bytes) {
        uint64_t as = current_address_space() + limits->memory_bytes;
        if ((rc = set_limit(RLIMIT_AS, (rlim_t)as, (rlim_t)as, "RLIMIT_AS", why, why_size)) != 0)
            return rc;
    }
    if (limits->cpu_seconds &&
        (rc = set_limit(RLIMIT_CPU, limits->cpu_seconds, (rlim_t)limits->cpu_seconds + 1, "RLIMIT_CPU", why,
                        why_size)) != 0)
        return rc;
#if defined(__linux__)
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (!ctx) {
        snprintf(why, why_size, "seccomp_init failed");
        return -ENOMEM;
    }
    /* System calls of another ABI (i386 int 0x80, x32) kill the whole process too. */
    rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc == 0)
        rc = build_filter(ctx);
    if (rc == 0)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    if (rc != 0) {
        snprintf(why, why_size, "cannot install the seccomp filter: %s", strerror(rc < 0 ? -rc : EINVAL));
        return rc < 0 ? rc : -EINVAL;
    }
    return 0;
#else
    snprintf(why, why_size, "no system-call filter on this host");
    return -ENOSYS;
#endif
}

long plat_stdin_read(void *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(0, (char *)buf + got, size - got);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        got += (size_t)n;
    }
    return (long)got;
}

int plat_stdout_write(const void *data, size_t size)
{
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(1, (const char *)data + done, size - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        done += (size_t)n;
    }
    return 0;
}

void plat_exit_now(int status)
{
#if defined(__linux__)
    for (;;)
        syscall(SYS_exit_group, status);
#else
    _exit(status);
#endif
}
