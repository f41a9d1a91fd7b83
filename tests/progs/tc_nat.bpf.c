/* tc_nat.bpf.c - test program (sched_cls): reads the __sk_buff fields len, protocol, data and
 * data_end, parses Ethernet + IPv4 + UDP/TCP, and
 *   - drops (TC_ACT_SHOT) TCP to port 23;
 *   - rewrites UDP to 10.0.0.99 into 10.0.0.2 (bpf_l3_csum_replace for the IP header, bpf_l4_csum_replace
 *     with BPF_F_PSEUDO_HDR for the UDP checksum, bpf_skb_store_bytes for the address) and its
 *     destination port 53 into 5353 (bpf_l4_csum_replace, bpf_skb_store_bytes);
 *   - passes (TC_ACT_OK) the rest.
 * It records in the context: mark = skb->len, cb[0] = protocol (network order as Linux stores it),
 * cb[1] = the low 16 bits of len read with a 2-byte (narrow) load, cb[2] = the packet's IP protocol
 * read with bpf_skb_load_bytes, priority = 7 for IPv4. Self-contained (no maps) so that a kernel
 * runner can load it as is. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define IP_CSUM_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, check))
#define IP_DST_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, daddr))
#define UDP_OFF (ETH_HLEN + sizeof(struct iphdr))
#define UDP_CSUM_OFF (UDP_OFF + __builtin_offsetof(struct udphdr, check))
#define UDP_DPORT_OFF (UDP_OFF + __builtin_offsetof(struct udphdr, dest))

SEC("tc")
int tc_nat(struct __sk_buff *skb)
{
    skb->mark = skb->len;
    skb->cb[0] = skb->protocol;
    skb->cb[1] = *(volatile __u16 *)&skb->len;
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
        return TC_ACT_OK;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end || ip->ihl != 5)
        return TC_ACT_OK;
    skb->priority = 7;
    __u8 proto;
    if (bpf_skb_load_bytes(skb, ETH_HLEN + __builtin_offsetof(struct iphdr, protocol), &proto, 1))
        return TC_ACT_SHOT;
    skb->cb[2] = proto;
    struct udphdr ports;
    if (bpf_skb_load_bytes(skb, UDP_OFF, &ports, 4))
        return TC_ACT_OK;
    if (proto == IPPROTO_TCP && ports.dest == bpf_htons(23))
        return TC_ACT_SHOT;
    if (proto != IPPROTO_UDP)
        return TC_ACT_OK;
    __be32 old_dst = ip->daddr, new_dst = bpf_htonl(0x0a000002);
    if (old_dst == bpf_htonl(0x0a000063)) {
        bpf_l4_csum_replace(skb, UDP_CSUM_OFF, old_dst, new_dst, BPF_F_PSEUDO_HDR | sizeof(new_dst));
        bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_dst, new_dst, sizeof(new_dst));
        bpf_skb_store_bytes(skb, IP_DST_OFF, &new_dst, sizeof(new_dst), 0);
    }
    if (ports.dest == bpf_htons(53)) {
        __be16 new_port = bpf_htons(5353);
        bpf_l4_csum_replace(skb, UDP_CSUM_OFF, ports.dest, new_port, sizeof(new_port));
        bpf_skb_store_bytes(skb, UDP_DPORT_OFF, &new_port, sizeof(new_port), 0);
    }
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
