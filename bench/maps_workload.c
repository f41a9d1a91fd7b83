/*
 * maps_workload.c - bench_maps: the key sets and operation sequences of the four benchmark maps.
 *
 *   array     indexes 0..4095 all filled; a miss is an index >= 4096 (out of range).
 *   hash,     4096 keys mix64(1..4096) (mix64 is a bijection, so keys are distinct); a miss is
 *   lru_hash  mix64(j) with j >= 2^40, never a filled key.
 *   lpm_trie  ~4096 distinct IPv4 prefixes shaped like a routing table (about 2 % /8-/15, 18 % /16-/21,
 *             20 % /22-/23, 53 % /24, 7 % /25-/32), first octet 1..191. A hit looks up a /32 address
 *             inside a random filled prefix (the answer may be a longer prefix covering it); a miss is
 *             an address in 224.0.0.0/3, which no prefix covers.
 *
 * Hit and update sequences pick filled keys uniformly at random; the mixed sequence replaces each
 * key with a miss with probability miss_pct %. Values are patterned bytes unique to each entry.
 */
#include "maps_workload.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *const bm_op_names[BM_OPS] = { "lookup hit", "lookup mix", "update" };

/* splitmix64: the generator and, as mix64, its output function (a bijection on 64-bit words). */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rnd(uint64_t *state)
{
    *state += 0x9e3779b97f4a7c15ull;
    return mix64(*state);
}

typedef struct prefix {
    uint32_t addr, len; /* addr in host order, host bits zero */
} prefix;

static uint32_t prefix_mask(uint32_t len)
{
    return len ? ~0u << (32 - len) : 0;
}

static uint32_t random_prefix_len(uint64_t *s)
{
    unsigned p = (unsigned)(rnd(s) % 100);
    if (p < 2)
        return 8 + (uint32_t)(rnd(s) % 8);
    if (p < 20)
        return 16 + (uint32_t)(rnd(s) % 6);
    if (p < 40)
        return 22 + (uint32_t)(rnd(s) % 2);
    if (p < 93)
        return 24;
    return 25 + (uint32_t)(rnd(s) % 8);
}

static int prefix_cmp(const void *a, const void *b)
{
    const prefix *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}

static void put_lpm_key(uint8_t *key, uint32_t len, uint32_t addr)
{
    memcpy(key, &len, 4);
    key[4] = (uint8_t)(addr >> 24);
    key[5] = (uint8_t)(addr >> 16);
    key[6] = (uint8_t)(addr >> 8);
    key[7] = (uint8_t)addr;
}

static uint32_t lpm_key_addr(const uint8_t *key)
{
    return (uint32_t)key[4] << 24 | (uint32_t)key[5] << 16 | (uint32_t)key[6] << 8 | key[7];
}

static uint32_t lpm_key_len(const uint8_t *key)
{
    uint32_t len;
    memcpy(&len, key, 4);
    return len;
}

/* Fills w->fill_keys for its type; returns the number of keys. */
static uint32_t make_fill_keys(bm_workload *w, int type, uint64_t *s)
{
    if (type == BM_ARRAY) {
        for (uint32_t i = 0; i < BM_ARRAY_ENTRIES; i++)
            memcpy(w->fill_keys + (size_t)i * 4, &i, 4);
        return BM_ARRAY_ENTRIES;
    }
    if (type != BM_LPM) {
        for (uint32_t i = 0; i < BM_FILL; i++) {
            uint64_t k = mix64(i + 1);
            memcpy(w->fill_keys + (size_t)i * 8, &k, 8);
        }
        return BM_FILL;
    }
    prefix set[BM_FILL];
    for (uint32_t i = 0; i < BM_FILL; i++) {
        uint32_t len = random_prefix_len(s);
        uint32_t addr = (uint32_t)(1 + rnd(s) % 191) << 24 | (uint32_t)(rnd(s) & 0xffffff);
        set[i] = (prefix){ addr & prefix_mask(len), len };
    }
    qsort(set, BM_FILL, sizeof set[0], prefix_cmp);
    uint32_t n = 0;
    for (uint32_t i = 0; i < BM_FILL; i++)
        if (n == 0 || prefix_cmp(&set[i], &set[n - 1]) != 0)
            set[n++] = set[i];
    for (uint32_t i = 0; i < n; i++) { /* shuffle: insertion order should not follow address order */
        uint32_t j = i + (uint32_t)(rnd(s) % (n - i));
        prefix t = set[i];
        set[i] = set[j];
        set[j] = t;
    }
    for (uint32_t i = 0; i < n; i++)
        put_lpm_key(w->fill_keys + (size_t)i * 8, set[i].len, set[i].addr);
    return n;
}

/* One key for a sequence: a filled key (an lpm hit: a /32 inside a filled prefix), or a miss. */
static void make_seq_key(const bm_workload *w, int type, bool miss, bool update, uint64_t *s, uint8_t *key)
{
    uint32_t pick = (uint32_t)(rnd(s) % w->entries);
    const uint8_t *filled = w->fill_keys + (size_t)pick * w->key_size;
    if (type == BM_ARRAY) {
        uint32_t i = miss ? BM_ARRAY_ENTRIES + (uint32_t)(rnd(s) % (UINT32_MAX - BM_ARRAY_ENTRIES)) : pick;
        memcpy(key, &i, 4);
    } else if (type != BM_LPM) {
        uint64_t k = mix64((1ull << 40) + (rnd(s) >> 24));
        memcpy(key, miss ? (const uint8_t *)&k : filled, 8);
    } else if (miss) {
        put_lpm_key(key, 32, (uint32_t)(224 + rnd(s) % 32) << 24 | (uint32_t)(rnd(s) & 0xffffff));
    } else if (update) {
        memcpy(key, filled, 8);
    } else {
        uint32_t len = lpm_key_len(filled);
        put_lpm_key(key, 32, lpm_key_addr(filled) | ((uint32_t)rnd(s) & ~prefix_mask(len)));
    }
}

int bm_workload_init(bm_workload w[BM_TYPES], uint32_t seq_len, unsigned miss_pct)
{
    static const struct {
        const char *label, *map, *lookup, *update;
        uint32_t key_size, value_size;
    } def[BM_TYPES] = {
        { "array", "m_array", "lookup_array", "update_array", 4, BM_ARRAY_VALUE },
        { "hash", "m_hash", "lookup_hash", "update_hash", 8, BM_HASH_VALUE },
        { "lru_hash", "m_lru", "lookup_lru", "update_lru", 8, BM_HASH_VALUE },
        { "lpm_trie", "m_lpm", "lookup_lpm", "update_lpm", 8, BM_LPM_VALUE },
    };
    memset(w, 0, sizeof *w * BM_TYPES);
    for (int t = 0; t < BM_TYPES; t++) {
        uint64_t s = 0x5eed0000u + (uint64_t)t; /* per type: the key set does not depend on seq_len */
        bm_workload *x = &w[t];
        x->label = def[t].label;
        x->map = def[t].map;
        x->prog[BM_OP_HIT] = x->prog[BM_OP_MIX] = def[t].lookup;
        x->prog[BM_OP_UPDATE] = def[t].update;
        x->key_size = def[t].key_size;
        x->value_size = def[t].value_size;
        x->seq_len = seq_len;
        size_t cap = t == BM_ARRAY ? BM_ARRAY_ENTRIES : BM_FILL;
        x->fill_keys = malloc(cap * x->key_size);
        x->fill_values = malloc(cap * x->value_size);
        for (int op = 0; op < BM_OPS; op++)
            x->seq[op] = malloc((size_t)seq_len * x->key_size);
        if (!x->fill_keys || !x->fill_values || !x->seq[0] || !x->seq[1] || !x->seq[2]) {
            bm_workload_free(w);
            return -ENOMEM;
        }
        x->entries = make_fill_keys(x, t, &s);
        for (uint32_t i = 0; i < x->entries; i++)
            for (uint32_t b = 0; b < x->value_size; b++)
                x->fill_values[(size_t)i * x->value_size + b] = (uint8_t)(mix64(i * 131u + b + t * 7919u) >> 7);
        for (int op = 0; op < BM_OPS; op++)
            for (uint32_t i = 0; i < seq_len; i++) {
                bool miss = op == BM_OP_MIX && rnd(&s) % 100 < miss_pct;
                make_seq_key(x, t, miss, op == BM_OP_UPDATE, &s, x->seq[op] + (size_t)i * x->key_size);
            }
    }
    return 0;
}

void bm_workload_free(bm_workload w[BM_TYPES])
{
    for (int t = 0; t < BM_TYPES; t++) {
        free(w[t].fill_keys);
        free(w[t].fill_values);
        for (int op = 0; op < BM_OPS; op++)
            free(w[t].seq[op]);
        memset(&w[t], 0, sizeof w[t]);
    }
}

void bm_workload_packet(const bm_workload *w, int op, uint8_t pkt[BM_PKT_LEN])
{
    memset(pkt, 0, BM_PKT_LEN);
    for (uint32_t i = 0; i < BM_PKT_KEYS && i < w->seq_len; i++)
        memcpy(pkt + BM_PKT_KEYS_OFF + 8 * i, bm_key(w, op, i), w->key_size);
}
