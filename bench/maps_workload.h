/* maps_workload.h - bench_maps: the keys and values every side of the map benchmark uses, so that our
 * maps and the kernel's see the same operations in the same order. Deterministic (fixed seed). */
#ifndef BENCH_MAPS_WORKLOAD_H
#define BENCH_MAPS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "progs/bench_maps.h"

enum { BM_ARRAY, BM_HASH, BM_LRU, BM_LPM, BM_TYPES };

/* The operations timed: lookups that all hit, lookups of which miss_pct % miss, BPF_ANY updates of
 * keys present. */
enum { BM_OP_HIT, BM_OP_MIX, BM_OP_UPDATE, BM_OPS };

typedef struct bm_workload {
    const char *label;       /* "array", "hash", "lru_hash", "lpm_trie" */
    const char *map;         /* map name in bench/progs/maps.bpf.c */
    const char *prog[BM_OPS]; /* its in-program twin: lookup_TYPE (hit and mix), update_TYPE */
    uint32_t key_size, value_size;
    uint32_t entries;        /* keys filled (lpm: distinct prefixes) */
    uint8_t *fill_keys;      /* entries keys of key_size bytes */
    uint8_t *fill_values;    /* entries values of value_size bytes */
    uint32_t seq_len;
    uint8_t *seq[BM_OPS];    /* seq_len keys per operation, in the order every side runs them */
} bm_workload;

extern const char *const bm_op_names[BM_OPS];

/* Builds the four workloads. Returns 0 or -ENOMEM (everything freed). */
int bm_workload_init(bm_workload w[BM_TYPES], uint32_t seq_len, unsigned miss_pct);
void bm_workload_free(bm_workload w[BM_TYPES]);

/* Key i of operation op. */
static inline const uint8_t *bm_key(const bm_workload *w, int op, uint32_t i)
{
    return w->seq[op] + (size_t)i * w->key_size;
}

/* The packet of the in-program path for op: the first BM_PKT_KEYS keys of its sequence as 8-byte
 * words (key bytes zero-padded), after a zeroed 16-byte header. */
void bm_workload_packet(const bm_workload *w, int op, uint8_t pkt[BM_PKT_LEN]);

#endif
