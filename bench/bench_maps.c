/*
 * bench_maps.c - map lookups and updates, ns per operation, our maps against the Linux kernel's in
 * the same run (issue 4). Linux only (the kernel side uses libbpf; see maps_kernel.c).
 *
 *   bench_maps [OBJ] [--ops N] [--batches N] [--miss-pct P]
 *
 * OBJ is bench/progs/maps.bpf.o (built by clang at build time): four maps (array, hash, lru_hash,
 * lpm_trie; bench/progs/bench_maps.h) and an XDP lookup and update program per map. Every side
 * (maps_side.h: ours API, ours map_sys, kernel bpf()) is filled with the same keys and values
 * (maps_workload.c), then, per map and operation (lookup hit, lookup with P % misses, BPF_ANY update
 * of present keys), --batches (11) batches of the same --ops (8192) keys run on each side in turn
 * (side order rotates per batch); a cell is the median batch's ns per operation. The ratio column is
 * ours API / kernel. A fourth pseudo-side, "floor", times in the same batches the same bpf() command
 * on fd -1, which fails at once (EBADF): the cost of entering and leaving the syscall. kernel-floor
 * (kernel minus floor) estimates what the kernel spends on the map command itself: copies of key and
 * value, allocations, checks and the map operation. One untimed batch per cell and side warms up.
 *
 * In-program path (second table): the lookup_TYPE / update_TYPE programs do BM_PKT_KEYS (256) map
 * operations per run on keys carried by the packet (the first 256 keys of the same sequences); ours run
 * with the JIT through ebpf_prog_test_run, the kernel's through BPF_PROG_TEST_RUN, ops / 256 runs per
 * batch; ns per operation = the runtime's own ns per run / 256, median of the batches.
 *
 * Before timing, every lookup of the hit and mixed sequences is compared across sides (return code and
 * value bytes), and the in-program results (sum of the values found, updates done) across runtimes;
 * after the user-space updates, every filled key is compared again. A difference is printed and makes
 * bench_maps exit 1. When bpf() is unavailable the kernel columns are "-" and SKIPPED is printed on
 * stdout and stderr. Nothing is asserted about time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_median.h"
#include "bench_table.h"
#include "maps_side.h"
#include "maps_workload.h"
#include "platform/platform.h"

#ifndef BENCH_MAPS_OBJ
#define BENCH_MAPS_OBJ "bench/progs/maps.bpf.o"
#endif

#define MAX_BATCHES 101
#define VALUE_MAX 64

enum { S_API, S_SYS, S_KERNEL, S_FLOOR, S_COUNT };
#define S_MAPS S_FLOOR /* the sides that hold maps */

static unsigned ops = 8192, batches = 11, miss_pct = 50;
static bm_side sides[S_COUNT];
static bool have_kernel;
static int mismatches;

static bool side_on(int s)
{
    return s < S_KERNEL || have_kernel;
}

/* Reports a difference between sides (the first 10 of them). */
__attribute__((format(printf, 1, 2))) static void mismatch(const char *fmt, ...)
{
    if (mismatches++ >= 10)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("bench_maps: MISMATCH: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const char *op_label(int op)
{
    static char mix[32];
    if (op != BM_OP_MIX)
        return bm_op_names[op];
    snprintf(mix, sizeof mix, "lookup %u%% miss", miss_pct);
    return mix;
}

/* ---- fill and compare ----------------------------------------------------------------------------- */

static int fill(const bm_workload *w)
{
    for (int s = 0; s < S_MAPS; s++)
        for (int t = 0; side_on(s) && t < BM_TYPES; t++)
            for (uint32_t i = 0; i < w[t].entries; i++) {
                int err = sides[s].update(sides[s].target[t], w[t].fill_keys + (size_t)i * w[t].key_size,
                                          w[t].fill_values + (size_t)i * w[t].value_size);
                if (err) {
                    fprintf(stderr, "bench_maps: %s: filling %s, key %u: %s\n", sides[s].name, w[t].label,
                            (unsigned)i, strerror(-err));
                    return -1;
                }
            }
    return 0;
}

/* Looks `count` keys up on every side and compares with side S_API; returns how many were found. */
static uint32_t compare_lookups(const bm_workload *w, int t, const uint8_t *keys, uint32_t count, const char *what)
{
    uint32_t found = 0;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *key = keys + (size_t)i * w[t].key_size;
        uint8_t ref[VALUE_MAX], got[VALUE_MAX];
        int ref_rc = sides[S_API].lookup(sides[S_API].target[t], key, ref);
        found += ref_rc == 0;
        for (int s = 1; s < S_MAPS; s++) {
            if (!side_on(s))
                continue;
            int rc = sides[s].lookup(sides[s].target[t], key, got);
            if (rc != ref_rc || (rc == 0 && memcmp(ref, got, w[t].value_size) != 0))
                mismatch("%s: %s and %s differ on %s key %u (rc %d / %d)", w[t].label, sides[S_API].name,
                         sides[s].name, what, (unsigned)i, ref_rc, rc);
        }
    }
    return found;
}

/* ---- user-space timing ---------------------------------------------------------------------------- */

/* One batch: the op's whole sequence on one side; ns per operation. */
static double time_batch(const bm_side *side, const bm_workload *w, int t, int op, const uint8_t *value)
{
    void *target = side->target[t];
    uint8_t out[VALUE_MAX];
    const uint8_t *keys = w[t].seq[op];
    size_t ks = w[t].key_size;
    uint64_t t0 = plat_monotonic_ns();
    if (op == BM_OP_UPDATE)
        for (uint32_t i = 0; i < w[t].seq_len; i++)
            side->update(target, keys + i * ks, value);
    else
        for (uint32_t i = 0; i < w[t].seq_len; i++)
            side->lookup(target, keys + i * ks, out);
    return (double)(plat_monotonic_ns() - t0) / w[t].seq_len;
}

static void time_user(const bm_workload *w, double ns[BM_TYPES][BM_OPS][S_COUNT])
{
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = 0; op < BM_OPS; op++) {
            double v[S_COUNT][MAX_BATCHES + 1];
            for (unsigned b = 0; b <= batches; b++) { /* batch 0 warms up */
                uint8_t value[VALUE_MAX];
                for (int i = 0; i < VALUE_MAX; i++)
                    value[i] = (uint8_t)(b * 31 + (unsigned)op * 7 + (unsigned)i);
                for (int k = 0; k < S_COUNT; k++) {
                    int s = (int)((b + (unsigned)k) % S_COUNT);
                    if (side_on(s))
                        v[s][b] = time_batch(&sides[s], w, t, op, value);
                }
            }
            for (int s = 0; s < S_COUNT; s++)
                ns[t][op][s] = side_on(s) ? bench_median(v[s] + 1, batches) : -1;
        }
}

/* ---- in-program path ------------------------------------------------------------------------------ */

enum { P_JIT, P_KERNEL, P_COUNT };

/* Fills ns[t][op][P_*] (ns per map operation, -1 when not measured); returns -1 on a failed run. */
static int time_programs(const bm_workload *w, double ns[BM_TYPES][BM_OPS][P_COUNT])
{
    bm_side *runner[P_COUNT] = { &sides[S_API], have_kernel && sides[S_KERNEL].run ? &sides[S_KERNEL] : NULL };
    uint32_t repeat = ops / BM_PKT_KEYS ? ops / BM_PKT_KEYS : 1;
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = 0; op < BM_OPS; op++) {
            uint8_t pkt[BM_PKT_LEN];
            bm_workload_packet(&w[t], op, pkt);
            uint64_t result[P_COUNT];
            double v[P_COUNT][MAX_BATCHES + 1], one;
            char why[300];
            for (int p = 0; p < P_COUNT; p++) {
                ns[t][op][p] = -1;
                if (runner[p] && runner[p]->run(runner[p]->state, w[t].prog[op], pkt, 1, &one, &result[p], why,
                                                sizeof why) != 0) {
                    fprintf(stderr, "bench_maps: %s: %s\n", runner[p]->name, why);
                    return -1;
                }
            }
            if (runner[P_KERNEL] && result[P_JIT] != result[P_KERNEL])
                mismatch("%s (%s): ours gives %llu, the kernel %llu", w[t].prog[op], op_label(op),
                         (unsigned long long)result[P_JIT], (unsigned long long)result[P_KERNEL]);
            for (unsigned b = 0; b <= batches; b++) /* batch 0 warms up */
                for (int k = 0; k < P_COUNT; k++) {
                    int p = (int)((b + (unsigned)k) % P_COUNT);
                    uint64_t r;
                    if (!runner[p])
                        continue;
                    if (runner[p]->run(runner[p]->state, w[t].prog[op], pkt, repeat, &v[p][b], &r, why,
                                       sizeof why) != 0) {
                        fprintf(stderr, "bench_maps: %s: %s\n", runner[p]->name, why);
                        return -1;
                    }
                }
            for (int p = 0; p < P_COUNT; p++)
                if (runner[p])
                    ns[t][op][p] = bench_median(v[p] + 1, batches) / BM_PKT_KEYS;
        }
    return 0;
}

/* ---- the command line ------------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr, "usage: bench_maps [OBJ] [--ops N] [--batches N (<= %d)] [--miss-pct P]\n", MAX_BATCHES);
    exit(2);
}

static void skipped(const char *what, const char *why)
{
    printf("*** SKIPPED: %s: %s\n", what, why);
    fprintf(stderr, "*** SKIPPED: %s: %s\n", what, why);
}

int main(int argc, char **argv)
{
    const char *obj = BENCH_MAPS_OBJ;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--ops") && i + 1 < argc)
            ops = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--batches") && i + 1 < argc)
            batches = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--miss-pct") && i + 1 < argc)
            miss_pct = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (argv[i][0] == '-')
            usage();
        else
            obj = argv[i];
    }
    if (ops < BM_PKT_KEYS || batches == 0 || batches > MAX_BATCHES || miss_pct > 100)
        usage();

    static bm_workload w[BM_TYPES];
    char why[400];
    if (bm_workload_init(w, ops, miss_pct) != 0) {
        fprintf(stderr, "bench_maps: out of memory\n");
        return 1;
    }
    if (bm_ours_open(obj, w, &sides[S_API], &sides[S_SYS], why, sizeof why) != 0) {
        fprintf(stderr, "bench_maps: %s\n", why);
        return 1;
    }
    have_kernel = bm_kernel_open(obj, w, &sides[S_KERNEL], &sides[S_FLOOR], why, sizeof why) == 0;
    if (!have_kernel)
        skipped("kernel columns (bpf() unavailable)", why);
    else if (!sides[S_KERNEL].run)
        skipped("kernel in-program column (the kernel refused the programs)", sides[S_KERNEL].run_why);
    if (fill(w) != 0)
        return 1;

    uint32_t found[BM_TYPES][2];
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = BM_OP_HIT; op <= BM_OP_MIX; op++)
            found[t][op] = compare_lookups(w, t, w[t].seq[op], ops, bm_op_names[op]);

    static double ns[BM_TYPES][BM_OPS][S_COUNT], prog_ns[BM_TYPES][BM_OPS][P_COUNT];
    time_user(w, ns);
    for (int t = 0; t < BM_TYPES; t++) /* after the updates, every side must still hold the same map */
        compare_lookups(w, t, w[t].fill_keys, w[t].entries, "filled");
    int prog_err = time_programs(w, prog_ns);

    printf("== bench_maps: ns per map operation, median of %u batches of %u operations; the same keys in the "
           "same order on every side\n",
           batches, ops);
    printf("%-9s %7s %-16s %9s %12s %12s %10s %12s\n", "map", "entries", "operation", "ours API", "ours map_sys",
           "kernel bpf()", "API/kernel", "kernel-floor");
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = 0; op < BM_OPS; op++) {
            printf("%-9s %7u %-16s", w[t].label, (unsigned)w[t].entries, op_label(op));
            bench_cell(ns[t][op][S_API], 9, 1);
            bench_cell(ns[t][op][S_SYS], 12, 1);
            bench_cell(ns[t][op][S_KERNEL], 12, 1);
            bench_ratio(ns[t][op][S_API], ns[t][op][S_KERNEL], 10, 3);
            bench_cell(have_kernel ? ns[t][op][S_KERNEL] - ns[t][op][S_FLOOR] : -1, 12, 1);
            putchar('\n');
        }
    printf("lookups found: ");
    for (int t = 0; t < BM_TYPES; t++)
        printf("%s%s %u/%u hit, %u/%u mix", t ? "; " : "", w[t].label, (unsigned)found[t][BM_OP_HIT], ops,
               (unsigned)found[t][BM_OP_MIX], ops);
    double lo = -1, hi = -1;
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = 0; op < BM_OPS; op++) {
            double f = ns[t][op][S_FLOOR];
            lo = lo < 0 || f < lo ? f : lo;
            hi = f > hi ? f : hi;
        }
    printf("\nbpf() floor (the same command on fd -1, EBADF, timed in the same batches):");
    bench_cell(lo, 1, 1);
    printf(" to");
    bench_cell(hi, 1, 1);
    printf(" ns; kernel-floor subtracts each cell's own\n\n");

    printf("== in-program: ns per map operation, %d helper calls per run on keys from the packet, median of %u "
           "batches of %u runs\n",
           BM_PKT_KEYS, batches, ops / BM_PKT_KEYS);
    printf("%-9s %-16s %9s %12s %10s\n", "map", "operation", "ours jit", "kernel jit", "jit/kernel");
    for (int t = 0; t < BM_TYPES; t++)
        for (int op = 0; op < BM_OPS; op++) {
            printf("%-9s %-16s", w[t].label, op_label(op));
            bench_cell(prog_ns[t][op][P_JIT], 9, 1);
            bench_cell(prog_ns[t][op][P_KERNEL], 12, 1);
            bench_ratio(prog_ns[t][op][P_JIT], prog_ns[t][op][P_KERNEL], 10, 3);
            putchar('\n');
        }

    if (have_kernel)
        bm_kernel_close(&sides[S_KERNEL]);
    bm_ours_close(&sides[S_API], &sides[S_SYS]);
    bm_workload_free(w);
    if (mismatches)
        fprintf(stderr, "bench_maps: %d mismatches between sides\n", mismatches);
    return mismatches || prog_err ? 1 : 0;
}
