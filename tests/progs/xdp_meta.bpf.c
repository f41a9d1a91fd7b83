/* xdp_meta.bpf.c - test program (xdp): reads the metadata Linux's test run places before the packet
 * when ctx_in (an xdp_md) gives data = metadata length: returns 100 + ingress_ifindex without 4 bytes
 * of metadata; otherwise moves the packet start by 2 (bpf_xdp_adjust_head, metadata moves along),
 * writes 0x77 into the first metadata byte and returns 1000 * (old metadata byte 1) +
 * 10 * ingress_ifindex. Self-contained (no maps). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
    unsigned char *meta = (void *)(long)ctx->data_meta, *data = (void *)(long)ctx->data;
    if (meta + 4 > data)
        return 100 + ctx->ingress_ifindex;
    int byte1 = meta[1];
    if (bpf_xdp_adjust_head(ctx, 2))
        return 7;
    meta = (void *)(long)ctx->data_meta;
    data = (void *)(long)ctx->data;
    if (meta + 1 > data)
        return 8;
    meta[0] = 0x77;
    return 1000 * byte1 + 10 * ctx->ingress_ifindex;
}

char LICENSE[] SEC("license") = "GPL";
