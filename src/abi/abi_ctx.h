/*
 * abi_ctx.h - context layouts as data (expanded from ctx_fields.def): the UAPI structs a program's r1
 * points to (xdp_md, __sk_buff, bpf_sock_addr, bpf_sock_ops, raw records), their fields, and the one
 * rule that says whether a given context access is allowed for a program type. Used by the verifier
 * (every context load and store) and by the runtime's context rewrite.
 */
#ifndef EBPF_ABI_CTX_H
#define EBPF_ABI_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum abi_ctx_layout {
#define ABI_CTX_LAYOUT(LAYOUT, SIZE, RAW) ABI_CTX_##LAYOUT,
#define ABI_CTX_FIELD(LAYOUT, NAME, OFFSET, SIZE, KIND, ACCESS)
#include "abi/ctx_fields.def"
#undef ABI_CTX_FIELD
#undef ABI_CTX_LAYOUT
    ABI_CTX_LAYOUT_COUNT
} abi_ctx_layout;

typedef enum abi_ctx_kind {
    ABI_CTX_KIND_SCALAR,    /* a number */
    ABI_CTX_KIND_PKT,       /* packet start (32-bit field in the UAPI, a real pointer after the rewrite) */
    ABI_CTX_KIND_PKT_END,   /* one past the packet's last byte */
    ABI_CTX_KIND_PKT_META,  /* start of the metadata before the packet */
    ABI_CTX_KIND_SOCK,      /* struct bpf_sock pointer, or NULL */
    ABI_CTX_KIND_FLOW_KEYS, /* struct bpf_flow_keys pointer */
} abi_ctx_kind;

/* Access bits of a field. */
#define ABI_CTX_R         0x01u /* readable with its own size */
#define ABI_CTX_NARROW    0x02u /* also 1- and 2-byte reads (size-aligned) inside each 4-byte element */
#define ABI_CTX_WIDE      0x04u /* an array also read and written 8 bytes at a time (8-aligned) */
#define ABI_CTX_W_ALL     0x10u /* writable (4-byte elements, 8 with WIDE) by every type of the layout */
#define ABI_CTX_W_TC      0x20u /* writable by sched_cls and sched_act */
#define ABI_CTX_W_CGROUP  0x40u /* writable by cgroup_skb */
#define ABI_CTX_SOCK_INFO 0x80u /* readable only by sk_skb and cgroup_skb */
#define ABI_CTX_W_LWT     0x100u /* writable by lwt_in, lwt_out and lwt_xmit */
#define ABI_CTX_NOT_SOCK_FILTER 0x200u /* not readable by socket filters (no direct packet access there) */
#define ABI_CTX_TC_ONLY   0x400u /* readable only by sched_cls and sched_act */
#define ABI_CTX_FLOW_ONLY 0x800u /* readable only by flow dissectors */

typedef struct abi_ctx_field {
    const char *name;
    uint16_t offset;        /* in the UAPI struct */
    uint16_t size;          /* bytes (whole array for cb[5], user_ip6[4]) */
    uint8_t kind;           /* abi_ctx_kind */
    uint16_t access;        /* ABI_CTX_* bits */
} abi_ctx_field;

typedef struct abi_ctx_desc {
    abi_ctx_layout layout;
    const char *name;       /* "XDP", "SKB", ... */
    uint32_t size;          /* bytes; 0 with raw: the application gives it (GENERIC) */
    bool raw;               /* no fields: every aligned read inside size is a number, no writes */
} abi_ctx_desc;

/* The description of a layout (never NULL for a valid layout; NULL otherwise). */
const abi_ctx_desc *abi_ctx_desc_of(abi_ctx_layout layout);

/* The fields of a layout, in offset order (*count 0 and NULL for raw layouts). */
const abi_ctx_field *abi_ctx_fields(abi_ctx_layout layout, size_t *count);

/* The context of a program type (by its Linux id; GENERIC for application hooks); NULL if unknown. */
const abi_ctx_desc *abi_ctx_for_prog_type(uint32_t prog_type);

/*
 * May a program of prog_type read (write = false) or write `size` bytes at `offset` of its context?
 * generic_size is the context size of GENERIC programs (the application's; ignored otherwise).
 * Returns the field accessed (for raw layouts a shared "raw" row of kind SCALAR) or NULL, with *why
 * set to a short reason ("no field at offset 12", "field mark is read-only for socket_filter", ...).
 */
const abi_ctx_field *abi_ctx_access(uint32_t prog_type, uint32_t generic_size, int64_t offset, uint32_t size,
                                    bool write, const char **why);

#endif
