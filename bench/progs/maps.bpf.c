/* maps.bpf.c - bench_maps: the four benchmark maps (array, hash, lru_hash, lpm_trie; geometry in
 * bench_maps.h) and, for the in-program path, one XDP program per map and operation:
 *   lookup_TYPE  BM_PKT_KEYS bpf_map_lookup_elem calls, keys read from the packet; sums the first word
 *                of each value found and writes the sum into the packet's first 8 bytes.
 *   update_TYPE  BM_PKT_KEYS bpf_map_update_elem(BPF_ANY) calls with value { key word + 1, 0... };
 *                writes the number of successful updates into the packet's first 8 bytes.
 * Both return XDP_PASS (XDP_ABORTED for a packet shorter than BM_PKT_LEN). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench_maps.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, BM_ARRAY_ENTRIES);
    __type(key, __u32);
    __type(value, __u8[BM_ARRAY_VALUE]);
} m_array SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, BM_HASH_MAX);
    __type(key, __u64);
    __type(value, __u8[BM_HASH_VALUE]);
} m_hash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, BM_HASH_MAX);
    __type(key, __u64);
    __type(value, __u8[BM_HASH_VALUE]);
} m_lru SEC(".maps");

struct lpm_v4_key {
    __u32 prefixlen;
    __u8 addr[4];
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, BM_LPM_MAX);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm_v4_key);
    __type(value, __u8[BM_LPM_VALUE]);
} m_lpm SEC(".maps");

/* KEY_T: the key's C type, taken from the low bytes of the packet word (little-endian; the words are
 * 8-byte aligned in the packet, so each is one load). */
#define BM_LOOKUP(NAME, MAP, KEY_T)                                                                   \
    SEC("xdp") int NAME(struct xdp_md *ctx)                                                           \
    {                                                                                                 \
        __u8 *p = (void *)(long)ctx->data;                                                            \
        __u8 *end = (void *)(long)ctx->data_end;                                                      \
        if (p + BM_PKT_LEN > end)                                                                     \
            return XDP_ABORTED;                                                                       \
        __u64 sum = 0;                                                                                \
        for (__u32 i = 0; i < BM_PKT_KEYS; i++) {                                                     \
            __u64 word = *(__u64 *)(p + BM_PKT_KEYS_OFF + 8 * i);                                     \
            KEY_T key;                                                                                \
            __builtin_memcpy(&key, &word, sizeof key);                                                \
            __u64 *v = bpf_map_lookup_elem(&MAP, &key);                                               \
            if (v)                                                                                    \
                sum += *v;                                                                            \
        }                                                                                             \
        *(__u64 *)p = sum;                                                                            \
        return XDP_PASS;                                                                              \
    }

#define BM_UPDATE(NAME, MAP, KEY_T, VALUE_SIZE)                                                       \
    SEC("xdp") int NAME(struct xdp_md *ctx)                                                           \
    {                                                                                                 \
        __u8 *p = (void *)(long)ctx->data;                                                            \
        __u8 *end = (void *)(long)ctx->data_end;                                                      \
        if (p + BM_PKT_LEN > end)                                                                     \
            return XDP_ABORTED;                                                                       \
        __u64 value[(VALUE_SIZE) / 8] = { 0 };                                                        \
        __u64 done = 0;                                                                               \
        for (__u32 i = 0; i < BM_PKT_KEYS; i++) {                                                     \
            __u64 word = *(__u64 *)(p + BM_PKT_KEYS_OFF + 8 * i);                                     \
            KEY_T key;                                                                                \
            __builtin_memcpy(&key, &word, sizeof key);                                                \
            value[0] = word + 1;                                                                      \
            done += bpf_map_update_elem(&MAP, &key, value, BPF_ANY) == 0;                             \
        }                                                                                             \
        *(__u64 *)p = done;                                                                           \
        return XDP_PASS;                                                                              \
    }

BM_LOOKUP(lookup_array, m_array, __u32)
BM_LOOKUP(lookup_hash, m_hash, __u64)
BM_LOOKUP(lookup_lru, m_lru, __u64)
BM_LOOKUP(lookup_lpm, m_lpm, struct lpm_v4_key)
BM_UPDATE(update_array, m_array, __u32, BM_ARRAY_VALUE)
BM_UPDATE(update_hash, m_hash, __u64, BM_HASH_VALUE)
BM_UPDATE(update_lru, m_lru, __u64, BM_HASH_VALUE)
BM_UPDATE(update_lpm, m_lpm, struct lpm_v4_key, BM_LPM_VALUE)

char LICENSE[] SEC("license") = "GPL";
