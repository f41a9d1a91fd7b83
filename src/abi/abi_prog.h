/*
 * abi_prog.h - program types as data (expanded from prog_types.def): Linux id, name, context layout,
 * the helper families a type may call, and the range its return value must be in. Defined once, used
 * by the loader (names, helper checks), the verifier (context, return range) and the runtime.
 */
#ifndef EBPF_ABI_PROG_H
#define EBPF_ABI_PROG_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi_ctx.h"
#include "abi/abi_helpers.h"

/* Linux program type ids (ABI_PROG_XDP = 6, ...), and GENERIC for application-defined hooks. */
enum abi_prog_type_id {
#define ABI_PROG_TYPE(ID, NAME, VALUE, CTX, FAMILIES, RET_MIN, RET_MAX) ABI_PROG_##ID = VALUE,
#include "abi/prog_types.def"
#undef ABI_PROG_TYPE
};

/* Helper families (abi_family) a program type may call, as bit masks of 1 << ABI_FAMILY_*. */
#define ABI_FAM_BIT(F) (1u << ABI_FAMILY_##F)
#define ABI_FAMS_BASE      ABI_FAM_BIT(ANY)
#define ABI_FAMS_XDP       (ABI_FAMS_BASE | ABI_FAM_BIT(NET) | ABI_FAM_BIT(XDP) | ABI_FAM_BIT(CSUM_DIFF) | \
                            ABI_FAM_BIT(REDIRECT))
#define ABI_FAMS_SKB       (ABI_FAMS_BASE | ABI_FAM_BIT(NET) | ABI_FAM_BIT(SKB))
/* The skb types that may also edit the packet, as Linux's *_func_proto give them the helpers:
 * tc and lwt_xmit everything (store, l3/l4 checksums, csum_diff, redirect), lwt_in/out/seg6local
 * csum_diff only, sk_skb bpf_skb_store_bytes only; socket filters, cgroup_skb and flow dissectors
 * none of them. */
#define ABI_FAMS_TC        (ABI_FAMS_SKB | ABI_FAM_BIT(CSUM_DIFF) | ABI_FAM_BIT(REDIRECT) | ABI_FAM_BIT(SKB_STORE) | \
                            ABI_FAM_BIT(SKB_CSUM))
#define ABI_FAMS_LWT       (ABI_FAMS_SKB | ABI_FAM_BIT(CSUM_DIFF))
#define ABI_FAMS_SK_SKB    (ABI_FAMS_SKB | ABI_FAM_BIT(SKB_STORE))
#define ABI_FAMS_SOCK_ADDR (ABI_FAMS_BASE | ABI_FAM_BIT(SOCK_ADDR) | ABI_FAM_BIT(SOCKOPT))
#define ABI_FAMS_SOCK_OPS  (ABI_FAMS_BASE | ABI_FAM_BIT(SOCKOPT) | ABI_FAM_BIT(SOCK_OPS))
#define ABI_FAMS_TRACE     (ABI_FAMS_BASE | ABI_FAM_BIT(TRACE))

typedef struct abi_prog_type {
    uint32_t id;            /* Linux enum bpf_prog_type value */
    const char *name;       /* "xdp", "sched_cls", ... */
    abi_ctx_layout ctx;
    uint32_t families;      /* ABI_FAMS_* */
    int64_t ret_min, ret_max;
} abi_prog_type;

/* The row of a program type id, or NULL when the id is unknown. */
const abi_prog_type *abi_prog_type_by_id(uint32_t id);

/* Its name, or "unknown". */
const char *abi_prog_type_name(uint32_t id);

/* May a program of this type call helper h (a supported helper of an allowed family)? */
bool abi_prog_may_call(uint32_t prog_type, const abi_helper *h);

#endif
