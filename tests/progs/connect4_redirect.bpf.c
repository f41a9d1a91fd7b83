/* connect4_redirect.bpf.c - test program (cgroup/connect4): a connect() to 10.0.0.1:80 is redirected
 * to 127.0.0.1:8080 (user_ip4 and user_port rewritten); one to any 192.168.0.0/16 address is denied
 * (return 0), found with a 2-byte (narrow) read of user_ip4; every other connect is allowed
 * unchanged. Self-contained (no maps). */
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("cgroup/connect4")
int connect4_redirect(struct bpf_sock_addr *ctx)
{
    if (*(volatile __u16 *)&ctx->user_ip4 == bpf_htons(0xc0a8))
        return 0;
    if (ctx->user_ip4 == bpf_htonl(0x0a000001) && ctx->user_port == bpf_htons(80)) {
        ctx->user_ip4 = bpf_htonl(0x7f000001);
        ctx->user_port = bpf_htons(8080);
    }
    return 1;
}

char LICENSE[] SEC("license") = "GPL";
