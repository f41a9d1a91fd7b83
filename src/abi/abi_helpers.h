/*
 * abi_helpers.h - the Linux helper table as data (expanded from helpers.def): ids, names, prototypes
 * and which program-type families may call each helper. Shared by the verifier (argument checks) and
 * the runtime (which ids a program may call); the implementations live in src/helpers/.
 */
#ifndef EBPF_ABI_HELPERS_H
#define EBPF_ABI_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum abi_ret {
    ABI_RET_UNSUPPORTED, ABI_RET_INTEGER, ABI_RET_VOID, ABI_RET_MAP_VALUE, ABI_RET_MAP_VALUE_OR_NULL,
    ABI_RET_RINGBUF_MEM_OR_NULL, ABI_RET_SOCKET_OR_NULL,
} abi_ret;

typedef enum abi_arg {
    ABI_ARG_NONE, ABI_ARG_ANYTHING, ABI_ARG_MAP, ABI_ARG_MAP_KEY, ABI_ARG_MAP_VALUE, ABI_ARG_UNINIT_MAP_VALUE,
    ABI_ARG_CTX, ABI_ARG_CTX_OR_NULL, ABI_ARG_MEM, ABI_ARG_MEM_OR_NULL, ABI_ARG_UNINIT_MEM, ABI_ARG_SIZE,
    ABI_ARG_SIZE_OR_ZERO, ABI_ARG_ALLOC_SIZE, ABI_ARG_RINGBUF_MEM, ABI_ARG_FUNC, ABI_ARG_STACK_OR_NULL,
    ABI_ARG_CONST_STR, ABI_ARG_LONG_PTR, ABI_ARG_PROG_ARRAY, ABI_ARG_SOCKET, ABI_ARG_SPIN_LOCK,
} abi_arg;

typedef enum abi_family {
    ABI_FAMILY_NONE, ABI_FAMILY_ANY, ABI_FAMILY_NET, ABI_FAMILY_XDP, ABI_FAMILY_SKB, ABI_FAMILY_SOCK_ADDR,
    ABI_FAMILY_TRACE, ABI_FAMILY_CSUM_DIFF, ABI_FAMILY_REDIRECT, ABI_FAMILY_SKB_STORE, ABI_FAMILY_SKB_CSUM,
    ABI_FAMILY_SOCKOPT, ABI_FAMILY_SOCK_OPS,
} abi_family;

#define ABI_HELPER_PKT_CHANGE 0x1u

typedef struct abi_helper {
    uint32_t id;
    const char *name;      /* Linux name without the bpf_ prefix, e.g. "map_lookup_elem" */
    uint8_t ret;           /* abi_ret */
    uint8_t args[5];       /* abi_arg */
    uint8_t family;        /* abi_family */
    uint32_t flags;
} abi_helper;

enum {
#define ABI_HELPER(ID, NAME, RET, A1, A2, A3, A4, A5, FAMILY, FLAGS) ABI_HELPER_ID_##NAME = ID,
#include "abi/helpers.def"
#undef ABI_HELPER
    ABI_HELPER_ID_LIMIT
};

/* The row for a Linux helper id, or NULL when the id is not a Linux helper at all. */
const abi_helper *abi_helper_by_id(uint32_t id);

/* The row for a name ("map_lookup_elem" or "bpf_map_lookup_elem"), or NULL. */
const abi_helper *abi_helper_by_name(const char *name);

/* True if a prototype is defined (programs may call it, subject to the family). */
static inline bool abi_helper_supported(const abi_helper *h)
{
    return h && h->ret != ABI_RET_UNSUPPORTED;
}

#endif
