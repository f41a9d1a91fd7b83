/* array.bpf.c - bench_jit: 64 lookups in an array map (64 u64 values), keys (i + seed) & 63 with the
 * seed read from the packet, summing the values found. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench_xdp.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, BENCH_MAP_LOOKUPS);
    __type(key, __u32);
    __type(value, __u64);
} table SEC(".maps");

SEC("xdp")
int bench_array(struct xdp_md *ctx)
{
    __u8 *p = (void *)(long)ctx->data;
    __u8 *end = (void *)(long)ctx->data_end;
    if (p + BENCH_PKT_LEN > end)
        return XDP_ABORTED;
    __u32 seed = *(__u32 *)(p + BENCH_SEED_OFF);
    __u64 sum = 0;
    for (__u32 i = 0; i < BENCH_MAP_LOOKUPS; i++) {
        __u32 key = (i + seed) & (BENCH_MAP_LOOKUPS - 1);
        __u64 *v = bpf_map_lookup_elem(&table, &key);
        if (v)
            sum += *v;
    }
    *(__u32 *)(p + BENCH_RESULT_OFF) = (__u32)(sum ^ (sum >> 32));
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
