/*
 * bench_verifier.c - how long the in-process verifier (vf_verify) takes on every labelled program of the
 * corpus (../shared/corpus/labels.tsv), and how much memory it needs (issue 5's benchmark).
 *
 *   bench_verifier [CORPUS_DIR] [--reps N] [--all]
 *
 * Every line of labels.tsv is loaded up front as test_corpus.c loads it (tests/verifier/corpus_prog.c:
 * the same objects, externs, checks and unprivileged profile; the load is timed) and verified once cold
 * straight away (timed). Then vf_verify runs once on each program with the heap counter armed
 * (heap_peak.c, untimed), and in --reps (11) timed rounds over the whole corpus. A program's time is the median of its rounds, in wall
 * time and in thread CPU time. Rounds rather than back-to-back repeats spread each program's samples
 * over the whole run, so a burst of load from other jobs on this shared machine spoils one sample of
 * many programs instead of all samples of a few. Programs whose cold run takes over 0.5 s get 3 rounds.
 * Programs the loader refuses are counted but not timed: the verifier never sees them.
 *
 * verifier_report.c prints the results. Without the corpus this prints SKIPPED on stdout and stderr and
 * exits 0. Nothing is asserted about time.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, CLOCK_THREAD_CPUTIME_ID */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_median.h"
#include "corpus_prog.h"
#include "heap_peak.h"
#include "platform/platform.h"
#include "verifier_bench.h"

#define MAX_REPS 101
#define SLOW_FIRST_S 0.5 /* a cold run slower than this gets SLOW_REPS rounds */
#define SLOW_REPS 3

/* A loaded program and its samples. */
typedef struct vb_input {
    corpus_prog cp;
    double *wall, *cpu;     /* one per round */
} vb_input;

static double wall_now(void)
{
    return (double)plat_monotonic_ns() / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static int label_index(const char *expected)
{
    for (int i = 0; i < VB_UNKNOWN; i++)
        if (!strcmp(expected, vb_label_names[i]))
            return i;
    return VB_UNKNOWN;
}

/* One vf_verify of p (with vf_result_free): wall and CPU seconds, verdict and visits out. */
static void verify_once(const corpus_prog *p, double *wall, double *cpu, vf_verdict *verdict, uint64_t *visits)
{
    vf_result res;
    double c0 = cpu_now(), w0 = wall_now();
    int rc = vf_verify(&p->vin.input, &res);
    vf_verdict v = rc < 0 ? VF_ERROR : res.verdict;
    uint64_t n = res.visits;
    vf_result_free(&res);
    *wall = wall_now() - w0;
    *cpu = cpu_now() - c0;
    if (verdict)
        *verdict = v;
    if (visits)
        *visits = n;
}

/* Loads every line of the open labels.tsv into in[] and run->progs[] (the verified ones) and counts the
 * loader's refusals. -1 when memory runs out. */
static int load_corpus(FILE *f, vb_run *run, vb_input **in)
{
    size_t cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        corpus_label label;
        if (!corpus_label_parse(line, &label))
            continue;
        run->lines++;
        if (run->count == cap) {
            size_t n = cap ? 2 * cap : 256;
            vb_input *a = realloc(*in, n * sizeof *a);
            if (!a)
                return -1;
            *in = a;
            vb_prog *b = realloc(run->progs, n * sizeof *b);
            if (!b)
                return -1;
            run->progs = b;
            cap = n;
        }
        vb_input *x = &(*in)[run->count];
        vb_prog *t = &run->progs[run->count];
        memset(x, 0, sizeof *x);
        memset(t, 0, sizeof *t);
        char why[512] = "";
        int l = label_index(label.expected);
        double t0 = wall_now();
        int rc = corpus_prog_load(run->dir, &label, &x->cp, why, sizeof why);
        t->load_s = wall_now() - t0;
        x->wall = calloc(run->reps, sizeof *x->wall);
        x->cpu = calloc(run->reps, sizeof *x->cpu);
        if (rc != 1 || !x->wall || !x->cpu) {
            if (rc < 0)
                fprintf(stderr, "bench_verifier: %s:%s: %s\n", label.object, label.program, why);
            run->outcomes[l][rc == 0 ? VB_LOADER : VB_ERROR]++;
            corpus_prog_free(&x->cp);
            free(x->wall);
            free(x->cpu);
            if (rc == 1)
                return -1;
            continue;
        }
        snprintf(t->name, sizeof t->name, "%s:%s", label.object, label.program);
        t->insns = x->cp.vin.input.count;
        double cpu;
        verify_once(&x->cp, &t->first_s, &cpu, &t->verdict, &t->visits);
        run->outcomes[l][t->verdict == VF_ACCEPT ? VB_ACCEPTED : t->verdict == VF_REJECT ? VB_REFUSED : VB_ERROR]++;
        run->count++;
    }
    return 0;
}

/* The heap growth of one run of each program, then run->reps timed rounds over all of them. */
static void measure(vb_run *run, vb_input *in)
{
    double wall, cpu;
    for (size_t i = 0; i < run->count; i++) {
        heap_peak_start();
        verify_once(&in[i].cp, &wall, &cpu, NULL, NULL);
        run->progs[i].heap = heap_peak_stop();
    }
    for (unsigned r = 0; r < run->reps; r++)
        for (size_t i = 0; i < run->count; i++) {
            vb_prog *t = &run->progs[i];
            if (r >= SLOW_REPS && t->first_s > SLOW_FIRST_S)
                continue;
            verify_once(&in[i].cp, &in[i].wall[r], &in[i].cpu[r], NULL, NULL);
            t->samples++;
        }
    for (size_t i = 0; i < run->count; i++) {
        vb_prog *t = &run->progs[i];
        t->median_s = bench_median(in[i].wall, t->samples);
        t->cpu_s = bench_median(in[i].cpu, t->samples);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_verifier [CORPUS_DIR] [--reps N (1..%d)] [--all]\n", MAX_REPS);
}

static void skipped(const char *why, const char *where)
{
    printf("*** SKIPPED: bench_verifier: %s %s\n", why, where);
    fprintf(stderr, "*** SKIPPED: bench_verifier: %s %s\n", why, where);
}

int main(int argc, char **argv)
{
    vb_run run = {.dir = BENCH_CORPUS_DIR, .reps = 11};
    bool all = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            run.reps = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--all")) {
            all = true;
        } else if (argv[i][0] != '-') {
            run.dir = argv[i];
        } else {
            usage();
            return 2;
        }
    }
    if (run.reps == 0 || run.reps > MAX_REPS) {
        usage();
        return 2;
    }
    run.rss_start_kib = maxrss_kib();
    char path[1024];
    snprintf(path, sizeof path, "%s/labels.tsv", run.dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        skipped("no corpus with labels.tsv at", run.dir);
        return 0;
    }
    vb_input *in = NULL;
    double start = wall_now();
    int rc = load_corpus(f, &run, &in);
    fclose(f);
    if (rc < 0) {
        fprintf(stderr, "bench_verifier: out of memory\n");
    } else if (run.count == 0) {
        skipped("no program could be loaded from", path);
    } else {
        measure(&run, in);
        run.wall_s = wall_now() - start;
        vb_report(&run, all);
    }
    for (size_t i = 0; i < run.count; i++) {
        corpus_prog_free(&in[i].cp);
        free(in[i].wall);
        free(in[i].cpu);
    }
    free(in);
    free(run.progs);
    return rc < 0 ? 1 : 0;
}
