/* jit_native.h - the native twins of the bench_jit XDP programs (bench/progs), compiled by the host C
 * compiler at -O2 into bench_jit. Each takes the packet and its length, the map stand-ins where the
 * program uses a map, and writes its result where the eBPF program does (bench_xdp.h). */
#ifndef BENCH_JIT_NATIVE_H
#define BENCH_JIT_NATIVE_H

#include <stddef.h>
#include <stdint.h>

/* Stand-in for the hash map: open addressing with linear probing, a power-of-two number of slots. */
#define NATIVE_HASH_SLOTS 256
typedef struct native_hash {
    uint32_t keys[NATIVE_HASH_SLOTS];
    uint64_t values[NATIVE_HASH_SLOTS];
    uint8_t used[NATIVE_HASH_SLOTS];
} native_hash;

/* Stand-in for the hash map with the algorithm of our runtime's hash map (src/maps/htab.c): a
 * power-of-two array of bucket chains, every element allocated on its own, the seeded 64-bit
 * multiply-xorshift hash, the stored hash compared before the key. Without what makes it a generic
 * map: no locks or epochs, no run-time key size, no atomics (plain loads, as acquire loads are on
 * x86-64). NATIVE_CHAIN_BUCKETS is what htab.c picks for the benchmark's max_entries (128). */
#define NATIVE_CHAIN_BUCKETS 128
typedef struct native_chain_elem {
    struct native_chain_elem *next;
    uint32_t hash;
    uint32_t key;
    uint64_t value;
} native_chain_elem;
typedef struct native_chain {
    native_chain_elem *buckets[NATIVE_CHAIN_BUCKETS];
    uint64_t seed;
} native_chain;

/* Stand-in for the array map: plain values, the bounds check of a lookup kept. */
typedef struct native_array {
    uint32_t max_entries;
    uint64_t values[64];
} native_array;

typedef struct native_env {
    native_array *array;
    native_hash *hash;
    native_chain *chain;
} native_env;

typedef uint32_t (*native_fn)(uint8_t *pkt, size_t len, native_env *env);

uint32_t native_nop(uint8_t *pkt, size_t len, native_env *env);
uint32_t native_alu(uint8_t *pkt, size_t len, native_env *env);
uint32_t native_parse(uint8_t *pkt, size_t len, native_env *env);
uint32_t native_array_lookups(uint8_t *pkt, size_t len, native_env *env);
uint32_t native_hash_lookups(uint8_t *pkt, size_t len, native_env *env);      /* native_chain */
uint32_t native_hash_open_lookups(uint8_t *pkt, size_t len, native_env *env); /* native_hash */
uint32_t native_branchy(uint8_t *pkt, size_t len, native_env *env);

/* Inserts or replaces key; returns 0, or -1 when the table is full. */
int native_hash_update(native_hash *h, uint32_t key, uint64_t value);
/* The same for the chained table (elements malloc'd, never freed: the table lives as long as the
 * process); -1 when out of memory. */
int native_chain_update(native_chain *h, uint32_t key, uint64_t value);

#endif
