/* xdp_pop_tag.bpf.c - test program: strips a leading 4-byte tag in front of the Ethernet header with
 * bpf_xdp_adjust_head when the hash map `strip` holds the tag's first byte with a non-zero value, then
 * records the new packet length in the hash map `lengths` under the tag byte. Other packets pass
 * unchanged; a packet too short for a tag is aborted. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u8);
    __type(value, __u32);
} strip SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u8);
    __type(value, __u32);
} lengths SEC(".maps");

SEC("xdp")
int xdp_pop_tag(struct xdp_md *ctx)
{
    __u8 *data = (void *)(long)ctx->data;
    __u8 *data_end = (void *)(long)ctx->data_end;
    if (data + 4 > data_end)
        return XDP_ABORTED;
    __u8 tag = data[0];
    __u32 *on = bpf_map_lookup_elem(&strip, &tag);
    if (!on || !*on)
        return XDP_PASS;
    if (bpf_xdp_adjust_head(ctx, 4))
        return XDP_ABORTED;
    data = (void *)(long)ctx->data;
    data_end = (void *)(long)ctx->data_end;
    __u32 len = (__u32)(data_end - data);
    bpf_map_update_elem(&lengths, &tag, &len, BPF_ANY);
    if (data + 1 > data_end)
        return XDP_ABORTED;
    data[0] ^= 0xff; /* mark the packet so the test sees a written byte */
    return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
