/*
 * helpers_perf.c - bpf_perf_event_output into a perf_event_array for the user-space reader of
 * maps.h.
 *
 * Two flavours, as in Linux. In packet programs (the run has a packet window: XDP, tc, socket
 * filters ...) the upper 32 bits of flags (BPF_F_CTXLEN_MASK) ask for that many packet bytes, from
 * data, to be appended to the record after the program's data; more than the packet holds is -EFAULT.
 * Elsewhere only the index bits are allowed. The low 32 bits are the array index or
 * BPF_F_CURRENT_CPU (the thread's CPU slot).
 */
#include "helpers/helpers_int.h"

#include "maps/maps.h"

/* long bpf_perf_event_output(void *ctx, struct bpf_map *map, u64 flags, void *data, u64 size) */
HELPER_FN(perf_event_output)
{
    const helper_run *run = helper_ctx_run(r1);
    uint64_t flags = r3;
    const void *extra = NULL;
    uint64_t extra_size = 0;
    if (helper_has_pkt(run)) {
        if (flags & ~(ABI_F_CTXLEN_MASK | ABI_F_INDEX_MASK))
            return HELPER_ERR(HELPER_EINVAL);
        extra_size = (flags & ABI_F_CTXLEN_MASK) >> 32;
        if (extra_size > helper_pkt_len(run))
            return HELPER_ERR(HELPER_EFAULT);
        extra = extra_size ? helper_pkt_data(run) : NULL;
    } else if (flags & ~ABI_F_INDEX_MASK) {
        return HELPER_ERR(HELPER_EINVAL);
    }
    /* data may be NULL with size 0 (ARG_PTR_TO_MEM_OR_NULL); the map layer copies from it anyway */
    const void *data = r4 ? HELPER_PTR(r4) : "";
    return helper_ret(map_perf_event_output(HELPER_PTR(r2), flags & ABI_F_INDEX_MASK, data, r5, extra,
                                            extra_size));
}
