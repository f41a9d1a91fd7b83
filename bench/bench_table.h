/*
 * bench_table.h - the cells of the benches' result tables: a time (ns) or a ratio, right-aligned, "-"
 * where the number is missing (a side that could not run).
 */
#ifndef EBPF_BENCH_TABLE_H
#define EBPF_BENCH_TABLE_H

/* v (< 0: missing) with fewer decimals as it grows: 1 below 100, none above; `fine` adds a second
 * decimal below 10. */
void bench_cell(double v, int width, int fine);

/* a / b with `decimals` decimals; "-" when a is missing or b is not positive. */
void bench_ratio(double a, double b, int width, int decimals);

#endif
