/*
 * test_ctx_rewrite.c - the context rewrite (src/runtime/ctx_rewrite.c) with the per-layout tables:
 * every UAPI field has a place in its record, rewritten programs read and write the record's bytes
 * (narrow loads read the bytes Linux reads on a little-endian host, pointer fields become 64-bit
 * loads, stores to the fields Linux keeps in 16 bits keep 16), and refused accesses fail with the
 * instruction and abi_ctx_access's reason.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "abi/abi_prog.h"
#include "ebpf/ebpf.h"
#include "runtime/ctx_records.h"
#include "runtime/runtime_int.h"

#define LDXW 0x61
#define LDXH 0x69
#define LDXB 0x71
#define LDXDW 0x79
#define LDXSH 0x89
#define LDXSW 0x81
#define STW 0x62
#define STXW 0x63
#define STXH 0x6b
#define JA 0x05
#define STXDW 0x7b
#define ATOMIC_W 0xc3
#define MOV64_IMM 0xb7
#define MOV64_REG 0xbf
#define JEQ_IMM 0x15
#define EXIT 0x95

#define INSN(OP, DST, SRC, OFF, IMM) { OP, DST, SRC, OFF, IMM }

/* Rewrites code for prog_type into *out (malloc'd, *out_count slots: guards may be appended); returns
 * the result, diag filled. */
static int rewrite_grown(uint32_t prog_type, const isa_slot *code, size_t count, isa_slot **out, size_t *out_count,
                         ebpf_diag *diag)
{
    memset(diag, 0, sizeof *diag);
    diag->insn = -1;
    *out = malloc(count * sizeof **out);
    assert_non_null(*out);
    memcpy(*out, code, count * sizeof **out);
    *out_count = count;
    return runtime_ctx_rewrite(prog_type, out, out_count, diag);
}

/* Rewrites code in place for prog_type (no guard may be appended); returns the result, diag filled. */
static int rewrite(uint32_t prog_type, isa_slot *code, size_t count, ebpf_diag *diag)
{
    isa_slot *out;
    size_t out_count;
    int rc = rewrite_grown(prog_type, code, count, &out, &out_count, diag);
    assert_int_equal(out_count, count);
    memcpy(code, out, count * sizeof *code);
    free(out);
    return rc;
}

/* Runs rewritten code in the checked interpreter with r1 = record (writable); returns r0. */
static uint64_t run(const isa_slot *code, size_t count, void *record, size_t size)
{
    struct ebpf_diag diag;
    ebpf_program *prog = ebpf_program_create((const struct ebpf_insn *)code, count, NULL, &diag);
    assert_non_null(prog);
    EBPF_OPTS(ebpf_run_opts, opts, .mem = record, .mem_size = size);
    struct ebpf_run_result result = { .sz = sizeof result };
    assert_int_equal(ebpf_program_run(prog, &opts, &result), 0);
    ebpf_program_free(prog);
    return result.r0;
}

static void test_every_field_has_a_slot(void **state)
{
    (void)state;
    const abi_ctx_layout layouts[] = { ABI_CTX_XDP, ABI_CTX_SKB, ABI_CTX_SOCK_ADDR };
    for (size_t l = 0; l < sizeof layouts / sizeof layouts[0]; l++) {
        const runtime_ctx_table *t = runtime_ctx_table_of(layouts[l]);
        assert_non_null(t);
        size_t count;
        const abi_ctx_field *f = abi_ctx_fields(layouts[l], &count);
        assert_int_equal(count, t->count);
        for (size_t i = 0; i < count; i++) {
            const runtime_ctx_slot *s = runtime_ctx_slot_of(t, f[i].offset);
            assert_non_null(s);
            assert_true((size_t)s->record_offset + s->record_size <= t->record_size);
            if (f[i].kind == ABI_CTX_KIND_SCALAR) {
                assert_int_equal(s->record_size, f[i].size); /* narrow loads keep their byte offset */
                assert_true(s->record_offset >= t->readonly_size);
            } else {
                assert_int_equal(s->record_size, 8); /* a real pointer */
                assert_true((size_t)s->record_offset + 8 <= t->readonly_size);
            }
        }
    }
    assert_null(runtime_ctx_table_of(ABI_CTX_PT_REGS));
}

static void test_skb_narrow_loads(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(LDXH, 0, 1, 2, 0),      /* r0 = high half of len */
        INSN(LDXB, 2, 1, 17, 0),     /* r2 = byte 1 of protocol */
        INSN(LDXH, 3, 1, 62, 0),     /* r3 = high half of cb[3] */
        INSN(MOV64_REG, 4, 0, 0, 0),
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 5, &diag), 0);
    assert_int_equal(code[0].off, offsetof(runtime_skb_ctx, len) + 2);
    assert_int_equal(code[1].off, offsetof(runtime_skb_ctx, protocol) + 1);
    assert_int_equal(code[2].off, offsetof(runtime_skb_ctx, cb) + 14);
    runtime_skb_ctx skb;
    memset(&skb, 0, sizeof skb);
    skb.len = 0x11223344;
    assert_int_equal(run(code, 5, &skb, sizeof skb), 0x1122);
}

static void test_skb_pointer_fields_become_64_bit_loads(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(LDXW, 2, 1, 76, 0),     /* data */
        INSN(LDXW, 3, 1, 80, 0),     /* data_end */
        INSN(LDXW, 4, 1, 140, 0),    /* data_meta */
        INSN(LDXDW, 5, 1, 168, 0),   /* sk */
        INSN(MOV64_REG, 0, 3, 0, 0),
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 6, &diag), 0);
    assert_int_equal(code[0].opcode, LDXDW);
    assert_int_equal(code[0].off, offsetof(runtime_skb_ctx, data));
    assert_int_equal(code[2].off, offsetof(runtime_skb_ctx, data_meta));
    assert_int_equal(code[3].off, offsetof(runtime_skb_ctx, sk));
    runtime_skb_ctx skb;
    memset(&skb, 0, sizeof skb);
    skb.data_end = UINT64_C(0x1122334455667788);
    assert_true(run(code, 6, &skb, sizeof skb) == UINT64_C(0x1122334455667788));
}

static void test_skb_stores(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(STW, 1, 0, 8, 7),       /* mark = 7 */
        INSN(MOV64_IMM, 2, 0, 0, 99),
        INSN(STXW, 1, 2, 52, 0),     /* cb[1] = 99 */
        INSN(STXDW, 1, 2, 152, 0),   /* tstamp = 99 */
        INSN(LDXW, 0, 1, 8, 0),      /* reads back mark */
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 6, &diag), 0);
    runtime_skb_ctx skb;
    memset(&skb, 0, sizeof skb);
    assert_int_equal(run(code, 6, &skb, sizeof skb), 7);
    assert_int_equal(skb.mark, 7);
    assert_int_equal(skb.cb[1], 99);
    assert_int_equal(skb.tstamp, 99);
}

/* tc_index, tc_classid and queue_mapping are 16-bit in Linux's sk_buff: stores keep 16 bits, and an
 * immediate queue_mapping of NO_QUEUE_MAPPING (0xffff) or more is not stored at all. */
static void test_skb_16_bit_stores(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(MOV64_IMM, 2, 0, 0, 0x12345),
        INSN(STXW, 1, 2, 44, 0),     /* tc_index = 0x12345 */
        INSN(STW, 1, 0, 72, 0x50006), /* tc_classid = 0x50006 */
        INSN(STW, 1, 0, 12, 9),      /* queue_mapping = 9 */
        INSN(STW, 1, 0, 12, 0x10002), /* ignored */
        INSN(STW, 1, 0, 12, 0xffff), /* ignored */
        INSN(STXW, 1, 2, 8, 0),      /* mark: 32-bit */
        INSN(LDXW, 0, 1, 44, 0),     /* reads back tc_index */
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 9, &diag), 0);
    assert_int_equal(code[1].opcode, STXH);
    assert_int_equal(code[4].opcode, JA);
    assert_int_equal(code[4].off, 0);
    assert_int_equal(code[6].opcode, STXW);
    runtime_skb_ctx skb;
    memset(&skb, 0, sizeof skb);
    assert_int_equal(run(code, 9, &skb, sizeof skb), 0x2345);
    assert_int_equal(skb.tc_index, 0x2345);
    assert_int_equal(skb.tc_classid, 6);
    assert_int_equal(skb.queue_mapping, 9);
    assert_int_equal(skb.mark, 0x12345);
}

/* A queue_mapping store from a register jumps to a guard appended after the program: stored below
 * NO_QUEUE_MAPPING (as 16 bits), ignored from it on (the register compared whole, as Linux does). */
static void test_skb_guarded_queue_mapping_store(void **state)
{
    (void)state;
    const isa_slot code[] = {
        INSN(LDXW, 2, 1, 48, 0),     /* r2 = cb[0] */
        INSN(STXW, 1, 2, 12, 0),     /* queue_mapping = r2 */
        INSN(LDXW, 0, 1, 12, 0),     /* reads it back */
        INSN(EXIT, 0, 0, 0, 0),
    };
    isa_slot *out;
    size_t count;
    ebpf_diag diag;
    assert_int_equal(rewrite_grown(ABI_PROG_SCHED_CLS, code, 4, &out, &count, &diag), 0);
    assert_int_equal(count, 7);
    assert_int_equal(out[1].opcode, JA);
    assert_int_equal(out[1].off, 2);                      /* to the guard at 4 */
    assert_int_equal(out[4].opcode, 0x35);                /* jge r2, 0xffff, +1 */
    assert_int_equal(out[4].imm, 0xffff);
    assert_int_equal(out[5].opcode, STXH);
    assert_int_equal(out[6].opcode, JA);
    assert_int_equal(out[6].off, -5);                     /* back to 2 */
    const uint32_t values[] = { 5, 0xfffe, 0xffff, 0x10003 }, expect[] = { 5, 0xfffe, 7, 7 };
    for (size_t i = 0; i < 4; i++) {
        runtime_skb_ctx skb;
        memset(&skb, 0, sizeof skb);
        skb.queue_mapping = 7;
        skb.cb[0] = values[i];
        assert_int_equal(run(out, count, &skb, sizeof skb), expect[i]);
    }
    free(out);
}

static void test_sign_extending_load_of_a_scalar(void **state)
{
    (void)state;
    isa_slot code[] = { INSN(LDXSH, 0, 1, 8, 0), INSN(EXIT, 0, 0, 0, 0) };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 2, &diag), 0);
    runtime_skb_ctx skb;
    memset(&skb, 0, sizeof skb);
    skb.mark = 0xfffe;
    assert_true(run(code, 2, &skb, sizeof skb) == (uint64_t)-2);
}

static void test_sock_addr_rewrite(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(MOV64_IMM, 0, 0, 0, 0),
        INSN(LDXH, 2, 1, 4, 0),      /* first two bytes of user_ip4: 192.168/16 is denied */
        INSN(JEQ_IMM, 2, 0, 2, 0xa8c0),
        INSN(STW, 1, 0, 24, 0x901f), /* user_port = htons(8080) */
        INSN(MOV64_IMM, 0, 0, 0, 1),
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_CGROUP_SOCK_ADDR, code, 6, &diag), 0);
    runtime_sock_addr_ctx sa;
    memset(&sa, 0, sizeof sa);
    const uint8_t ip[4] = { 10, 0, 0, 1 };
    memcpy(&sa.user_ip4, ip, 4);
    assert_int_equal(run(code, 6, &sa, sizeof sa), 1);
    assert_int_equal(sa.user_port, 0x901f);
    const uint8_t denied[4] = { 192, 168, 1, 1 };
    memcpy(&sa.user_ip4, denied, 4);
    sa.user_port = 80;
    assert_int_equal(run(code, 6, &sa, sizeof sa), 0);
    assert_int_equal(sa.user_port, 80);
}

static void test_xdp_rewrite(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(LDXW, 2, 1, 4, 0),      /* data_end */
        INSN(LDXB, 0, 1, 12, 0),     /* low byte of ingress_ifindex */
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_XDP, code, 3, &diag), 0);
    assert_int_equal(code[0].opcode, LDXDW);
    assert_int_equal(code[0].off, offsetof(runtime_xdp_ctx, data_end));
    runtime_xdp_ctx x;
    memset(&x, 0, sizeof x);
    x.ingress_ifindex = 0x0305;
    assert_int_equal(run(code, 3, &x, sizeof x), 5);
}

static void test_raw_context_reads_pass_through(void **state)
{
    (void)state;
    isa_slot code[] = { INSN(LDXDW, 0, 1, 16, 0), INSN(EXIT, 0, 0, 0, 0) };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_KPROBE, code, 2, &diag), 0);
    assert_int_equal(code[0].opcode, LDXDW);
    assert_int_equal(code[0].off, 16);
}

/* One refused access: the load fails with errno `err` and a message holding `text`. */
static void refused(uint32_t prog_type, isa_slot insn, int err, const char *text)
{
    isa_slot code[] = { insn, INSN(MOV64_IMM, 0, 0, 0, 0), INSN(EXIT, 0, 0, 0, 0) };
    ebpf_diag diag;
    assert_int_equal(rewrite(prog_type, code, 3, &diag), err);
    assert_int_equal(diag.insn, 0);
    if (!strstr(diag.message, text))
        fail_msg("message '%s' lacks '%s'", diag.message, text);
    assert_non_null(strstr(diag.message, "instruction 0: "));
}

static void test_refused_accesses(void **state)
{
    (void)state;
    refused(ABI_PROG_SOCKET_FILTER, (isa_slot)INSN(STW, 1, 0, 8, 1), -EACCES,
            "invalid context access: write of 4 bytes at offset 8 of struct __sk_buff (socket_filter program): "
            "context field is read-only for this program type");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(LDXH, 0, 1, 76, 0), -EACCES,
            "pointer fields of the context are read only whole");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(LDXW, 0, 1, 192, 0), -EACCES, "no context field at this offset");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(LDXW, 0, 1, 6, 0), -EACCES, "access crosses the end of a context field");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(LDXSW, 0, 1, 76, 0), -EACCES,
            "sign-extending loads of a pointer field are not allowed");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(ATOMIC_W, 1, 0, 8, 0), -EACCES,
            "atomic operations on the context are not allowed");
    refused(ABI_PROG_SCHED_CLS, (isa_slot)INSN(LDXW, 0, 1, 92, 0), -EACCES,
            "readable only by sk_skb and cgroup_skb");
    refused(ABI_PROG_XDP, (isa_slot)INSN(STW, 1, 0, 12, 1), -EACCES, "of struct xdp_md (xdp program)");
    refused(ABI_PROG_CGROUP_SOCK_ADDR, (isa_slot)INSN(STW, 1, 0, 0, 2), -EACCES,
            "offset 0 of struct bpf_sock_addr (cgroup_sock_addr program): context field is read-only");
    refused(ABI_PROG_KPROBE, (isa_slot)INSN(LDXDW, 0, 1, 168, 0), -EACCES, "outside the context");
    refused(ABI_PROG_KPROBE, (isa_slot)INSN(STXDW, 1, 0, 0, 0), -EACCES, "this context is read-only");
    refused(ABI_PROG_SK_LOOKUP, (isa_slot)INSN(LDXW, 0, 1, 0, 0), -EACCES, "have no readable context");
}

static void test_unprovable_context_register(void **state)
{
    (void)state;
    isa_slot code[] = {
        INSN(JEQ_IMM, 2, 0, 1, 0),
        INSN(MOV64_IMM, 1, 0, 0, 0), /* r1 is the context on one path only */
        INSN(LDXW, 0, 1, 8, 0),
        INSN(EXIT, 0, 0, 0, 0),
    };
    ebpf_diag diag;
    assert_int_equal(rewrite(ABI_PROG_SCHED_CLS, code, 4, &diag), -ENOTSUP);
    assert_int_equal(diag.insn, 2);
    assert_non_null(strstr(diag.message, "cannot prove whether r1 holds the context"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_field_has_a_slot),
        cmocka_unit_test(test_skb_narrow_loads),
        cmocka_unit_test(test_skb_pointer_fields_become_64_bit_loads),
        cmocka_unit_test(test_skb_stores),
        cmocka_unit_test(test_skb_16_bit_stores),
        cmocka_unit_test(test_skb_guarded_queue_mapping_store),
        cmocka_unit_test(test_sign_extending_load_of_a_scalar),
        cmocka_unit_test(test_sock_addr_rewrite),
        cmocka_unit_test(test_xdp_rewrite),
        cmocka_unit_test(test_raw_context_reads_pass_through),
        cmocka_unit_test(test_refused_accesses),
        cmocka_unit_test(test_unprovable_context_register),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
