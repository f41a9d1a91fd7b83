/*
 * ctx_table_sock_addr.c - where the fields of struct bpf_sock_addr (UAPI offsets, as in
 * ctx_fields.def) live in runtime_sock_addr_ctx: the same 4-byte scalars after a read-only sk
 * pointer (always NULL here).
 */
#include "runtime/ctx_records.h"

#define SLOT(UAPI_OFF, FIELD) \
    { UAPI_OFF, offsetof(runtime_sock_addr_ctx, FIELD), sizeof(((runtime_sock_addr_ctx *)0)->FIELD), 0, 0 }

static const runtime_ctx_slot sock_addr_slots[] = {
    SLOT(0, user_family),
    SLOT(4, user_ip4),
    SLOT(8, user_ip6),
    SLOT(24, user_port),
    SLOT(28, family),
    SLOT(32, type),
    SLOT(36, protocol),
    SLOT(40, msg_src_ip4),
    SLOT(44, msg_src_ip6),
    SLOT(64, sk),
};

const runtime_ctx_table runtime_ctx_table_sock_addr = {
    ABI_CTX_SOCK_ADDR, "struct bpf_sock_addr", sock_addr_slots, sizeof sock_addr_slots / sizeof sock_addr_slots[0],
    sizeof(runtime_sock_addr_ctx), offsetof(runtime_sock_addr_ctx, user_family),
};
