/* kd_perf.bpf.c - kernel-differential program for BPF_MAP_TYPE_PERF_EVENT_ARRAY and
 * bpf_perf_event_output. Op 30 on the command packet of kd_prog.h: a record of `flags` bytes (at most
 * 32) of the fill byte value, plus `arg` packet bytes (BPF_F_CTXLEN_MASK), to slot `key`, where key
 * 0xffffffff is BPF_F_CURRENT_CPU, 0xfffffffe the running CPU's own index and 0xfffffffd the next
 * CPU's (from kd_env); sel 1 adds an undefined flag bit. res = the helper's return value. The runner
 * opens a reader on every CPU (libbpf perf_buffer; ours ebpf_object_perf_open) and compares records. */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u32);
} events SEC(".maps");

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    __u8 buf[32];
    __u32 len = c->flags, zero = 0;
    __u64 slot = c->key;
    if (c->op != 30 || len > sizeof buf)
        return KD_BAD_OP;
    for (int i = 0; i < (int)sizeof buf; i++)
        buf[i] = (__u8)(c->value + i);
    if (c->key == 0xfffffffe || c->key == 0xfffffffd) {
        struct kd_env *env = bpf_map_lookup_elem(&kd_env, &zero);
        if (!env)
            return KD_ABSENT;
        slot = c->key == 0xfffffffe ? env->run_cpu : (env->run_cpu + 1) % env->nr_cpus;
    }
    __u64 flags = slot | (__u64)c->arg << 32;
    if (c->sel == 1)
        flags |= 1ull << 60;
    return bpf_perf_event_output(ctx, &events, flags, buf, len);
}

KD_CMD_PROGRAM(kd_perf, dispatch)

char LICENSE[] SEC("license") = "GPL";
