/*
 * ctx_table_xdp.c - where the fields of struct xdp_md live in runtime_xdp_ctx:
 *
 *     xdp_md                         runtime_xdp_ctx
 *     off  0  u32 data          ->   off  0  u64 data       (real pointer)
 *     off  4  u32 data_end      ->   off  8  u64 data_end   (real pointer)
 *     off  8  u32 data_meta     ->   off 16  u64 data_meta  (real pointer)
 *     off 12  u32 ingress_ifindex -> off 24
 *     off 16  u32 rx_queue_index  -> off 28
 *     off 20  u32 egress_ifindex  -> off 32
 */
#include "runtime/ctx_records.h"

#define SLOT(UAPI_OFF, FIELD) \
    { UAPI_OFF, offsetof(runtime_xdp_ctx, FIELD), sizeof(((runtime_xdp_ctx *)0)->FIELD), 0, 0 }

static const runtime_ctx_slot xdp_slots[] = {
    SLOT(0, data),
    SLOT(4, data_end),
    SLOT(8, data_meta),
    SLOT(12, ingress_ifindex),
    SLOT(16, rx_queue_index),
    SLOT(20, egress_ifindex),
};

const runtime_ctx_table runtime_ctx_table_xdp = {
    ABI_CTX_XDP, "struct xdp_md", xdp_slots, sizeof xdp_slots / sizeof xdp_slots[0],
    sizeof(runtime_xdp_ctx), offsetof(runtime_xdp_ctx, ingress_ifindex),
};
