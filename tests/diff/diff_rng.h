/*
 * diff_rng.h - the differential test's pseudo-random source: a small 64-bit generator whose whole
 * state is one word, so that a program is reproduced from (seed, index) alone.
 */
#ifndef EBPF_DIFF_RNG_H
#define EBPF_DIFF_RNG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct diff_rng {
    uint64_t state;
} diff_rng;

/* Seeds the generator for program `index` of a run started with `seed`. */
void diff_rng_init(diff_rng *rng, uint64_t seed, uint64_t index);

uint64_t diff_rng_next(diff_rng *rng);

/* Uniform in [0, n); n > 0. */
uint32_t diff_rng_below(diff_rng *rng, uint32_t n);

/* True with probability percent/100. */
bool diff_rng_chance(diff_rng *rng, uint32_t percent);

#endif
