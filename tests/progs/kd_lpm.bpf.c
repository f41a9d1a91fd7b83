/* kd_lpm.bpf.c - kernel-differential program for BPF_MAP_TYPE_LPM_TRIE (IPv4 prefixes, u64 values,
 * 8 entries): the command packet of kd_prog.h where the 4 key bytes are the address in packet order
 * and arg is the prefix length. KD_LOOKUP finds the longest matching prefix (a lookup key's own
 * prefix length bounds the match), KD_UPDATE / KD_DELETE store and remove prefixes. */
#include "kd_prog.h"

struct lpm_key {
    __u32 prefixlen;
    __u8 addr[4];
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 8);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm_key);
    __type(value, __u64);
} prefixes SEC(".maps");

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    struct lpm_key key = { .prefixlen = c->arg };
    __builtin_memcpy(key.addr, &c->key, sizeof key.addr);
    __u64 value = c->value, *v;
    switch (c->op) {
    case KD_LOOKUP:
        v = bpf_map_lookup_elem(&prefixes, &key);
        return v ? (long)*v : KD_ABSENT;
    case KD_UPDATE:
        return bpf_map_update_elem(&prefixes, &key, &value, c->flags);
    case KD_DELETE:
        return bpf_map_delete_elem(&prefixes, &key);
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_lpm, dispatch)

char LICENSE[] SEC("license") = "GPL";
