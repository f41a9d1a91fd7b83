/* sock_filter_len.bpf.c - test program (socket_filter): the packet starts at the IP header (Linux
 * hands socket filters skb->data after the MAC header). Keeps all of an IPv4 UDP packet (returns
 * skb->len), the first 20 bytes of IPv4 TCP, and drops the rest (0). Stores pkt_type in cb[0] and
 * the 1-byte (narrow) low byte of protocol in cb[1]. Self-contained (no maps). */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int sock_filter_len(struct __sk_buff *skb)
{
    skb->cb[0] = skb->pkt_type;
    skb->cb[1] = *(volatile __u8 *)&skb->protocol;
    __u8 vihl, proto;
    if (bpf_skb_load_bytes(skb, 0, &vihl, 1) || (vihl >> 4) != 4)
        return 0;
    if (bpf_skb_load_bytes(skb, 9, &proto, 1))
        return 0;
    if (proto == IPPROTO_UDP)
        return skb->len;
    if (proto == IPPROTO_TCP)
        return 20;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
