/*
 * test_interp.c - unit tests of the interpreter (src/exec/interp): every instruction family in both
 * modes on hand-encoded programs, the RFC 9669 edge cases, local calls and helpers, and the checked
 * mode's refusals (out-of-bounds and read-only accesses, stack limits, budget).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interp_test.h"

enum { MODE_CHECKED, MODE_FAST };

/* ---- Helpers available to test programs. ---- */
static uint64_t helper_sum(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)user;
    return a + b + c + d + e;
}
static uint64_t helper_identity(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)b, (void)c, (void)d, (void)e, (void)user;
    return a;
}
static uint64_t helper_user(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)a, (void)b, (void)c, (void)d, (void)e;
    return *(uint64_t *)user;
}
static uint64_t user_value = 0x1234;
static const struct ebpf_helper helper_entries[] = {
    [1] = { 1, "sum", helper_sum, NULL },
    [3] = { 3, "user", helper_user, &user_value },
    [5] = { 5, "identity", helper_identity, NULL },
};
static const exec_helper_table helpers = { helper_entries, N(helper_entries) };

/* ---- Building and running. ---- */
static interp_code *build(const isa_slot *code, size_t n)
{
    return interp_test_build(code, n, &helpers);
}

static void run_mode(const isa_slot *code, size_t n, int mode, const exec_request *req, exec_outcome *out)
{
    interp_code *c = build(code, n);
    exec_request empty = { 0 };
    memset(out, 0xa5, sizeof *out);
    if (mode == MODE_CHECKED)
        interp_run_checked(c, req ? req : &empty, out);
    else
        interp_run_fast(c, req ? req : &empty, out);
    interp_free(c);
}

/* Runs in both modes; both must end normally with the same r0, which is returned. */
static uint64_t run2(const isa_slot *code, size_t n, const exec_request *req)
{
    exec_outcome c, f;
    run_mode(code, n, MODE_CHECKED, req, &c);
    if (c.status != EBPF_RUN_OK)
        fail_msg("checked run stopped: %s", c.message);
    assert_int_equal(c.fault_pc, -1);
    run_mode(code, n, MODE_FAST, req, &f);
    if (f.status != EBPF_RUN_OK)
        fail_msg("fast run stopped: %s", f.message);
    assert_int_equal(f.fault_pc, -1);
    assert_int_equal(c.r0, f.r0);
    return c.r0;
}

/* Runs in checked mode only (for programs that must be refused); returns the outcome. */
static exec_outcome run_checked(const isa_slot *code, size_t n, const exec_request *req)
{
    exec_outcome o;
    run_mode(code, n, MODE_CHECKED, req, &o);
    return o;
}

#define R0(...) ({ isa_slot p_[] = { __VA_ARGS__ }; run2(p_, N(p_), NULL); })

/* r0 = dst OP operand, for dst loaded as a 64-bit constant. */
static uint64_t alu(isa_slot op, uint64_t dst, uint64_t src)
{
    isa_slot p[] = { LDDW(0, dst), LDDW(1, src), op, EXIT() };
    return run2(p, N(p), NULL);
}
#define A64I(ID, IMM) S(ID##64_IMM, 0, 0, 0, IMM)
#define A64R(ID) S(ID##64_REG, 0, 1, 0, 0)
#define A32I(ID, IMM) S(ID##32_IMM, 0, 0, 0, IMM)
#define A32R(ID) S(ID##32_REG, 0, 1, 0, 0)
static isa_slot SIGNED(isa_slot s)
{
    s.off = 1; /* sdiv / smod */
    return s;
}

static const uint64_t INT64MIN = UINT64_C(0x8000000000000000);

/* ---- ALU ---- */
static void test_alu64(void **state)
{
    (void)state;
    assert_int_equal(alu(A64I(ADD, 5), 10, 0), 15);
    assert_int_equal(alu(A64I(ADD, -1), 10, 0), 9);          /* imm sign-extended */
    assert_int_equal(alu(A64R(ADD), UINT64_MAX, 2), 1);      /* wraps */
    assert_int_equal(alu(A64I(SUB, 3), 1, 0), UINT64_MAX - 1);
    assert_int_equal(alu(A64R(SUB), 10, 4), 6);
    assert_int_equal(alu(A64I(MUL, -2), 3, 0), (uint64_t)-6);
    assert_int_equal(alu(A64R(MUL), INT64MIN, UINT64_MAX), INT64MIN);
    assert_int_equal(alu(A64I(OR, 0xf0), 0x0f, 0), 0xff);
    assert_int_equal(alu(A64I(AND, -16), UINT64_MAX, 0), UINT64_MAX - 15);
    assert_int_equal(alu(A64R(XOR), 0xff00, 0x0ff0), 0xf0f0);
    assert_int_equal(alu(A64I(MOV, -1), 7, 0), UINT64_MAX);
    assert_int_equal(alu(A64R(MOV), 7, 0x123456789ull), 0x123456789ull);
    assert_int_equal(alu(S(NEG64, 0, 0, 0, 0), 5, 0), (uint64_t)-5);
    assert_int_equal(alu(S(NEG64, 0, 0, 0, 0), INT64MIN, 0), INT64MIN);
}

static void test_alu32_zero_extends(void **state)
{
    (void)state;
    assert_int_equal(alu(A32I(MOV, -1), 7, 0), 0xffffffffu);
    assert_int_equal(alu(A32R(MOV), 7, 0xaaaaaaaa55555555ull), 0x55555555u);
    assert_int_equal(alu(A32I(ADD, 1), 0xffffffffffffffffull, 0), 0);
    assert_int_equal(alu(A32R(ADD), 0x1ffffffffull, 2), 1);
    assert_int_equal(alu(A32I(SUB, 1), 0, 0), 0xffffffffu);
    assert_int_equal(alu(A32R(MUL), 0x10000, 0x10001), 0x10000);
    assert_int_equal(alu(A32I(OR, 0), 0xffffffff00000001ull, 0), 1);
    assert_int_equal(alu(A32I(AND, -1), 0xffffffff12345678ull, 0), 0x12345678);
    assert_int_equal(alu(A32R(XOR), 0xffffffff00000000ull, 0), 0);
    assert_int_equal(alu(S(NEG32, 0, 0, 0, 0), 1, 0), 0xffffffffu);
    assert_int_equal(alu(S(NEG32, 0, 0, 0, 0), 0x80000000u, 0), 0x80000000u);
}

static void test_div_mod_unsigned(void **state)
{
    (void)state;
    assert_int_equal(alu(A64R(DIV), 100, 7), 14);
    assert_int_equal(alu(A64R(DIV), 100, 0), 0);
    assert_int_equal(alu(A64I(DIV, 0), 100, 0), 0);
    assert_int_equal(alu(A64I(DIV, -1), UINT64_MAX, 0), 1);     /* imm -1 = 2^64-1 unsigned */
    assert_int_equal(alu(A64R(MOD), 100, 7), 2);
    assert_int_equal(alu(A64R(MOD), 100, 0), 100);
    assert_int_equal(alu(A64I(MOD, 0), UINT64_MAX, 0), UINT64_MAX);
    assert_int_equal(alu(A32R(DIV), 0x100000064ull, 7), 14);   /* uses the low 32 bits of both */
    assert_int_equal(alu(A32R(DIV), 100, 0x100000000ull), 0);  /* low 32 bits of src are 0 */
    assert_int_equal(alu(A32I(DIV, 0), 100, 0), 0);
    assert_int_equal(alu(A32R(MOD), 0xffffffff00000064ull, 0), 100); /* x % 0 = low 32 bits, zero-extended */
    assert_int_equal(alu(A32I(MOD, 0), 0x1234567800000005ull, 0), 5);
    assert_int_equal(alu(A32I(DIV, -1), 0xffffffffu, 0), 1);
}

static void test_div_mod_signed(void **state)
{
    (void)state;
    assert_int_equal(alu(SIGNED(A64R(SDIV)), (uint64_t)-7, 2), (uint64_t)-3);
    assert_int_equal(alu(SIGNED(A64I(SDIV, -2)), 7, 0), (uint64_t)-3);
    assert_int_equal(alu(SIGNED(A64R(SDIV)), INT64MIN, UINT64_MAX), INT64MIN);
    assert_int_equal(alu(SIGNED(A64I(SDIV, -1)), INT64MIN, 0), INT64MIN);
    assert_int_equal(alu(SIGNED(A64R(SDIV)), 5, 0), 0);
    assert_int_equal(alu(SIGNED(A64I(SDIV, 0)), 5, 0), 0);
    assert_int_equal(alu(SIGNED(A64R(SMOD)), (uint64_t)-7, 2), (uint64_t)-1);
    assert_int_equal(alu(SIGNED(A64R(SMOD)), 7, (uint64_t)-2), 1);
    assert_int_equal(alu(SIGNED(A64R(SMOD)), (uint64_t)-7, (uint64_t)-2), (uint64_t)-1);
    assert_int_equal(alu(SIGNED(A64R(SMOD)), INT64MIN, UINT64_MAX), 0);
    assert_int_equal(alu(SIGNED(A64I(SMOD, -1)), INT64MIN, 0), 0);
    assert_int_equal(alu(SIGNED(A64R(SMOD)), (uint64_t)-9, 0), (uint64_t)-9);
    /* 32-bit: operands are the low 32 bits as int32, result zero-extended. */
    assert_int_equal(alu(SIGNED(A32R(SDIV)), 0xfffffff9u, 2), 0xfffffffdu);
    assert_int_equal(alu(SIGNED(A32R(SDIV)), 0x80000000u, 0xffffffffu), 0x80000000u);
    assert_int_equal(alu(SIGNED(A32I(SDIV, -1)), 0x80000000u, 0), 0x80000000u);
    assert_int_equal(alu(SIGNED(A32I(SDIV, 0)), 0x80000000u, 0), 0);
    assert_int_equal(alu(SIGNED(A32R(SMOD)), 0x80000000u, 0xffffffffu), 0);
    assert_int_equal(alu(SIGNED(A32R(SMOD)), 0xfffffff9u, 2), 0xffffffffu);
    assert_int_equal(alu(SIGNED(A32R(SMOD)), 0xfffffffffffffff9ull, 0), 0xfffffff9u);
    assert_int_equal(alu(SIGNED(A32I(SMOD, 3)), 0x123456780000000aull, 0), 1);
}

static void test_shifts(void **state)
{
    (void)state;
    assert_int_equal(alu(A64I(LSH, 4), 1, 0), 16);
    assert_int_equal(alu(A64R(LSH), 1, 65), 2);              /* masked to 63 */
    assert_int_equal(alu(A64I(LSH, -1), 1, 0), INT64MIN);    /* -1 & 63 = 63 */
    assert_int_equal(alu(A32R(LSH), 1, 33), 2);              /* masked to 31 */
    assert_int_equal(alu(A32I(LSH, 31), 3, 0), 0x80000000u);
    assert_int_equal(alu(A64R(RSH), INT64MIN, 63), 1);
    assert_int_equal(alu(A64R(RSH), 4, 66), 1);
    assert_int_equal(alu(A32R(RSH), 0xffffffff00000010ull, 36), 1);
    assert_int_equal(alu(A64I(ARSH, 4), (uint64_t)-256, 0), (uint64_t)-16);
    assert_int_equal(alu(A64R(ARSH), INT64MIN, 127), UINT64_MAX);
    assert_int_equal(alu(A64R(ARSH), 0x7000000000000000ull, 60), 7);
    assert_int_equal(alu(A32I(ARSH, 4), 0x80000000u, 0), 0xf8000000u);
    assert_int_equal(alu(A32R(ARSH), 0xffffffff70000000ull, 60), 7); /* 60 & 31 = 28 */
}

static void test_movsx(void **state)
{
    (void)state;
    assert_int_equal(alu(S(MOVSX8_64, 0, 1, 8, 0), 0, 0x180), UINT64_MAX - 0x7f);
    assert_int_equal(alu(S(MOVSX8_64, 0, 1, 8, 0), 0, 0x17f), 0x7f);
    assert_int_equal(alu(S(MOVSX16_64, 0, 1, 16, 0), 0, 0x18000), 0xffffffffffff8000ull);
    assert_int_equal(alu(S(MOVSX32_64, 0, 1, 32, 0), 0, 0x180000000ull), 0xffffffff80000000ull);
    assert_int_equal(alu(S(MOVSX32_64, 0, 1, 32, 0), 0, 0x17fffffffull), 0x7fffffff);
    assert_int_equal(alu(S(MOVSX8_32, 0, 1, 8, 0), 0, 0xff), 0xffffffffu);
    assert_int_equal(alu(S(MOVSX16_32, 0, 1, 16, 0), 0, 0xffff8000ull), 0xffff8000u);
    assert_int_equal(alu(S(MOVSX16_32, 0, 1, 16, 0), 0, 0x7fff), 0x7fff);
}

static void test_endian(void **state)
{
    (void)state;
    const uint64_t v = 0x0123456789abcdefull;
    /* The host is little endian in every supported build; the interpreter is written portably. */
    assert_int_equal(alu(S(LE16, 0, 0, 0, 16), v, 0), 0xcdef);
    assert_int_equal(alu(S(LE32, 0, 0, 0, 32), v, 0), 0x89abcdef);
    assert_int_equal(alu(S(LE64, 0, 0, 0, 64), v, 0), v);
    assert_int_equal(alu(S(BE16, 0, 0, 0, 16), v, 0), 0xefcd);
    assert_int_equal(alu(S(BE32, 0, 0, 0, 32), v, 0), 0xefcdab89);
    assert_int_equal(alu(S(BE64, 0, 0, 0, 64), v, 0), 0xefcdab8967452301ull);
    assert_int_equal(alu(S(BSWAP16, 0, 0, 0, 16), v, 0), 0xefcd);
    assert_int_equal(alu(S(BSWAP32, 0, 0, 0, 32), v, 0), 0xefcdab89);
    assert_int_equal(alu(S(BSWAP64, 0, 0, 0, 64), v, 0), 0xefcdab8967452301ull);
}

static void test_lddw(void **state)
{
    (void)state;
    assert_int_equal(R0(LDDW(0, 0xfedcba9876543210ull), EXIT()), 0xfedcba9876543210ull);
    assert_int_equal(R0(LDDW(0, 0x80000000ull), EXIT()), 0x80000000ull);
    /* a jump over an lddw lands after both slots */
    assert_int_equal(R0(MOVI(0, 1), S(JA, 0, 0, 2, 0), LDDW(0, 7), EXIT()), 1);
}

/* ---- Memory ---- */
typedef struct env {
    uint8_t mem[64];
    uint8_t ro[16];
    exec_region regions[2];
    exec_request req;
} env;

static void env_init(env *e)
{
    memset(e, 0, sizeof *e);
    for (int i = 0; i < 64; i++)
        e->mem[i] = (uint8_t)(0x80 + i);
    for (int i = 0; i < 16; i++)
        e->ro[i] = (uint8_t)i;
    e->regions[0] = (exec_region){ (uintptr_t)e->mem, sizeof e->mem, true };
    e->regions[1] = (exec_region){ (uintptr_t)e->ro, sizeof e->ro, false };
    e->req.args[0] = (uintptr_t)e->mem;
    e->req.args[1] = sizeof e->mem;
    e->req.args[2] = (uintptr_t)e->ro;
    e->req.regions = e->regions;
    e->req.region_count = 2;
}

static uint64_t run_mem(env *e, const isa_slot *p, size_t n)
{
    /* Run each mode on a fresh copy so that stores are seen identically. */
    env c = *e, f = *e;
    c.regions[0].base = (uintptr_t)c.mem, c.regions[1].base = (uintptr_t)c.ro;
    c.req.regions = c.regions, c.req.args[0] = (uintptr_t)c.mem, c.req.args[2] = (uintptr_t)c.ro;
    exec_outcome oc, of;
    run_mode(p, n, MODE_CHECKED, &c.req, &oc);
    if (oc.status != EBPF_RUN_OK)
        fail_msg("checked: %s", oc.message);
    f.regions[0].base = (uintptr_t)f.mem, f.regions[1].base = (uintptr_t)f.ro;
    f.req.regions = f.regions, f.req.args[0] = (uintptr_t)f.mem, f.req.args[2] = (uintptr_t)f.ro;
    run_mode(p, n, MODE_FAST, &f.req, &of);
    assert_int_equal(of.status, EBPF_RUN_OK);
    assert_int_equal(oc.r0, of.r0);
    assert_memory_equal(c.mem, f.mem, sizeof c.mem);
    memcpy(e->mem, c.mem, sizeof e->mem);
    return oc.r0;
}
#define RUN_MEM(E, ...) ({ isa_slot p_[] = { __VA_ARGS__ }; run_mem((E), p_, N(p_)); })

static void test_loads(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    assert_int_equal(RUN_MEM(&e, S(LDXB, 0, 1, 5, 0), EXIT()), 0x85);
    assert_int_equal(RUN_MEM(&e, S(LDXH, 0, 1, 2, 0), EXIT()), 0x8382);
    assert_int_equal(RUN_MEM(&e, S(LDXW, 0, 1, 1, 0), EXIT()), 0x84838281); /* unaligned */
    assert_int_equal(RUN_MEM(&e, S(LDXDW, 0, 1, 56, 0), EXIT()), 0xbfbebdbcbbbab9b8ull);
    assert_int_equal(RUN_MEM(&e, S(LDXSB, 0, 1, 5, 0), EXIT()), 0xffffffffffffff85ull);
    assert_int_equal(RUN_MEM(&e, S(LDXSH, 0, 1, 2, 0), EXIT()), 0xffffffffffff8382ull);
    assert_int_equal(RUN_MEM(&e, S(LDXSW, 0, 1, 0, 0), EXIT()), 0xffffffff83828180ull);
    assert_int_equal(RUN_MEM(&e, S(LDXB, 0, 3, 15, 0), EXIT()), 15);          /* read-only region */
    assert_int_equal(RUN_MEM(&e, S(ADD64_IMM, 1, 0, 0, 8), S(LDXB, 0, 1, -8, 0), EXIT()), 0x80); /* negative off */
    assert_int_equal(RUN_MEM(&e, S(LDXDW, 1, 1, 0, 0), MOVR(0, 1), EXIT()), 0x8786858483828180ull); /* dst == src */
}

static void test_stores(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    RUN_MEM(&e, S(STB, 1, 0, 0, 0x1ff), S(STH, 1, 0, 2, -2), S(STW, 1, 0, 4, -1), S(STDW, 1, 0, 8, -3), MOVI(0, 0),
            EXIT());
    assert_int_equal(e.mem[0], 0xff);
    assert_int_equal(e.mem[1], 0x81);
    assert_int_equal(e.mem[2] | e.mem[3] << 8, 0xfffe);
    uint64_t v;
    memcpy(&v, e.mem + 8, 8);
    assert_int_equal(v, (uint64_t)-3);
    RUN_MEM(&e, LDDW(2, 0x1122334455667788ull), S(STXB, 1, 2, 16, 0), S(STXH, 1, 2, 18, 0), S(STXW, 1, 2, 21, 0),
            S(STXDW, 1, 2, 25, 0), MOVI(0, 0), EXIT());
    assert_int_equal(e.mem[16], 0x88);
    assert_int_equal(e.mem[17], 0x91);
    assert_int_equal(e.mem[18] | e.mem[19] << 8, 0x7788);
    uint32_t w;
    memcpy(&w, e.mem + 21, 4);
    assert_int_equal(w, 0x55667788);
    memcpy(&v, e.mem + 25, 8);
    assert_int_equal(v, 0x1122334455667788ull);
    /* stack round trip, every width, signed reload */
    assert_int_equal(R0(MOVI(1, -2), S(STXDW, 10, 1, -8, 0), S(STXW, 10, 1, -16, 0), S(STXH, 10, 1, -24, 0),
                        S(STXB, 10, 1, -32, 0), S(LDXDW, 0, 10, -8, 0), S(LDXW, 2, 10, -16, 0),
                        S(ADD64_REG, 0, 2, 0, 0), S(LDXSH, 2, 10, -24, 0), S(ADD64_REG, 0, 2, 0, 0),
                        S(LDXB, 2, 10, -32, 0), S(ADD64_REG, 0, 2, 0, 0), EXIT()),
                     (uint64_t)-2 + 0xfffffffeu + (uint64_t)-2 + 0xfe);
    assert_int_equal(R0(S(STW, 10, 0, -512, 7), S(LDXW, 0, 10, -512, 0), EXIT()), 7); /* bottom of the frame */
}

static uint64_t atomic_run(isa_slot op, uint64_t mem, uint64_t src, uint64_t r0, uint64_t *mem_after,
                           uint64_t *src_after)
{
    env e;
    env_init(&e);
    memcpy(e.mem + 8, &mem, 8);
    isa_slot p[] = { LDDW(2, src), LDDW(0, r0), op, S(STXDW, 1, 2, 16, 0), EXIT() };
    uint64_t res = run_mem(&e, p, N(p));
    memcpy(mem_after, e.mem + 8, 8);
    memcpy(src_after, e.mem + 16, 8);
    return res;
}
#define AT(ID, DISC) S(ID, 1, 2, 8, DISC)

static void test_atomics(void **state)
{
    (void)state;
    uint64_t m, s;
    const uint64_t hi = 0xaaaaaaaa00000000ull;
    /* 64-bit */
    atomic_run(AT(ATOMIC_ADD64, 0), 10, 5, 0, &m, &s);
    assert_int_equal(m, 15), assert_int_equal(s, 5);
    atomic_run(AT(ATOMIC_FETCH_ADD64, 1), 10, 5, 0, &m, &s);
    assert_int_equal(m, 15), assert_int_equal(s, 10);
    atomic_run(AT(ATOMIC_OR64, 64), 0xf0, 0x0f, 0, &m, &s);
    assert_int_equal(m, 0xff), assert_int_equal(s, 0x0f);
    atomic_run(AT(ATOMIC_FETCH_OR64, 65), 0xf0, 0x0f, 0, &m, &s);
    assert_int_equal(m, 0xff), assert_int_equal(s, 0xf0);
    atomic_run(AT(ATOMIC_AND64, 80), 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, 0x0f), assert_int_equal(s, 0x0f);
    atomic_run(AT(ATOMIC_FETCH_AND64, 81), 0xff, 0x3c, 0, &m, &s);
    assert_int_equal(m, 0x3c), assert_int_equal(s, 0xff);
    atomic_run(AT(ATOMIC_XOR64, 160), 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, 0xf0), assert_int_equal(s, 0x0f);
    atomic_run(AT(ATOMIC_FETCH_XOR64, 161), 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, 0xf0), assert_int_equal(s, 0xff);
    atomic_run(AT(ATOMIC_XCHG64, 225), 1, 2, 0, &m, &s);
    assert_int_equal(m, 2), assert_int_equal(s, 1);
    assert_int_equal(atomic_run(AT(ATOMIC_CMPXCHG64, 241), 7, 9, 7, &m, &s), 7);
    assert_int_equal(m, 9), assert_int_equal(s, 9);
    assert_int_equal(atomic_run(AT(ATOMIC_CMPXCHG64, 241), 7, 9, 8, &m, &s), 7);
    assert_int_equal(m, 7);
    /* 32-bit: only the low word of memory changes; fetched values are zero-extended. */
    atomic_run(AT(ATOMIC_ADD32, 0), hi | 0xffffffff, 2, 0, &m, &s);
    assert_int_equal(m, hi | 1), assert_int_equal(s, 2);
    atomic_run(AT(ATOMIC_FETCH_ADD32, 1), hi | 0xffffffff, 0x500000002ull, 0, &m, &s);
    assert_int_equal(m, hi | 1), assert_int_equal(s, 0xffffffff);
    atomic_run(AT(ATOMIC_OR32, 64), hi | 0xf0, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0xff);
    atomic_run(AT(ATOMIC_FETCH_OR32, 65), hi | 0xf0, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0xff), assert_int_equal(s, 0xf0);
    atomic_run(AT(ATOMIC_AND32, 80), hi | 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0x0f);
    atomic_run(AT(ATOMIC_FETCH_AND32, 81), hi | 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0x0f), assert_int_equal(s, 0xff);
    atomic_run(AT(ATOMIC_XOR32, 160), hi | 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0xf0);
    atomic_run(AT(ATOMIC_FETCH_XOR32, 161), hi | 0xff, 0x0f, 0, &m, &s);
    assert_int_equal(m, hi | 0xf0), assert_int_equal(s, 0xff);
    atomic_run(AT(ATOMIC_XCHG32, 225), hi | 1, 0x700000002ull, 0, &m, &s);
    assert_int_equal(m, hi | 2), assert_int_equal(s, 1);
    assert_int_equal(atomic_run(AT(ATOMIC_CMPXCHG32, 241), hi | 7, 9, 0x300000007ull, &m, &s), 7);
    assert_int_equal(m, hi | 9);
    assert_int_equal(atomic_run(AT(ATOMIC_CMPXCHG32, 241), hi | 0xfffffff7, 9, 8, &m, &s), 0xfffffff7);
    assert_int_equal(m, hi | 0xfffffff7);
    /* misaligned atomics still work (single-threaded fallback) */
    assert_int_equal(R0(MOVI(1, 5), S(STDW, 10, 0, -13, 40), S(ATOMIC_FETCH_ADD64, 10, 1, -13, 1),
                        S(LDXDW, 0, 10, -13, 0), S(ADD64_REG, 0, 1, 0, 0), EXIT()),
                     85);
}

/* ---- Jumps ---- */
/* r0 = 1 if `jmp` (comparing r1 with r2 / imm) is taken, else 0. */
static uint64_t taken(isa_slot jmp, uint64_t a, uint64_t b)
{
    jmp.dst = 1;
    jmp.off = 2;
    isa_slot p[] = { LDDW(1, a), LDDW(2, b), jmp, MOVI(0, 0), EXIT(), MOVI(0, 1), EXIT() };
    return run2(p, N(p), NULL);
}
#define J64I(ID, IMM) S(ID##_IMM, 0, 0, 0, IMM)
#define J64R(ID) S(ID##_REG, 0, 2, 0, 0)
#define J32I(ID, IMM) S(ID##32_IMM, 0, 0, 0, IMM)
#define J32R(ID) S(ID##32_REG, 0, 2, 0, 0)

static void test_jumps(void **state)
{
    (void)state;
    const uint64_t m1 = UINT64_MAX;
    assert_int_equal(taken(J64I(JEQ, -1), m1, 0), 1);           /* imm sign-extended */
    assert_int_equal(taken(J64I(JEQ, -1), 0xffffffff, 0), 0);
    assert_int_equal(taken(J64R(JEQ), 5, 5), 1);
    assert_int_equal(taken(J64R(JNE), 5, 5), 0);
    assert_int_equal(taken(J64I(JNE, 4), 5, 0), 1);
    assert_int_equal(taken(J64R(JGT), m1, 1), 1);               /* unsigned */
    assert_int_equal(taken(J64R(JSGT), m1, 1), 0);              /* signed */
    assert_int_equal(taken(J64I(JGE, 5), 5, 0), 1);
    assert_int_equal(taken(J64I(JSGE, -1), m1, 0), 1);
    assert_int_equal(taken(J64R(JLT), 1, m1), 1);
    assert_int_equal(taken(J64R(JSLT), 1, m1), 0);
    assert_int_equal(taken(J64I(JSLT, 0), m1, 0), 1);
    assert_int_equal(taken(J64I(JLE, 3), 4, 0), 0);
    assert_int_equal(taken(J64R(JSLE), INT64MIN, 0), 1);
    assert_int_equal(taken(J64I(JSET, 0x10), 0x30, 0), 1);
    assert_int_equal(taken(J64R(JSET), 0x30, 0x0f), 0);
    /* JMP32 compares the low 32 bits only */
    assert_int_equal(taken(J32I(JEQ, -1), 0x12345678ffffffffull, 0), 1);
    assert_int_equal(taken(J32R(JEQ), 0x100000005ull, 5), 1);
    assert_int_equal(taken(J32R(JNE), 0x100000005ull, 5), 0);
    assert_int_equal(taken(J32I(JNE, 0), 0x100000000ull, 0), 0);
    assert_int_equal(taken(J32R(JGT), 0xffffffff, 0x1fffffffeull), 1);
    assert_int_equal(taken(J32R(JSGT), 0xffffffff, 0x1fffffffeull), 1); /* -1 > -2 */
    assert_int_equal(taken(J32I(JSGT, 0), 0x7fffffff00000000ull, 0), 0);
    assert_int_equal(taken(J32I(JGE, 7), 7, 0), 1);
    assert_int_equal(taken(J32I(JSGE, -7), 0xfffffff9u, 0), 1);
    assert_int_equal(taken(J32R(JLT), 0x200000001ull, 2), 1);
    assert_int_equal(taken(J32I(JSLT, 0), 0x80000000u, 0), 1);
    assert_int_equal(taken(J32I(JLE, 0), 0x100000000ull, 0), 1);
    assert_int_equal(taken(J32R(JSLE), 0x80000000u, 0x7fffffff), 1);
    assert_int_equal(taken(J32I(JSET, 1), 0x100000000ull, 0), 0);
    assert_int_equal(taken(J32R(JSET), 0x100000003ull, 1), 1);
}

static void test_ja(void **state)
{
    (void)state;
    /* ja forward, ja32 forward, and a backward loop summing 1..10 */
    assert_int_equal(R0(MOVI(0, 1), S(JA, 0, 0, 1, 0), MOVI(0, 2), EXIT()), 1);
    assert_int_equal(R0(MOVI(0, 1), S(JA32, 0, 0, 0, 1), MOVI(0, 2), EXIT()), 1);
    assert_int_equal(R0(MOVI(0, 0), MOVI(1, 10), S(ADD64_REG, 0, 1, 0, 0), S(SUB64_IMM, 1, 0, 0, 1),
                        S(JNE_IMM, 1, 0, -3, 0), EXIT()),
                     55);
    assert_int_equal(R0(MOVI(0, 0), S(JA, 0, 0, 2, 0), S(ADD64_IMM, 0, 0, 0, 1), EXIT(), MOVI(1, 3),
                        S(ADD64_IMM, 0, 0, 0, 10), S(SUB64_IMM, 1, 0, 0, 1), S(JNE_IMM, 1, 0, -3, 0),
                        S(JA32, 0, 0, 0, -7)),
                     31);
}

/* ---- Calls ---- */
static void test_helper_calls(void **state)
{
    (void)state;
    assert_int_equal(R0(MOVI(1, 1), MOVI(2, 2), MOVI(3, 3), MOVI(4, 4), MOVI(5, 5), S(CALL, 0, 0, 0, 1), EXIT()), 15);
    assert_int_equal(R0(S(CALL, 0, 0, 0, 3), EXIT()), 0x1234);           /* user pointer passed */
    assert_int_equal(R0(MOVI(1, -1), S(CALL, 0, 0, 0, 5), EXIT()), UINT64_MAX);
    assert_int_equal(R0(MOVI(1, 42), MOVI(7, 5), S(CALLX, 7, 0, 0, 0), EXIT()), 42);
    /* r6..r9 survive a helper call */
    assert_int_equal(R0(MOVI(6, 6), MOVI(1, 1), S(CALL, 0, 0, 0, 5), MOVR(0, 6), EXIT()), 6);

    /* callx to an unknown id stops the run, in both modes */
    isa_slot bad[] = { MOVI(1, 1), MOVI(2, 2), S(CALLX, 2, 0, 0, 0), EXIT() };
    exec_outcome o;
    for (int mode = 0; mode < 2; mode++) {
        run_mode(bad, N(bad), mode, NULL, &o);
        assert_int_equal(o.status, EBPF_RUN_UNKNOWN_HELPER);
        assert_int_equal(o.fault_pc, 2);
        assert_non_null(strstr(o.message, "instruction 2:"));
    }
    isa_slot huge[] = { LDDW(2, 0x100000005ull), S(CALLX, 2, 0, 0, 0), EXIT() };
    run_mode(huge, N(huge), MODE_FAST, NULL, &o);
    assert_int_equal(o.status, EBPF_RUN_UNKNOWN_HELPER);

    /* call by id to an unknown helper is refused at prepare time */
    isa_slot unk[] = { MOVI(0, 0), MOVI(1, 0), MOVI(2, 0), S(CALL, 0, 0, 0, 7), EXIT() };
    isa_insn insns[N(unk)];
    ebpf_diag diag;
    assert_int_equal(isa_validate_decoded(unk, N(unk), NULL, insns, &diag), 0);
    errno = 0;
    assert_null(interp_prepare(insns, N(unk), &helpers, &diag));
    assert_int_equal(errno, EINVAL);
    assert_string_equal(diag.message, "instruction 3: unknown helper 7");
    assert_int_equal(diag.insn, 3);
    assert_null(interp_prepare(insns, N(unk), NULL, &diag));
}

static void test_local_calls(void **state)
{
    (void)state;
    /* r1..r5 passed, r6..r9 restored after the callee clobbers them, r0 returned */
    assert_int_equal(R0(MOVI(1, 1), MOVI(2, 2), MOVI(3, 3), MOVI(4, 4), MOVI(5, 5), MOVI(6, 6), MOVI(7, 7),
                        MOVI(8, 8), MOVI(9, 9), S(CALL_LOCAL, 0, 1, 0, 7), S(ADD64_REG, 0, 6, 0, 0),
                        S(ADD64_REG, 0, 7, 0, 0), S(ADD64_REG, 0, 8, 0, 0), S(ADD64_REG, 0, 9, 0, 0), EXIT(),
                        /* 15: an unreached slot keeps the callee after exit */ EXIT(), EXIT(),
                        /* 17: callee */ MOVR(0, 1), S(ADD64_REG, 0, 2, 0, 0), S(ADD64_REG, 0, 3, 0, 0),
                        S(ADD64_REG, 0, 4, 0, 0), S(ADD64_REG, 0, 5, 0, 0), MOVI(6, 0), MOVI(7, 0), MOVI(8, 0),
                        MOVI(9, 0), EXIT()),
                     15 + 30);
    /* each frame has its own stack: the callee's r10 is 512 below the caller's */
    assert_int_equal(R0(S(STDW, 10, 0, -8, 11), MOVR(6, 10), S(CALL_LOCAL, 0, 1, 0, 3), S(LDXDW, 1, 10, -8, 0),
                        S(ADD64_REG, 0, 1, 0, 0), EXIT(),
                        /* 6: callee */ S(STDW, 10, 0, -8, 22), MOVR(0, 6), S(SUB64_REG, 0, 10, 0, 0), EXIT()),
                     512 + 11);
    /* a callee may read its caller's frame through a pointer */
    assert_int_equal(R0(S(STDW, 10, 0, -8, 99), MOVR(1, 10), S(CALL_LOCAL, 0, 1, 0, 1), EXIT(),
                        /* 4 */ S(LDXDW, 0, 1, -8, 0), EXIT()),
                     99);
}

static void test_call_depth(void **state)
{
    (void)state;
    /* recursion: f(n) = n ? 1 + f(n - 1) : 0; 8 frames (entry + 7 callees) are allowed */
    isa_slot rec[] = { MOVI(1, 6), S(CALL_LOCAL, 0, 1, 0, 1), EXIT(),
                       /* 3: f */ MOVI(0, 0), S(JEQ_IMM, 1, 0, 4, 0), MOVR(6, 1), S(SUB64_IMM, 1, 0, 0, 1),
                       S(CALL_LOCAL, 0, 1, 0, -5), S(ADD64_IMM, 0, 0, 0, 1), EXIT() };
    assert_int_equal(run2(rec, N(rec), NULL), 6);
    rec[0] = MOVI(1, 7);                     /* 9 frames: one too many */
    exec_outcome o;
    for (int mode = 0; mode < 2; mode++) {
        run_mode(rec, N(rec), mode, NULL, &o);
        assert_int_equal(o.status, EBPF_RUN_CALL_DEPTH);
        assert_int_equal(o.fault_pc, 7);
    }
    isa_slot forever[] = { S(CALL_LOCAL, 0, 1, 0, -1), EXIT() };
    run_mode(forever, N(forever), MODE_FAST, NULL, &o);
    assert_int_equal(o.status, EBPF_RUN_CALL_DEPTH);
    assert_int_equal(o.fault_pc, 0);
}

/* ---- Legacy packet loads ---- */
static void test_packet_loads(void **state)
{
    (void)state;
    static const uint8_t pkt[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66 };
    exec_request req = { .packet = pkt, .packet_size = sizeof pkt };
    isa_slot abs_[] = { S(LDABSW, 0, 0, 0, 1), EXIT() };
    assert_int_equal(run2(abs_, N(abs_), &req), 0x22334455);
    isa_slot absh[] = { S(LDABSH, 0, 0, 0, 4), EXIT() };
    assert_int_equal(run2(absh, N(absh), &req), 0x5566);
    isa_slot absb[] = { S(LDABSB, 0, 0, 0, 5), EXIT() };
    assert_int_equal(run2(absb, N(absb), &req), 0x66);
    isa_slot ind[] = { MOVI(1, 2), S(LDINDH, 0, 1, 0, 1), EXIT() };
    assert_int_equal(run2(ind, N(ind), &req), 0x4455);
    isa_slot indw[] = { MOVI(1, -1), S(LDINDW, 0, 1, 0, 3), EXIT() };
    assert_int_equal(run2(indw, N(indw), &req), 0x33445566);
    isa_slot indb[] = { MOVI(1, 3), S(LDINDB, 0, 1, 0, 0), EXIT() };
    assert_int_equal(run2(indb, N(indb), &req), 0x44);
    /* out of bounds: the program ends and returns 0 */
    isa_slot oob[] = { S(LDABSW, 0, 0, 0, 3), MOVI(0, 9), EXIT() };
    assert_int_equal(run2(oob, N(oob), &req), 0);
    isa_slot neg[] = { MOVI(1, -4), S(LDINDB, 0, 1, 0, 0), MOVI(0, 9), EXIT() };
    assert_int_equal(run2(neg, N(neg), &req), 0);
    isa_slot big[] = { S(LDABSB, 0, 0, 0, 0x7fffffff), MOVI(0, 9), EXIT() };
    assert_int_equal(run2(big, N(big), &req), 0);
    /* no packet at all */
    isa_slot ok[] = { S(LDABSB, 0, 0, 0, 0), MOVI(0, 9), EXIT() };
    assert_int_equal(run2(ok, N(ok), NULL), 0);
    assert_int_equal(run2(ok, N(ok), &req), 9);
}

static void test_unsupported(void **state)
{
    (void)state;
    isa_slot pseudo[] = { MOVI(0, 0), S(LDDW_MAP_FD, 1, 1, 0, 3), ((isa_slot){ 0 }), EXIT() };
    isa_slot kfunc[] = { S(CALL_KFUNC, 0, 2, 0, 1), EXIT() };
    exec_outcome o;
    for (int mode = 0; mode < 2; mode++) {
        run_mode(pseudo, N(pseudo), mode, NULL, &o);
        assert_int_equal(o.status, EBPF_RUN_UNSUPPORTED);
        assert_int_equal(o.fault_pc, 1);
        run_mode(kfunc, N(kfunc), mode, NULL, &o);
        assert_int_equal(o.status, EBPF_RUN_UNSUPPORTED);
        assert_int_equal(o.fault_pc, 0);
    }
}

/* ---- Checked-mode refusals ---- */
static void expect_oob(const isa_slot *p, size_t n, exec_request *req, int64_t pc, const char *text, int line)
{
    exec_outcome o = run_checked(p, n, req);
    if (o.status != EBPF_RUN_OUT_OF_BOUNDS || o.fault_pc != pc || !strstr(o.message, text))
        fail_msg("line %d: status %d, pc %lld, message \"%s\"; expected pc %lld and \"%s\"", line, o.status,
                 (long long)o.fault_pc, o.message, (long long)pc, text);
}
#define OOB(REQ, PC, TEXT, ...)                                                                          \
    do {                                                                                                 \
        isa_slot p_[] = { __VA_ARGS__ };                                                                 \
        expect_oob(p_, N(p_), (REQ), (PC), (TEXT), __LINE__);                                                      \
    } while (0)

static void test_checked_refusals(void **state)
{
    (void)state;
    env e;
    env_init(&e);
    char text[128];
    /* loads outside every region */
    OOB(&e.req, 1, "is outside every accessible region", MOVI(1, 0), S(LDXDW, 0, 1, 0, 0), EXIT());
    snprintf(text, sizeof text, "instruction 0: 8-byte load at 0x%llx is outside every accessible region",
             (unsigned long long)(uintptr_t)(e.mem + 57));
    OOB(&e.req, 0, text, S(LDXDW, 0, 1, 57, 0), EXIT());                  /* straddles the end */
    OOB(&e.req, 0, "1-byte load", S(LDXB, 0, 1, -1, 0), EXIT());           /* just before */
    OOB(&e.req, 0, "2-byte load", S(LDXH, 0, 1, 79, 0), EXIT()); /* ro follows mem: straddles its end */
    OOB(&e.req, 2, "4-byte load", LDDW(1, UINT64_MAX - 1), S(LDXW, 0, 1, 0, 0), EXIT()); /* wraps */
    /* stores: outside, read-only, to the stack beyond the frame */
    OOB(&e.req, 0, "8-byte store", S(STDW, 1, 0, 60, 1), MOVI(0, 0), EXIT());
    OOB(&e.req, 0, "4-byte store at", S(STXW, 3, 1, 0, 0), MOVI(0, 0), EXIT());
    OOB(&e.req, 0, "is in a read-only region", S(STB, 3, 0, 15, 0), MOVI(0, 0), EXIT());
    OOB(&e.req, 0, "atomic operation", S(ATOMIC_ADD64, 3, 1, 0, 0), MOVI(0, 0), EXIT());
    OOB(&e.req, 0, "8-byte atomic operation", S(ATOMIC_XCHG64, 1, 2, 60, 225), MOVI(0, 0), EXIT());
    OOB(&e.req, 2, "4-byte atomic", MOVI(0, 0), MOVI(2, 0), S(ATOMIC_CMPXCHG32, 2, 1, 0, 241), EXIT());
    OOB(NULL, 0, "8-byte store", S(STDW, 10, 0, -520, 1), MOVI(0, 0), EXIT());   /* stack underflow */
    OOB(NULL, 0, "8-byte store", S(STDW, 10, 0, -4, 1), MOVI(0, 0), EXIT());     /* straddles the top */
    OOB(NULL, 0, "1-byte load", S(LDXB, 0, 10, 0, 0), EXIT());                   /* at the top */
    /* a callee cannot reach below its own frame; after return the caller cannot reach the callee's */
    OOB(NULL, 3, "load", S(CALL_LOCAL, 0, 1, 0, 1), EXIT(), MOVI(0, 0), S(LDXB, 0, 10, -513, 0), EXIT());
    OOB(NULL, 2, "load", MOVR(1, 10), S(CALL_LOCAL, 0, 1, 0, 2), S(LDXB, 0, 0, -1, 0), EXIT(),
        /* 4 */ MOVR(0, 10), EXIT());
    /* no region registered: the input pointer is just a number */
    exec_request none = e.req;
    none.regions = NULL;
    none.region_count = 0;
    OOB(&none, 0, "load", S(LDXB, 0, 1, 0, 0), EXIT());
    /* nothing was written by the refused stores */
    for (int i = 0; i < 64; i++)
        assert_int_equal(e.mem[i], 0x80 + i);
    for (int i = 0; i < 16; i++)
        assert_int_equal(e.ro[i], i);
    /* overlapping regions: a writable one wins over a read-only one */
    exec_region both[2] = { { (uintptr_t)e.mem, 16, false }, { (uintptr_t)e.mem, 64, true } };
    exec_request req = e.req;
    req.regions = both;
    isa_slot w[] = { S(STB, 1, 0, 0, 1), MOVI(0, 3), EXIT() };
    exec_outcome o = run_checked(w, N(w), &req);
    assert_int_equal(o.status, EBPF_RUN_OK);
    assert_int_equal(o.r0, 3);
}

static void test_budget(void **state)
{
    (void)state;
    isa_slot loop[] = { MOVI(0, 0), S(ADD64_IMM, 0, 0, 0, 1), S(JA, 0, 0, -2, 0), EXIT() };
    exec_request req = { .max_insns = 1001 };
    exec_outcome o = run_checked(loop, N(loop), &req);
    assert_int_equal(o.status, EBPF_RUN_BUDGET);
    assert_int_equal(o.insns_executed, 1001);
    assert_int_equal(o.fault_pc, 1);          /* 1 + 500 * 2 executed; the next would be the add */
    assert_non_null(strstr(o.message, "budget"));
    /* counting: a loop of 10 iterations x 3 instructions + 2 + exit; lddw counts once */
    isa_slot cnt[] = { LDDW(1, 10), MOVI(0, 0), S(ADD64_IMM, 0, 0, 0, 2), S(SUB64_IMM, 1, 0, 0, 1),
                       S(JNE_IMM, 1, 0, -3, 0), EXIT() };
    req.max_insns = 0;                         /* default budget */
    o = run_checked(cnt, N(cnt), &req);
    assert_int_equal(o.status, EBPF_RUN_OK);
    assert_int_equal(o.r0, 20);
    assert_int_equal(o.insns_executed, 2 + 30 + 1);
    /* exactly enough budget passes, one less does not */
    req.max_insns = 33;
    assert_int_equal(run_checked(cnt, N(cnt), &req).status, EBPF_RUN_OK);
    req.max_insns = UINT64_MAX;                /* as good as unlimited */
    o = run_checked(cnt, N(cnt), &req);
    assert_int_equal(o.status, EBPF_RUN_OK);
    assert_int_equal(o.insns_executed, 33);
    req.max_insns = 32;
    o = run_checked(cnt, N(cnt), &req);
    assert_int_equal(o.status, EBPF_RUN_BUDGET);
    assert_int_equal(o.fault_pc, 6);
}

static void test_checked_stack_is_zeroed(void **state)
{
    (void)state;
    isa_slot p[] = { S(LDXDW, 0, 10, -512, 0), S(CALL_LOCAL, 0, 1, 0, 1), EXIT(), S(LDXDW, 0, 10, -8, 0), EXIT() };
    exec_outcome o = run_checked(p, N(p), NULL);
    assert_int_equal(o.status, EBPF_RUN_OK);
    assert_int_equal(o.r0, 0);
}

/* ---- Both modes agree on a real program: a sieve of Eratosthenes on the stack counting primes < 500. ---- */
static void test_modes_agree(void **state)
{
    (void)state;
    isa_slot prog[] = {
        /* 0: clear the 512-byte table at r10-512 (fast mode does not zero the stack) */
        MOVI(1, 0), MOVR(2, 10), S(ADD64_IMM, 2, 0, 0, -512), S(ADD64_REG, 2, 1, 0, 0), S(STB, 2, 0, 0, 0),
        S(ADD64_IMM, 1, 0, 0, 1), S(JLT_IMM, 1, 0, -6, 512),
        /* 7 */ MOVI(1, 2), MOVI(0, 0),
        /* 9 outer */ S(JGE_IMM, 1, 0, 17, 500),
        /* 10 */ MOVR(2, 10), S(ADD64_IMM, 2, 0, 0, -512), S(ADD64_REG, 2, 1, 0, 0), S(LDXB, 3, 2, 0, 0),
        /* 14 */ S(JNE_IMM, 3, 0, 10, 0),
        /* 15 prime */ S(ADD64_IMM, 0, 0, 0, 1), MOVR(4, 1), S(MUL64_REG, 4, 1, 0, 0),
        /* 18 inner */ S(JGE_IMM, 4, 0, 6, 500), MOVR(5, 10), S(ADD64_IMM, 5, 0, 0, -512),
        /* 21 */ S(ADD64_REG, 5, 4, 0, 0), S(STB, 5, 0, 0, 1), S(ADD64_REG, 4, 1, 0, 0), S(JA, 0, 0, -7, 0),
        /* 25 next */ S(ADD64_IMM, 1, 0, 0, 1), S(JA, 0, 0, -18, 0),
        /* 27 */ EXIT(),
    };
    exec_outcome c, f;
    run_mode(prog, N(prog), MODE_CHECKED, NULL, &c);
    run_mode(prog, N(prog), MODE_FAST, NULL, &f);
    assert_int_equal(c.status, EBPF_RUN_OK);
    assert_int_equal(f.status, EBPF_RUN_OK);
    assert_int_equal(c.r0, f.r0);
    assert_int_equal(c.r0, 95); /* primes below 500 */
}

/* Prepare refuses decoded programs that break the validator's promises. */
static void test_prepare_rejects_inconsistent(void **state)
{
    (void)state;
    isa_slot p[] = { S(JA, 0, 0, 0, 0), EXIT() };
    isa_insn insns[2];
    ebpf_diag diag;
    assert_int_equal(isa_validate_decoded(p, 2, NULL, insns, &diag), 0);
    insns[0].off = 5;
    assert_null(interp_prepare(insns, 2, NULL, &diag));
    assert_int_equal(errno, EINVAL);
    insns[0].off = 0;
    insns[1].dst = 12;
    assert_null(interp_prepare(insns, 2, NULL, &diag));
    assert_null(interp_prepare(insns, 0, NULL, &diag));
    interp_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alu64),
        cmocka_unit_test(test_alu32_zero_extends),
        cmocka_unit_test(test_div_mod_unsigned),
        cmocka_unit_test(test_div_mod_signed),
        cmocka_unit_test(test_shifts),
        cmocka_unit_test(test_movsx),
        cmocka_unit_test(test_endian),
        cmocka_unit_test(test_lddw),
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_atomics),
        cmocka_unit_test(test_jumps),
        cmocka_unit_test(test_ja),
        cmocka_unit_test(test_helper_calls),
        cmocka_unit_test(test_local_calls),
        cmocka_unit_test(test_call_depth),
        cmocka_unit_test(test_packet_loads),
        cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_checked_refusals),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_checked_stack_is_zeroed),
        cmocka_unit_test(test_modes_agree),
        cmocka_unit_test(test_prepare_rejects_inconsistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
