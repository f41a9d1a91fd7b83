/*
 * helpers_xdp.c - the XDP packet helpers: bpf_xdp_adjust_head, _adjust_meta, _adjust_tail,
 * _get_buff_len, _load_bytes and _store_bytes, on the run's packet window (helper_run.h), with
 * Linux's limits for a linear (single-buffer) packet:
 *
 *   buf_start          +40 (xdp_frame)       data_meta   data               data_end     buf_end
 *   |---- reserved ----|------ headroom ------|-- meta --|----- packet -----|-- tailroom --|
 *
 *   adjust_head: data moves by offset; it must stay at or after the reserve plus the metadata and
 *                leave at least ETH_HLEN bytes; the metadata moves along with it.
 *   adjust_meta: data_meta moves by offset, between the reserve and data; the resulting metadata
 *                is a multiple of 4 of at most HELPER_XDP_META_MAX (255) bytes, so 252 (-EACCES
 *                otherwise), as current Linux bounds it by skb_shared_info.meta_len.
 *   adjust_tail: data_end moves by offset, at most to buf_end, leaving at least ETH_HLEN bytes;
 *                growth is zero-filled.
 * Positions are compared as signed offsets from buf_start, so no pointer is formed outside the
 * buffer. The helpers write the new pointers into the runtime's context record.
 */
#include "helpers/helpers_int.h"

#include <string.h>

/* Offsets from buf_start of data, data_end and data_meta (meta: data + 1 when unsupported, as Linux
 * marks it). */
typedef struct xdp_window {
    uint8_t *base;
    int64_t data, end, meta;
    bool has_meta;
} xdp_window;

static helper_run *xdp_window_of(uint64_t ctx, xdp_window *w)
{
    helper_run *run = helper_ctx_run(ctx);
    if (!helper_has_pkt(run) || !run->pkt.buf_start)
        return NULL;
    w->base = run->pkt.buf_start;
    w->data = (int64_t)((uintptr_t)*run->pkt.data - (uintptr_t)w->base);
    w->end = (int64_t)((uintptr_t)*run->pkt.data_end - (uintptr_t)w->base);
    w->meta = w->data + 1;
    w->has_meta = false;
    if (run->pkt.data_meta) {
        int64_t meta = (int64_t)((uintptr_t)*run->pkt.data_meta - (uintptr_t)w->base);
        if (meta <= w->data) {
            w->meta = meta;
            w->has_meta = true;
        }
    }
    return run;
}

static void xdp_store(uint64_t *field, const xdp_window *w, int64_t off)
{
    *field = (uint64_t)((uintptr_t)w->base + (uintptr_t)off);
}

/* long bpf_xdp_adjust_head(struct xdp_buff *xdp_md, int delta) */
HELPER_FN(xdp_adjust_head)
{
    xdp_window w;
    helper_run *run = xdp_window_of(r1, &w);
    if (!run)
        return HELPER_ERR(HELPER_EINVAL);
    int64_t delta = (int32_t)r2;
    int64_t metalen = w.has_meta ? w.data - w.meta : 0;
    int64_t data = w.data + delta;
    if (data < (int64_t)HELPER_XDP_FRAME_RESERVE + metalen || data > w.end - (int64_t)HELPER_ETH_HLEN)
        return HELPER_ERR(HELPER_EINVAL);
    if (metalen)
        memmove(w.base + w.meta + delta, w.base + w.meta, (size_t)metalen);
    xdp_store(run->pkt.data, &w, data);
    if (run->pkt.data_meta) /* an unsupported one stays just past data, as Linux keeps it */
        xdp_store(run->pkt.data_meta, &w, w.meta + delta);
    return 0;
}

/* long bpf_xdp_adjust_meta(struct xdp_buff *xdp_md, int delta) */
HELPER_FN(xdp_adjust_meta)
{
    xdp_window w;
    helper_run *run = xdp_window_of(r1, &w);
    if (!run)
        return HELPER_ERR(HELPER_EINVAL);
    if (!w.has_meta)
        return HELPER_ERR(HELPER_ENOTSUPP);
    int64_t meta = w.meta + (int32_t)r2;
    if (meta < (int64_t)HELPER_XDP_FRAME_RESERVE || meta > w.data)
        return HELPER_ERR(HELPER_EINVAL);
    int64_t metalen = w.data - meta;
    if ((metalen & 3) || metalen > (int64_t)HELPER_XDP_META_MAX)
        return HELPER_ERR(HELPER_EACCES);
    xdp_store(run->pkt.data_meta, &w, meta);
    return 0;
}

/* long bpf_xdp_adjust_tail(struct xdp_buff *xdp_md, int delta) */
HELPER_FN(xdp_adjust_tail)
{
    xdp_window w;
    helper_run *run = xdp_window_of(r1, &w);
    if (!run || !run->pkt.buf_end)
        return HELPER_ERR(HELPER_EINVAL);
    int64_t delta = (int32_t)r2;
    int64_t end = w.end + delta;
    int64_t hard_end = (int64_t)((uintptr_t)run->pkt.buf_end - (uintptr_t)w.base);
    if (end > hard_end || end < w.data + (int64_t)HELPER_ETH_HLEN)
        return HELPER_ERR(HELPER_EINVAL);
    if (delta > 0)
        memset(w.base + w.end, 0, (size_t)delta);
    xdp_store(run->pkt.data_end, &w, end);
    return 0;
}

/* u64 bpf_xdp_get_buff_len(struct xdp_buff *xdp_md): the packet length (one buffer, no frags) */
HELPER_FN(xdp_get_buff_len)
{
    helper_run *run = helper_ctx_run(r1);
    return helper_has_pkt(run) ? helper_pkt_len(run) : 0;
}

/* The packet bytes [offset, offset + len), Linux's bpf_xdp_pointer checks: offset or len above
 * 0xffff -EFAULT, past the end -EINVAL. */
static long xdp_range(uint64_t ctx, uint32_t offset, uint32_t len, uint8_t **at)
{
    helper_run *run = helper_ctx_run(ctx);
    if (!helper_has_pkt(run))
        return -HELPER_EINVAL;
    if (offset > 0xffff || len > 0xffff)
        return -HELPER_EFAULT;
    if ((uint64_t)offset + len > helper_pkt_len(run))
        return -HELPER_EINVAL;
    *at = helper_pkt_data(run) + offset;
    return 0;
}

/* long bpf_xdp_load_bytes(struct xdp_buff *xdp_md, u32 offset, void *buf, u32 len) */
HELPER_FN(xdp_load_bytes)
{
    uint8_t *at;
    long rc = xdp_range(r1, (uint32_t)r2, (uint32_t)r4, &at);
    if (rc < 0)
        return (uint64_t)(int64_t)rc;
    memcpy(HELPER_PTR(r3), at, (uint32_t)r4);
    return 0;
}

/* long bpf_xdp_store_bytes(struct xdp_buff *xdp_md, u32 offset, void *buf, u32 len) */
HELPER_FN(xdp_store_bytes)
{
    uint8_t *at;
    long rc = xdp_range(r1, (uint32_t)r2, (uint32_t)r4, &at);
    if (rc < 0)
        return (uint64_t)(int64_t)rc;
    memmove(at, HELPER_PTR(r3), (uint32_t)r4);
    return 0;
}
