/* kd_skb_fields.bpf.c - kernel-differential programs for the __sk_buff context, one per program type
 * (tc: sched_cls, action: sched_act, socket: socket_filter, cgroup_skb, lwt_in/out/xmit). Each reads
 * every field its type may read, whole and with narrow (1- and 2-byte) loads, into the array `fields`
 * (one u64 per index below), then makes the writes `wr` asks for (wr[0]: a bit mask, bit i writes
 * wr[1 + i]) and reads the written fields back. The runner compares `fields` and the context handed
 * back (ctx_out) with the kernel's.
 *
 *   0 len  1 pkt_type  2 mark  3 queue_mapping  4 protocol  5 vlan_present  6 vlan_tci  7 vlan_proto
 *   8 priority  9 ingress_ifindex  10 ifindex  11 tc_index  12..16 cb[0..4]  17 hash  18 napi_id
 *   19 gso_segs  20 gso_size  21 sk != NULL
 *   22.. narrow loads: len u8 @0, u8 @1, u16 @0, u16 @2; protocol u16 @0, u8 @1; pkt_type u8; mark u8 @3;
 *        cb[2] u16 @2; ifindex u8; queue_mapping u16; tc_index u8; hash u16; gso_segs u16; napi_id u8;
 *        ingress_ifindex u16; priority u8 @1                                              (22..38)
 *   40 tstamp  41 data_end - data  42 hwtstamp                          (tc, cgroup_skb; 41 also lwt)
 *   43 wire_len  44 tc_classid  45 data - data_meta  46 tc_classid u16 @0  47 wire_len u16 @0   (tc)
 *   48 family  49 remote_ip4  50 local_ip4  51..54 remote_ip6  55..58 local_ip6  59 remote_port
 *   60 local_port (Linux refuses narrow loads of the addresses)                      (cgroup_skb)
 *   80.. through skb->sk (the test run's dummy socket): bound_dev_if, family, src_ip4, src_ip6[0..3],
 *        src_port, dst_port, dst_ip4, dst_ip6[0..3], state, rx_queue_mapping                (80..95)
 *   writes, bit: 0 mark  1 priority  2..6 cb[0..4]  7 tc_index  8 tc_classid  9 queue_mapping
 *   10 tstamp (tc; cgroup_skb too); read back into 64 + bit. Socket filters write cb only, LWT mark,
 *   priority and cb.
 * Other programs: kd_st_tc makes immediate stores (BPF_ST, which clang 14 does not emit: written as
 * raw instructions through r1, the context at entry): queue_mapping = 9, = 0x10002 and = 0xffff (Linux
 * ignores those two), tc_index = 0x30004, tc_classid = 0x50006, then reads them into fields 0..2;
 * kd_tstamp_tc reads tstamp_type (which changes how Linux converts tstamp accesses); kd_queue_tc
 * stores queue_mapping from a register inside a sub-program.
 * Return values: tc, act and lwt wr[15] (0 when unset), socket filter skb->len (or wr[15] when
 * non-zero), cgroup_skb 1 (pass). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 96);
    __type(key, __u32);
    __type(value, __u64);
} fields SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} wr SEC(".maps");

static __always_inline void put(__u32 index, __u64 value)
{
    __u64 *slot = bpf_map_lookup_elem(&fields, &index);
    if (slot)
        *slot = value;
}

static __always_inline __u64 want(__u32 index)
{
    __u64 *v = bpf_map_lookup_elem(&wr, &index);
    return v ? *v : 0;
}

#define R32(skb, f) (*(volatile __u32 *)&(skb)->f)
#define R16(skb, f, k) (*(volatile __u16 *)((volatile __u8 *)&(skb)->f + (k)))
#define R8(skb, f, k) (*(volatile __u8 *)((volatile __u8 *)&(skb)->f + (k)))

/* The socket of the run (Linux's test run gives every skb a dummy socket), through skb->sk: the
 * struct bpf_sock fields a sock_common pointer may read. */
static __always_inline void read_sock(struct __sk_buff *skb)
{
    struct bpf_sock *sk = skb->sk;
    if (!sk)
        return;
    put(80, sk->bound_dev_if);
    put(81, sk->family);
    put(82, sk->src_ip4);
    put(83, sk->src_ip6[0]);
    put(84, sk->src_ip6[1]);
    put(85, sk->src_ip6[2]);
    put(86, sk->src_ip6[3]);
    put(87, sk->src_port);
    put(88, sk->dst_port);
    put(89, sk->dst_ip4);
    put(90, sk->dst_ip6[0]);
    put(91, sk->dst_ip6[1]);
    put(92, sk->dst_ip6[2]);
    put(93, sk->dst_ip6[3]);
    put(94, sk->state);
    put(95, (__u32)sk->rx_queue_mapping);
}

static __always_inline void read_common(struct __sk_buff *skb)
{
    put(0, R32(skb, len));
    put(1, R32(skb, pkt_type));
    put(2, R32(skb, mark));
    put(3, R32(skb, queue_mapping));
    put(4, R32(skb, protocol));
    put(5, R32(skb, vlan_present));
    put(6, R32(skb, vlan_tci));
    put(7, R32(skb, vlan_proto));
    put(8, R32(skb, priority));
    put(9, R32(skb, ingress_ifindex));
    put(10, R32(skb, ifindex));
    put(11, R32(skb, tc_index));
    put(12, R32(skb, cb[0]));
    put(13, R32(skb, cb[1]));
    put(14, R32(skb, cb[2]));
    put(15, R32(skb, cb[3]));
    put(16, R32(skb, cb[4]));
    put(17, R32(skb, hash));
    put(18, R32(skb, napi_id));
    put(19, R32(skb, gso_segs));
    put(20, R32(skb, gso_size));
    put(21, skb->sk != 0);
    read_sock(skb);
    put(22, R8(skb, len, 0));
    put(23, R8(skb, len, 1));
    put(24, R16(skb, len, 0));
    put(25, R16(skb, len, 2));
    put(26, R16(skb, protocol, 0));
    put(27, R8(skb, protocol, 1));
    put(28, R8(skb, pkt_type, 0));
    put(29, R8(skb, mark, 3));
    put(30, R16(skb, cb[2], 2));
    put(31, R8(skb, ifindex, 0));
    put(32, R16(skb, queue_mapping, 0));
    put(33, R8(skb, tc_index, 0));
    put(34, R16(skb, hash, 0));
    put(35, R16(skb, gso_segs, 0));
    put(36, R8(skb, napi_id, 0));
    put(37, R16(skb, ingress_ifindex, 0));
    put(38, R8(skb, priority, 1));
}

static __always_inline void read_packet(struct __sk_buff *skb)
{
    put(40, *(volatile __u64 *)&skb->tstamp);
    put(41, (__u64)(skb->data_end - skb->data));
    put(42, *(volatile __u64 *)&skb->hwtstamp);
}

static __always_inline void write_common(struct __sk_buff *skb, __u64 mask)
{
    if (mask & (1 << 2))
        skb->cb[0] = (__u32)want(3);
    if (mask & (1 << 3))
        skb->cb[1] = (__u32)want(4);
    if (mask & (1 << 4))
        skb->cb[2] = (__u32)want(5);
    if (mask & (1 << 5))
        skb->cb[3] = (__u32)want(6);
    if (mask & (1 << 6))
        skb->cb[4] = (__u32)want(7);
    put(66, R32(skb, cb[0]));
    put(67, R32(skb, cb[1]));
    put(68, R32(skb, cb[2]));
    put(69, R32(skb, cb[3]));
    put(70, R32(skb, cb[4]));
}

static __always_inline void write_mark_priority(struct __sk_buff *skb, __u64 mask)
{
    if (mask & (1 << 0))
        skb->mark = (__u32)want(1);
    if (mask & (1 << 1))
        skb->priority = (__u32)want(2);
    put(64, R32(skb, mark));
    put(65, R32(skb, priority));
}

static __always_inline int tc_fields(struct __sk_buff *skb)
{
    read_common(skb);
    read_packet(skb);
    put(43, R32(skb, wire_len));
    put(44, R32(skb, tc_classid));
    put(45, (__u64)(skb->data - skb->data_meta));
    put(46, R16(skb, tc_classid, 0));
    put(47, R16(skb, wire_len, 0));
    __u64 mask = want(0);
    write_common(skb, mask);
    write_mark_priority(skb, mask);
    if (mask & (1 << 7))
        skb->tc_index = (__u32)want(8);
    if (mask & (1 << 8))
        skb->tc_classid = (__u32)want(9);
    if (mask & (1 << 9))
        skb->queue_mapping = (__u32)want(10);
    if (mask & (1 << 10))
        skb->tstamp = want(11);
    put(71, R32(skb, tc_index));
    put(72, R32(skb, tc_classid));
    put(73, R32(skb, queue_mapping));
    put(74, *(volatile __u64 *)&skb->tstamp);
    return (int)want(15);
}

SEC("tc")
int kd_fields_tc(struct __sk_buff *skb)
{
    return tc_fields(skb);
}

SEC("socket")
int kd_fields_sock(struct __sk_buff *skb)
{
    read_common(skb);
    write_common(skb, want(0));
    __u64 ret = want(15);
    return ret ? (int)ret : (int)skb->len;
}

SEC("cgroup_skb/ingress")
int kd_fields_cg(struct __sk_buff *skb)
{
    read_common(skb);
    read_packet(skb);
    put(48, R32(skb, family));
    put(49, R32(skb, remote_ip4));
    put(50, R32(skb, local_ip4));
    put(51, R32(skb, remote_ip6[0]));
    put(52, R32(skb, remote_ip6[1]));
    put(53, R32(skb, remote_ip6[2]));
    put(54, R32(skb, remote_ip6[3]));
    put(55, R32(skb, local_ip6[0]));
    put(56, R32(skb, local_ip6[1]));
    put(57, R32(skb, local_ip6[2]));
    put(58, R32(skb, local_ip6[3]));
    put(59, R32(skb, remote_port));
    put(60, R32(skb, local_port));
    __u64 mask = want(0);
    write_common(skb, mask);
    write_mark_priority(skb, mask);
    if (mask & (1 << 10)) /* Linux lets cgroup_skb write tstamp with CAP_SYS_ADMIN */
        skb->tstamp = want(11);
    put(74, *(volatile __u64 *)&skb->tstamp);
    return 1;
}

/* sched_act: the tc program's reads and writes (it shares tc's context rules) */
SEC("action")
int kd_fields_act(struct __sk_buff *skb)
{
    return tc_fields(skb);
}

/* lwt_in, lwt_out, lwt_xmit: the common reads and data_end - data (no tstamp, wire_len, hwtstamp,
 * tc_classid, data_meta or socket fields for LWT); writes mark, priority, cb. Return wr[15]. */
static __always_inline int lwt_fields(struct __sk_buff *skb)
{
    read_common(skb);
    put(41, (__u64)(skb->data_end - skb->data));
    __u64 mask = want(0);
    write_common(skb, mask);
    write_mark_priority(skb, mask);
    return (int)want(15);
}

SEC("lwt_in")
int kd_fields_lwt_in(struct __sk_buff *skb)
{
    return lwt_fields(skb);
}

SEC("lwt_out")
int kd_fields_lwt_out(struct __sk_buff *skb)
{
    return lwt_fields(skb);
}

SEC("lwt_xmit")
int kd_fields_lwt_xmit(struct __sk_buff *skb)
{
    return lwt_fields(skb);
}

/* tc with tstamp_type read: Linux then converts tstamp reads and writes differently (the program
 * sees the delivery time as it is, whatever its type). 0 tstamp_type, 1 tstamp, then tstamp = wr[11],
 * 2 tstamp, 3 tstamp_type. */
SEC("tc")
int kd_tstamp_tc(struct __sk_buff *skb)
{
    put(0, *(volatile __u8 *)&skb->tstamp_type);
    put(1, *(volatile __u64 *)&skb->tstamp);
    skb->tstamp = want(11);
    put(2, *(volatile __u64 *)&skb->tstamp);
    put(3, *(volatile __u8 *)&skb->tstamp_type);
    return 0;
}

/* BPF_ST | BPF_MEM | BPF_W, dst r1: *(u32 *)(r1 + OFF) = IMM */
#define ST_CTX_W(OFF, IMM) asm volatile(".quad " #IMM " << 32 | " #OFF " << 16 | 0x0162" ::: "memory")

SEC("tc")
int kd_st_tc(struct __sk_buff *skb)
{
    ST_CTX_W(12, 9);
    ST_CTX_W(12, 0x10002);
    ST_CTX_W(12, 0xffff);
    ST_CTX_W(44, 0x30004);
    ST_CTX_W(72, 0x50006);
    put(0, R32(skb, queue_mapping));
    put(1, R32(skb, tc_index));
    put(2, R32(skb, tc_classid));
    return 0;
}

/* A guarded store (queue_mapping from a register) inside a sub-program that is not the last one:
 * 0 what set_queue(wr[10]) read back, 1 queue_mapping after it, 2 last_subprog(wr[14]). */
static __attribute__((noinline)) int set_queue(struct __sk_buff *skb, __u32 value)
{
    skb->queue_mapping = value;
    return skb->queue_mapping;
}

static __attribute__((noinline)) int last_subprog(__u32 x)
{
    return x * 3 + 1;
}

SEC("tc")
int kd_queue_tc(struct __sk_buff *skb)
{
    put(0, set_queue(skb, (__u32)want(10)));
    put(1, R32(skb, queue_mapping));
    put(2, last_subprog((__u32)want(14)));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
