/* core_ctx.bpf.c - test program (xdp): the context read through CO-RE relocations, as programs built
 * against vmlinux.h or with preserve_access_index do. `struct xdp_md___core` is a local flavour of
 * xdp_md (libbpf matches it by the name before "___"); every field access carries a field_byte_offset
 * relocation, which the loader resolves as compiled because xdp_md is a UAPI struct. Returns XDP_PASS
 * when the packet holds an Ethernet header (14 bytes) whose EtherType is IPv4, XDP_DROP otherwise. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct xdp_md___core {
    __u32 data;
    __u32 data_end;
} __attribute__((preserve_access_index));

SEC("xdp")
int core_ctx(struct xdp_md *ctx)
{
    struct xdp_md___core *c = (void *)ctx;
    unsigned char *data = (void *)(long)c->data, *end = (void *)(long)c->data_end;
    if (data + 14 > end)
        return XDP_DROP;
    return data[12] == 0x08 && data[13] == 0x00 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
