/*
 * bench_table.c - the cells of the benches' result tables (bench_table.h).
 */
#include "bench_table.h"

#include <stdio.h>

void bench_cell(double v, int width, int fine)
{
    if (v < 0)
        printf(" %*s", width, "-");
    else if (fine && v < 10)
        printf(" %*.2f", width, v);
    else if (v < 100)
        printf(" %*.1f", width, v);
    else
        printf(" %*.0f", width, v);
}

void bench_ratio(double a, double b, int width, int decimals)
{
    if (a < 0 || b <= 0)
        printf(" %*s", width, "-");
    else
        printf(" %*.*f", width, decimals, a / b);
}
