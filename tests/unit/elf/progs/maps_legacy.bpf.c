/* maps_legacy.bpf.c - legacy map definitions: a `maps` section with records larger than
 * struct bpf_map_def (a loader-specific trailing field), and map-in-map through inner_map_idx. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
    unsigned int inner_map_idx;
    unsigned int numa_node;
    unsigned int loader_specific;  /* beyond what the loader knows: ignored */
};

struct legacy_map_def SEC("maps") packets = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u64),
    .max_entries = 256,
    .loader_specific = 7,
};

struct legacy_map_def SEC("maps") inner = {
    .type = BPF_MAP_TYPE_HASH,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u32),
    .max_entries = 16,
};

struct legacy_map_def SEC("maps") outer = {
    .type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u32),
    .max_entries = 4,
    .inner_map_idx = 1,  /* `inner`: legacy maps are numbered in file order */
};

SEC("socket")
int legacy_prog(struct __sk_buff *skb)
{
    __u32 key = skb->protocol & 0xff;
    __u64 *value = bpf_map_lookup_elem(&packets, &key);
    if (value)
        __sync_fetch_and_add(value, 1);
    void *map = bpf_map_lookup_elem(&outer, &key);
    if (map && bpf_map_lookup_elem(map, &key))
        return 1;
    return 0;
}

char _license[] SEC("license") = "GPL";
