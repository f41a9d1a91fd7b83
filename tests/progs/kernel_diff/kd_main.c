/*
 * kd_main.c - progs.kernel: every case of the tables (kd_cases.c: XDP; kd_cases_skb.c: socket
 * filter, tc, cgroup_skb) in the Linux kernel and in our runtime on each engine; the return value,
 * output packet, context handed back (skb rows), maps and event records must be the same.
 *
 *   kernel_diff OBJDIR [--engine checked|interp|jit|all] [--case SUBSTRING] [--show]
 *
 * (--show prints what the kernel made of each case: for writing cases.)
 * The runner pins itself to one CPU first, so that the kernel's test runs (which execute on the
 * calling CPU) and per-CPU data always meet the same CPU (the last one it may use); a probe program
 * then tells which CPU (ours: CPU slot) each side runs on. Prints one line per case and engine, the
 * differences under a FAIL (or under KNOWN for a case marked as a known difference, kd_case.h), and
 * a summary. Exit 0 all same, 1 any difference or broken case, 2 usage, 77 SKIPPED (no bpf()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kd_compare.h"
#include "kd_run.h"

#define KD_SKIP 77

static const struct kd_case cpu_probe = {
    .name = "cpu probe", .object = "kd_cpu", .program = "kd_cpu", .packet = KD_PKT(), .retval = KD_ANY_RETVAL,
};

static const struct {
    const char *name;
    enum ebpf_exec_mode mode;
} engines[] = { { "checked", EBPF_EXEC_CHECKED }, { "interp", EBPF_EXEC_FAST }, { "jit", EBPF_EXEC_JIT } };
#define ENGINE_COUNT (sizeof engines / sizeof engines[0])

static int usage(void)
{
    fprintf(stderr, "usage: kernel_diff OBJDIR [--engine checked|interp|jit|all] [--case SUBSTRING] [--show]\n");
    return 2;
}

/* Pins the process to the last CPU it may run on (on a machine with several, not CPU 0: our runs
 * use CPU slot 0, so the per-CPU comparisons must map CPUs to slots); returns that CPU or -1. */
static int pin_to_one_cpu(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set))
        return -1;
    for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--) {
        if (!CPU_ISSET(cpu, &set))
            continue;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        return sched_setaffinity(0, sizeof set, &set) ? -1 : cpu;
    }
    return -1;
}

static bool bpf_unavailable(int err)
{
    return err == -EPERM || err == -EACCES || err == -ENOSYS || err == -EOPNOTSUPP || err == -524 /* ENOTSUPP */;
}

/* Finds the CPU each side runs on. 0, KD_SKIP, or 1 (printed why). */
static int probe(struct kd_config *cfg, int pinned)
{
    struct kd_snapshot *snap = calloc(1, sizeof *snap);
    if (!snap)
        return 1;
    int rc = kd_kernel_run(&cpu_probe, cfg, snap);
    if (rc) {
        if (bpf_unavailable(rc))
            printf("SKIPPED: the kernel refuses bpf() here (%s): no oracle to compare with\n", strerror(-rc));
        else
            printf("FAIL cpu probe: %s\n", snap->error);
        free(snap);
        return bpf_unavailable(rc) ? KD_SKIP : 1;
    }
    cfg->kernel_cpu = snap->retval;
    int status = 0;
    if (cfg->kernel_cpu != (uint32_t)pinned) {
        printf("FAIL cpu probe: the kernel ran on CPU %u, the runner is pinned to %d\n", cfg->kernel_cpu, pinned);
        status = 1;
    }
    kd_snapshot_clear(snap);
    if (kd_ours_run(&cpu_probe, cfg, EBPF_EXEC_CHECKED, snap)) {
        printf("FAIL cpu probe (ours): %s\n", snap->error);
        status = 1;
    }
    cfg->our_cpu = snap->retval;
    if (cfg->our_cpu >= cfg->nr_cpus) {
        printf("FAIL cpu probe: our CPU slot %u is not below %u\n", cfg->our_cpu, cfg->nr_cpus);
        status = 1;
    }
    kd_snapshot_clear(snap);
    free(snap);
    return status;
}

/* Runs one case on the kernel and the chosen engines; returns the number of failed comparisons. */
static size_t run_case(const struct kd_case *c, const struct kd_config *cfg, int engine, bool show,
                       struct kd_snapshot *kernel, struct kd_snapshot *ours, size_t *runs, size_t *known,
                       size_t *unverified)
{
    size_t failed = 0;
    kd_snapshot_clear(kernel);
    if (kd_kernel_run(c, cfg, kernel)) {
        printf("FAIL %s (kernel): %s\n", c->name, kernel->error);
        return 1;
    }
    if (show) {
        printf("kernel %s:\n", c->name);
        kd_snapshot_print(kernel, stdout);
    }
    if (kernel->run_error != c->error) {
        printf("FAIL %s: the case is written to %s%s, the kernel's test run %s%s (the case no longer tests its "
               "path)\n", c->name, c->error ? "fail with " : "run", c->error ? strerror(-c->error) : "",
               kernel->run_error ? "failed with " : "ran", kernel->run_error ? strerror(-kernel->run_error) : "");
        return 1;
    }
    if (c->retval != KD_ANY_RETVAL && kernel->retval != (uint32_t)c->retval) {
        printf("FAIL %s: the case is written to return %lld, the kernel returned %u (the case no longer tests "
               "its path)\n", c->name, (long long)c->retval, kernel->retval);
        return 1;
    }
    for (size_t e = 0; e < ENGINE_COUNT; e++) {
        if (engine >= 0 && (size_t)engine != e)
            continue;
        (*runs)++;
        kd_snapshot_clear(ours);
        if (kd_ours_run(c, cfg, engines[e].mode, ours)) {
            printf("FAIL %s (%s): %s\n", c->name, engines[e].name, ours->error);
            failed++;
            continue;
        }
        if (ours->unverified[0])
            (*unverified)++;
        char buf[8192];
        FILE *diff = fmemopen(buf, sizeof buf, "w");
        size_t diffs = diff ? kd_compare(kernel, ours, diff) : 1;
        if (diff)
            fclose(diff);
        if (diffs == 0 && c->known) {
            printf("FAIL %s (%s): marked as a known difference (%s) but the same as the kernel now: remove "
                   "the mark\n", c->name, engines[e].name, c->known);
            failed++;
            continue;
        }
        if (diffs == 0) {
            printf("ok   %s (%s)\n", c->name, engines[e].name);
            continue;
        }
        if (c->known) {
            printf("KNOWN %s (%s): %s\n%s", c->name, engines[e].name, c->known, diff ? buf : "");
            (*known)++;
            continue;
        }
        printf("FAIL %s (%s): %zu difference%s\n%s", c->name, engines[e].name, diffs, diffs == 1 ? "" : "s",
               diff ? buf : "");
        failed++;
    }
    return failed;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    struct kd_config cfg = { .objdir = argv[1] };
    int engine = -1;
    const char *only = NULL;
    bool show = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--engine") && i + 1 < argc) {
            const char *name = argv[++i];
            engine = -2;
            for (size_t e = 0; e < ENGINE_COUNT; e++)
                if (!strcmp(name, engines[e].name))
                    engine = (int)e;
            if (!strcmp(name, "all"))
                engine = -1;
            if (engine == -2)
                return usage();
        } else if (!strcmp(argv[i], "--case") && i + 1 < argc) {
            only = argv[++i];
        } else if (!strcmp(argv[i], "--show")) {
            show = true;
        } else {
            return usage();
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int pinned = pin_to_one_cpu();
    int cpus = kd_kernel_cpu_count();
    if (pinned < 0 || cpus <= 0) {
        printf("FAIL: cannot pin the runner to one CPU or count CPUs (%s)\n", strerror(errno));
        return 1;
    }
    cfg.nr_cpus = (uint32_t)cpus;
    int status = probe(&cfg, pinned);
    if (status)
        return status;
    printf("kernel runs on CPU %u, ours on CPU slot %u, %u CPUs\n", cfg.kernel_cpu, cfg.our_cpu, cfg.nr_cpus);

    struct kd_snapshot *kernel = calloc(1, sizeof *kernel), *ours = calloc(1, sizeof *ours);
    if (!kernel || !ours)
        return 1;
    size_t cases = 0, runs = 0, failed = 0, known = 0, unverified = 0;
    const struct { const struct kd_case *rows; size_t count; } tables[] = {
        { kd_cases, kd_case_count }, { kd_skb_cases, kd_skb_case_count },
    };
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (size_t i = 0; i < tables[t].count; i++) {
            if (only && !strstr(tables[t].rows[i].name, only))
                continue;
            cases++;
            failed += run_case(&tables[t].rows[i], &cfg, engine, show, kernel, ours, &runs, &known, &unverified);
        }
    kd_snapshot_clear(kernel);
    kd_snapshot_clear(ours);
    free(kernel);
    free(ours);
    printf("progs.kernel: %zu cases, %zu comparisons with the kernel, %zu failed, %zu known differences\n", cases,
           runs, failed, known);
    if (unverified)
        printf("progs.kernel: %zu runs of programs our verifier refuses (verifier.own_progs lists them) ran "
               "unverified: checked as the library allows, fast/JIT marked trusted by this test\n", unverified);
    return failed ? 1 : 0;
}
