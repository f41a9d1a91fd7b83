/* xdp_tail_call.bpf.c - test program: bpf_tail_call through a prog_array whose initial slots are set
 * in the object (BTF-defined map with `.values`).
 *   xdp_tail_entry  tail-calls slot 100 (out of range) and slot 3 (empty): both fail and it goes on;
 *                   then slot 0 (xdp_tail_a), which tail-calls slot 1 (xdp_tail_b): XDP_TX. Any
 *                   fall-through after a successful tail call would be visible in `hits`.
 *   xdp_tail_loop   slot 2: counts itself in `hits`[0] and tail-calls itself; after 33 tail calls
 *                   (MAX_TAIL_CALL_CNT) the call fails and it returns XDP_PASS: hits[0] = 34. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int xdp_tail_a(struct xdp_md *ctx);
int xdp_tail_b(struct xdp_md *ctx);
int xdp_tail_loop(struct xdp_md *ctx);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, int(void *));
} jmp_table SEC(".maps") = {
    .values = {
        [0] = (void *)&xdp_tail_a,
        [1] = (void *)&xdp_tail_b,
        [2] = (void *)&xdp_tail_loop,
    },
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} hits SEC(".maps");

static void count(__u32 key)
{
    __u32 *n = bpf_map_lookup_elem(&hits, &key);
    if (n)
        *n += 1;
}

SEC("xdp")
int xdp_tail_entry(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &jmp_table, 100);
    bpf_tail_call(ctx, &jmp_table, 3);
    bpf_tail_call(ctx, &jmp_table, 0);
    count(1); /* not reached */
    return XDP_ABORTED;
}

SEC("xdp")
int xdp_tail_a(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &jmp_table, 1);
    count(1); /* not reached */
    return XDP_DROP;
}

SEC("xdp")
int xdp_tail_b(struct xdp_md *ctx)
{
    return XDP_TX;
}

SEC("xdp")
int xdp_tail_loop(struct xdp_md *ctx)
{
    count(0);
    bpf_tail_call(ctx, &jmp_table, 2);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
