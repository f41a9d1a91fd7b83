/*
 * diff_rng.c - the differential test's pseudo-random source. The state advances by an odd constant
 * and each output is that state passed through a 64-bit bit mixer (multiply / xor-shift rounds);
 * quality is ample for test generation and every stream is a pure function of (seed, index).
 */
#include "diff_rng.h"

#define RNG_STEP 0x9e3779b97f4a7c15ull

static uint64_t rng_mix(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ull;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z;
}

void diff_rng_init(diff_rng *rng, uint64_t seed, uint64_t index)
{
    /* Two mixing rounds so that neighbouring seeds and indexes give unrelated streams. */
    rng->state = rng_mix(rng_mix(seed) + index * RNG_STEP + 1);
}

uint64_t diff_rng_next(diff_rng *rng)
{
    rng->state += RNG_STEP;
    return rng_mix(rng->state);
}

uint32_t diff_rng_below(diff_rng *rng, uint32_t n)
{
    /* Multiply-shift: bias below 2^-32 per draw, irrelevant here. */
    return (uint32_t)(((diff_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

bool diff_rng_chance(diff_rng *rng, uint32_t percent)
{
    return diff_rng_below(rng, 100) < percent;
}
