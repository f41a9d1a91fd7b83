/* kd_ringbuf.bpf.c - kernel-differential program for BPF_MAP_TYPE_RINGBUF (one page) and the ringbuf
 * helpers. Ops on the command packet of kd_prog.h (fill: the low byte of value):
 *   20 OUTPUT    res = bpf_ringbuf_output(arg bytes of fill, flags)
 *   21 SUBMIT    reserve a record (sel: 0 8 bytes, 1 13, 2 64, 3 24, 4 8 with reserve flags 1 (refused),
 *                5 0 bytes, 6 4096 (more than the ring holds)), fill it, bpf_ringbuf_submit(flags);
 *                res = 0, or KD_ABSENT when the reserve failed
 *   22 DISCARD   the same with bpf_ringbuf_discard
 *   23 QUERY     res = bpf_ringbuf_query(key)
 *   24 FILL      bpf_ringbuf_output of 1000-byte records until one fails (at most 8): res = the number
 *                written, aux = the failing call's return value
 * The runner compares the records both sides' consumers read. */
#include "kd_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} rb SEC(".maps");

struct big {
    __u8 bytes[1000];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct big);
} bigbuf SEC(".maps");

#define RB_OUTPUT 20
#define RB_SUBMIT 21
#define RB_DISCARD 22
#define RB_QUERY 23
#define RB_FILL 24

/* Reserves SIZE bytes (a constant, as the verifier wants), fills them, submits or discards. */
#define RB_RECORD(SIZE, RFLAGS)                                                                   \
    do {                                                                                          \
        __u8 *r = bpf_ringbuf_reserve(&rb, SIZE, RFLAGS);                                         \
        if (!r)                                                                                   \
            return KD_ABSENT;                                                                     \
        for (int i = 0; i < SIZE && i < 64; i++) /* sizes that are filled are at most 64 */      \
            r[i] = (__u8)(fill + i);                                                              \
        if (c->op == RB_SUBMIT)                                                                   \
            bpf_ringbuf_submit(r, c->flags);                                                      \
        else                                                                                      \
            bpf_ringbuf_discard(r, c->flags);                                                     \
        return 0;                                                                                 \
    } while (0)

static __always_inline long dispatch(struct xdp_md *ctx, const struct kd_cmd *c, __u64 *second, __u32 index)
{
    __u8 fill = (__u8)c->value;
    switch (c->op) {
    case RB_OUTPUT: {
        __u8 buf[64];
        __u32 len = c->arg;
        if (len > sizeof buf)
            return KD_BAD_OP;
        for (int i = 0; i < (int)sizeof buf; i++)
            buf[i] = (__u8)(fill + i);
        return bpf_ringbuf_output(&rb, buf, len, c->flags);
    }
    case RB_SUBMIT:
    case RB_DISCARD:
        switch (c->sel) {
        case 0:
            RB_RECORD(8, 0);
        case 1:
            RB_RECORD(13, 0);
        case 2:
            RB_RECORD(64, 0);
        case 3:
            RB_RECORD(24, 0);
        case 4:
            RB_RECORD(8, 1);
        case 5:
            RB_RECORD(0, 0);
        case 6:
            RB_RECORD(4096, 0);
        }
        return KD_BAD_OP;
    case RB_QUERY:
        return (long)bpf_ringbuf_query(&rb, c->key);
    case RB_FILL: {
        __u32 zero = 0;
        struct big *b = bpf_map_lookup_elem(&bigbuf, &zero);
        if (!b)
            return KD_ABSENT;
        b->bytes[0] = fill;
        b->bytes[999] = fill ^ 0xff;
        long n = 0, r = 0;
        for (int i = 0; i < 8; i++) {
            r = bpf_ringbuf_output(&rb, b, sizeof *b, 0);
            if (r)
                break;
            n++;
        }
        *second = (__u64)r;
        return n;
    }
    }
    return KD_BAD_OP;
}

KD_CMD_PROGRAM(kd_ringbuf, dispatch)

char LICENSE[] SEC("license") = "GPL";
