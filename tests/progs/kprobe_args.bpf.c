/* kprobe_args.bpf.c - test program (kprobe, a raw pt_regs context): returns the sum of the first two
 * x86-64 argument registers (di at offset 112, si at 104 of struct pt_regs) plus the low byte of ip
 * (offset 128) read with a 1-byte load. Linux has no test run for kprobes; ours gives ctx_in as the
 * pt_regs record. Self-contained (no maps). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct regs {
    unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags,
        sp, ss;
};

SEC("kprobe/do_nothing")
int kprobe_args(struct regs *ctx)
{
    return (int)(ctx->di + ctx->si + *(volatile unsigned char *)&ctx->ip);
}

char LICENSE[] SEC("license") = "GPL";
