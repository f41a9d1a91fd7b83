/*
 * bench_programs.h - the benchmark's micro-programs: each is eBPF assembly (conformance syntax) plus
 * the same work written in C, so that the interpreter can be compared with native code on one input.
 *
 * Input convention: r1 points to an array of 64-bit words, word 0 holds the size parameter n (loop
 * iterations, or words to read for the memory program), the data words follow.
 */
#ifndef EBPF_BENCH_PROGRAMS_H
#define EBPF_BENCH_PROGRAMS_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_WORDS 4096 /* data words after word 0 */

typedef struct bench_program {
    const char *name;
    const char *what;                      /* one line for the table's legend */
    const char *source;                    /* eBPF assembly */
    uint64_t (*native)(const uint64_t *mem); /* the same work in C (noinline) */
    uint64_t n;                            /* size parameter for the timing table */
    uint64_t probe_n[2];                   /* two sizes whose difference the callgrind probe measures */
} bench_program;

extern const bench_program bench_programs[];
extern const size_t bench_program_count;

/* Helper 1 of every benchmark program: returns r1 + 1. */
uint64_t bench_helper_inc(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user);

const bench_program *bench_find(const char *name);

#endif
