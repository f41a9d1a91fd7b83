/* kd_mim.bpf.c - kernel-differential program for BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS, with
 * inner maps placed in the outer maps by the object (`.values`). Command packet of kd_prog.h: sel 0
 * looks the inner map up in `outer_arr`, sel 1 in `outer_hash`, at key `key`; then op KD_LOOKUP,
 * KD_UPDATE (flags) or KD_ADD acts on the inner map at key `arg` with value `value`. res = KD_ABSENT
 * when the outer map has no inner map at that key. */
#include "kd_prog.h"

struct inner_array {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
};

struct inner_hash {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
};

struct inner_array inner_a SEC(".maps"), inner_b SEC(".maps");
struct inner_hash inner_h SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 3);
    __type(key, __u32);
    __array(values, struct inner_array);
} outer_arr SEC(".maps") = {
    .values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner_hash);
} outer_hash SEC(".maps") = {
    .values = { [1] = &inner_h },
};

static __always_inline long inner_op(void *inner, const struct kd_cmd *c)
{
    __u32 key = c->arg;
    __u64 value = c->value, *v;
    switch (c->op) {
    case KD_LOOKUP:
        v = bpf_map_lookup_elem(inner, &key);
        return v ? (long)*v : KD_ABSENT;
    case KD_UPDATE:
        return bpf_map_update_elem(inner, &key, &value, c->flags);
    case KD_ADD:
        v = bpf_map_lookup_elem(inner, &key);
        if (!v)
            return KD_ABSENT;
        *v += value;
        return (long)*v;
    }
    return KD_BAD_OP;
}

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    __u32 key = c->key;
    void *inner;
    if (c->sel == 0) {
        inner = bpf_map_lookup_elem(&outer_arr, &key);
        return inner ? inner_op(inner, c) : KD_ABSENT;
    }
    if (c->sel == 1) {
        inner = bpf_map_lookup_elem(&outer_hash, &key);
        return inner ? inner_op(inner, c) : KD_ABSENT;
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_mim, dispatch)

char LICENSE[] SEC("license") = "GPL";
