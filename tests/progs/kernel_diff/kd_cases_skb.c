/*
 * kd_cases_skb.c - the progs.kernel rows for the __sk_buff program types (kd_case.h): socket filters,
 * tc (sched_cls, sched_act), cgroup_skb and lwt_in/out/xmit on IPv4/IPv6 TCP/UDP, ARP, 802.3,
 * VLAN-tagged, short and 1 KB frames, with and without a ctx_in, once or repeated on one skb. Every
 * row sets `ctx` (the __sk_buff handed back is compared) except the "no_ctx" rows, which check what a
 * run without a context gives (Linux: wire_len reads 0 then); the "refused" rows are runs the test
 * run must refuse, with the same errno on both sides.
 * Programs: tests/progs/kd_skb_fields.bpf.c (every field read, the writable ones written),
 * kd_skb_cmd.bpf.c (the skb helpers, commands from its `cmds` map), tc_nat.bpf.c, sock_filter_len.bpf.c.
 */
#include <errno.h>
#include <linux/bpf.h>

#include "kd_case.h"

#define TC_ACT_OK 0
#define TC_ACT_SHOT 2
#define TC_ACT_REDIRECT 7

#define SKB(NAME, OBJECT, PROGRAM, RETVAL, PACKET, ...)                                                    \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = 1, .retval = RETVAL, .packet = PACKET, \
      .ctx = true, .init = { __VA_ARGS__ } }
#define SKB_IN(NAME, OBJECT, PROGRAM, RETVAL, PACKET, CTX, ...)                                             \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = 1, .retval = RETVAL, .packet = PACKET, \
      .ctx = true, .ctx_in = CTX, .init = { __VA_ARGS__ } }
#define SKB_NO_CTX(NAME, OBJECT, PROGRAM, RETVAL, PACKET, ...)                                              \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = 1, .retval = RETVAL, .packet = PACKET, \
      .init = { __VA_ARGS__ } }
#define SKB_ERR(NAME, OBJECT, PROGRAM, PACKET, CTX, ERR)                                                  \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = 1, .retval = 0, .packet = PACKET,      \
      .ctx = true, .ctx_in = CTX, .error = ERR }
/* REPEAT runs on the same skb (BPF_PROG_TEST_RUN's repeat: changes accumulate); TAIL is appended. */
#define SKB_MORE(NAME, OBJECT, PROGRAM, REPEAT, RETVAL, PACKET, TAIL_BYTES, CTX, ...)                         \
    { .name = NAME, .object = OBJECT, .program = PROGRAM, .repeat = REPEAT, .retval = RETVAL,              \
      .packet = PACKET, .tail = TAIL_BYTES, .ctx = true, .ctx_in = CTX, .init = { __VA_ARGS__ } }
#define LONG_TEXT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define PAYLOAD_1K LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT \
    LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT LONG_TEXT
/* A struct __sk_buff ctx_in with the fields given (designated initializers). */
#define SKB_CTX(...) { (const uint8_t *)&(const struct __sk_buff){ __VA_ARGS__ }, sizeof(struct __sk_buff) }

/* ---- frames (MAC addresses: to 00:00:00:00:00:00, the loopback's own address, unless named) ---- */
#define MAC_HOST 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define MAC_BCAST 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1
#define MAC_MCAST 0x01, 0x00, 0x5e, 0, 0, 1, 0, 0, 0, 0, 0, 1
#define MAC_OTHER 0x02, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 1
/* IPv4 UDP 10.0.0.1:0x1234 -> 10.0.0.99:53, 4 bytes of payload, both checksums right */
#define UDP4_PART 0x08, 0x00, 0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0x69, 0x0a, 0x00, \
    0x00, 0x01, 0x0a, 0x00, 0x00, 0x63, 0x12, 0x34, 0x00, 0x35, 0x00, 0x0c, 0x14, 0x43, 0x61, 0x62, 0x63, 0x64
#define UDP4 KD_BYTES(MAC_HOST, UDP4_PART)
/* the same with a zero (absent) UDP checksum */
#define UDP4_NOCSUM KD_BYTES(MAC_HOST, 0x08, 0x00, 0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11,     \
    0x66, 0x69, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x63, 0x12, 0x34, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, \
    0x61, 0x62, 0x63, 0x64)
/* IPv4 TCP SYN 10.0.0.1:0x1234 -> 10.0.0.2:23 */
#define TCP4 KD_BYTES(MAC_HOST, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x66, 0xcd, \
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x12, 0x34, 0x00, 0x17, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,  \
    0x00, 0x00, 0x50, 0x02, 0x20, 0x00, 0x69, 0x94, 0x00, 0x00)
/* IPv6 UDP 2001:db8::1 -> 2001:db8::2 port 53, no payload */
#define UDP6_PART 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, \
    0, 0, 0, 0, 0, 0, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x12, 0x34, 0x00,    \
    0x35, 0x00, 0x08, 0x00, 0x00
#define UDP6 KD_BYTES(MAC_HOST, UDP6_PART)
#define ARP_SHORT KD_BYTES(MAC_BCAST, 0x08, 0x06, 0xaa, 0xbb, 0xcc, 0xdd)
#define ETH_ONLY KD_BYTES(MAC_OTHER, 0x88, 0xb5)
/* 802.3: a length instead of a type; LLC (protocol ETH_P_802_2) and raw 802.3 (0xffff: ETH_P_802_3) */
#define LLC KD_BYTES(MAC_HOST, 0x00, 0x08, 0x42, 0x42, 0x03, 0, 0, 0, 0, 0)
#define RAW8023 KD_BYTES(MAC_HOST, 0x00, 0x08, 0xff, 0xff, 0x03, 0, 0, 0, 0, 0)
/* 802.1Q tag (VLAN 5, priority 3) in front of the IPv4 UDP frame: the tag stays in the packet */
#define VLAN KD_BYTES(MAC_HOST, 0x81, 0x00, 0x60, 0x05, UDP4_PART)
#define MCAST KD_BYTES(MAC_MCAST, UDP4_PART)
#define BCAST KD_BYTES(MAC_BCAST, UDP4_PART)
#define OTHER KD_BYTES(MAC_OTHER, UDP6_PART)

/* ---- kd_skb_fields: wr[0] the mask of writes, wr[1 + bit] the values ---- */
#define WR(index, value) KD_SET("wr", index, value)
#define W_MARK (1u << 0)
#define W_PRIORITY (1u << 1)
#define W_CB (31u << 2)
#define W_TC_INDEX (1u << 7)
#define W_TC_CLASSID (1u << 8)
#define W_QUEUE (1u << 9)
#define W_TSTAMP (1u << 10)
#define W_CB_VALUES WR(3, 0x11111111), WR(4, 0x22222222), WR(5, 0x33334444), WR(6, 0xffffffff), WR(7, 0x80000000)

#define CTX_FULL SKB_CTX(.mark = 0x01020304, .priority = 0x0506, .ingress_ifindex = 3, .ifindex = 1,            \
    .cb = { 1, 2, 0x30003, 0xfffffffe, 5 }, .tstamp = 0x123456789aull, .wire_len = 1500, .gso_segs = 3,        \
    .gso_size = 1400, .hwtstamp = 0xabcdef0123ull)
#define CTX_MARK SKB_CTX(.mark = 0xcafe, .cb = { 0, 7 })

/* ---- kd_skb_cmd: commands in the map `cmds` ---- */
#define CMD(i, op, sel, flags, arg, key, value) \
    { "cmds", KD_BYTES(KD_U32(i)), KD_BYTES(KD_CMD(op, sel, flags, arg, key, value)), 0 }
#define LOAD 70
#define STORE 71
#define L3 72
#define L4 73
#define CSUM 74
#define REDIRECT 75
#define WBYTE 76
#define RBYTE 77
#define LEN 78
#define MARK 79
#define PERF 80
#define RING 81
#define F_RECOMPUTE_CSUM 1
#define F_INVALIDATE_HASH 2
#define F_PSEUDO_HDR 0x10
#define F_MARK_MANGLED_0 0x20
#define F_MARK_ENFORCE 0x40
/* tc offsets in UDP4 (from the MAC header) and its addresses as the u32 a program loads */
#define IP_CSUM 24
#define IP_DST 30
#define UDP_DPORT 36
#define UDP_CSUM 40
#define ADDR_99 0x6300000au
#define ADDR_2 0x0200000au
#define PORT_53 0x3500u
#define PORT_5353 0xe914u

const struct kd_case kd_skb_cases[] = {
    /* ---- every field a type may read, on frames of each kind ---- */
    SKB("tc_fields/udp4", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4),
    SKB("tc_fields/tcp4", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, TCP4),
    SKB("tc_fields/udp6", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP6),
    SKB("tc_fields/arp_short", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, ARP_SHORT),
    SKB("tc_fields/eth_only", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, ETH_ONLY),
    SKB("tc_fields/llc", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, LLC),
    SKB("tc_fields/raw_802_3", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, RAW8023),
    SKB("tc_fields/vlan", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, VLAN),
    SKB("tc_fields/multicast", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, MCAST),
    SKB("tc_fields/broadcast", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, BCAST),
    SKB("tc_fields/otherhost", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, OTHER),
    SKB_IN("tc_fields/ctx_in", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4, CTX_FULL),
    SKB_IN("tc_fields/ctx_in_mark", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, TCP4, CTX_MARK),
    SKB_NO_CTX("tc_fields/no_ctx", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4),
    SKB("tc_fields/shot", "kd_skb_fields", "kd_fields_tc", TC_ACT_SHOT, UDP4, WR(15, TC_ACT_SHOT)),
    SKB("tc_fields/write_all", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4,
        WR(0, W_MARK | W_PRIORITY | W_CB | W_TC_INDEX | W_TC_CLASSID | W_QUEUE | W_TSTAMP), WR(1, 0xdeadbeef),
        WR(2, 0x10007), W_CB_VALUES, WR(8, 0x12345), WR(9, 0xabcdef), WR(10, 5), WR(11, 0x1122334455667788ull)),
    SKB_IN("tc_fields/write_over_ctx_in", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP6, CTX_FULL,
        WR(0, W_MARK | W_CB | W_TSTAMP), WR(1, 0), W_CB_VALUES, WR(11, 0)),
    /* Linux ignores a queue_mapping store of NO_QUEUE_MAPPING (0xffff) or more */
    SKB("tc_fields/queue_mapping_ffff", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4, WR(0, W_QUEUE),
        WR(10, 0xffff)),
    SKB("tc_fields/queue_mapping_big", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4, WR(0, W_QUEUE),
        WR(10, 0x10003)),
    SKB("tc_fields/queue_subprog_low", "kd_skb_fields", "kd_queue_tc", 0, UDP4, WR(10, 0xfffe), WR(14, 5)),
    SKB("tc_fields/queue_subprog_high", "kd_skb_fields", "kd_queue_tc", 0, UDP4, WR(10, 0x12345), WR(14, 7)),
    SKB("tc_fields/immediate_stores", "kd_skb_fields", "kd_st_tc", 0, UDP4),
    SKB("tc_fields/queue_mapping_fffe", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, UDP4,
        WR(0, W_QUEUE | W_TC_INDEX | W_TC_CLASSID), WR(10, 0xfffe), WR(8, 0xffff), WR(9, 0x10000)),

    SKB("sock_fields/udp4", "kd_skb_fields", "kd_fields_sock", 46 - 14, UDP4),
    SKB("sock_fields/tcp4", "kd_skb_fields", "kd_fields_sock", 54 - 14, TCP4),
    SKB("sock_fields/udp6", "kd_skb_fields", "kd_fields_sock", 62 - 14, UDP6),
    SKB("sock_fields/arp_short", "kd_skb_fields", "kd_fields_sock", 4, ARP_SHORT),
    SKB("sock_fields/eth_only", "kd_skb_fields", "kd_fields_sock", 0, ETH_ONLY),
    SKB("sock_fields/llc", "kd_skb_fields", "kd_fields_sock", 8, LLC),
    SKB("sock_fields/vlan", "kd_skb_fields", "kd_fields_sock", 50 - 14, VLAN),
    SKB("sock_fields/multicast", "kd_skb_fields", "kd_fields_sock", 46 - 14, MCAST),
    SKB("sock_fields/otherhost", "kd_skb_fields", "kd_fields_sock", 62 - 14, OTHER),
    SKB_IN("sock_fields/ctx_in", "kd_skb_fields", "kd_fields_sock", 46 - 14, UDP4, CTX_FULL),
    SKB_NO_CTX("sock_fields/no_ctx", "kd_skb_fields", "kd_fields_sock", 46 - 14, UDP4),
    SKB_IN("sock_fields/write_cb", "kd_skb_fields", "kd_fields_sock", 9, UDP6, CTX_MARK, WR(0, W_CB), W_CB_VALUES,
        WR(15, 9)),

    SKB("cg_fields/udp4", "kd_skb_fields", "kd_fields_cg", 1, UDP4),
    SKB("cg_fields/tcp4", "kd_skb_fields", "kd_fields_cg", 1, TCP4),
    SKB("cg_fields/udp6", "kd_skb_fields", "kd_fields_cg", 1, UDP6),
    SKB("cg_fields/arp_short", "kd_skb_fields", "kd_fields_cg", 1, ARP_SHORT),
    SKB("cg_fields/eth_only", "kd_skb_fields", "kd_fields_cg", 1, ETH_ONLY),
    SKB("cg_fields/vlan", "kd_skb_fields", "kd_fields_cg", 1, VLAN),
    SKB("cg_fields/broadcast", "kd_skb_fields", "kd_fields_cg", 1, BCAST),
    SKB_IN("cg_fields/ctx_in", "kd_skb_fields", "kd_fields_cg", 1, UDP6, CTX_FULL),
    SKB_NO_CTX("cg_fields/no_ctx", "kd_skb_fields", "kd_fields_cg", 1, UDP4),
    SKB_IN("cg_fields/write", "kd_skb_fields", "kd_fields_cg", 1, UDP4, CTX_FULL,
        WR(0, W_MARK | W_PRIORITY | W_CB), WR(1, 0xfeedf00d), WR(2, 0x30000), W_CB_VALUES),

    SKB_IN("cg_fields/write_tstamp", "kd_skb_fields", "kd_fields_cg", 1, TCP4, CTX_FULL, WR(0, W_TSTAMP),
        WR(11, 0x99)),

    SKB("act_fields/udp4", "kd_skb_fields", "kd_fields_act", TC_ACT_OK, UDP4),
    SKB_IN("act_fields/ctx_in", "kd_skb_fields", "kd_fields_act", TC_ACT_OK, VLAN, CTX_FULL),
    SKB("act_fields/write_all", "kd_skb_fields", "kd_fields_act", TC_ACT_SHOT, UDP6,
        WR(0, W_MARK | W_PRIORITY | W_CB | W_TC_INDEX | W_TC_CLASSID | W_QUEUE | W_TSTAMP), WR(1, 1), WR(2, 2),
        W_CB_VALUES, WR(8, 0xfffff), WR(9, 0x7fff8), WR(10, 0xfffe), WR(11, 3), WR(15, TC_ACT_SHOT)),

    /* LWT: the packet starts at the network header, as for socket filters */
    SKB("lwt_in_fields/udp4", "kd_skb_fields", "kd_fields_lwt_in", 0, UDP4),
    SKB("lwt_in_fields/udp6", "kd_skb_fields", "kd_fields_lwt_in", 0, UDP6),
    SKB_IN("lwt_in_fields/ctx_in", "kd_skb_fields", "kd_fields_lwt_in", 0, TCP4, CTX_FULL),
    SKB("lwt_out_fields/arp_short", "kd_skb_fields", "kd_fields_lwt_out", 0, ARP_SHORT),
    SKB_IN("lwt_out_fields/write", "kd_skb_fields", "kd_fields_lwt_out", 2, MCAST, CTX_MARK,
        WR(0, W_MARK | W_PRIORITY | W_CB), WR(1, 0x80000001), WR(2, 6), W_CB_VALUES, WR(15, 2)),
    SKB("lwt_xmit_fields/udp4", "kd_skb_fields", "kd_fields_lwt_xmit", 0, UDP4),
    SKB_NO_CTX("lwt_xmit_fields/no_ctx", "kd_skb_fields", "kd_fields_lwt_xmit", 0, LLC),
    SKB_IN("lwt_xmit_fields/write", "kd_skb_fields", "kd_fields_lwt_xmit", 1, OTHER, CTX_FULL,
        WR(0, W_MARK | W_CB), WR(1, 0), W_CB_VALUES, WR(15, 1)),

    /* tstamp with tstamp_type read (tc) */
    SKB("tstamp/none", "kd_skb_fields", "kd_tstamp_tc", 0, UDP4),
    SKB_IN("tstamp/ctx_in", "kd_skb_fields", "kd_tstamp_tc", 0, UDP4, CTX_FULL, WR(11, 0x123456789aull)),
    SKB_IN("tstamp/write", "kd_skb_fields", "kd_tstamp_tc", 0, UDP6, CTX_MARK, WR(11, 0x7777)),

    /* ---- ctx_in and packets the test run refuses (both sides must, with the same errno) ---- */
    SKB_ERR("refused/wire_len_below_len", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.wire_len = 10), -EINVAL),
    SKB_ERR("refused/wire_len_above_max", "kd_skb_fields", "kd_fields_sock", UDP4, SKB_CTX(.wire_len = 65537),
            -EINVAL),
    SKB_ERR("refused/gso_segs_above_max", "kd_skb_fields", "kd_fields_cg", UDP4, SKB_CTX(.gso_segs = 65536), -EINVAL),
    SKB_ERR("refused/len", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.len = 46), -EINVAL),
    SKB_ERR("refused/protocol", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.protocol = 8), -EINVAL),
    SKB_ERR("refused/tc_index", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.tc_index = 1), -EINVAL),
    SKB_ERR("refused/hash", "kd_skb_fields", "kd_fields_sock", UDP4, SKB_CTX(.hash = 1), -EINVAL),
    SKB_ERR("refused/tc_classid", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.tc_classid = 1), -EINVAL),
    SKB_ERR("refused/napi_id", "kd_skb_fields", "kd_fields_lwt_in", UDP4, SKB_CTX(.napi_id = 1), -EINVAL),
    SKB_ERR("refused/family", "kd_skb_fields", "kd_fields_cg", UDP4, SKB_CTX(.family = 2), -EINVAL),
    SKB_ERR("refused/tstamp_type", "kd_skb_fields", "kd_tstamp_tc", UDP4, SKB_CTX(.tstamp_type = 1), -EINVAL),
    /* no device 99 here, nor in the runtime (only the loopback, 1) */
    SKB_ERR("refused/ifindex", "kd_skb_fields", "kd_fields_tc", UDP4, SKB_CTX(.ifindex = 99), -ENODEV),
    SKB_ERR("refused/short_ipv4", "kd_skb_fields", "kd_fields_tc", KD_BYTES(MAC_HOST, 0x08, 0x00, 0x45, 0, 0, 20),
            KD_NONE, -EINVAL),
    SKB_ERR("refused/short_ipv6", "kd_skb_fields", "kd_fields_sock", KD_BYTES(MAC_HOST, 0x86, 0xdd, 0x60, 0, 0, 0),
            KD_NONE, -EINVAL),
    SKB_ERR("refused/below_eth_header", "kd_skb_fields", "kd_fields_cg", KD_BYTES(MAC_HOST, 0x08), KD_NONE, -EINVAL),
    /* a ctx_in shorter than struct __sk_buff: the rest reads as zero (mark, priority, ingress_ifindex,
     * ifindex 1) */
    SKB_IN("ctx_in/short", "kd_skb_fields", "kd_fields_tc", TC_ACT_OK, TCP4,
           KD_BYTES(KD_U32(0), KD_U32(0), KD_U32(0x77), KD_U32(0), KD_U32(0), KD_U32(0), KD_U32(0), KD_U32(0),
                    KD_U32(3), KD_U32(9), KD_U32(1))),
    SKB_IN("ctx_in/ifindex_0", "kd_skb_fields", "kd_fields_sock", 46 - 14, UDP4, SKB_CTX(.ingress_ifindex = 1)),

    /* ---- repeated runs on one skb, long packets ---- */
    SKB_MORE("repeat/tc_nat", "tc_nat", "tc_nat", 3, TC_ACT_OK, UDP4, KD_NONE, KD_NONE),
    SKB_MORE("repeat/tc_cmd", "kd_skb_cmd", "kd_skb_tc", 4, TC_ACT_OK, UDP4, KD_NONE, CTX_MARK,
             CMD(0, KD_UPDATE, 0, KD_ANY, 0, 1, 0), CMD(1, KD_ADD, 0, 0, 0, 2, 3),
             CMD(2, L3, 0, IP_CSUM, 2, 0x0045, 0x0046), CMD(3, STORE, 0, 0, 1, 14, 0x46),
             CMD(4, LOAD, 0, 0, 8, 14, 0), CMD(5, MARK, 0, 0, 0, 0, 9),
             KD_PUT("h", KD_BYTES(KD_U32(2)), KD_BYTES(KD_U64(100)), 0)),
    SKB_MORE("repeat/sock_fields", "kd_skb_fields", "kd_fields_sock", 2, 9, UDP6, KD_NONE, CTX_FULL, WR(0, W_CB),
             W_CB_VALUES, WR(15, 9)),
    SKB_MORE("long/tc_fields", "kd_skb_fields", "kd_fields_tc", 1, TC_ACT_OK, UDP4, KD_TAIL(PAYLOAD_1K), KD_NONE),
    SKB_MORE("long/tc_cmd", "kd_skb_cmd", "kd_skb_tc", 1, TC_ACT_SHOT, UDP4, KD_TAIL(PAYLOAD_1K), KD_NONE,
             CMD(0, LOAD, 0, 0, 8, 1060, 0), CMD(1, LOAD, 0, 0, 8, 1063, 0), CMD(2, STORE, 0, 0, 4, 1000, 0x41424344),
             CMD(3, CSUM, 0, 0, 32, 1030, 0), CMD(4, RBYTE, 0, 0, 0, 1069, 0), CMD(5, LEN, 0, 0, 0, 0, 0)),
    SKB_MORE("long/sock_filter_len", "sock_filter_len", "sock_filter_len", 1, 1056, UDP4, KD_TAIL(PAYLOAD_1K),
             KD_NONE),
    SKB_MORE("long/cg_cmd", "kd_skb_cmd", "kd_skb_cg", 1, 1, TCP4, KD_TAIL(PAYLOAD_1K), CTX_FULL,
             CMD(0, LOAD, 0, 0, 8, 1040, 0), CMD(1, RBYTE, 0, 0, 0, 1063, 0), CMD(2, LEN, 0, 0, 0, 0, 0)),

    /* ---- the existing tc and socket-filter programs ---- */
    SKB("tc_nat/dns", "tc_nat", "tc_nat", TC_ACT_OK, UDP4),
    SKB("tc_nat/telnet", "tc_nat", "tc_nat", TC_ACT_SHOT, TCP4),
    SKB("tc_nat/other", "tc_nat", "tc_nat", TC_ACT_OK, BCAST),
    SKB("tc_nat/no_udp_csum", "tc_nat", "tc_nat", TC_ACT_OK, UDP4_NOCSUM),
    SKB("tc_nat/ipv6", "tc_nat", "tc_nat", TC_ACT_OK, UDP6),
    SKB("tc_nat/arp", "tc_nat", "tc_nat", TC_ACT_OK, ARP_SHORT),
    SKB_IN("tc_nat/ctx_in", "tc_nat", "tc_nat", TC_ACT_OK, UDP4, CTX_FULL),
    SKB_NO_CTX("tc_nat/no_ctx", "tc_nat", "tc_nat", TC_ACT_OK, UDP4),
    SKB("sock_filter_len/udp", "sock_filter_len", "sock_filter_len", 32, UDP4),
    SKB("sock_filter_len/tcp", "sock_filter_len", "sock_filter_len", 20, TCP4),
    SKB("sock_filter_len/arp", "sock_filter_len", "sock_filter_len", 0, ARP_SHORT),
    SKB("sock_filter_len/ipv6", "sock_filter_len", "sock_filter_len", 0, UDP6),
    SKB_IN("sock_filter_len/ctx_in", "sock_filter_len", "sock_filter_len", 32, MCAST, CTX_MARK),

    /* ---- the skb helpers (kd_skb_cmd) ---- */
    SKB("tc_cmd/load_bytes", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP4, CMD(0, LOAD, 0, 0, 8, 0, 0),
        CMD(1, LOAD, 0, 0, 8, 38, 0), CMD(2, LOAD, 0, 0, 1, 45, 0), CMD(3, LOAD, 0, 0, 2, 45, 0),
        CMD(4, LOAD, 0, 0, 4, 0x7fffffff, 0), CMD(5, LOAD, 0, 0, 4, 0xfffffff0, 0), CMD(6, LEN, 0, 0, 0, 0, 0)),
    SKB("tc_cmd/store_bytes", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP4,
        CMD(0, STORE, 0, 0, 4, 42, 0x44434241), CMD(1, STORE, F_RECOMPUTE_CSUM, 0, 2, 0, 0xbbaa),
        CMD(2, STORE, F_INVALIDATE_HASH, 0, 1, 45, 0x7a), CMD(3, STORE, 4, 0, 1, 0, 0),
        CMD(4, STORE, 0, 0, 2, 45, 0xffff), CMD(5, STORE, 0, 0, 4, 0xfffffffe, 1), CMD(6, LOAD, 0, 0, 8, 38, 0)),
    SKB("tc_cmd/nat_addr", "kd_skb_cmd", "kd_skb_tc", TC_ACT_OK, UDP4,
        CMD(0, L4, 0, UDP_CSUM, F_PSEUDO_HDR | 4, ADDR_99, ADDR_2), CMD(1, L3, 0, IP_CSUM, 4, ADDR_99, ADDR_2),
        CMD(2, STORE, 0, 0, 4, IP_DST, ADDR_2), CMD(3, L4, 0, UDP_CSUM, 2, PORT_53, PORT_5353),
        CMD(4, STORE, 0, 0, 2, UDP_DPORT, PORT_5353), CMD(5, LOAD, 0, 0, 8, 34, 0), CMD(6, LOAD, 0, 0, 4, 22, 0)),
    SKB("tc_cmd/csum_diff", "kd_skb_cmd", "kd_skb_tc", TC_ACT_OK, UDP4, CMD(0, CSUM, 0, 0, 20, 14, 0),
        CMD(1, CSUM, 1, 0, 20, 14, 0), CMD(2, CSUM, 2, 0, 8, 26, 0), CMD(3, CSUM, 0, 0, 3, 42, 0x12345),
        CMD(4, CSUM, 1, 0, 5, 40, 0xffffffff), CMD(5, CSUM, 3, UDP_CSUM, 8, 26, 0), CMD(6, LOAD, 0, 0, 8, 34, 0)),
    SKB("tc_cmd/csum_errors", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP4, CMD(0, L3, 0, IP_CSUM, 3, 1, 2),
        CMD(1, L3, 0, IP_CSUM, F_PSEUDO_HDR | 2, 1, 2), CMD(2, L3, 0, 25, 2, 1, 2), CMD(3, L3, 0, 254, 2, 1, 2),
        CMD(4, L4, 0, UDP_CSUM, 0, 1, 2), CMD(5, L4, 0, 45, 2, 1, 2), CMD(6, L3, 0, IP_CSUM, 0, 0, 0x1234),
        CMD(7, L4, 0, UDP_CSUM, 8, 1, 2)),
    SKB("tc_cmd/l4_mangled_0", "kd_skb_cmd", "kd_skb_tc", TC_ACT_OK, UDP4_NOCSUM,
        CMD(0, L4, 0, UDP_CSUM, F_MARK_MANGLED_0 | 2, PORT_53, PORT_5353), CMD(1, LOAD, 0, 0, 2, UDP_CSUM, 0),
        CMD(2, L4, 0, UDP_CSUM, F_MARK_MANGLED_0 | F_MARK_ENFORCE | 2, PORT_53, PORT_5353),
        CMD(3, LOAD, 0, 0, 2, UDP_CSUM, 0), CMD(4, L4, 0, UDP_CSUM, 2, 0x1234, 0x1234),
        CMD(5, LOAD, 0, 0, 2, UDP_CSUM, 0)),
    SKB("tc_cmd/l4_mangled_result", "kd_skb_cmd", "kd_skb_tc", TC_ACT_OK, UDP4,
        CMD(0, STORE, 0, 0, 2, UDP_CSUM, 0xff00), CMD(1, L4, 0, UDP_CSUM, F_MARK_MANGLED_0 | 2, 0, 0xff00),
        CMD(2, LOAD, 0, 0, 2, UDP_CSUM, 0), CMD(3, L3, 0, IP_CSUM, 2, 0x0045, 0x0046),
        CMD(4, LOAD, 0, 0, 2, IP_CSUM, 0)),
    SKB("tc_cmd/redirect", "kd_skb_cmd", "kd_skb_tc", TC_ACT_REDIRECT, TCP4, CMD(0, REDIRECT, 0, 0, 0, 1, 0)),
    SKB("tc_cmd/redirect_ingress", "kd_skb_cmd", "kd_skb_tc", TC_ACT_REDIRECT, UDP6,
        CMD(0, REDIRECT, 0, 0, 0, 7, BPF_F_INGRESS)),
    SKB("tc_cmd/redirect_bad_flags", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP4, CMD(0, REDIRECT, 0, 0, 0, 1, 2)),
    SKB("tc_cmd/direct_bytes", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, ARP_SHORT, CMD(0, RBYTE, 0, 0, 0, 14, 0),
        CMD(1, WBYTE, 0, 0, 0, 17, 0x5a), CMD(2, WBYTE, 0, 0, 0, 18, 1), CMD(3, RBYTE, 0, 0, 0, 18, 0),
        CMD(4, LEN, 0, 0, 0, 0, 0), CMD(5, WBYTE, 0, 0, 0, 0, 0x77)),
    SKB_IN("tc_cmd/maps_and_mark", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP6, CTX_MARK,
        CMD(0, KD_UPDATE, 0, KD_NOEXIST, 0, 1, 10), CMD(1, KD_UPDATE, 0, KD_NOEXIST, 0, 1, 11),
        CMD(2, KD_ADD, 0, 0, 0, 1, 5), CMD(3, KD_LOOKUP, 0, 0, 0, 2, 0), CMD(4, KD_DELETE, 0, 0, 0, 3, 0),
        CMD(5, KD_FOREACH, 0, 0, 0, 0, 0), CMD(6, MARK, 0, 0, 0, 0, 0x5150), CMD(7, LEN, 0, 0, 0, 0, 0),
        KD_PUT("h", KD_BYTES(KD_U32(3)), KD_BYTES(KD_U64(33)), 0)),
    SKB("tc_cmd/events", "kd_skb_cmd", "kd_skb_tc", TC_ACT_SHOT, UDP4, CMD(0, PERF, 0, 0, 4, 0, 0x11223344),
        CMD(1, PERF, 0, 0, 2, 46, 0x5566), CMD(2, PERF, 0, 0, 0, 14, 0), CMD(3, PERF, 0, 0, 4, 47, 1),
        CMD(4, RING, 0, 0, 0, 0, 0xabcdef), CMD(5, STORE, 0, 0, 1, 0, 0x99), CMD(6, PERF, 0, 0, 1, 3, 0x77)),
    SKB_IN("cg_cmd/events", "kd_skb_cmd", "kd_skb_cg", 1, UDP6, CTX_MARK, CMD(0, PERF, 0, 0, 4, 0, 7),
        CMD(1, PERF, 0, 0, 3, 48, 0x010203), CMD(2, RING, 0, 0, 0, 0, 5)),
    /* lwt_xmit: offsets from the IP header (UDP4: IP checksum at 10, destination at 16, UDP checksum
     * at 26, destination port at 22) */
    SKB("xmit_cmd/nat_addr", "kd_skb_cmd", "kd_skb_xmit", 0, UDP4,
        CMD(0, L4, 0, UDP_CSUM - 14, F_PSEUDO_HDR | 4, ADDR_99, ADDR_2),
        CMD(1, L3, 0, IP_CSUM - 14, 4, ADDR_99, ADDR_2),
        CMD(2, STORE, 0, 0, 4, IP_DST - 14, ADDR_2), CMD(3, L4, 0, UDP_CSUM - 14, 2, PORT_53, PORT_5353),
        CMD(4, STORE, 0, 0, 2, UDP_DPORT - 14, PORT_5353), CMD(5, CSUM, 0, 0, 20, 0, 0),
        CMD(6, WBYTE, 0, 0, 0, 31, 0x45),
        CMD(7, LEN, 0, 0, 0, 0, 0)),
    SKB_IN("xmit_cmd/redirect", "kd_skb_cmd", "kd_skb_xmit", 7, TCP4, CTX_FULL, CMD(0, MARK, 0, 0, 0, 0, 3),
        CMD(1, REDIRECT, 0, 0, 0, 1, 0), CMD(2, LOAD, 0, 0, 8, 0, 0)),
    SKB("xmit_cmd/errors", "kd_skb_cmd", "kd_skb_xmit", 2, ARP_SHORT, CMD(0, STORE, 0, 0, 4, 1, 0),
        CMD(1, L3, 0, 2, 2, 0, 1), CMD(2, LOAD, 0, 0, 4, 0, 0), CMD(3, RBYTE, 0, 0, 0, 4, 0)),
    SKB("cg_cmd/load_bytes", "kd_skb_cmd", "kd_skb_cg", 0, UDP4, CMD(0, LOAD, 0, 0, 8, 0, 0),
        CMD(1, LOAD, 0, 0, 8, 24, 0), CMD(2, LOAD, 0, 0, 1, 31, 0), CMD(3, LOAD, 0, 0, 2, 31, 0),
        CMD(4, RBYTE, 0, 0, 0, 9, 0), CMD(5, RBYTE, 0, 0, 0, 32, 0), CMD(6, LEN, 0, 0, 0, 0, 0),
        CMD(7, CSUM, 0, 0, 20, 0, 0)),
    SKB_IN("cg_cmd/maps_and_mark", "kd_skb_cmd", "kd_skb_cg", 1, TCP4, CTX_FULL,
        CMD(0, KD_UPDATE, 0, KD_ANY, 0, 4, 40), CMD(1, KD_ADD, 0, 0, 0, 4, 2), CMD(2, KD_LOOKUP, 0, 0, 0, 4, 0),
        CMD(3, MARK, 0, 0, 0, 0, 77), CMD(4, LEN, 0, 0, 0, 0, 0)),
    SKB("cg_cmd/short", "kd_skb_cmd", "kd_skb_cg", 0, ARP_SHORT, CMD(0, LEN, 0, 0, 0, 0, 0),
        CMD(1, LOAD, 0, 0, 4, 0, 0), CMD(2, LOAD, 0, 0, 8, 0, 0), CMD(3, RBYTE, 0, 0, 0, 3, 0),
        CMD(4, RBYTE, 0, 0, 0, 4, 0)),
};

const size_t kd_skb_case_count = sizeof kd_skb_cases / sizeof kd_skb_cases[0];
