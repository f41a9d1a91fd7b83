/*
 * sound_rng.h - the soundness harness's deterministic random source (splitmix64): one seed, printed
 * by the harness and overridable through the environment, reproduces every input and every mutant.
 */
#ifndef SOUND_RNG_H
#define SOUND_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct sound_rng {
    uint64_t state;
} sound_rng;

static inline uint64_t sound_next(sound_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0; the tiny modulo bias does not matter here). */
static inline uint64_t sound_below(sound_rng *r, uint64_t n)
{
    return sound_next(r) % n;
}

/* An independent stream for one job (object, program, mutant), so that a job's inputs do not depend
 * on how many jobs ran before it. */
static inline sound_rng sound_fork(uint64_t seed, uint64_t a, uint64_t b)
{
    sound_rng r = { seed ^ (a * 0x100000001b3ull) ^ (b * 0xc2b2ae3d27d4eb4full) };
    sound_next(&r);
    return r;
}

static inline void sound_fill(sound_rng *r, uint8_t *buf, size_t size)
{
    for (size_t i = 0; i < size; i++)
        buf[i] = (uint8_t)sound_next(r);
}

/* A "string" hash for fork keys (FNV-1a). */
static inline uint64_t sound_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
    return h;
}

#endif
