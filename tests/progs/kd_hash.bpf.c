/* kd_hash.bpf.c - kernel-differential program for the hash maps: the command packet of kd_prog.h with
 * sel 0 = `hash` (4 entries), 1 = `phash` (per-CPU, 4 entries), 2 = `lru` (LRU, 64 entries),
 * 3 = `plru` (per-CPU LRU, 64 entries); u32 keys, u64 values. The small hash maps let cases fill
 * them; the LRU maps are large enough that no case evicts (LRU eviction order is Linux's own). */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} hash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} phash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} lru SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} plru SEC(".maps");

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    switch (c->sel) {
    case 0:
        return kd_map_op(&hash, c, second, 0, 1);
    case 1:
        return kd_map_op(&phash, c, second, 1, 1);
    case 2:
        return kd_map_op(&lru, c, second, 0, 1);
    case 3:
        return kd_map_op(&plru, c, second, 1, 1);
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_hash, dispatch)

char LICENSE[] SEC("license") = "GPL";
