/* bad_helper.bpf.c - negative test: a socket filter calling bpf_xdp_adjust_head, which only XDP
 * programs may call; the load must fail naming helper 44 and its instruction. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int bad_helper(struct __sk_buff *skb)
{
    return (int)bpf_xdp_adjust_head((struct xdp_md *)skb, 4);
}

char LICENSE[] SEC("license") = "GPL";
