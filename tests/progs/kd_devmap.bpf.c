/* kd_devmap.bpf.c - kernel-differential program for BPF_MAP_TYPE_DEVMAP, bpf_redirect_map and
 * bpf_redirect. Ops on the command packet of kd_prog.h:
 *   40 REDIRECT_MAP  res = bpf_redirect_map(&ports, key, flags = value)  (the action)
 *   41 REDIRECT      res = bpf_redirect(ifindex = key, flags = value)
 *   KD_LOOKUP        res = the ifindex stored at key, or KD_ABSENT
 * The runner fills `ports` with ifindex 1 (loopback, which every network namespace has). */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u32);
} ports SEC(".maps");

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    __u32 key = c->key, *ifindex;
    switch (c->op) {
    case 40:
        return bpf_redirect_map(&ports, key, c->value);
    case 41:
        return bpf_redirect(key, c->value);
    case KD_LOOKUP:
        ifindex = bpf_map_lookup_elem(&ports, &key);
        return ifindex ? (long)*ifindex : KD_ABSENT;
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_devmap, dispatch)

char LICENSE[] SEC("license") = "GPL";
