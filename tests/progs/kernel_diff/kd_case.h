/*
 * kd_case.h - the case table of the kernel-differential runner: what one case runs (object, program,
 * input packet, repeat count, initial map contents) and the macros that write packets and map
 * contents as bytes. A case never says what the output should be - the kernel says that - only the
 * retval it was written to provoke, so that a case that stopped testing its path is noticed.
 *
 * Program types: the runner does not look at the type; each side runs the program the way its
 * BPF_PROG_TEST_RUN does for that type (ours: ebpf_prog_test_run). A tc, socket-filter or cgroup_skb
 * program is one more tests/progs/kd_*.bpf.c (built automatically) and rows here; its rows set `ctx`
 * so that the __sk_buff handed back (ctx_out) is compared too, and may give a ctx_in.
 */
#ifndef KD_CASE_H
#define KD_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kd_bytes {
    const uint8_t *data;
    size_t size;
};

/* One initial map update, applied on both sides before the run. */
struct kd_init {
    const char *map;        /* NULL ends the list */
    struct kd_bytes key;    /* size 0: no key (queue, stack: a push) */
    struct kd_bytes value;  /* per-CPU maps: every CPU gets this value */
    uint64_t flags;
};

#define KD_MAX_INITS 16
#define KD_ANY_RETVAL (-1)

struct kd_case {
    const char *name;
    const char *object;     /* tests/progs/<object>.bpf.c, built as <object>.bpf.o */
    const char *program;
    struct kd_bytes packet;
    struct kd_bytes tail;   /* appended to the packet (strings for the commands to read) */
    uint32_t repeat;        /* runs on the same packet buffer (0 counts as 1), as BPF_PROG_TEST_RUN */
    int64_t retval;         /* what this case provokes, checked on both sides; KD_ANY_RETVAL: unstated */
    /* The context (skb types): with `ctx` set, both sides get a ctx_out buffer and the contexts they
     * hand back are compared; ctx_in (size 0: none) is the struct __sk_buff given to the run (Linux
     * takes only some of its fields). Without `ctx` no context goes either way (XDP rows, and skb rows
     * that test a run without one). */
    bool ctx;
    struct kd_bytes ctx_in;
    /* Non-NULL: why our runtime is known to differ here (a behaviour it does not model yet). The case
     * still runs and its differences are printed under KNOWN, not counted as failures; a known case
     * that stops differing fails, so that the mark is removed. */
    const char *known;
    /* Non-zero: the test run is written to fail with this negative errno on both sides (ctx_in
     * checks); the errors are compared, and the maps after the refused run. */
    int error;
    struct kd_init init[KD_MAX_INITS];
};

extern const struct kd_case kd_cases[];       /* kd_cases.c: XDP */
extern const size_t kd_case_count;
extern const struct kd_case kd_skb_cases[];   /* kd_cases_skb.c: socket filter, tc, cgroup_skb */
extern const size_t kd_skb_case_count;

/* The input packet of a case (packet, then tail) in buf; its size, or 0 when it does not fit. */
size_t kd_case_packet(const struct kd_case *c, uint8_t *buf, size_t size);

/* ---- writing bytes ---- */
#define KD_BYTES(...) { (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }) }
#define KD_NONE { NULL, 0 }
#define KD_U8(x) (uint8_t)(x)
#define KD_U32(x) (uint8_t)(uint32_t)(x), (uint8_t)((uint32_t)(x) >> 8), (uint8_t)((uint32_t)(x) >> 16), \
                  (uint8_t)((uint32_t)(x) >> 24)
#define KD_U64(x) KD_U32((uint64_t)(x)), KD_U32((uint64_t)(x) >> 32)

/* The command packet of tests/progs/kd_prog.h: a 16-byte header, then 12-byte commands. */
#define KD_HDR 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x88, 0xb5, 0x00, 0x00
#define KD_CMD(op, sel, flags, arg, key, value) KD_U8(op), KD_U8(sel), KD_U8(flags), KD_U8(arg), KD_U32(key), \
                                                KD_U32(value)
#define KD_PKT(...) KD_BYTES(KD_HDR, __VA_ARGS__)
/* An op-0 command: the end of the list; a tail of strings may follow. KD_TEXT(n, k) is the packet
 * offset of byte k of the tail after n commands and the end marker. */
#define KD_END KD_CMD(0, 0, 0, 0, 0, 0)
#define KD_TEXT(n, k) (16 + 12 * ((n) + 1) + (k))
#define KD_TAIL(literal) { (const uint8_t *)(literal), sizeof(literal) - 1 }

/* Map updates: a u32 key with a u64 value, and the general form. */
#define KD_SET(map, key, value) { map, KD_BYTES(KD_U32(key)), KD_BYTES(KD_U64(value)), 0 }
#define KD_PUT(map, key, value, flags) { map, key, value, flags }

/* kd_prog.h op codes and flags, for the table */
enum {
    KD_LOOKUP = 1, KD_UPDATE, KD_DELETE, KD_ADD, KD_PUSH, KD_POP, KD_PEEK, KD_LOOKUP_PERCPU, KD_FOREACH,
    KD_LOOP, KD_FOREACH_DELETE,
};
#define KD_ANY 0
#define KD_NOEXIST 1
#define KD_EXIST 2

#endif
