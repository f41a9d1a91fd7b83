/* kd_skb_cmd.bpf.c - kernel-differential programs for the skb helpers, tc (sched_cls) and cgroup_skb.
 * The commands (struct kd_cmd of kd_prog.h) come from the array `cmds`, not from the packet, so that
 * the packet can be any frame (IPv4, IPv6, TCP, UDP, ARP, short); a command with op 0 (or a missing
 * one) ends the list. Results go to `res` and `aux` as in kd_prog.h. Ops (offsets are relative to
 * skb->data: the MAC header for tc, the network header for lwt_xmit and cgroup_skb):
 *   1..11 kd_map_op on the hash map `h` (u32 keys, u64 values)
 *   70 LOAD      res = bpf_skb_load_bytes(skb, key, buf, arg (1..8)), aux = the bytes
 *   71 STORE     res = bpf_skb_store_bytes(skb, key, &value, arg (1, 2, 4), flags = sel)      (tc)
 *   72 L3        res = bpf_l3_csum_replace(skb, offset = flags, from = key, to = value, arg)  (tc)
 *   73 L4        res = bpf_l4_csum_replace(skb, offset = flags, from = key, to = value, arg)  (tc)
 *   74 CSUM      arg (<= 32) bytes loaded from offset key; sel 0: bpf_csum_diff(NULL, 0, bytes, arg,
 *                value), 1: (bytes, arg, NULL, 0, value), 2: (bytes, 4, bytes + 4, 4, value), 3: the
 *                result fed to bpf_l4_csum_replace at offset flags with BPF_F_PSEUDO_HDR      (tc)
 *   75 REDIRECT  res = bpf_redirect(key, value); the program returns res                     (tc)
 *   76 WBYTE     writes the low byte of value at data + key; res 0, or KD_ABSENT             (tc)
 *   77 RBYTE     res = the byte at data + key, or KD_ABSENT
 *   78 LEN       res = data_end - data, aux = skb->len
 *   79 MARK      skb->mark = value; res = skb->mark
 *   80 PERF      res = bpf_perf_event_output(skb, &events, BPF_F_CURRENT_CPU | key << 32 (that many
 *                packet bytes appended), &value, arg (<= 4))
 *   81 RING      res = bpf_ringbuf_output(&ring, &value, 4, 0)
 * Programs: kd_skb_tc (tc), kd_skb_xmit (lwt_xmit: tc's helpers, offsets from the network header),
 * kd_skb_cg (cgroup_skb). They return (unless a REDIRECT set the verdict) tc: TC_ACT_OK, or
 * TC_ACT_SHOT when a result is negative; lwt_xmit: BPF_OK or BPF_DROP; cgroup_skb: 1 or 0. */
#include "kd_prog.h"

#include <linux/pkt_cls.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, KD_MAX_CMDS);
    __type(key, __u32);
    __type(value, struct kd_cmd);
} cmds SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} h SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u32);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} ring SEC(".maps");

static __always_inline long load(struct __sk_buff *skb, const struct kd_cmd *c, __u64 *second)
{
    __u64 bytes = 0;
    if (c->arg == 0 || c->arg > sizeof bytes)
        return KD_BAD_OP;
    __u32 n = ((c->arg - 1) & 7) + 1; /* 1..8 by construction, for the verifier */
    long r = bpf_skb_load_bytes(skb, c->key, &bytes, n);
    *second = bytes;
    return r;
}

static __always_inline long csum(struct __sk_buff *skb, const struct kd_cmd *c, int tc)
{
    __u32 bytes[8] = { 0 };
    if (c->arg == 0 || c->arg > sizeof bytes)
        return KD_BAD_OP;
    __u32 n = ((c->arg - 1) & 31) + 1;
    long r = bpf_skb_load_bytes(skb, c->key, bytes, n);
    if (r)
        return r;
    switch (c->sel) {
    case 0:
        return bpf_csum_diff(0, 0, bytes, n, c->value);
    case 1:
        return bpf_csum_diff(bytes, n, 0, 0, c->value);
    case 2:
        return bpf_csum_diff(bytes, 4, bytes + 1, 4, c->value);
    case 3:
        if (!tc)
            return KD_BAD_OP;
        r = bpf_csum_diff(bytes, 4, bytes + 1, 4, c->value);
        if (r < 0)
            return r;
        return bpf_l4_csum_replace(skb, c->flags, 0, r, BPF_F_PSEUDO_HDR);
    }
    return KD_BAD_OP;
}

static __always_inline long dispatch(struct __sk_buff *skb, const struct kd_cmd *c, __u64 *second, long *verdict,
                                     int tc)
{
    __u8 *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
    __u32 value = c->value, off = c->key & 0xfff;
    __u8 *p = data + off;
    switch (c->op) {
    case 70:
        return load(skb, c, second);
    case 71:
        if (!tc)
            return KD_BAD_OP;
        switch (c->arg) { /* constant sizes: the verifier wants a non-zero one */
        case 1:
            return bpf_skb_store_bytes(skb, c->key, &value, 1, c->sel);
        case 2:
            return bpf_skb_store_bytes(skb, c->key, &value, 2, c->sel);
        case 4:
            return bpf_skb_store_bytes(skb, c->key, &value, 4, c->sel);
        }
        return KD_BAD_OP;
    case 72:
        return tc ? bpf_l3_csum_replace(skb, c->flags, c->key, c->value, c->arg) : KD_BAD_OP;
    case 73:
        return tc ? bpf_l4_csum_replace(skb, c->flags, c->key, c->value, c->arg) : KD_BAD_OP;
    case 74:
        return tc ? csum(skb, c, tc) : KD_BAD_OP; /* Linux gives cgroup_skb no bpf_csum_diff */
    case 75:
        if (!tc)
            return KD_BAD_OP;
        *verdict = bpf_redirect(c->key, c->value);
        return *verdict;
    case 76:
        if (!tc)
            return KD_BAD_OP;
        if ((void *)(p + 1) > (void *)end)
            return KD_ABSENT;
        *p = (__u8)c->value;
        return 0;
    case 77:
        if ((void *)(p + 1) > (void *)end)
            return KD_ABSENT;
        return *p;
    case 78:
        *second = skb->len;
        return (long)(end - data);
    case 79:
        skb->mark = c->value;
        return skb->mark;
    case 80: /* the value (arg bytes, <= 4) and key packet bytes (BPF_F_CTXLEN_MASK) to the running CPU */
        if (c->arg > 4)
            return KD_BAD_OP;
        return bpf_perf_event_output(skb, &events, BPF_F_CURRENT_CPU | (__u64)c->key << 32, &value, c->arg);
    case 81:
        return bpf_ringbuf_output(&ring, &value, sizeof value, 0);
    }
    return kd_map_op(&h, c, second, 0, 1);
}

/* Runs command `i` (a constant: the steps are written out, which the verifier follows without a loop
 * counter); 0 when the list has ended. */
static __always_inline int step(struct __sk_buff *skb, __u32 i, int tc, long *verdict, int *failed)
{
    struct kd_cmd *p = bpf_map_lookup_elem(&cmds, &i);
    if (!p || p->op == 0)
        return 0;
    struct kd_cmd c = *p;
    __u64 second = 0;
    long r = dispatch(skb, &c, &second, verdict, tc);
    kd_store(&res, i, (__u64)r);
    kd_store(&aux, i, second);
    if (r < 0)
        *failed = 1;
    return 1;
}

static __always_inline int walk(struct __sk_buff *skb, int tc, int pass, int drop)
{
    long verdict = -1;
    int failed = 0;
    if (step(skb, 0, tc, &verdict, &failed) && step(skb, 1, tc, &verdict, &failed) &&
        step(skb, 2, tc, &verdict, &failed) && step(skb, 3, tc, &verdict, &failed) &&
        step(skb, 4, tc, &verdict, &failed) && step(skb, 5, tc, &verdict, &failed) &&
        step(skb, 6, tc, &verdict, &failed))
        step(skb, 7, tc, &verdict, &failed);
    if (verdict >= 0)
        return (int)verdict;
    return failed ? drop : pass;
}

SEC("tc")
int kd_skb_tc(struct __sk_buff *skb)
{
    return walk(skb, 1, TC_ACT_OK, TC_ACT_SHOT);
}

SEC("cgroup_skb/egress")
int kd_skb_cg(struct __sk_buff *skb)
{
    return walk(skb, 0, 1, 0);
}

/* lwt_xmit has tc's helpers; verdicts BPF_OK (0) and BPF_DROP (2), a redirect BPF_REDIRECT (7) */
SEC("lwt_xmit")
int kd_skb_xmit(struct __sk_buff *skb)
{
    return walk(skb, 1, BPF_OK, BPF_DROP);
}

char LICENSE[] SEC("license") = "GPL";
