/*
 * ctx_table_skb.c - where the fields of struct __sk_buff (UAPI offsets, as in ctx_fields.def) live in
 * runtime_skb_ctx. data, data_end and data_meta become 64-bit pointers; every other field keeps its
 * UAPI width (arrays cb, remote_ip6, local_ip6 contiguous), so narrow reads keep their byte offset.
 * queue_mapping, tc_index and tc_classid are 16-bit in Linux's sk_buff (qdisc_skb_cb for tc_classid):
 * stores to them keep 16 bits, and a queue_mapping of NO_QUEUE_MAPPING or more is not stored.
 */
#include "runtime/ctx_records.h"

#define SLOT(UAPI_OFF, FIELD) \
    { UAPI_OFF, offsetof(runtime_skb_ctx, FIELD), sizeof(((runtime_skb_ctx *)0)->FIELD), 0, 0 }
/* A field Linux keeps in 16 bits (stores truncate; LIMIT: stores of values >= it are ignored). */
#define SLOT16(UAPI_OFF, FIELD, LIMIT) \
    { UAPI_OFF, offsetof(runtime_skb_ctx, FIELD), sizeof(((runtime_skb_ctx *)0)->FIELD), 2, LIMIT }
#define NO_QUEUE_MAPPING 0xffffu

static const runtime_ctx_slot skb_slots[] = {
    SLOT(0, len),
    SLOT(4, pkt_type),
    SLOT(8, mark),
    SLOT16(12, queue_mapping, NO_QUEUE_MAPPING),
    SLOT(16, protocol),
    SLOT(20, vlan_present),
    SLOT(24, vlan_tci),
    SLOT(28, vlan_proto),
    SLOT(32, priority),
    SLOT(36, ingress_ifindex),
    SLOT(40, ifindex),
    SLOT16(44, tc_index, 0),
    SLOT(48, cb),
    SLOT(68, hash),
    SLOT16(72, tc_classid, 0),
    SLOT(76, data),
    SLOT(80, data_end),
    SLOT(84, napi_id),
    SLOT(88, family),
    SLOT(92, remote_ip4),
    SLOT(96, local_ip4),
    SLOT(100, remote_ip6),
    SLOT(116, local_ip6),
    SLOT(132, remote_port),
    SLOT(136, local_port),
    SLOT(140, data_meta),
    SLOT(144, flow_keys),
    SLOT(152, tstamp),
    SLOT(160, wire_len),
    SLOT(164, gso_segs),
    SLOT(168, sk),
    SLOT(176, gso_size),
    SLOT(180, tstamp_type),
    SLOT(184, hwtstamp),
};

const runtime_ctx_table runtime_ctx_table_skb = {
    ABI_CTX_SKB, "struct __sk_buff", skb_slots, sizeof skb_slots / sizeof skb_slots[0],
    sizeof(runtime_skb_ctx), offsetof(runtime_skb_ctx, tstamp),
};
