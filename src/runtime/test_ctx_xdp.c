/*
 * test_ctx_xdp.c - the XDP test-run context, as Linux's bpf_prog_test_run_xdp lays it out (one page):
 *
 *   buf            +256 (XDP_PACKET_HEADROOM)           +256+size        +3776 (buf_end)   +4096
 *   |---- headroom ----|-------- packet data_in --------|---- tailroom ----|-- shinfo 320 --|
 *
 * Without ctx_in the context has ingress_ifindex 1 (loopback) and rx_queue_index 0. With ctx_in (a
 * struct xdp_md, Linux's rules): data_meta 0, data_end the size of data_in, data <= data_end the length
 * of the metadata at the start of data_in (a multiple of 4, at most 32), egress_ifindex 0, and
 * ingress_ifindex 0 or 1 with rx_queue_index 0 (the runtime has only the loopback device and its one
 * queue). The metadata then sits just before the packet, which still starts at +256.
 *
 * data_out is [data_meta, data_end) after the last run; ctx_out is the xdp_md with data and data_end
 * as offsets from data_meta (data_meta 0), and ctx_in's ifindex and queue, as Linux returns it.
 */
#include "runtime/test_ctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XDP_FRAME_SIZE 4096u
#define XDP_MAX_DATA (XDP_FRAME_SIZE - HELPER_XDP_PACKET_HEADROOM - HELPER_SKB_SHINFO_RESERVE)
#define XDP_LOOPBACK_IFINDEX 1u

typedef struct xdp_md_in {
    uint32_t data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex;
} xdp_md_in;

static xdp_md_in xdp_md_read(const uint8_t *uapi)
{
    xdp_md_in m;
    memcpy(&m, uapi, sizeof m);
    return m;
}

int test_ctx_xdp_setup(test_ctx *c, const struct ebpf_test_run_opts *o, char *why, size_t why_size)
{
    if ((!o->data_in && o->data_size_in) || o->data_size_in < HELPER_ETH_HLEN || o->data_size_in > XDP_MAX_DATA) {
        snprintf(why, why_size, "the packet must have %u to %u bytes (it has %zu)", HELPER_ETH_HLEN, XDP_MAX_DATA,
                 o->data_size_in);
        return -EINVAL;
    }
    xdp_md_in md = xdp_md_read(c->uapi);
    size_t meta = 0;
    if (o->ctx_in || o->ctx_out) {
        if (md.data_meta || md.data_end != o->data_size_in || md.data > md.data_end || (md.data & 3) ||
            md.data > HELPER_XDP_META_MAX || md.egress_ifindex) {
            snprintf(why, why_size, "ctx_in (xdp_md): data_meta and egress_ifindex must be 0, data_end the "
                     "packet size (%zu) and data the metadata length (a multiple of 4, at most %u)",
                     o->data_size_in, HELPER_XDP_META_MAX);
            return -EINVAL;
        }
        if (md.ingress_ifindex > XDP_LOOPBACK_IFINDEX || md.rx_queue_index) {
            snprintf(why, why_size, "ctx_in (xdp_md): only the loopback device (ingress_ifindex 0 or 1) and its "
                     "queue 0 exist here");
            return md.ingress_ifindex > XDP_LOOPBACK_IFINDEX ? -ENODEV : -EINVAL;
        }
        meta = md.data;
        if (o->data_size_in - meta < HELPER_ETH_HLEN) {
            snprintf(why, why_size, "the packet after %zu bytes of metadata is shorter than %u bytes", meta,
                     HELPER_ETH_HLEN);
            return -EINVAL;
        }
    }
    c->frame = calloc(XDP_FRAME_SIZE, 1);
    if (!c->frame) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    uint8_t *buf = c->frame, *meta_start = buf + HELPER_XDP_PACKET_HEADROOM - meta;
    memcpy(meta_start, o->data_in, o->data_size_in);
    runtime_xdp_ctx *x = &c->rec.xdp;
    x->data_meta = (uint64_t)(uintptr_t)meta_start;
    x->data = (uint64_t)(uintptr_t)(buf + HELPER_XDP_PACKET_HEADROOM);
    x->data_end = x->data_meta + o->data_size_in;
    x->ingress_ifindex = XDP_LOOPBACK_IFINDEX;
    c->rec_size = runtime_ctx_table_xdp.record_size;
    c->rec_readonly = runtime_ctx_table_xdp.readonly_size;
    c->pkt = (helper_packet){ .data = &x->data, .data_end = &x->data_end, .data_meta = &x->data_meta,
                              .buf_start = buf, .buf_end = buf + XDP_FRAME_SIZE - HELPER_SKB_SHINFO_RESERVE };
    return 0;
}

void test_ctx_xdp_finish(test_ctx *c, const uint8_t **data, size_t *size, uint8_t *uapi)
{
    const runtime_xdp_ctx *x = &c->rec.xdp;
    *data = (const uint8_t *)(uintptr_t)x->data_meta;
    *size = (size_t)(x->data_end - x->data_meta);
    uint32_t data_off = (uint32_t)(x->data - x->data_meta), end_off = (uint32_t)*size, zero = 0;
    memcpy(uapi + 0, &data_off, 4);
    memcpy(uapi + 4, &end_off, 4);
    memcpy(uapi + 8, &zero, 4);
}
