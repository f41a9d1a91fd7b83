/* xdp_dns_drop.bpf.c - test program: parses Ethernet/IPv4/UDP, drops UDP to port 53, passes the
 * rest, and counts packets per verdict in an array map (0: passed, 1: dropped) plus the bytes seen in
 * global data. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} verdicts SEC(".maps");

__u64 bytes_seen = 0;
const volatile __u16 blocked_port = 53;

static __always_inline void count(__u32 slot)
{
    __u64 *v = bpf_map_lookup_elem(&verdicts, &slot);
    if (v)
        __sync_fetch_and_add(v, 1);
}

SEC("xdp")
int xdp_dns_drop(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    bytes_seen += (__u64)(data_end - data);
    if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
        goto pass;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
        goto pass;
    struct udphdr *udp = (void *)ip + ip->ihl * 4;
    if ((void *)(udp + 1) > data_end)
        goto pass;
    if (udp->dest == bpf_htons(blocked_port)) {
        count(1);
        return XDP_DROP;
    }
pass:
    count(0);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
