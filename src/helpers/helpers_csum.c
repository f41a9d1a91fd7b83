/*
 * helpers_csum.c - the checksum helpers: bpf_csum_diff (any packet program) and bpf_l3_csum_replace /
 * bpf_l4_csum_replace (skb programs, on the run's packet window), over helper_csum_math.c.
 *
 * l3/l4: offset is where the 16-bit checksum field sits in the packet (even, at most 0xffff, the two
 * bytes inside the packet: else -EFAULT). The low 4 bits of flags give the size of the changed field,
 * 2 or 4, with from/to its old and new values; or 0, with from 0 and `to` a difference computed by
 * bpf_csum_diff. l4 also takes BPF_F_MARK_MANGLED_0 (a zero checksum means "none" for UDP: leave it
 * alone unless BPF_F_MARK_ENFORCE, and write 0xffff instead of a zero result), BPF_F_PSEUDO_HDR and
 * BPF_F_IPV6 (they only matter for an skb->csum this runtime does not keep: packets are
 * CHECKSUM_NONE, as in BPF_PROG_TEST_RUN).
 */
#include "helpers/helpers_int.h"

#include <string.h>

#define HELPER_F_HDR_FIELD_MASK 0xfull
#define HELPER_F_PSEUDO_HDR (1ull << 4)
#define HELPER_F_MARK_MANGLED_0 (1ull << 5)
#define HELPER_F_MARK_ENFORCE (1ull << 6)
#define HELPER_F_IPV6 (1ull << 7)
#define HELPER_CSUM_MANGLED_0 0xffffu

/* s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed): the
 * checksum of `to` minus that of `from`, plus seed, folded to 16 bits (not inverted), as Linux
 * computes it since 6.13: any sizes, the buffers' own words (no copy). */
HELPER_FN(csum_diff)
{
    const void *from = HELPER_PTR(r1), *to = HELPER_PTR(r3);
    uint32_t from_size = (uint32_t)r2, to_size = (uint32_t)r4, sum = (uint32_t)r5;
    if (from_size && to_size)
        sum = helper_csum_sub(helper_csum_partial(to, to_size, sum),
                              helper_csum_partial(from, from_size, 0));
    else if (to_size)
        sum = helper_csum_partial(to, to_size, sum);
    else if (from_size)
        sum = ~helper_csum_partial(from, from_size, ~sum);
    return helper_csum_from32to16(sum);
}

/* The checksum field at `offset`, or NULL (-EFAULT) when it is not a 2-byte aligned field inside the
 * packet. */
static uint8_t *csum_field(uint64_t ctx, uint32_t offset)
{
    helper_run *run = helper_ctx_run(ctx);
    if (!helper_has_pkt(run) || offset > 0xffff || (offset & 1) ||
        (uint64_t)offset + 2 > helper_pkt_len(run))
        return NULL;
    return helper_pkt_data(run) + offset;
}

/* long bpf_l3_csum_replace(struct sk_buff *skb, u32 offset, u64 from, u64 to, u64 size) */
HELPER_FN(l3_csum_replace)
{
    uint64_t flags = r5;
    if (flags & ~HELPER_F_HDR_FIELD_MASK)
        return HELPER_ERR(HELPER_EINVAL);
    uint8_t *field = csum_field(r1, (uint32_t)r2);
    if (!field)
        return HELPER_ERR(HELPER_EFAULT);
    uint16_t sum;
    memcpy(&sum, field, 2);
    switch (flags & HELPER_F_HDR_FIELD_MASK) {
    case 0:
        if (r3 != 0)
            return HELPER_ERR(HELPER_EINVAL);
        helper_csum_replace_by_diff(&sum, (uint32_t)r4);
        break;
    case 2:
        helper_csum_replace2(&sum, (uint16_t)r3, (uint16_t)r4);
        break;
    case 4:
        helper_csum_replace4(&sum, (uint32_t)r3, (uint32_t)r4);
        break;
    default:
        return HELPER_ERR(HELPER_EINVAL);
    }
    memcpy(field, &sum, 2);
    return 0;
}

/* long bpf_l4_csum_replace(struct sk_buff *skb, u32 offset, u64 from, u64 to, u64 flags) */
HELPER_FN(l4_csum_replace)
{
    uint64_t flags = r5;
    bool mangled_0 = (flags & HELPER_F_MARK_MANGLED_0) != 0;
    if (flags & ~(HELPER_F_MARK_MANGLED_0 | HELPER_F_MARK_ENFORCE | HELPER_F_PSEUDO_HDR |
                  HELPER_F_HDR_FIELD_MASK | HELPER_F_IPV6))
        return HELPER_ERR(HELPER_EINVAL);
    uint8_t *field = csum_field(r1, (uint32_t)r2);
    if (!field)
        return HELPER_ERR(HELPER_EFAULT);
    uint16_t sum;
    memcpy(&sum, field, 2);
    if (mangled_0 && !(flags & HELPER_F_MARK_ENFORCE) && sum == 0)
        return 0;
    switch (flags & HELPER_F_HDR_FIELD_MASK) {
    case 0:
        if (r3 != 0)
            return HELPER_ERR(HELPER_EINVAL);
        helper_csum_replace_by_diff(&sum, (uint32_t)r4);
        break;
    case 2: /* Linux widens a 2-byte field to the 4-byte update */
        helper_csum_proto_replace4(&sum, (uint16_t)r3, (uint16_t)r4);
        break;
    case 4:
        helper_csum_proto_replace4(&sum, (uint32_t)r3, (uint32_t)r4);
        break;
    default:
        return HELPER_ERR(HELPER_EINVAL);
    }
    if (mangled_0 && sum == 0)
        sum = HELPER_CSUM_MANGLED_0;
    memcpy(field, &sum, 2);
    return 0;
}
