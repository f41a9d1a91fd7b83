/*
 * diff_main.c - the kernel differential test (ctest diff.kernel): command line, worker processes and
 * the summary. The comparison itself is diff_check.c; the programs come from diff_gen.c.
 *
 *   diff_kernel [--count N] [--seed S|time] [--only INDEX] [--jobs N] [--no-loops] [--no-v4]
 *               [--body N] [--max-report N] [--verbose]
 *
 * Program i of a run is a pure function of (seed, i, --body, --no-loops, --no-v4): the reproduce line
 * printed with every failure runs that program alone. With --jobs N, N forked workers take every N-th
 * program and send their counters back through a pipe.
 * Exit status: 0 all passed; 1 any failure (mismatch, our refusal or fault, kernel refusal, which is a
 * generator bug, or a worker that died); 2 usage; 77 the kernel's bpf() is unavailable (ctest skip).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff_check.h"

#define DIFF_SKIP 77
#define DIFF_MAX_JOBS 64
#define DIFF_MAX_KERNEL_ERRORS 10  /* per worker: the kernel is not usable, stop */

typedef struct diff_args {
    diff_config cfg;
    uint64_t count;
    int64_t only;   /* -1: all */
    unsigned jobs;
} diff_args;

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s [--count N] [--seed S|time] [--only INDEX] [--jobs N] [--no-loops] [--no-v4]\n"
            "          [--body N] [--max-report N] [--verbose]\n", argv0);
    exit(2);
}

static uint64_t parse_u64(const char *s, const char *argv0)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end)
        usage(argv0);
    return v;
}

static void parse_args(int argc, char **argv, diff_args *a)
{
    *a = (diff_args){
        .cfg = {.seed = (uint64_t)time(NULL), .max_report = 5,
                .gen = {.v4 = true, .loops = true, .body_insns = 40}},
        .count = 10000,
        .only = -1,
        .jobs = 1,
    };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(arg, "--verbose"))
            a->cfg.verbose = true;
        else if (!strcmp(arg, "--no-loops"))
            a->cfg.gen.loops = false;
        else if (!strcmp(arg, "--no-v4"))
            a->cfg.gen.v4 = false;
        else if (val && !strcmp(arg, "--count"))
            a->count = parse_u64(val, argv[0]), i++;
        else if (val && !strcmp(arg, "--seed"))
            a->cfg.seed = !strcmp(val, "time") ? (uint64_t)time(NULL) : parse_u64(val, argv[0]), i++;
        else if (val && !strcmp(arg, "--only"))
            a->only = (int64_t)parse_u64(val, argv[0]), i++;
        else if (val && !strcmp(arg, "--jobs"))
            a->jobs = (unsigned)parse_u64(val, argv[0]), i++;
        else if (val && !strcmp(arg, "--body"))
            a->cfg.gen.body_insns = (unsigned)parse_u64(val, argv[0]), i++;
        else if (val && !strcmp(arg, "--max-report"))
            a->cfg.max_report = (unsigned)parse_u64(val, argv[0]), i++;
        else
            usage(argv[0]);
    }
    if (a->cfg.gen.body_insns == 0 || a->cfg.gen.body_insns > 400 || a->jobs == 0 || a->jobs > DIFF_MAX_JOBS)
        usage(argv[0]);
    a->cfg.listing = a->cfg.verbose && a->only >= 0;
    if (a->only >= 0)
        a->jobs = 1;
}

/* Checks programs first+worker, first+worker+jobs, ... below last. */
static void run_share(const diff_config *cfg, diff_kernel *k, uint64_t first, uint64_t last, unsigned worker,
                      unsigned jobs, diff_stats *st)
{
    const uint64_t progress = 100000;
    memset(st, 0, sizeof(*st));
    for (uint64_t i = first + worker; i < last; i += jobs) {
        diff_check_one(cfg, k, i, st);
        if (worker == 0 && last - first >= 2 * progress && (i - first + jobs) % progress < jobs)
            fprintf(stderr, "diff_kernel: ~%" PRIu64 " programs checked\n", i - first + jobs);
        if (st->kernel_errors >= DIFF_MAX_KERNEL_ERRORS) {
            printf("diff_kernel: stopping after %" PRIu64 " kernel errors (last: %s)\n", st->kernel_errors, k->log);
            break;
        }
    }
    st->kernel_loads = k->loads;
    st->kernel_runs = k->runs;
}

/* Forks `jobs` workers and sums their counters. Returns the number of workers that died. */
static unsigned run_workers(const diff_config *cfg, diff_kernel *k, uint64_t first, uint64_t last, unsigned jobs,
                            diff_stats *total)
{
    pid_t pids[DIFF_MAX_JOBS];
    int fds[DIFF_MAX_JOBS];
    unsigned died = 0;
    fflush(stdout);
    fflush(stderr);
    for (unsigned w = 0; w < jobs; w++) {
        int p[2];
        if (pipe(p) < 0) {
            perror("diff_kernel: pipe");
            exit(1);
        }
        pid_t pid = fork();
        if (pid < 0) {
            perror("diff_kernel: fork");
            exit(1);
        }
        if (pid == 0) {
            close(p[0]);
            diff_stats st;
            run_share(cfg, k, first, last, w, jobs, &st);
            fflush(stdout);
            ssize_t n = write(p[1], &st, sizeof(st));
            _exit(n == (ssize_t)sizeof(st) ? 0 : 1);
        }
        close(p[1]);
        pids[w] = pid;
        fds[w] = p[0];
    }
    for (unsigned w = 0; w < jobs; w++) {
        diff_stats st;
        size_t got = 0;
        while (got < sizeof(st)) {
            ssize_t n = read(fds[w], (char *)&st + got, sizeof(st) - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        close(fds[w]);
        int status = 0;
        while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
            ;
        if (got == sizeof(st) && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            diff_stats_add(total, &st);
        } else {
            died++;
            if (WIFSIGNALED(status))
                printf("diff_kernel: worker %u died with signal %d (a crash in our runtime?)\n", w,
                       WTERMSIG(status));
            else
                printf("diff_kernel: worker %u failed (exit status %d)\n", w, WEXITSTATUS(status));
        }
    }
    return died;
}

int main(int argc, char **argv)
{
    diff_args a;
    parse_args(argc, argv, &a);
    setvbuf(stdout, NULL, _IOLBF, 0);

    diff_kernel k;
    char reason[256];
    if (diff_kernel_open(&k, reason, sizeof(reason)) < 0) {
        printf("SKIPPED: kernel bpf() unavailable (%s)\n", reason);
        return DIFF_SKIP;
    }
    if (a.cfg.gen.v4 && !diff_kernel_has_v4(&k)) {
        printf("NOTE: this kernel refuses ISA v4 instructions (sdiv/smod, movsx, bswap, ja32); "
               "generating v3 programs only\n");
        a.cfg.gen.v4 = false;
    }
    uint64_t first = a.only >= 0 ? (uint64_t)a.only : 0;
    uint64_t last = a.only >= 0 ? first + 1 : a.count;
    printf("diff_kernel: seed %" PRIu64 ", programs %" PRIu64 "..%" PRIu64 ", %u job%s, v4 %s, loops %s, "
           "body <= %u slots\n", a.cfg.seed, first, last, a.jobs, a.jobs == 1 ? "" : "s",
           a.cfg.gen.v4 ? "on" : "off", a.cfg.gen.loops ? "on" : "off", a.cfg.gen.body_insns);

    diff_stats st;
    memset(&st, 0, sizeof(st));
    unsigned died = 0;
    if (a.jobs == 1)
        run_share(&a.cfg, &k, first, last, 0, 1, &st);
    else
        died = run_workers(&a.cfg, &k, first, last, a.jobs, &st);
    diff_kernel_close(&k);

    uint64_t ran = st.passed + st.failed;
    printf("diff_kernel: seed %" PRIu64 ": %" PRIu64 " programs (%.1f slots on average), %" PRIu64
           " kernel loads, %" PRIu64 " kernel test runs\n", a.cfg.seed, ran,
           ran ? (double)st.slots / (double)ran : 0.0, st.kernel_loads, st.kernel_runs);
    printf("diff_kernel: failures: %" PRIu64 " r0 mismatches, %" PRIu64 " kernel refusals, %" PRIu64
           " kernel errors, %" PRIu64 " refused by our runtime, %" PRIu64 " stopped early in our runtime%s\n",
           st.mismatches, st.kernel_refusals, st.kernel_errors, st.our_refusals, st.our_faults,
           died ? ", and workers died (programs not counted)" : "");
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", st.passed, st.failed + died);
    return st.failed || died || ran == 0 ? 1 : 0;
}
