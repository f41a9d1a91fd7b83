/* kd_queue.bpf.c - kernel-differential program for BPF_MAP_TYPE_QUEUE and STACK: the command packet
 * of kd_prog.h with sel 0 = `queue`, 1 = `stack` (4 u64 values each), ops KD_PUSH (flags: BPF_ANY,
 * or BPF_EXIST to overwrite the oldest value of a full map), KD_POP and KD_PEEK. */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 4);
    __type(value, __u64);
} queue SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_STACK);
    __uint(max_entries, 4);
    __type(value, __u64);
} stack SEC(".maps");

static __always_inline long queue_op(void *map, const struct kd_cmd *c, __u64 *second)
{
    __u64 value = c->value;
    long r;
    switch (c->op) {
    case KD_PUSH:
        return bpf_map_push_elem(map, &value, c->flags);
    case KD_POP:
        value = 0;
        r = bpf_map_pop_elem(map, &value);
        *second = value;
        return r;
    case KD_PEEK:
        value = 0;
        r = bpf_map_peek_elem(map, &value);
        *second = value;
        return r;
    }
    return KD_BAD_OP;
}

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    if (c->sel == 0)
        return queue_op(&queue, c, second);
    if (c->sel == 1)
        return queue_op(&stack, c, second);
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_queue, dispatch)

char LICENSE[] SEC("license") = "GPL";
