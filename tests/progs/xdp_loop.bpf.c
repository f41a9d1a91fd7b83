/* xdp_loop.bpf.c - test programs for callback helpers (a lddw of a function, BPF_PSEUDO_FUNC).
 *   xdp_loop     bpf_loop sums 1..n (n = the packet's 15th byte, capped at 100) into a context struct
 *                on its stack and stops early when the callback returns 1 past `limit`; the sum goes to
 *                `out`[0], the loop's return value to `out`[1]. XDP_TX when the sum is 55 (n = 10),
 *                else XDP_PASS.
 *   xdp_foreach  bpf_for_each_map_elem over `vals` counts the entries with a value > 0 (and stops at
 *                an entry holding 99); the count goes to `out`[0], the helper's return to `out`[1].
 *                XDP_DROP when the count is 2, else XDP_PASS. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} vals SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} out SEC(".maps");

struct sum_ctx {
    __u64 sum;
    __u32 limit;
};

static long add_one(__u32 index, void *data)
{
    struct sum_ctx *c = data;
    if (index >= c->limit)
        return 1;
    c->sum += index + 1;
    return 0;
}

static void store(__u32 key, __u64 value)
{
    __u64 *slot = bpf_map_lookup_elem(&out, &key);
    if (slot)
        *slot = value;
}

SEC("xdp")
int xdp_loop(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    unsigned char *p = data;
    if (data + 15 > end)
        return XDP_ABORTED;
    struct sum_ctx c = { .sum = 0, .limit = p[14] > 100 ? 100 : p[14] };
    long n = bpf_loop(50, add_one, &c, 0);
    store(0, c.sum);
    store(1, (__u64)n);
    return c.sum == 55 ? XDP_TX : XDP_PASS;
}

struct count_ctx {
    __u64 count;
};

static long count_positive(void *map, __u32 *key, __u64 *value, struct count_ctx *c)
{
    if (*value == 99)
        return 1;
    if (*value > 0)
        c->count++;
    return 0;
}

SEC("xdp")
int xdp_foreach(struct xdp_md *ctx)
{
    struct count_ctx c = { 0 };
    long n = bpf_for_each_map_elem(&vals, count_positive, &c, 0);
    store(0, c.count);
    store(1, (__u64)n);
    /* Decided on the stored copy: a branch on c.count itself would make Linux's verifier track the
     * count exactly through every callback iteration, and it gives up ("too complex"). */
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&out, &key);
    return count && *count == 2 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
