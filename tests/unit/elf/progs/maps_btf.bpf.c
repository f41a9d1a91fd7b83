/* maps_btf.bpf.c - BTF-defined maps of every encoding the loader decodes, used by one XDP program.
 * Expected by test_elf_objects.c: see the map names and numbers there. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
    __u32 saddr;
    __u32 daddr;
    __u16 sport;
    __u16 dport;
    __u8 proto;
};

struct flow_stats {
    __u64 packets;
    __u64 bytes;
};

typedef struct flow_stats flow_stats_t;

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, struct flow_key);
    __type(value, flow_stats_t);
    __uint(max_entries, 1024);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} flows SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, 8);
    __uint(max_entries, 4);
} counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, __u64[3]);
    __uint(max_entries, 2);
    __uint(map_flags, BPF_F_NUMA_NODE);
    __uint(numa_node, 1);
} percpu SEC(".maps");

SEC("xdp")
int count_flows(struct xdp_md *ctx)
{
    struct flow_key key = {.proto = 6};
    __u32 index = 1;
    flow_stats_t *stats = bpf_map_lookup_elem(&flows, &key);
    __u64 *counter = bpf_map_lookup_elem(&counters, &index);
    __u64 *slots = bpf_map_lookup_elem(&percpu, &index);
    if (stats)
        stats->packets++;
    if (counter)
        (*counter)++;
    if (slots)
        slots[2]++;
    bpf_ringbuf_output(&events, &key, sizeof key, 0);
    return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
__u32 _version SEC("version") = 0x050400;
