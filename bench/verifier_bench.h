/*
 * verifier_bench.h - what bench_verifier measures (bench_verifier.c) and prints (verifier_report.c):
 * one record per verified corpus program and the totals of a run.
 */
#ifndef EBPF_BENCH_VERIFIER_BENCH_H
#define EBPF_BENCH_VERIFIER_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

#define VB_PREVAIL_SECONDS 7.5 /* issue 5: PREVAIL on the same labels, whole corpus */

/* The corpus labels, and what became of a labelled program. */
enum { VB_SAFE, VB_UNSAFE, VB_MALFORMED, VB_UNKNOWN, VB_LABELS };
enum { VB_ACCEPTED, VB_REFUSED, VB_LOADER, VB_ERROR, VB_OUTCOMES };

/* One program that reached the verifier. Times in seconds. */
typedef struct vb_prog {
    char name[200];     /* object:program */
    size_t insns;       /* instruction slots given to the verifier */
    uint64_t visits;    /* instructions analysed, with repeats at loop heads */
    double load_s;      /* corpus_prog_load: read, open, check, build the vf_input */
    double first_s;     /* the first (cold) vf_verify, wall time */
    double median_s;    /* median wall time of the timed rounds */
    double cpu_s;       /* median thread CPU time of the same rounds */
    unsigned samples;   /* timed rounds taken */
    size_t heap;        /* peak heap growth of one vf_verify */
    vf_verdict verdict;
} vb_prog;

typedef struct vb_run {
    const char *dir;        /* the corpus folder */
    unsigned reps;          /* timed rounds over the corpus */
    size_t lines;           /* labelled programs */
    vb_prog *progs;         /* the ones verified */
    size_t count;
    int outcomes[VB_LABELS][VB_OUTCOMES];
    double wall_s;          /* the whole benchmark */
    long rss_start_kib;     /* ru_maxrss before the corpus was read */
} vb_run;

extern const char *const vb_label_names[VB_LABELS];

/* Prints the summary, the slowest ten (every program with all), memory and the outcomes per label.
 * Sorts run->progs, slowest first. */
void vb_report(vb_run *run, bool all);

#endif
