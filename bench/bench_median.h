/*
 * bench_median.h - the median of a set of timings, the benches' answer to a noisy shared machine.
 */
#ifndef EBPF_BENCH_MEDIAN_H
#define EBPF_BENCH_MEDIAN_H

#include <stddef.h>

/* Sorts v[0..n) in place (ascending) and returns its median (the mean of the middle two for even n).
 * n > 0. */
double bench_median(double *v, size_t n);

#endif
