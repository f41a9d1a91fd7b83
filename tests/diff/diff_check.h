/*
 * diff_check.h - one differential check: generate program i of a seeded run, run it in our runtime
 * (checked and fast mode) and in the kernel, compare the full 64-bit r0, count the verdict and, for a
 * failure, print everything needed to reproduce it.
 */
#ifndef EBPF_DIFF_CHECK_H
#define EBPF_DIFF_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "diff_gen.h"
#include "diff_kernel.h"

typedef struct diff_config {
    uint64_t seed;
    diff_gen_opts gen;
    unsigned max_report;   /* failures printed in full (per worker process) */
    bool verbose;          /* one line per program */
    bool listing;          /* verbose: the listing of passing programs too */
} diff_config;

/* Counters of a run; plain integers so that worker processes can send them back as bytes. */
typedef struct diff_stats {
    uint64_t passed, failed;
    uint64_t mismatches, kernel_refusals, kernel_errors, our_refusals, our_faults;
    uint64_t slots, kernel_loads, kernel_runs;
} diff_stats;

void diff_check_one(const diff_config *cfg, diff_kernel *k, uint64_t index, diff_stats *st);

/* Adds `b` into `a`. */
void diff_stats_add(diff_stats *a, const diff_stats *b);

#endif
