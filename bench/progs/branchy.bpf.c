/* branchy.bpf.c - bench_jit: a loop of BENCH_BRANCHY_ITERS steps of a linear congruential generator
 * seeded from the packet, with three data-dependent branches per step. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bench_xdp.h"

SEC("xdp")
int bench_branchy(struct xdp_md *ctx)
{
    __u8 *p = (void *)(long)ctx->data;
    __u8 *end = (void *)(long)ctx->data_end;
    if (p + BENCH_PKT_LEN > end)
        return XDP_ABORTED;
    __u32 x = *(__u32 *)(p + BENCH_SEED_OFF) + 12345;
    __u32 a = 0, b = 0;
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
    *(__u32 *)(p + BENCH_RESULT_OFF) = a ^ b;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
