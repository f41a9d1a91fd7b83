/* jit_native.c - the C twins of the bench_jit XDP programs (bench/progs/NAME.bpf.c): the same
 * operations in the same order, on the same packet. Every function is noinline and bench_jit calls it
 * through a volatile function pointer, so gcc -O2 can neither inline it nor fold the work away.
 *
 * Maps are approximated: the array map by a plain array with the lookup's bounds check; the hash map
 * by a chained table with our hash map's algorithm (native_chain, jit_native.h), and, as a lower bound
 * that is not the same algorithm, by a small open-addressing table (multiplicative hash, linear
 * probing). None has the kernel's (or our runtime's) generic map machinery, locking or RCU: they are
 * the cost of the lookup itself. */
#include "jit_native.h"

#include <stdlib.h>
#include <string.h>

#include "progs/bench_xdp.h"

static uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void store32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

static uint16_t load16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t swap16(uint16_t v)
{
    return (uint16_t)(v >> 8 | v << 8);
}

__attribute__((noinline)) uint32_t native_nop(uint8_t *pkt, size_t len, native_env *env)
{
    (void)pkt, (void)len, (void)env;
    return 2; /* XDP_PASS */
}

__attribute__((noinline)) uint32_t native_alu(uint8_t *pkt, size_t len, native_env *env)
{
    (void)env;
    if (len < BENCH_PKT_LEN)
        return 0;
    uint32_t h = 2166136261u;
    for (int i = 0; i < BENCH_ALU_BYTES; i++) {
        uint32_t b = pkt[i];
        h = (h ^ b) * 16777619u;
        h ^= h >> 13;
        h += b << 3;
    }
    store32(pkt + BENCH_RESULT_OFF, h);
    return 2;
}

__attribute__((noinline)) uint32_t native_parse(uint8_t *pkt, size_t len, native_env *env)
{
    (void)env;
    uint32_t r = 1;
    if (len < 14)
        return 0;
    if (load16(pkt + 12) != swap16(0x0800))
        goto out;
    const uint8_t *ip = pkt + 14;
    if (len < 14 + 20)
        goto out;
    unsigned ihl = ip[0] & 0xf;
    if ((ip[0] >> 4) != 4 || ihl < 5)
        goto out;
    uint32_t csum = 0;
    for (int i = 0; i < 10; i++)
        csum += load16(ip + 2 * i);
    csum = (csum & 0xffff) + (csum >> 16);
    csum = (csum & 0xffff) + (csum >> 16);
    r = 2 + ((~csum & 0xffff) << 8);
    if (ip[9] != 17)
        goto out;
    const uint8_t *udp = ip + ihl * 4;
    if ((size_t)(udp + 8 - pkt) > len)
        goto out;
    r ^= load32(ip + 12) * 31 + load32(ip + 16);
    r = r * 16777619u ^ ((uint32_t)load16(udp) << 16 | load16(udp + 2));
    r += swap16(load16(udp + 4));
out:
    if (len >= BENCH_PKT_LEN)
        store32(pkt + BENCH_RESULT_OFF, r);
    return 2;
}

/* The array map's lookup: NULL outside the map. */
static uint64_t *array_lookup(native_array *a, uint32_t key)
{
    return key < a->max_entries ? &a->values[key] : NULL;
}

__attribute__((noinline)) uint32_t native_array_lookups(uint8_t *pkt, size_t len, native_env *env)
{
    if (len < BENCH_PKT_LEN)
        return 0;
    uint32_t seed = load32(pkt + BENCH_SEED_OFF);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < BENCH_MAP_LOOKUPS; i++) {
        uint64_t *v = array_lookup(env->array, (i + seed) & (BENCH_MAP_LOOKUPS - 1));
        if (v)
            sum += *v;
    }
    store32(pkt + BENCH_RESULT_OFF, (uint32_t)(sum ^ (sum >> 32)));
    return 2;
}

static uint32_t hash_slot(uint32_t key)
{
    return (key * 0x85ebca6bu) >> 24; /* 256 slots */
}

int native_hash_update(native_hash *h, uint32_t key, uint64_t value)
{
    for (uint32_t n = 0, s = hash_slot(key); n < NATIVE_HASH_SLOTS; n++, s = (s + 1) % NATIVE_HASH_SLOTS) {
        if (!h->used[s] || h->keys[s] == key) {
            h->used[s] = 1;
            h->keys[s] = key;
            h->values[s] = value;
            return 0;
        }
    }
    return -1;
}

/* Not inlined, as a map lookup is a call in the kernel too. */
__attribute__((noinline)) static uint64_t *hash_lookup(native_hash *h, uint32_t key)
{
    for (uint32_t n = 0, s = hash_slot(key); n < NATIVE_HASH_SLOTS; n++, s = (s + 1) % NATIVE_HASH_SLOTS) {
        if (!h->used[s])
            return NULL;
        if (h->keys[s] == key)
            return &h->values[s];
    }
    return NULL;
}

__attribute__((noinline)) uint32_t native_hash_open_lookups(uint8_t *pkt, size_t len, native_env *env)
{
    if (len < BENCH_PKT_LEN)
        return 0;
    uint32_t seed = load32(pkt + BENCH_SEED_OFF);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < BENCH_MAP_LOOKUPS; i++) {
        uint64_t *v = hash_lookup(env->hash, (i + seed) * BENCH_HASH_MULT);
        if (v)
            sum += *v;
    }
    store32(pkt + BENCH_RESULT_OFF, (uint32_t)(sum ^ (sum >> 32)));
    return 2;
}

/* The hash of htab.c for a 4-byte key, written out for that size. */
static uint32_t chain_hash(uint64_t seed, uint32_t key)
{
    uint64_t x = seed ^ (4 * 0x9e3779b97f4a7c15ull);
    x = (x ^ key) * 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 29;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 32;
    return (uint32_t)x;
}

int native_chain_update(native_chain *h, uint32_t key, uint64_t value)
{
    uint32_t hash = chain_hash(h->seed, key);
    native_chain_elem **link = &h->buckets[hash & (NATIVE_CHAIN_BUCKETS - 1)];
    for (native_chain_elem *e = *link; e; e = e->next)
        if (e->hash == hash && e->key == key) {
            e->value = value;
            return 0;
        }
    native_chain_elem *e = malloc(sizeof *e);
    if (!e)
        return -1;
    *e = (native_chain_elem){ *link, hash, key, value };
    *link = e; /* at the head, as htab.c inserts */
    return 0;
}

/* Not inlined, as a map lookup is a call in the kernel and in our JIT code too. */
__attribute__((noinline)) static uint64_t *chain_lookup(native_chain *h, uint32_t key)
{
    uint32_t hash = chain_hash(h->seed, key);
    for (native_chain_elem *e = h->buckets[hash & (NATIVE_CHAIN_BUCKETS - 1)]; e; e = e->next)
        if (e->hash == hash && e->key == key)
            return &e->value;
    return NULL;
}

__attribute__((noinline)) uint32_t native_hash_lookups(uint8_t *pkt, size_t len, native_env *env)
{
    if (len < BENCH_PKT_LEN)
        return 0;
    uint32_t seed = load32(pkt + BENCH_SEED_OFF);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < BENCH_MAP_LOOKUPS; i++) {
        uint64_t *v = chain_lookup(env->chain, (i + seed) * BENCH_HASH_MULT);
        if (v)
            sum += *v;
    }
    store32(pkt + BENCH_RESULT_OFF, (uint32_t)(sum ^ (sum >> 32)));
    return 2;
}

__attribute__((noinline)) uint32_t native_branchy(uint8_t *pkt, size_t len, native_env *env)
{
    (void)env;
    if (len < BENCH_PKT_LEN)
        return 0;
    uint32_t x = load32(pkt + BENCH_SEED_OFF) + 12345;
    uint32_t a = 0, b = 0;
    for (int i = 0; i < BENCH_BRANCHY_ITERS; i++) {
        x = x * 1103515245u + 12345u;
        if (x & 0x10000)
            a += x >> 16;
        else
            a ^= x;
        if (x & 0x200000)
            b += a;
        else
            b -= 3;
        if ((x >> 28) > 9)
            a = (a << 1) | (a >> 31);
    }
    store32(pkt + BENCH_RESULT_OFF, a ^ b);
    return 2;
}
