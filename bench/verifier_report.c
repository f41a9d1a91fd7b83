/*
 * verifier_report.c - bench_verifier's output (verifier_bench.h): totals, the slowest programs, memory
 * and the verdicts per label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "bench_median.h"
#include "verifier_bench.h"

#define SLOWEST 10

const char *const vb_label_names[VB_LABELS] = {"safe", "unsafe", "malformed", "unknown"};

static int by_median_desc(const void *a, const void *b)
{
    double x = ((const vb_prog *)a)->median_s, y = ((const vb_prog *)b)->median_s;
    return x > y ? -1 : x < y;
}

static const char *verdict_name(vf_verdict v)
{
    return v == VF_ACCEPT ? "accept" : v == VF_REJECT ? "refuse" : "error";
}

static double mib(long kib)
{
    return (double)kib / 1024;
}

static void print_summary(const vb_run *run)
{
    double wall = 0, cpu = 0, load = 0, first = 0;
    uint64_t insns = 0, visits = 0;
    size_t over_1s = 0;
    double *medians = malloc(run->count * sizeof *medians);
    for (size_t i = 0; i < run->count; i++) {
        const vb_prog *t = &run->progs[i];
        wall += t->median_s;
        cpu += t->cpu_s;
        load += t->load_s;
        first += t->first_s;
        insns += t->insns;
        visits += t->visits;
        over_1s += t->median_s > 1.0;
        if (medians)
            medians[i] = t->median_s;
    }
    printf("== bench_verifier: vf_verify per program (unprivileged profile), median of %u rounds over the corpus\n",
           run->reps);
    printf("corpus %s: %zu labelled programs, %zu verified, %zu refused by the loader (not timed)\n", run->dir,
           run->lines, run->count, run->lines - run->count);
    printf("verification, whole corpus   %10.3f s   (sum of the medians; %llu instructions)\n", wall,
           (unsigned long long)insns);
    printf("  the same in CPU time       %10.3f s   (thread CPU time, sum of the medians; wall/CPU %.2f%s)\n", cpu,
           wall / cpu, wall > 1.05 * cpu ? ": other jobs had the CPU" : "");
    if (medians)
        printf("median program               %10.3f ms\n", bench_median(medians, run->count) * 1e3);
    printf("mean program                 %10.3f ms\n", wall / (double)run->count * 1e3);
    printf("instructions per second      %10.0f     (instructions / sum of the medians; %.0f in CPU time)\n",
           (double)insns / wall, (double)insns / cpu);
    printf("visits per second            %10.0f     (instructions analysed, with repeats at loop heads)\n",
           (double)visits / wall);
    printf("cold pass, load + verify     %10.3f s   (loading %.3f s, first vf_verify of each %.3f s)\n",
           load + first, load, first);
    printf("programs over 1 s            %10zu     (goal: none)\n", over_1s);
    printf("whole corpus in seconds      %10s     (%.2f s; PREVAIL's figure on these labels: %.1f s)\n",
           wall < 10.0 ? "yes" : "NO", wall, VB_PREVAIL_SECONDS);
    printf("benchmark wall time          %10.1f s\n", run->wall_s);
    free(medians);
}

static void print_slowest(const vb_run *run, bool all)
{
    printf("\n== slowest programs: median wall and CPU time, first (cold) run, heap growth of one run\n");
    printf("%4s  %-62s %6s %8s %10s %9s %9s %9s  %s\n", "rank", "object:program", "insns", "visits", "median ms",
           "cpu ms", "first ms", "heap KiB", "verdict");
    for (size_t i = 0; i < run->count && (all || i < SLOWEST); i++) {
        const vb_prog *t = &run->progs[i];
        printf("%4zu  %-62s %6zu %8llu %10.3f %9.3f %9.3f %9.1f  %s\n", i + 1, t->name, t->insns,
               (unsigned long long)t->visits, t->median_s * 1e3, t->cpu_s * 1e3, t->first_s * 1e3,
               (double)t->heap / 1024, verdict_name(t->verdict));
    }
}

static void print_memory(const vb_run *run)
{
    struct rusage ru;
    long rss = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
    size_t hungriest = 0;
    for (size_t i = 1; i < run->count; i++)
        if (run->progs[i].heap > run->progs[hungriest].heap)
            hungriest = i;
    const vb_prog *slow = &run->progs[0], *big = &run->progs[hungriest];
    printf("\n== memory\n");
    printf("peak RSS (ru_maxrss)         %10.1f MiB (at start %.1f MiB; every program loaded at once, and the "
           "verifier)\n", mib(rss), mib(run->rss_start_kib));
    printf("heap growth, slowest program %10.1f KiB (%s)\n", (double)slow->heap / 1024, slow->name);
    printf("heap growth, largest         %10.1f KiB (%s, %zu insns)\n", (double)big->heap / 1024, big->name,
           big->insns);
}

static void print_labels(const vb_run *run)
{
    printf("\n== verdicts per label (for context; tests/verifier/test_corpus.c scores them)\n");
    printf("%-10s %8s %9s %8s %15s %6s\n", "label", "programs", "accepted", "refused", "loader refused", "error");
    for (int l = 0; l < VB_LABELS; l++) {
        const int *v = run->outcomes[l];
        printf("%-10s %8d %9d %8d %15d %6d\n", vb_label_names[l], v[0] + v[1] + v[2] + v[3], v[VB_ACCEPTED],
               v[VB_REFUSED], v[VB_LOADER], v[VB_ERROR]);
    }
}

void vb_report(vb_run *run, bool all)
{
    qsort(run->progs, run->count, sizeof *run->progs, by_median_desc);
    print_summary(run);
    print_slowest(run, all);
    print_memory(run);
    print_labels(run);
}
