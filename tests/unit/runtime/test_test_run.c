/*
 * test_test_run.c - ebpf_prog_test_run's context side through the public API, on the objects
 * tests/progs builds with clang: ctx_out too small (-ENOSPC, first bytes written), a caller built
 * against the header before ctx_in/ctx_out existed, the skb ctx_in checks, cgroup_sock_addr runs
 * (ctx_in required, ctx_out rewritten), a type without test run, the skb run's wire_len without a
 * context and its socket (skb->sk), and repeat loops (the lean path of the unchecked engines: tail
 * calls, callbacks, programs calling only helpers that need no reset between runs, more runs than one
 * map read-side section) giving the checked interpreter's results
 * on every engine.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ebpf/ebpf.h"

/* UDP 10.0.0.1 -> 10.0.0.99:53 in an Ethernet frame (46 bytes). */
static const uint8_t udp_frame[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x66, 0x69, 10, 0, 0, 1, 10, 0, 0, 99,
    0x12, 0x34, 0x00, 0x35, 0x00, 0x0c, 0x14, 0x43, 'a', 'b', 'c', 'd',
};

typedef struct loaded {
    ebpf_object *obj;
    ebpf_program *prog;
} loaded;

/* Opens and loads tests/progs/objs/OBJECT.bpf.o and finds program NAME; skips the test without it. */
static loaded load_program(const char *object, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.bpf.o", EBPF_PROGS_DIR, object);
    FILE *f = fopen(path, "rb");
    if (!f)
        skip();
    fclose(f);
    struct ebpf_diag diag;
    loaded l = { ebpf_object_open_file(path, NULL, &diag), NULL };
    assert_non_null(l.obj);
    assert_int_equal(ebpf_object_load(l.obj, &diag), 0);
    l.prog = ebpf_object_find_program(l.obj, name, &diag);
    assert_non_null(l.prog);
    return l;
}

/* Opens and loads tests/progs/objs/NAME.bpf.o and finds program NAME. */
static loaded load(const char *name)
{
    return load_program(name, name);
}

static void test_ctx_out_too_small(void **state)
{
    (void)state;
    loaded l = load("tc_nat");
    uint8_t out[128], ctx[100];
    memset(ctx, 0xee, sizeof ctx);
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = udp_frame, .data_size_in = sizeof udp_frame, .data_out = out,
              .data_size_out = sizeof out, .ctx_out = ctx, .ctx_size_out = sizeof ctx);
    assert_int_equal(ebpf_prog_test_run(l.prog, &t), -ENOSPC);
    assert_int_equal(t.ctx_size_out, 192);
    assert_int_equal(t.data_size_out, sizeof udp_frame);
    uint32_t mark;
    memcpy(&mark, ctx + 8, 4);
    assert_int_equal(mark, sizeof udp_frame); /* the program set mark = len (l2: the whole frame) */
    ebpf_object_close(l.obj);
}

static void test_caller_without_ctx_fields(void **state)
{
    (void)state;
    loaded l = load("tc_nat");
    struct ebpf_test_run_opts t;
    memset(&t, 0, sizeof t);
    t.sz = offsetof(struct ebpf_test_run_opts, ctx_in); /* an older, smaller struct */
    t.data_in = udp_frame;
    t.data_size_in = sizeof udp_frame;
    t.ctx_size_out = 12345; /* past the caller's struct: must stay untouched */
    assert_int_equal(ebpf_prog_test_run(l.prog, &t), 0);
    assert_int_equal(t.retval, 0);
    assert_int_equal(t.ctx_size_out, 12345);
    ebpf_object_close(l.obj);
}

static void test_skb_ctx_in_checks(void **state)
{
    (void)state;
    loaded l = load("tc_nat");
    uint8_t ctx[192];
    memset(ctx, 0, sizeof ctx);
    uint32_t wire_len = 10; /* below len: refused as by Linux */
    memcpy(ctx + 160, &wire_len, 4);
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = udp_frame, .data_size_in = sizeof udp_frame, .ctx_in = ctx,
              .ctx_size_in = sizeof ctx);
    assert_int_equal(ebpf_prog_test_run(l.prog, &t), -EINVAL);
    assert_non_null(strstr(t.message, "wire_len 10 must be from len (46)"));
    memset(ctx, 0, sizeof ctx);
    ctx[40] = 1; /* ifindex 1, the loopback: accepted */
    ctx[36] = 7; /* ingress_ifindex: any value */
    uint8_t out[192];
    EBPF_OPTS(ebpf_test_run_opts, t2, .data_in = udp_frame, .data_size_in = sizeof udp_frame, .ctx_in = ctx,
              .ctx_size_in = 44, .ctx_out = out, .ctx_size_out = sizeof out);
    assert_int_equal(ebpf_prog_test_run(l.prog, &t2), 0);
    assert_int_equal(out[36], 7);
    assert_int_equal(out[40], 1);
    assert_int_equal(out[0], 0); /* len is not returned in ctx_out (as Linux) */
    ebpf_object_close(l.obj);
}

static void test_sock_addr(void **state)
{
    (void)state;
    loaded l = load("connect4_redirect");
    EBPF_OPTS(ebpf_test_run_opts, none);
    assert_int_equal(ebpf_prog_test_run(l.prog, &none), -EINVAL);
    assert_non_null(strstr(none.message, "need ctx_in"));
    uint8_t ctx[72], out[72];
    memset(ctx, 0, sizeof ctx);
    ctx[0] = 2;                                     /* user_family AF_INET */
    memcpy(ctx + 4, (uint8_t[]){ 10, 0, 0, 1 }, 4);  /* user_ip4 */
    memcpy(ctx + 24, (uint8_t[]){ 0, 80 }, 2);       /* user_port, network order */
    EBPF_OPTS(ebpf_test_run_opts, t, .ctx_in = ctx, .ctx_size_in = sizeof ctx, .ctx_out = out,
              .ctx_size_out = sizeof out, .mode = EBPF_EXEC_JIT);
    assert_int_equal(ebpf_prog_test_run(l.prog, &t), 0);
    assert_int_equal(t.retval, 1);
    assert_int_equal(t.ctx_size_out, 72);
    assert_memory_equal(out + 4, ((uint8_t[]){ 127, 0, 0, 1 }), 4);
    assert_memory_equal(out + 24, ((uint8_t[]){ 0x1f, 0x90 }), 2);
    ctx[64] = 1; /* sk is the runtime's */
    EBPF_OPTS(ebpf_test_run_opts, bad, .ctx_in = ctx, .ctx_size_in = sizeof ctx);
    assert_int_equal(ebpf_prog_test_run(l.prog, &bad), -EINVAL);
    assert_non_null(strstr(bad.message, "byte 64 of struct bpf_sock_addr must be zero"));
    ebpf_object_close(l.obj);
}

/* kd_skb_fields' `fields` entry `index` after a run. */
static uint64_t field(loaded *l, uint32_t index)
{
    int map = ebpf_object_find_map(l->obj, "fields");
    assert_true(map >= 0);
    uint64_t value = 0;
    assert_int_equal(ebpf_object_map_lookup(l->obj, (size_t)map, &index, 4, &value, 8), 0);
    return value;
}

/* As Linux 6.18 answers: wire_len reads 0 in a run without ctx_in and ctx_out (no context converted)
 * and len with either; skb->sk is the test run's dummy socket, read as a struct bpf_sock. */
static void test_skb_wire_len_and_socket(void **state)
{
    (void)state;
    loaded l = load_program("kd_skb_fields", "kd_fields_tc");
    EBPF_OPTS(ebpf_test_run_opts, bare, .data_in = udp_frame, .data_size_in = sizeof udp_frame);
    assert_int_equal(ebpf_prog_test_run(l.prog, &bare), 0);
    assert_int_equal(field(&l, 43), 0);                 /* wire_len */
    assert_int_equal(field(&l, 21), 1);                 /* sk != NULL */
    assert_int_equal(field(&l, 81), 2);                 /* sk->family AF_INET */
    assert_int_equal(field(&l, 82), 0x0100000a);        /* sk->src_ip4 10.0.0.1 */
    assert_int_equal(field(&l, 89), 0x6300000a);        /* sk->dst_ip4 10.0.0.99 */
    assert_int_equal(field(&l, 94), 7);                 /* TCP_CLOSE */
    assert_int_equal(field(&l, 95), 0xffffffffu);       /* rx_queue_mapping -1 */
    uint8_t out[192];
    EBPF_OPTS(ebpf_test_run_opts, with_out, .data_in = udp_frame, .data_size_in = sizeof udp_frame, .ctx_out = out,
              .ctx_size_out = sizeof out, .mode = EBPF_EXEC_JIT);
    assert_int_equal(ebpf_prog_test_run(l.prog, &with_out), 0);
    assert_int_equal(field(&l, 43), sizeof udp_frame);
    ebpf_object_close(l.obj);
}

typedef struct repeat_result {
    int rc;
    uint32_t retval;
    uint32_t data_size;
    uint8_t data[64];
    uint8_t map[16]; /* the first 16 value bytes of map `map_name`, keys 0 and 1 (8 bytes each at most) */
} repeat_result;

static repeat_result run_repeat(const char *file, const char *prog_name, const char *map_name, size_t value_size,
                                const uint8_t *pkt, size_t pkt_size, uint32_t repeat, enum ebpf_exec_mode mode)
{
    loaded l = load_program(file, prog_name);
    ebpf_program *prog = l.prog;
    repeat_result r;
    memset(&r, 0, sizeof r);
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = pkt, .data_size_in = (uint32_t)pkt_size, .data_out = r.data,
              .data_size_out = sizeof r.data, .repeat = repeat, .mode = mode);
    r.rc = ebpf_prog_test_run(prog, &t);
    r.retval = t.retval;
    r.data_size = t.data_size_out;
    int map = ebpf_object_find_map(l.obj, map_name);
    assert_true(map >= 0);
    for (uint32_t key = 0; key < 2; key++)
        assert_int_equal(ebpf_object_map_lookup(l.obj, (size_t)map, &key, sizeof key, r.map + 8 * key, value_size), 0);
    ebpf_object_close(l.obj);
    return r;
}

static void test_repeat_engines_agree(void **state)
{
    (void)state;
    static const uint8_t tail_pkt[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0 };
    static const uint8_t loop_pkt[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x00, 10 };
    static const struct {
        const char *file, *prog, *map;
        size_t value_size;
        const uint8_t *pkt;
        size_t pkt_size;
    } cases[] = {
        { "xdp_tail_call", "xdp_tail_loop", "hits", 4, tail_pkt, sizeof tail_pkt }, /* 34 runs per repeat */
        { "xdp_tail_call", "xdp_tail_entry", "hits", 4, tail_pkt, sizeof tail_pkt },
        { "xdp_loop", "xdp_loop", "out", 8, loop_pkt, sizeof loop_pkt },           /* bpf_loop callbacks */
        { "xdp_loop", "xdp_foreach", "out", 8, loop_pkt, sizeof loop_pkt },
        /* only map lookups: no reset between runs (the bare loop), counters and a global keep adding up */
        { "xdp_dns_drop", "xdp_dns_drop", "verdicts", 8, udp_frame, sizeof udp_frame },
    };
    static const uint32_t repeats[] = { 1, 3, 257, 600 }; /* 257, 600: more than one read-side section */
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (size_t k = 0; k < sizeof repeats / sizeof repeats[0]; k++) {
            repeat_result want = run_repeat(cases[c].file, cases[c].prog, cases[c].map, cases[c].value_size,
                                            cases[c].pkt, cases[c].pkt_size, repeats[k], EBPF_EXEC_CHECKED);
            assert_int_equal(want.rc, 0);
            static const enum ebpf_exec_mode modes[] = { EBPF_EXEC_FAST, EBPF_EXEC_JIT };
            for (size_t m = 0; m < 2; m++) {
                repeat_result got = run_repeat(cases[c].file, cases[c].prog, cases[c].map, cases[c].value_size,
                                               cases[c].pkt, cases[c].pkt_size, repeats[k], modes[m]);
                assert_int_equal(got.rc, want.rc);
                assert_int_equal(got.retval, want.retval);
                assert_int_equal(got.data_size, want.data_size);
                assert_memory_equal(got.data, want.data, sizeof got.data);
                assert_memory_equal(got.map, want.map, sizeof got.map);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctx_out_too_small),
        cmocka_unit_test(test_caller_without_ctx_fields),
        cmocka_unit_test(test_skb_ctx_in_checks),
        cmocka_unit_test(test_sock_addr),
        cmocka_unit_test(test_skb_wire_len_and_socket),
        cmocka_unit_test(test_repeat_engines_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
