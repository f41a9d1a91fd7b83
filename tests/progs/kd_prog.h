/* kd_prog.h - the command packet the kernel-differential test programs (kd_*.bpf.c) interpret, and
 * the walker that runs it. A test packet is a 16-byte header (an Ethernet header with EtherType
 * 0x88b5, local experimental, then 2 bytes of padding so that commands are 4-byte aligned) followed
 * by up to KD_MAX_CMDS commands of 12 bytes:
 *
 *     op  sel  flags  arg | key (u32, little endian) | value (u32, little endian)
 *
 * A command with op 0 ends the list early (bytes after it are data for the commands, e.g. strings).
 * Each program's dispatch function runs one command and returns a result (a helper's return value,
 * a looked-up value or KD_ABSENT); the walker stores it in `res`[i], a second output in `aux`[i], and
 * returns XDP_DROP when any result is negative, else XDP_PASS (other program types: their own
 * verdicts, KD_CMD_PROGRAM_OF). The runner compares the maps, so every
 * result is checked against the kernel. */
#ifndef KD_PROG_H
#define KD_PROG_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "kd_env.h"

#define KD_HDR_LEN 16
#define KD_MAX_CMDS 8
#define KD_ABSENT (-1000)   /* lookup found nothing (not an errno, so it cannot be mistaken for one) */
#define KD_BAD_OP (-2000)   /* the program does not know this op/sel */

/* ops shared by the map programs */
enum kd_op {
    KD_LOOKUP = 1,         /* res = value, or KD_ABSENT */
    KD_UPDATE = 2,         /* res = bpf_map_update_elem(key, value, flags) */
    KD_DELETE = 3,         /* res = bpf_map_delete_elem(key) */
    KD_ADD = 4,            /* value += cmd value through the lookup pointer; res = new value or KD_ABSENT */
    KD_PUSH = 5,           /* res = bpf_map_push_elem(value, flags) */
    KD_POP = 6,            /* res = bpf_map_pop_elem; aux = the value popped */
    KD_PEEK = 7,           /* res = bpf_map_peek_elem; aux = the value seen */
    KD_LOOKUP_PERCPU = 8,  /* res = bpf_map_lookup_percpu_elem(key, cpu) value, or KD_ABSENT, where cpu
                            * is arg CPUs after the running one (wrapping around), or arg itself when
                            * arg >= KD_ABSOLUTE_CPU: the kernel and we run on different CPU numbers */
    KD_FOREACH = 9,        /* res = bpf_for_each_map_elem (stops at an element equal to value when value
                            * != 0); aux = visits << 32 | sum of the values seen */
    KD_LOOP = 10,          /* res = bpf_loop(key, flags = value); aux = sum of the indexes */
    KD_FOREACH_DELETE = 11, /* res = bpf_for_each_map_elem whose callback deletes every element with an
                            * odd value (the one it is visiting); aux = visits << 32 | deletions that
                            * succeeded */
};

#define KD_ABSOLUTE_CPU 64

struct kd_cmd {
    __u8 op;
    __u8 sel;
    __u8 flags;
    __u8 arg;
    __u32 key;
    __u32 value;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, KD_MAX_CMDS);
    __type(key, __u32);
    __type(value, __s64);
} res SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, KD_MAX_CMDS);
    __type(key, __u32);
    __type(value, __u64);
} aux SEC(".maps");

/* Filled by the runner before each run (kd_env.h); not compared. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct kd_env);
} kd_env SEC(".maps");

/* The CPU `ahead` CPUs after the running one, or `ahead` itself from KD_ABSOLUTE_CPU on. */
static __always_inline __u32 kd_cpu_ahead(__u32 ahead)
{
    __u32 zero = 0;
    struct kd_env *env = bpf_map_lookup_elem(&kd_env, &zero);
    if (ahead >= KD_ABSOLUTE_CPU || !env || !env->nr_cpus)
        return ahead;
    return (bpf_get_smp_processor_id() + ahead) % env->nr_cpus;
}

static __always_inline void kd_store(void *map, __u32 index, __u64 value)
{
    __u64 *slot = bpf_map_lookup_elem(map, &index);
    if (slot)
        *slot = value;
}

/* Defines program NAME of section SECTION (context type CTX, verdicts PASS and DROP) running
 * DISPATCH(ctx, const struct kd_cmd *, __u64 *aux, __u32 index) on every command of the packet. The
 * commands are copied to the stack first: a command may move the packet. KD_CMD_PROGRAM is the XDP
 * form; a tc program would be KD_CMD_PROGRAM_OF("tc", struct __sk_buff, TC_ACT_OK, TC_ACT_SHOT, ...). */
#define KD_CMD_PROGRAM_OF(SECTION, CTX, PASS, DROP, NAME, DISPATCH)                                 \
    SEC(SECTION) int NAME(CTX *ctx)                                                                \
    {                                                                                              \
        struct kd_cmd cmds[KD_MAX_CMDS];                                                           \
        __u32 count = 0;                                                                           \
        void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;                  \
        for (__u32 i = 0; i < KD_MAX_CMDS; i++) {                                                  \
            struct kd_cmd *p = data + KD_HDR_LEN + i * sizeof(struct kd_cmd);                      \
            if ((void *)(p + 1) > end || p->op == 0)                                               \
                break;                                                                             \
            cmds[i] = *p;                                                                          \
            count = i + 1;                                                                         \
        }                                                                                          \
        int action = PASS;                                                                         \
        for (__u32 i = 0; i < KD_MAX_CMDS; i++) {                                                  \
            if (i >= count)                                                                        \
                break;                                                                             \
            __u64 second = 0;                                                                      \
            long r = DISPATCH(ctx, &cmds[i], &second, i);                                          \
            kd_store(&res, i, (__u64)r);                                                           \
            kd_store(&aux, i, second);                                                             \
            if (r < 0)                                                                             \
                action = DROP;                                                                     \
        }                                                                                          \
        return action;                                                                             \
    }

#define KD_CMD_PROGRAM(NAME, DISPATCH) KD_CMD_PROGRAM_OF("xdp", struct xdp_md, XDP_PASS, XDP_DROP, NAME, DISPATCH)

/* The generic key/value operations on a map of u32 keys and u64 values (PERCPU: also the per-CPU
 * lookup). Inlined with a constant map, so the verifier sees which map each helper gets. */
struct kd_sum {
    __u64 visits;
    __u64 sum;
    __u64 stop_at;
};

static long kd_sum_elem(void *map, __u32 *key, __u64 *value, struct kd_sum *s)
{
    s->visits++;
    s->sum += *value;
    return s->stop_at && *value == s->stop_at;
}

static long kd_delete_odd(void *map, __u32 *key, __u64 *value, struct kd_sum *s)
{
    s->visits++;
    if ((*value & 1) && bpf_map_delete_elem(map, key) == 0)
        s->sum++;
    return 0;
}

static __always_inline long kd_map_op(void *map, const struct kd_cmd *c, __u64 *second, int percpu, int iterable)
{
    __u32 key = c->key;
    __u64 value = c->value;
    __u64 *v;
    switch (c->op) {
    case KD_LOOKUP:
        v = bpf_map_lookup_elem(map, &key);
        return v ? (long)*v : KD_ABSENT;
    case KD_UPDATE:
        return bpf_map_update_elem(map, &key, &value, c->flags);
    case KD_DELETE:
        return bpf_map_delete_elem(map, &key);
    case KD_ADD:
        v = bpf_map_lookup_elem(map, &key);
        if (!v)
            return KD_ABSENT;
        __sync_fetch_and_add(v, value);
        return (long)*v;
    case KD_LOOKUP_PERCPU:
        if (!percpu)
            return KD_BAD_OP;
        v = bpf_map_lookup_percpu_elem(map, &key, kd_cpu_ahead(c->arg));
        return v ? (long)*v : KD_ABSENT;
    case KD_FOREACH: {
        if (!iterable)
            return KD_BAD_OP;
        struct kd_sum s = { .stop_at = value };
        long n = bpf_for_each_map_elem(map, kd_sum_elem, &s, c->flags);
        *second = s.visits << 32 | (s.sum & 0xffffffff);
        return n;
    }
    case KD_FOREACH_DELETE: {
        if (!iterable)
            return KD_BAD_OP;
        struct kd_sum s = { 0 };
        long n = bpf_for_each_map_elem(map, kd_delete_odd, &s, 0);
        *second = s.visits << 32 | (s.sum & 0xffffffff);
        return n;
    }
    }
    return KD_BAD_OP;
}

#endif
