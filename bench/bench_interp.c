/*
 * bench_interp.c - the interpreter against native code. Each micro-program of bench_programs.c runs
 * through the public API (ebpf_program_run) in fast and checked mode, and its C twin runs natively,
 * in the same process on the same input; the table gives nanoseconds per run and the ratios.
 *
 *   bench_interp                          the timing table
 *   bench_interp --probe MODE PROGRAM N   one run of PROGRAM with size N in MODE (fast|checked); prints
 *                                         the eBPF instructions it executes (counted by a checked run).
 *                                         bench/run runs this under callgrind, collecting only inside
 *                                         interp_run_MODE, for two values of N.
 * Timing is never asserted anywhere; results are for people.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_programs.h"
#include "ebpf/ebpf.h"
#include "platform/platform.h"

static uint64_t words[1 + BENCH_MAX_WORDS];

static const struct ebpf_helper bench_helpers[] = { { 1, "inc", bench_helper_inc, NULL } };

static ebpf_program *bench_load(const bench_program *p)
{
    struct ebpf_insn *insns = NULL;
    struct ebpf_diag diag;
    int n = ebpf_assemble(p->source, &insns, &diag);
    if (n < 0) {
        fprintf(stderr, "bench %s: assembly failed: %s (line %lld)\n", p->name, diag.message, (long long)diag.insn);
        exit(1);
    }
    EBPF_OPTS(ebpf_program_opts, opts, .name = p->name, .helpers = bench_helpers, .helper_count = 1);
    ebpf_program *prog = ebpf_program_create(insns, (size_t)n, &opts, &diag);
    ebpf_free(insns);
    if (!prog) {
        fprintf(stderr, "bench %s: %s\n", p->name, diag.message);
        exit(1);
    }
    return prog;
}

static void bench_input(uint64_t n)
{
    words[0] = n;
    for (size_t i = 1; i <= BENCH_MAX_WORDS; i++)
        words[i] = i * UINT64_C(0x9e3779b97f4a7c15);
}

/* One run; exits on any failure. Returns r0, and the instruction count in *insns (checked mode). */
static uint64_t bench_run(ebpf_program *prog, enum ebpf_exec_mode mode, uint64_t *insns)
{
    EBPF_OPTS(ebpf_run_opts, opts, .mode = mode, .mem = words, .mem_size = sizeof words);
    struct ebpf_run_result res = { .sz = sizeof res };
    if (ebpf_program_run(prog, &opts, &res) != 0) {
        fprintf(stderr, "bench: run failed: %s\n", res.message);
        exit(1);
    }
    if (insns)
        *insns = res.insns_executed;
    return res.r0;
}

typedef struct bench_target {
    ebpf_program *prog;           /* NULL: native */
    enum ebpf_exec_mode mode;
    uint64_t (*native)(const uint64_t *mem);
} bench_target;

static volatile uint64_t bench_sink;

static void bench_batch(const bench_target *t, uint64_t reps)
{
    EBPF_OPTS(ebpf_run_opts, opts, .mode = t->mode, .mem = words, .mem_size = sizeof words);
    struct ebpf_run_result res = { .sz = sizeof res };
    for (uint64_t i = 0; i < reps; i++) {
        if (t->prog) {
            ebpf_program_run(t->prog, &opts, &res);
            bench_sink = res.r0;
        } else {
            bench_sink = t->native(words);
        }
    }
}

/* Nanoseconds per run: batches of at least 20 ms, the best of 5. */
static double bench_time(const bench_target *t)
{
    uint64_t reps = 1;
    for (;;) {
        uint64_t t0 = plat_monotonic_ns();
        bench_batch(t, reps);
        if (plat_monotonic_ns() - t0 >= 20000000u || reps >= (UINT64_C(1) << 40))
            break;
        reps *= 2;
    }
    double best = 1e300;
    for (int i = 0; i < 5; i++) {
        uint64_t t0 = plat_monotonic_ns();
        bench_batch(t, reps);
        double ns = (double)(plat_monotonic_ns() - t0) / (double)reps;
        if (ns < best)
            best = ns;
    }
    return best;
}

static int bench_table(void)
{
    printf("%-8s %10s %11s %11s %11s %9s %9s %9s\n", "program", "insns/run", "fast ns", "checked ns", "native ns",
           "fast/nat", "chk/nat", "fast ns/i");
    for (size_t i = 0; i < bench_program_count; i++) {
        const bench_program *p = &bench_programs[i];
        ebpf_program *prog = bench_load(p);
        bench_input(p->n);
        uint64_t insns;
        uint64_t r_checked = bench_run(prog, EBPF_EXEC_CHECKED, &insns);
        uint64_t r_fast = bench_run(prog, EBPF_EXEC_FAST, NULL);
        uint64_t r_native = p->native(words);
        if (r_checked != r_fast || r_fast != r_native) {
            fprintf(stderr, "bench %s: results differ: checked %#" PRIx64 ", fast %#" PRIx64 ", native %#" PRIx64 "\n",
                    p->name, r_checked, r_fast, r_native);
            return 1;
        }
        bench_target fast = { prog, EBPF_EXEC_FAST, NULL };
        bench_target checked = { prog, EBPF_EXEC_CHECKED, NULL };
        bench_target native = { NULL, EBPF_EXEC_FAST, p->native };
        double tf = bench_time(&fast), tc = bench_time(&checked), tn = bench_time(&native);
        printf("%-8s %10" PRIu64 " %11.1f %11.1f %11.1f %9.1f %9.1f %9.2f\n", p->name, insns, tf, tc, tn, tf / tn,
               tc / tn, tf / (double)insns);
        fflush(stdout);
        ebpf_program_free(prog);
    }
    printf("\n");
    for (size_t i = 0; i < bench_program_count; i++)
        printf("  %-8s %s (n = %" PRIu64 ")\n", bench_programs[i].name, bench_programs[i].what, bench_programs[i].n);
    return 0;
}

static int bench_probe(const char *mode, const char *name, const char *n_text)
{
    const bench_program *p = bench_find(name);
    char *end;
    unsigned long long n = strtoull(n_text, &end, 10);
    if (!p || *end || n == 0 || n > BENCH_MAX_WORDS * 1000ull ||
        (strcmp(mode, "fast") != 0 && strcmp(mode, "checked") != 0)) {
        fprintf(stderr, "usage: bench_interp --probe fast|checked PROGRAM N\n");
        return 2;
    }
    if (strcmp(name, "memory") == 0 && n > BENCH_MAX_WORDS) {
        fprintf(stderr, "bench: memory reads at most %d words\n", BENCH_MAX_WORDS);
        return 2;
    }
    ebpf_program *prog = bench_load(p);
    bench_input(n);
    uint64_t insns;
    bench_run(prog, EBPF_EXEC_CHECKED, &insns); /* the count; outside the collected function in fast mode */
    if (strcmp(mode, "fast") == 0)
        bench_run(prog, EBPF_EXEC_FAST, NULL);
    printf("%" PRIu64 "\n", insns);
    ebpf_program_free(prog);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--probe") == 0)
        return bench_probe(argv[2], argv[3], argv[4]);
    if (argc != 1) {
        fprintf(stderr, "usage: bench_interp [--probe fast|checked PROGRAM N]\n");
        return 2;
    }
    return bench_table();
}
