/* alu.bpf.c - bench_jit: an ALU loop over the packet bytes. One bounds check, then a bounded loop that
 * mixes BENCH_ALU_BYTES bytes into a 32-bit hash (xor, multiply, shift, add per byte). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench_xdp.h"

SEC("xdp")
int bench_alu(struct xdp_md *ctx)
{
    __u8 *p = (void *)(long)ctx->data;
    __u8 *end = (void *)(long)ctx->data_end;
    if (p + BENCH_PKT_LEN > end)
        return XDP_ABORTED;
    __u32 h = 2166136261u;
    for (int i = 0; i < BENCH_ALU_BYTES; i++) {
        __u32 b = p[i];
        h = (h ^ b) * 16777619u;
        h ^= h >> 13;
        h += b << 3;
    }
    *(__u32 *)(p + BENCH_RESULT_OFF) = h;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
