/* kd_array.bpf.c - kernel-differential program for BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY, and bpf_loop:
 * the command packet of kd_prog.h with sel 0 = `arr` (8 x u64), sel 1 = `parr` (per-CPU, 4 x u64).
 * KD_LOOP runs bpf_loop(key, flags = value) summing the indexes (stops after index 100). The first
 * command of a run also counts the run in `runs` (global data, .data). */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} arr SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} parr SEC(".maps");

__u64 runs = 7; /* global data in .data: counts runs from 7 */

static long add_index(__u32 index, __u64 *sum)
{
    *sum += index;
    return index >= 100;
}

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    if (index == 0)
        runs++;
    if (c->op == KD_LOOP) {
        __u64 sum = 0;
        long n = bpf_loop(c->key, add_index, &sum, c->value);
        *second = sum;
        return n;
    }
    if (c->sel == 0)
        return kd_map_op(&arr, c, second, 0, 1);
    if (c->sel == 1)
        return kd_map_op(&parr, c, second, 1, 1);
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_array, dispatch)

char LICENSE[] SEC("license") = "GPL";
