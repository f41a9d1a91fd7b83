/*
 * helpers_skb.c - bpf_skb_load_bytes and bpf_skb_store_bytes on the run's packet window (for skb
 * programs, [data, data_end) is Linux's skb->data .. skb->len: a linear packet). Offsets are
 * relative to data, as in Linux.
 *
 * This runtime does not model skb->csum (its packets are CHECKSUM_NONE, as BPF_PROG_TEST_RUN builds
 * them), so BPF_F_RECOMPUTE_CSUM has nothing to update; BPF_F_INVALIDATE_HASH clears the context's
 * hash when the runtime gave its address.
 */
#include "helpers/helpers_int.h"

#include <limits.h>
#include <string.h>

#define HELPER_F_RECOMPUTE_CSUM 1ull  /* BPF_F_RECOMPUTE_CSUM */
#define HELPER_F_INVALIDATE_HASH 2ull /* BPF_F_INVALIDATE_HASH */

/* long bpf_skb_load_bytes(const void *skb, u32 offset, void *to, u32 len): 0, or -EFAULT with to
 * zeroed when the bytes are not all in the packet. */
HELPER_FN(skb_load_bytes)
{
    helper_run *run = helper_ctx_run(r1);
    uint32_t offset = (uint32_t)r2, len = (uint32_t)r4;
    void *to = HELPER_PTR(r3);
    if (!helper_has_pkt(run) || offset > INT_MAX || (uint64_t)offset + len > helper_pkt_len(run)) {
        memset(to, 0, len);
        return HELPER_ERR(HELPER_EFAULT);
    }
    memcpy(to, helper_pkt_data(run) + offset, len);
    return 0;
}

/* long bpf_skb_store_bytes(struct sk_buff *skb, u32 offset, const void *from, u32 len, u64 flags):
 * 0; -EINVAL for unknown flags, -EFAULT when the bytes are not all in the packet. */
HELPER_FN(skb_store_bytes)
{
    helper_run *run = helper_ctx_run(r1);
    uint32_t offset = (uint32_t)r2, len = (uint32_t)r4;
    uint64_t flags = r5;
    if (flags & ~(HELPER_F_RECOMPUTE_CSUM | HELPER_F_INVALIDATE_HASH))
        return HELPER_ERR(HELPER_EINVAL);
    if (!helper_has_pkt(run) || offset > INT_MAX || (uint64_t)offset + len > helper_pkt_len(run))
        return HELPER_ERR(HELPER_EFAULT);
    memmove(helper_pkt_data(run) + offset, HELPER_PTR(r3), len);
    if ((flags & HELPER_F_INVALIDATE_HASH) && run->pkt.hash)
        *run->pkt.hash = 0;
    return 0;
}
