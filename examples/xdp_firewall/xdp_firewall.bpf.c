/* xdp_firewall.bpf.c - the `make run` demo: a small XDP firewall in C, compiled by stock clang
 * (-target bpf) against libbpf-dev's headers and run unchanged by `ebpf run --pcap`.
 *
 *   blocklist  LPM trie {prefixlen, IPv4 address} -> rule id: a source inside any prefix is dropped
 *   talkers    LRU hash source address -> {packets, bytes}: every IPv4 packet, dropped ones included
 *   actions    per-CPU array XDP action -> packets: every verdict the program gives
 *   events     ring buffer of {src, dst, proto, len} records, one per dropped packet
 *
 * Frames that are not IPv4 (ARP, IPv6, ...) pass untouched; an IPv4 header that is truncated or has
 * an invalid length is XDP_ABORTED. Addresses are kept in network byte order, as on the wire. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct lpm_v4_key {
    __u32 prefixlen; /* host order, as the kernel's LPM trie wants it */
    __u32 addr;      /* network order */
};

struct talker {
    __u64 packets;
    __u64 bytes;
};

struct drop_event {
    __u32 src;
    __u32 dst;
    __u32 len;
    __u8 proto;
    __u8 pad[3];
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 256);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm_v4_key);
    __type(value, __u32);
} blocklist SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct talker);
} talkers SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, XDP_REDIRECT + 1);
    __type(key, __u32);
    __type(value, __u64);
} actions SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
} events SEC(".maps");

static __always_inline int verdict(__u32 action)
{
    __u64 *count = bpf_map_lookup_elem(&actions, &action);
    if (count)
        *count += 1; /* this CPU's slot: no atomic needed */
    return (int)action;
}

static __always_inline void account(__u32 src, __u64 len)
{
    struct talker *t = bpf_map_lookup_elem(&talkers, &src);
    if (t) {
        __sync_fetch_and_add(&t->packets, 1);
        __sync_fetch_and_add(&t->bytes, len);
        return;
    }
    struct talker first = { .packets = 1, .bytes = len };
    bpf_map_update_elem(&talkers, &src, &first, BPF_NOEXIST);
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    __u64 len = (__u64)(data_end - data);
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return verdict(XDP_ABORTED);
    if (eth->h_proto != bpf_htons(ETH_P_IP))
        return verdict(XDP_PASS);
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end || ip->ihl < 5)
        return verdict(XDP_ABORTED);

    account(ip->saddr, len);

    struct lpm_v4_key key = { .prefixlen = 32, .addr = ip->saddr };
    if (!bpf_map_lookup_elem(&blocklist, &key))
        return verdict(XDP_PASS);
    struct drop_event *e = bpf_ringbuf_reserve(&events, sizeof *e, 0);
    if (e) {
        e->src = ip->saddr;
        e->dst = ip->daddr;
        e->len = (__u32)len;
        e->proto = ip->protocol;
        e->pad[0] = e->pad[1] = e->pad[2] = 0;
        bpf_ringbuf_submit(e, 0);
    }
    return verdict(XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
