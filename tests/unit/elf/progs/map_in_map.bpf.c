/* map_in_map.bpf.c - BTF map-in-map with initial inner maps, and a prog_array with initial programs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner_def {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 8);
};

struct inner_def inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner_def);
} outer SEC(".maps") = {
    .values = { [0] = &inner_a, [2] = &inner_b },
};

SEC("xdp")
int tail_one(struct xdp_md *ctx)
{
    return XDP_DROP;
}

SEC("xdp")
int tail_two(struct xdp_md *ctx)
{
    return XDP_TX;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 3);
    __type(key, __u32);
    __array(values, int (void *));
} jumps SEC(".maps") = {
    .values = { [1] = (void *)&tail_one, [2] = (void *)&tail_two },
};

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
    __u32 key = 0;
    void *inner = bpf_map_lookup_elem(&outer, &key);
    if (inner) {
        __u32 *v = bpf_map_lookup_elem(inner, &key);
        if (v)
            bpf_tail_call(ctx, &jumps, *v);
    }
    return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
