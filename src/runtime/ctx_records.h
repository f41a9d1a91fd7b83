/*
 * ctx_records.h - the runtime's context records (what r1 really points to after the context rewrite)
 * and, per UAPI layout, the table that maps each field of the UAPI struct (abi_ctx.h) to its place in
 * the record. The tables live in ctx_table_<layout>.c; ctx_rewrite.c turns context loads and stores
 * into record accesses with them, and test-run converts ctx_in / ctx_out with them.
 *
 * Every record starts with a read-only block (the real pointers: packet start, end and metadata, sk)
 * followed by the scalar fields, each as wide as in the UAPI and stored in host order, arrays
 * contiguous: a 1- or 2-byte load at byte k of a 4-byte UAPI field is the same load at byte k of the
 * record field, which is what Linux's narrow context loads read on a little-endian host.
 */
#ifndef EBPF_RUNTIME_CTX_RECORDS_H
#define EBPF_RUNTIME_CTX_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "abi/abi_ctx.h"

/* struct xdp_md after the rewrite. */
typedef struct runtime_xdp_ctx {
    uint64_t data;              /* ---- read-only: real pointers ---- */
    uint64_t data_end;
    uint64_t data_meta;
    uint32_t ingress_ifindex;   /* ---- scalars ---- */
    uint32_t rx_queue_index;
    uint32_t egress_ifindex;
    uint32_t reserved;
} runtime_xdp_ctx;

/* struct __sk_buff after the rewrite. sk is the test run's socket (test_ctx_skb.c); flow_keys is NULL. */
typedef struct runtime_skb_ctx {
    uint64_t data;              /* ---- read-only: real pointers ---- */
    uint64_t data_end;
    uint64_t data_meta;
    uint64_t sk;
    uint64_t flow_keys;
    uint64_t tstamp;            /* ---- scalars ---- */
    uint64_t hwtstamp;
    uint32_t len, pkt_type, mark, queue_mapping, protocol;
    uint32_t vlan_present, vlan_tci, vlan_proto, priority, ingress_ifindex, ifindex, tc_index;
    uint32_t cb[5];
    uint32_t hash, tc_classid, napi_id;
    uint32_t family, remote_ip4, local_ip4, remote_ip6[4], local_ip6[4], remote_port, local_port;
    uint32_t wire_len, gso_segs, gso_size;
    uint8_t tstamp_type;
    uint8_t reserved[7];
} runtime_skb_ctx;

/* struct bpf_sock_addr after the rewrite. sk is always NULL here. */
typedef struct runtime_sock_addr_ctx {
    uint64_t sk;                /* ---- read-only ---- */
    uint32_t user_family;       /* ---- scalars ---- */
    uint32_t user_ip4;
    uint32_t user_ip6[4];
    uint32_t user_port;
    uint32_t family;
    uint32_t type;
    uint32_t protocol;
    uint32_t msg_src_ip4;
    uint32_t msg_src_ip6[4];
} runtime_sock_addr_ctx;

/* Where one UAPI field lives in the record. */
typedef struct runtime_ctx_slot {
    uint16_t uapi_offset;       /* the abi_ctx_field's offset */
    uint16_t record_offset;
    uint16_t record_size;       /* the field's size, except pointers: 8 (the UAPI's data fields have 4) */
    uint8_t store_size;         /* 0, or the width Linux keeps the field in (tc_index, tc_classid and
                                 * queue_mapping are 16-bit in the sk_buff): wider stores keep only these
                                 * low bytes, and the rest of the record field stays zero */
    uint32_t store_limit;       /* 0, or Linux ignores a store of a value >= this (queue_mapping:
                                 * NO_QUEUE_MAPPING); applied to immediate stores only, see ctx_rewrite.c */
} runtime_ctx_slot;

typedef struct runtime_ctx_table {
    abi_ctx_layout layout;
    const char *uapi_name;      /* "struct __sk_buff" */
    const runtime_ctx_slot *slots;
    size_t count;
    size_t record_size;
    size_t readonly_size;       /* the leading bytes of the record no program store may reach */
} runtime_ctx_table;

extern const runtime_ctx_table runtime_ctx_table_xdp;
extern const runtime_ctx_table runtime_ctx_table_skb;
extern const runtime_ctx_table runtime_ctx_table_sock_addr;

/* The table of a layout, or NULL (raw layouts and NONE: no record). */
const runtime_ctx_table *runtime_ctx_table_of(abi_ctx_layout layout);

/* The slot of the field at uapi_offset, or NULL. */
const runtime_ctx_slot *runtime_ctx_slot_of(const runtime_ctx_table *table, uint16_t uapi_offset);

/* Copies the scalar fields between a UAPI struct (uapi_size bytes, possibly shorter than the layout:
 * missing bytes read as zero) and the record. Pointer fields are left alone in both directions. */
void runtime_ctx_import(const runtime_ctx_table *table, void *record, const uint8_t *uapi, size_t uapi_size);
void runtime_ctx_export(const runtime_ctx_table *table, const void *record, uint8_t *uapi, size_t uapi_size);

#endif
