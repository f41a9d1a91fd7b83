/*
 * bench_verifier.c - how long the in-process verifier (vf_verify) takes on every labelled program of the
 * corpus (../shared/corpus/labels.tsv), and how much memory it needs (issue 5's benchmark).
 *
 *   bench_verifier [CORPUS_DIR] [--reps N] [--all]
 *
 * Each line of labels.tsv is loaded as test_corpus.c loads it (tests/verifier/corpus_prog.c: the same
 * objects, externs, checks and unprivileged profile), timed once (load), then vf_verify runs once cold
 * (timed), once with the heap counter armed (heap_peak.c, untimed) and --reps (11) more times; a
 * program's time is the median of those reps. Programs whose first run takes over 0.5 s get 3 reps.
 * Programs the loader refuses are counted but not timed: the verifier never sees them.
 *
 * Prints the total (sum of medians), the median program, instructions per second, the slowest ten,
 * programs over 1 s (the goal is none), peak memory (ru_maxrss; heap growth of one vf_verify on the
 * slowest and on the hungriest program) and the verdicts per label. --all adds one line per program.
 * Without the corpus it prints SKIPPED on stdout and stderr and exits 0. Nothing is asserted about time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_median.h"
#include "corpus_prog.h"
#include "heap_peak.h"
#include "platform/platform.h"
#include "verifier/verifier.h"

#define MAX_REPS 101
#define SLOW_FIRST_S 0.5 /* a first run slower than this gets SLOW_REPS reps */
#define SLOW_REPS 3
#define SLOWEST 10
#define PREVAIL_SECONDS 7.5 /* issue 5: PREVAIL on these same labels, whole corpus */

enum { L_SAFE, L_UNSAFE, L_MALFORMED, L_UNKNOWN, L_COUNT };
static const char *const label_names[L_COUNT] = {"safe", "unsafe", "malformed", "unknown"};
enum { V_ACCEPTED, V_REFUSED, V_LOADER, V_ERROR, V_COUNT };

/* One verified program. */
typedef struct prog_time {
    char name[200];     /* object:program */
    size_t insns;       /* instruction slots given to the verifier */
    uint64_t visits;    /* instructions analysed, with repeats at loop heads */
    double load_s;      /* corpus_prog_load: read, open, check, build the vf_input */
    double first_s;     /* the first vf_verify */
    double median_s;    /* median of the reps */
    size_t heap;        /* peak heap growth of one vf_verify */
    vf_verdict verdict;
} prog_time;

static double seconds(void)
{
    return (double)plat_monotonic_ns() / 1e9;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static int label_index(const char *expected)
{
    for (int i = 0; i < L_COUNT - 1; i++)
        if (!strcmp(expected, label_names[i]))
            return i;
    return L_UNKNOWN;
}

/* One vf_verify of p, its time in seconds; verdict and visits out. */
static double verify_once(const corpus_prog *p, vf_verdict *verdict, uint64_t *visits)
{
    vf_result res;
    double t0 = seconds();
    int rc = vf_verify(&p->vin.input, &res);
    double dt = seconds() - t0;
    *verdict = rc < 0 ? VF_ERROR : res.verdict;
    *visits = res.visits;
    vf_result_free(&res);
    return dt;
}

/* Times one loaded program into t. */
static void time_prog(const corpus_prog *p, unsigned reps, prog_time *t)
{
    uint64_t visits;
    vf_verdict verdict;
    t->insns = p->vin.input.count;
    t->first_s = verify_once(p, &t->verdict, &t->visits);
    heap_peak_start();
    verify_once(p, &verdict, &visits);
    t->heap = heap_peak_stop();
    if (t->first_s > SLOW_FIRST_S && reps > SLOW_REPS)
        reps = SLOW_REPS;
    double v[MAX_REPS];
    for (unsigned r = 0; r < reps; r++)
        v[r] = verify_once(p, &verdict, &visits);
    t->median_s = bench_median(v, reps);
}

static int by_median_desc(const void *a, const void *b)
{
    double x = ((const prog_time *)a)->median_s, y = ((const prog_time *)b)->median_s;
    return x > y ? -1 : x < y;
}

static const char *verdict_name(vf_verdict v)
{
    return v == VF_ACCEPT ? "accept" : v == VF_REJECT ? "refuse" : "error";
}

static void print_prog(int rank, const prog_time *t)
{
    printf("%4d  %-62s %6zu %8llu %10.3f %10.3f %9.1f  %s\n", rank, t->name, t->insns, (unsigned long long)t->visits,
           t->median_s * 1e3, t->first_s * 1e3, (double)t->heap / 1024, verdict_name(t->verdict));
}

static void print_header(void)
{
    printf("%4s  %-62s %6s %8s %10s %10s %9s  %s\n", "rank", "object:program", "insns", "visits", "median ms",
           "first ms", "heap KiB", "verdict");
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_verifier [CORPUS_DIR] [--reps N (1..%d)] [--all]\n", MAX_REPS);
}

int main(int argc, char **argv)
{
    const char *dir = BENCH_CORPUS_DIR;
    unsigned reps = 11;
    bool all = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--all")) {
            all = true;
        } else if (argv[i][0] != '-') {
            dir = argv[i];
        } else {
            usage();
            return 2;
        }
    }
    if (reps == 0 || reps > MAX_REPS) {
        usage();
        return 2;
    }
    long rss_start = maxrss_kib();
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("*** SKIPPED: bench_verifier: no corpus with labels.tsv at %s\n", dir);
        fprintf(stderr, "*** SKIPPED: bench_verifier: no corpus with labels.tsv at %s\n", dir);
        return 0;
    }

    prog_time *times = NULL;
    size_t count = 0, cap = 0, lines = 0;
    int verdicts[L_COUNT][V_COUNT] = {{0}};
    double load_total = 0, first_total = 0, start = seconds();
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        corpus_label label;
        if (!corpus_label_parse(line, &label))
            continue;
        lines++;
        int l = label_index(label.expected);
        char why[512] = "";
        corpus_prog p;
        double t0 = seconds();
        int rc = corpus_prog_load(dir, &label, &p, why, sizeof why);
        double load_s = seconds() - t0;
        load_total += load_s;
        if (rc != 1) {
            verdicts[l][rc == 0 ? V_LOADER : V_ERROR]++;
            if (rc < 0)
                fprintf(stderr, "bench_verifier: %s:%s: %s\n", label.object, label.program, why);
            corpus_prog_free(&p);
            continue;
        }
        if (count == cap) {
            cap = cap ? 2 * cap : 256;
            prog_time *grown = realloc(times, cap * sizeof *times);
            if (!grown) {
                fprintf(stderr, "bench_verifier: out of memory\n");
                return 1;
            }
            times = grown;
        }
        prog_time *t = &times[count++];
        memset(t, 0, sizeof *t);
        snprintf(t->name, sizeof t->name, "%s:%s", label.object, label.program);
        t->load_s = load_s;
        time_prog(&p, reps, t);
        first_total += t->first_s;
        verdicts[l][t->verdict == VF_ACCEPT ? V_ACCEPTED : t->verdict == VF_REJECT ? V_REFUSED : V_ERROR]++;
        corpus_prog_free(&p);
    }
    fclose(f);
    double wall = seconds() - start;
    if (count == 0) {
        printf("*** SKIPPED: bench_verifier: no program of %s could be loaded\n", path);
        fprintf(stderr, "*** SKIPPED: bench_verifier: no program of %s could be loaded\n", path);
        free(times);
        return 0;
    }

    double total = 0, *medians = malloc(count * sizeof *medians);
    if (!medians) {
        fprintf(stderr, "bench_verifier: out of memory\n");
        return 1;
    }
    uint64_t insns = 0, visits = 0;
    size_t over_1s = 0, hungriest = 0;
    for (size_t i = 0; i < count; i++) {
        total += times[i].median_s;
        insns += times[i].insns;
        visits += times[i].visits;
        medians[i] = times[i].median_s;
        over_1s += times[i].median_s > 1.0;
        if (times[i].heap > times[hungriest].heap)
            hungriest = i;
    }
    prog_time hungry = times[hungriest];
    double median = bench_median(medians, count);
    free(medians);
    qsort(times, count, sizeof *times, by_median_desc);

    printf("== bench_verifier: vf_verify per program (unprivileged profile), median of %u runs each\n", reps);
    printf("corpus %s: %zu labelled programs, %zu verified, %zu refused by the loader (not timed)\n", dir, lines,
           count, lines - count);
    printf("verification, whole corpus   %10.3f s   (sum of the medians; %llu instructions)\n", total,
           (unsigned long long)insns);
    printf("median program               %10.3f ms\n", median * 1e3);
    printf("mean program                 %10.3f ms\n", total / (double)count * 1e3);
    printf("instructions per second      %10.0f     (instructions / sum of the medians)\n", (double)insns / total);
    printf("visits per second            %10.0f     (instructions analysed, with repeats at loop heads)\n",
           (double)visits / total);
    printf("cold pass, load + verify     %10.3f s   (loading %.3f s, first vf_verify of each %.3f s)\n",
           load_total + first_total, load_total, first_total);
    printf("programs over 1 s            %10zu     (goal: none)\n", over_1s);
    printf("whole corpus in seconds      %10s     (%.2f s; PREVAIL's figure on these labels: %.1f s)\n",
           total < 10.0 ? "yes" : "NO", total, PREVAIL_SECONDS);
    printf("benchmark wall time          %10.1f s\n", wall);
    printf("\n== slowest %d programs (median and first run of vf_verify, heap growth of one run)\n", SLOWEST);
    print_header();
    for (size_t i = 0; i < count && (all || i < SLOWEST); i++)
        print_prog((int)i + 1, &times[i]);
    printf("\n== memory\n");
    printf("peak RSS (ru_maxrss)         %10.1f MiB (at start %.1f MiB; corpus objects, inputs and verifier)\n",
           (double)maxrss_kib() / 1024, (double)rss_start / 1024);
    printf("heap growth, slowest program %10.1f KiB (%s)\n", (double)times[0].heap / 1024, times[0].name);
    printf("heap growth, largest         %10.1f KiB (%s, %zu insns)\n", (double)hungry.heap / 1024, hungry.name,
           hungry.insns);
    printf("\n== verdicts per label (for context; tests/verifier/test_corpus.c scores them)\n");
    printf("%-10s %8s %9s %8s %15s %6s\n", "label", "programs", "accepted", "refused", "loader refused", "error");
    for (int l = 0; l < L_COUNT; l++) {
        int *v = verdicts[l];
        printf("%-10s %8d %9d %8d %15d %6d\n", label_names[l], v[0] + v[1] + v[2] + v[3], v[V_ACCEPTED],
               v[V_REFUSED], v[V_LOADER], v[V_ERROR]);
    }
    free(times);
    return 0;
}
