/* wild_helper.bpf.c - negative tests for the checked run's helper-argument checks (test_helper_args.c,
 * loaded without verification): each XDP program passes one helper a bad argument (a wild or short
 * pointer, NULL with a size, a non-map, a foreign context, a released ring buffer record, a misaligned
 * result pointer); the run must stop with EBPF_RUN_OUT_OF_BOUNDS naming helper and argument. `good`
 * makes legitimate calls of the same helpers and returns XDP_PASS. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define WILD(x) ((void *)(unsigned long)(x))

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} arr SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u64);
    __type(value, __u64);
} big_key SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} rb SEC(".maps");

SEC("xdp")
int good(struct xdp_md *ctx)
{
    __u32 k = 1;
    __u64 v = 7, *p;
    char buf[16], fmt[] = "%d";
    long res = 0, data[1] = { 42 };
    if (bpf_map_update_elem(&arr, &k, &v, 0))
        return XDP_ABORTED;
    p = bpf_map_lookup_elem(&arr, &k);
    if (!p || *p != 7)
        return XDP_ABORTED;
    if (bpf_snprintf(buf, sizeof buf, fmt, (__u64 *)data, sizeof data) != 3)
        return XDP_ABORTED;
    if (bpf_strtol(buf, sizeof buf, 0, &res) != 2 || res != 42)
        return XDP_ABORTED;
    __u8 *r = bpf_ringbuf_reserve(&rb, 8, 0);
    if (r) {
        r[0] = 1;
        bpf_ringbuf_submit(r, 0);
    }
    return XDP_PASS;
}

SEC("xdp")
int wild_key(struct xdp_md *ctx)
{
    return bpf_map_lookup_elem(&arr, WILD(0x1000)) ? XDP_DROP : XDP_PASS;
}

/* An 8-byte key whose last 4 bytes lie past the packet's end. */
SEC("xdp")
int short_key(struct xdp_md *ctx)
{
    void *end = (void *)(long)ctx->data_end;
    return bpf_map_lookup_elem(&big_key, end - 4) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int not_a_map(struct xdp_md *ctx)
{
    __u64 fake[8] = { 0 };
    __u32 k = 0;
    return bpf_map_lookup_elem(fake, &k) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int wild_value(struct xdp_md *ctx)
{
    __u32 k = 0;
    return (int)bpf_map_update_elem(&arr, &k, WILD(0x2000), 0);
}

SEC("xdp")
int csum_past_end(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    return (int)bpf_csum_diff(data, 4096, 0, 0, 0);
}

SEC("xdp")
int csum_null(struct xdp_md *ctx)
{
    return (int)bpf_csum_diff(0, 4, 0, 0, 0);
}

SEC("xdp")
int double_submit(struct xdp_md *ctx)
{
    __u8 *r = bpf_ringbuf_reserve(&rb, 8, 0);
    if (!r)
        return XDP_ABORTED;
    bpf_ringbuf_submit(r, 0);
    bpf_ringbuf_submit(r, 0);
    return XDP_PASS;
}

SEC("xdp")
int wild_fmt(struct xdp_md *ctx)
{
    char buf[16];
    return (int)bpf_snprintf(buf, sizeof buf, WILD(0x3000), 0, 0);
}

/* %s with a wild string pointer: no refusal (Linux reads it fault-tolerantly), but nothing is read
 * outside the run's memory: the string comes out empty. */
SEC("xdp")
int wild_percent_s(struct xdp_md *ctx)
{
    char buf[16], fmt[] = "<%s>";
    __u64 data[1] = { 0x4000 };
    return (int)bpf_snprintf(buf, sizeof buf, fmt, data, sizeof data);
}

SEC("xdp")
int foreign_ctx(struct xdp_md *ctx)
{
    __u64 fake[8] = { 0 };
    return (int)bpf_xdp_adjust_head((struct xdp_md *)fake, 4);
}

SEC("xdp")
int misaligned_result(struct xdp_md *ctx)
{
    char s[] = "12";
    __u64 res[2] = { 0, 0 };
    return (int)bpf_strtol(s, sizeof s, 0, (long *)((char *)res + 1));
}

SEC("xdp")
int comm_too_long(struct xdp_md *ctx)
{
    char comm[16];
    return (int)bpf_get_current_comm(comm, 1 << 20);
}

struct locked {
    struct bpf_spin_lock lock;
    __u32 n;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct locked);
} locks SEC(".maps");

/* A second bpf_spin_lock of the same lock would spin for ever. */
SEC("xdp")
int double_lock(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct locked *v = bpf_map_lookup_elem(&locks, &k);
    if (!v)
        return XDP_ABORTED;
    bpf_spin_lock(&v->lock);
    bpf_spin_lock(&v->lock);
    return XDP_PASS;
}

SEC("xdp")
int unlock_not_held(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct locked *v = bpf_map_lookup_elem(&locks, &k);
    if (!v)
        return XDP_ABORTED;
    bpf_spin_unlock(&v->lock);
    return XDP_PASS;
}

/* Locked and unlocked properly, then locked and left held: the run ends, the lock is released. */
SEC("xdp")
int lock_left_held(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct locked *v = bpf_map_lookup_elem(&locks, &k);
    if (!v)
        return XDP_ABORTED;
    bpf_spin_lock(&v->lock);
    v->n++;
    bpf_spin_unlock(&v->lock);
    bpf_spin_lock(&v->lock);
    return XDP_PASS;
}

/* The lock word written by the program itself: no run will ever release it. */
SEC("xdp")
int forged_lock(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct locked *v = bpf_map_lookup_elem(&locks, &k);
    if (!v)
        return XDP_ABORTED;
    *(volatile __u32 *)&v->lock = 1;
    bpf_spin_lock(&v->lock);
    return XDP_PASS;
}

SEC("xdp")
int tail_call_array(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &arr, 0);
    return XDP_PASS;
}

SEC("xdp")
int loop_wild_callback(struct xdp_md *ctx)
{
    return (int)bpf_loop(1, WILD(5), 0, 0);
}

/* After bpf_ringbuf_submit the record is no longer the program's. */
SEC("xdp")
int write_after_submit(struct xdp_md *ctx)
{
    __u8 *r = bpf_ringbuf_reserve(&rb, 8, 0);
    if (!r)
        return XDP_ABORTED;
    bpf_ringbuf_submit(r, 0);
    *(volatile __u8 *)r = 1;
    return XDP_PASS;
}

struct inner_def {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 4);
};

struct inner_def inner SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 1);
    __type(key, __u32);
    __array(values, struct inner_def);
} outer SEC(".maps") = {
    .values = { [0] = &inner },
};

/* An inner map a lookup returned is a map argument like the object's own (XDP_PASS when it works). */
SEC("xdp")
int inner_map(struct xdp_md *ctx)
{
    __u32 k = 0, one = 1, five = 5;
    void *m = bpf_map_lookup_elem(&outer, &k);
    if (!m || bpf_map_update_elem(m, &one, &five, 0))
        return XDP_ABORTED;
    __u32 *v = bpf_map_lookup_elem(m, &one);
    return v && *v == 5 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int inner_map_wild_key(struct xdp_md *ctx)
{
    __u32 k = 0;
    void *m = bpf_map_lookup_elem(&outer, &k);
    if (!m)
        return XDP_ABORTED;
    return bpf_map_lookup_elem(m, WILD(0x5000)) ? XDP_DROP : XDP_PASS;
}

static long wild_in_callback(__u32 i, void *c)
{
    return bpf_map_lookup_elem(&arr, WILD(0x6000)) ? 1 : 0;
}

/* A refusal inside a bpf_loop callback fails the whole run. */
SEC("xdp")
int callback_wild_key(struct xdp_md *ctx)
{
    bpf_loop(2, wild_in_callback, 0, 0);
    return XDP_PASS;
}

/* For the uninitialised-read check (ebpf_test_run_opts.check_uninit): a lookup with a key never
 * written (runs without the check; stops with it), and stack bytes only helpers wrote (runs either way:
 * bpf_get_current_comm's buffer, and a bpf_loop callback's stores through its context pointer). */
SEC("xdp")
int uninit_key(struct xdp_md *ctx)
{
    __u32 k;
    return bpf_map_lookup_elem(&arr, &k) ? XDP_DROP : XDP_PASS;
}

static long fill(__u32 i, void *c)
{
    ((__u64 *)c)[i & 1] = i + 1;
    return 0;
}

SEC("xdp")
int helper_written(struct xdp_md *ctx)
{
    char comm[16];
    __u64 vals[2];
    bpf_get_current_comm(comm, sizeof comm);
    bpf_loop(2, fill, vals, 0);
    return vals[0] + vals[1] == 3 && comm[15] != 0x7f ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
