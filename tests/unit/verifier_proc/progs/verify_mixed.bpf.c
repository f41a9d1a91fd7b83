/* verify_mixed.bpf.c - two programs: `pass` every verifier accepts, and `null_deref`, which writes
 * through the result of a hash-map lookup without checking it for NULL: every verifier refuses it. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int pass(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp")
int null_deref(struct xdp_md *ctx)
{
    __u32 key = ctx->ingress_ifindex;
    __u64 *count = bpf_map_lookup_elem(&counts, &key);
    *count += 1; /* no NULL check */
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
