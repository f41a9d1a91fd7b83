/* parse.bpf.c - bench_jit: Ethernet / IPv4 / UDP parsing with a bounds check before every header, the
 * IPv4 header checksum (10 16-bit words) and a hash of the 5-tuple and the UDP length. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "bench_xdp.h"

SEC("xdp")
int bench_parse(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    __u32 r = 1;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_ABORTED;
    if (eth->h_proto != bpf_htons(ETH_P_IP))
        goto out;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end)
        goto out;
    if (ip->version != 4 || ip->ihl < 5)
        goto out;
    __u16 *w = (void *)ip;
    __u32 csum = 0;
    for (int i = 0; i < 10; i++)
        csum += w[i];
    csum = (csum & 0xffff) + (csum >> 16);
    csum = (csum & 0xffff) + (csum >> 16);
    r = 2 + ((~csum & 0xffff) << 8);
    if (ip->protocol != IPPROTO_UDP)
        goto out;
    struct udphdr *udp = (void *)ip + ip->ihl * 4;
    if ((void *)(udp + 1) > end)
        goto out;
    r ^= ip->saddr * 31 + ip->daddr;
    r = r * 16777619u ^ ((__u32)udp->source << 16 | udp->dest);
    r += bpf_ntohs(udp->len);
out:
    if (data + BENCH_PKT_LEN <= end)
        *(__u32 *)(data + BENCH_RESULT_OFF) = r;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
