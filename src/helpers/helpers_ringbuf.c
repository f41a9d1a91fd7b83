/*
 * helpers_ringbuf.c - the BPF ring buffer helpers over maps.h: output, reserve, submit, discard and
 * query. Flags, sizes and errors are the map layer's, which follows Linux (-EINVAL for unknown
 * flags, -EAGAIN when full; reserve returns NULL instead). The verifier proves that every reserved
 * sample is submitted or discarded exactly once.
 */
#include "helpers/helpers_int.h"

#include "maps/maps.h"

/* long bpf_ringbuf_output(void *ringbuf, void *data, u64 size, u64 flags) */
HELPER_FN(ringbuf_output)
{
    const void *data = r2 ? HELPER_PTR(r2) : ""; /* size 0 may come with NULL; never copy from it */
    return helper_ret(map_ringbuf_output(HELPER_PTR(r1), data, r3, r4));
}

/* void *bpf_ringbuf_reserve(void *ringbuf, u64 size, u64 flags) */
HELPER_FN(ringbuf_reserve)
{
    return HELPER_RET_PTR(map_ringbuf_reserve(HELPER_PTR(r1), r2, r3));
}

/* void bpf_ringbuf_submit(void *data, u64 flags) */
HELPER_FN(ringbuf_submit)
{
    map_ringbuf_submit(HELPER_PTR(r1), r2);
    return 0;
}

/* void bpf_ringbuf_discard(void *data, u64 flags) */
HELPER_FN(ringbuf_discard)
{
    map_ringbuf_discard(HELPER_PTR(r1), r2);
    return 0;
}

/* u64 bpf_ringbuf_query(void *ringbuf, u64 flags): BPF_RB_AVAIL_DATA, _RING_SIZE, _CONS_POS,
 * _PROD_POS; 0 for anything else. */
HELPER_FN(ringbuf_query)
{
    return map_ringbuf_query(HELPER_PTR(r1), r2);
}
