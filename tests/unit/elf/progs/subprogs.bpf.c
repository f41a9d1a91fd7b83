/* subprogs.bpf.c - sub-programs: static functions in .text called from two programs (one of them
 * calling another), a global function in .text (itself a program), a bpf_loop callback (lddw of a
 * function), and two programs sharing one section. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int square(int x)
{
    return x * x;
}

static __attribute__((noinline)) int sum_squares(int a, int b)
{
    return square(a) + square(b);
}

__attribute__((noinline)) int global_helper(int v)
{
    return v + 1;
}

static int loop_body(__u32 index, void *ctx)
{
    int *acc = ctx;
    *acc += index;
    return 0;
}

SEC("xdp")
int prog_a(struct xdp_md *ctx)
{
    int acc = 0;
    bpf_loop(4, loop_body, &acc, 0);
    return sum_squares(ctx->ingress_ifindex, acc) & 3;
}

SEC("xdp")
int prog_b(struct xdp_md *ctx)
{
    return global_helper(square(ctx->rx_queue_index)) & 3;
}

SEC("tc")
int prog_c(struct __sk_buff *skb)
{
    return square(skb->len) > 100;
}

char _license[] SEC("license") = "GPL";
