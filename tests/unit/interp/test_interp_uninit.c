/*
 * test_interp_uninit.c - unit tests of the checked mode's optional uninitialised-read check
 * (exec_request.check_uninit, src/exec/interp/interp_uninit.c) on hand-encoded programs: reads of
 * unwritten stack bytes (whole or partial), undefined registers (at entry, after a helper call, in a
 * callee, at exit), helper memory as the helper_uses hook describes it, local-call frames; and that
 * the same programs run without the check, in checked mode and in fast mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interp_test.h"

/* Helper 1 returns 7. Helper 2 fills r2 bytes at r1 with 0x11 (and, per uses(), writes them). Helper 3
 * reads r2 bytes at r1 and returns their sum (per uses(), reads them and needs r1, r2 and r3). */
static uint64_t h_seven(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)a, (void)b, (void)c, (void)d, (void)e, (void)user;
    return 7;
}
static uint64_t h_fill(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)c, (void)d, (void)e, (void)user;
    memset((void *)(uintptr_t)a, 0x11, (size_t)b);
    return 0;
}
static uint64_t h_sum(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, void *user)
{
    (void)c, (void)d, (void)e, (void)user;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < b; i++)
        sum += ((const uint8_t *)(uintptr_t)a)[i];
    return sum;
}
static const struct ebpf_helper entries[] = {
    [1] = { 1, "seven", h_seven, NULL }, [2] = { 2, "fill", h_fill, NULL }, [3] = { 3, "sum", h_sum, NULL },
};
static const exec_helper_table helpers = { entries, N(entries) };

static void uses(void *user, const struct ebpf_helper *h, const uint64_t args[5], exec_helper_uses *u)
{
    (void)user;
    if (h->id == 2)
        *u = (exec_helper_uses){ .args = 0x3, .count = 1, .span = { { args[0], args[1], true } } };
    else if (h->id == 3)
        *u = (exec_helper_uses){ .args = 0x7, .count = 1, .span = { { args[0], args[1], false } } };
}

enum { PLAIN, UNINIT, UNINIT_HOOK, FAST };

static exec_outcome run_as(const isa_slot *code, size_t n, int how)
{
    interp_code *c = interp_test_build(code, n, &helpers);
    exec_request req = { .check_uninit = how == UNINIT || how == UNINIT_HOOK || how == FAST, .defined_args = 1,
                         .helper_uses = how == UNINIT_HOOK ? uses : NULL };
    exec_outcome out;
    memset(&out, 0xa5, sizeof out);
    if (how == FAST)
        interp_run_fast(c, &req, &out);
    else
        interp_run_checked(c, &req, &out);
    interp_free(c);
    return out;
}

/* Ends normally in every mode (with the check or without it) with r0 = want. */
static void clean(const isa_slot *code, size_t n, uint64_t want)
{
    for (int how = PLAIN; how <= FAST; how++) {
        exec_outcome o = run_as(code, n, how);
        if (o.status != EBPF_RUN_OK)
            fail_msg("mode %d stopped: %s", how, o.message);
        assert_int_equal(o.r0, want);
    }
}

/* Runs without the check (checked and fast), stops with it at pc, the message holding `text`. */
static void uninit(const isa_slot *code, size_t n, int how, int64_t pc, const char *text)
{
    exec_outcome o = run_as(code, n, PLAIN);
    if (o.status != EBPF_RUN_OK)
        fail_msg("without the check the run stopped: %s", o.message);
    assert_int_equal(run_as(code, n, FAST).status, EBPF_RUN_OK);
    o = run_as(code, n, how);
    print_message("%s\n", o.message);
    assert_int_equal(o.status, EBPF_RUN_UNINIT);
    assert_int_equal(o.fault_pc, pc);
    assert_int_equal(o.r0, 0);
    if (!strstr(o.message, text))
        fail_msg("message '%s' lacks '%s'", o.message, text);
}

#define CLEAN(WANT, ...) do { isa_slot p_[] = { __VA_ARGS__ }; clean(p_, N(p_), (WANT)); } while (0)
#define UNINIT_AT(HOW, PC, TEXT, ...) do { isa_slot p_[] = { __VA_ARGS__ }; uninit(p_, N(p_), (HOW), (PC), (TEXT)); } while (0)

static void test_unwritten_stack(void **state)
{
    (void)state;
    UNINIT_AT(UNINIT, 0, "8-byte load reads the stack byte at r10-8 of frame 0, never written",
              S(LDXDW, 0, 10, -8, 0), EXIT());
    /* written, then read: fine; a byte next to the written ones is not */
    CLEAN(5, S(STB, 10, 0, -1, 5), S(LDXB, 0, 10, -1, 0), EXIT());
    UNINIT_AT(UNINIT, 1, "r10-2 of frame 0", S(STB, 10, 0, -1, 5), S(LDXB, 0, 10, -2, 0), EXIT());
    /* an atomic operation reads the old value */
    UNINIT_AT(UNINIT, 1, "8-byte atomic operation reads", MOVI(1, 1), S(ATOMIC_ADD64, 10, 1, -8, 0), MOVI(0, 0),
              EXIT());
}

static void test_partial_write(void **state)
{
    (void)state;
    /* 4 bytes written, 8 read: the first unwritten byte is named */
    UNINIT_AT(UNINIT, 1, "8-byte load reads the stack byte at r10-12 of frame 0",
              S(STW, 10, 0, -16, 1), S(LDXDW, 0, 10, -16, 0), EXIT());
    /* a register spilled whole and filled whole */
    CLEAN(9, MOVI(1, 9), S(STXDW, 10, 1, -16, 0), S(LDXW, 0, 10, -16, 0), EXIT());
    /* the bytes of two smaller stores make one initialised word */
    CLEAN(0x0202020201010101ull, S(STW, 10, 0, -8, 0x01010101), S(STW, 10, 0, -4, 0x02020202),
          S(LDXDW, 0, 10, -8, 0), EXIT());
}

static void test_registers(void **state)
{
    (void)state;
    /* only r1 and r10 are defined at entry */
    UNINIT_AT(UNINIT, 0, "r2 holds no defined value", MOVR(0, 2), EXIT());
    CLEAN(0, MOVR(0, 10), S(SUB64_REG, 0, 10, 0, 0), EXIT());
    /* the old value of an ALU destination matters, except for mov */
    UNINIT_AT(UNINIT, 0, "r3 holds no defined value", S(ADD64_IMM, 3, 0, 0, 1), MOVI(0, 0), EXIT());
    CLEAN(2, MOVI(3, 1), S(ADD64_IMM, 3, 0, 0, 1), MOVR(0, 3), EXIT());
    /* a memory base, a stored value, a jump operand */
    isa_slot wild[] = { S(LDXDW, 0, 4, 0, 0), EXIT() }; /* judged before its bounds (r4 = 0 without the check) */
    assert_int_equal(run_as(wild, N(wild), PLAIN).status, EBPF_RUN_OUT_OF_BOUNDS);
    exec_outcome o = run_as(wild, N(wild), UNINIT);
    assert_int_equal(o.status, EBPF_RUN_UNINIT);
    assert_non_null(strstr(o.message, "r4 holds no defined value"));
    UNINIT_AT(UNINIT, 0, "r5 holds no defined value", S(STXDW, 10, 5, -8, 0), MOVI(0, 0), EXIT());
    UNINIT_AT(UNINIT, 1, "r6 holds no defined value", MOVI(0, 0), S(JEQ_IMM, 6, 0, 0, 0), EXIT());
    /* exit with r0 never written */
    UNINIT_AT(UNINIT, 0, "r0 (the return value, at exit) holds no defined value", EXIT());
}

static void test_helper_calls(void **state)
{
    (void)state;
    /* r0 is defined after a call, r1..r5 are not; r6..r9 keep their state */
    CLEAN(7 + 4, MOVI(6, 4), S(CALL, 0, 0, 0, 1), S(ADD64_REG, 0, 6, 0, 0), EXIT());
    UNINIT_AT(UNINIT, 2, "r1 holds no defined value", MOVI(0, 0), S(CALL, 0, 0, 0, 1), MOVR(0, 1), EXIT());
    UNINIT_AT(UNINIT, 1, "r7 holds no defined value", S(CALL, 0, 0, 0, 1), MOVR(0, 7), EXIT());
    /* bytes the helper writes (per helper_uses) may be read; without the hook every live byte counts as
     * written */
    CLEAN(0x11, MOVR(1, 10), S(ADD64_IMM, 1, 0, 0, -16), MOVI(2, 16), S(CALL, 0, 0, 0, 2), S(LDXB, 0, 10, -16, 0),
          EXIT());
    /* one byte past what it writes is still unwritten */
    UNINIT_AT(UNINIT_HOOK, 4, "r10-17 of frame 0", MOVR(1, 10), S(ADD64_IMM, 1, 0, 0, -16), MOVI(2, 16),
              S(CALL, 0, 0, 0, 2), S(LDXB, 0, 10, -17, 0), EXIT());
    /* a helper reading unwritten stack bytes, or an argument it reads left undefined */
    UNINIT_AT(UNINIT_HOOK, 5, "helper 3 sum reads the stack byte at r10-12 of frame 0", S(STW, 10, 0, -16, 1),
              MOVR(1, 10), S(ADD64_IMM, 1, 0, 0, -16), MOVI(2, 8), MOVI(3, 0), S(CALL, 0, 0, 0, 3), EXIT());
    UNINIT_AT(UNINIT_HOOK, 4, "r3 (an argument of helper 3 sum) holds no defined value", S(STW, 10, 0, -16, 1),
              MOVR(1, 10), S(ADD64_IMM, 1, 0, 0, -16), MOVI(2, 4), S(CALL, 0, 0, 0, 3), EXIT());
    CLEAN(1, S(STW, 10, 0, -16, 1), MOVR(1, 10), S(ADD64_IMM, 1, 0, 0, -16), MOVI(2, 4), MOVI(3, 0),
          S(CALL, 0, 0, 0, 3), EXIT());
    /* callx: its id register */
    isa_slot callx[] = { S(CALLX, 7, 0, 0, 0), EXIT() }; /* without the check: r7 = 0, no helper */
    assert_int_equal(run_as(callx, N(callx), PLAIN).status, EBPF_RUN_UNKNOWN_HELPER);
    exec_outcome o = run_as(callx, N(callx), UNINIT);
    assert_int_equal(o.status, EBPF_RUN_UNINIT);
    assert_non_null(strstr(o.message, "r7 (the helper id of callx) holds no defined value"));
}

static void test_local_calls(void **state)
{
    (void)state;
    /* r1..r5 passed as the caller left them, r6..r9 restored, r0 returned */
    CLEAN(3 + 6, MOVI(2, 3), MOVI(6, 6), S(CALL_LOCAL, 0, 1, 0, 2), S(ADD64_REG, 0, 6, 0, 0), EXIT(),
          /* 5: callee */ MOVR(0, 2), EXIT());
    /* the callee's r6..r9 and r0 start undefined */
    UNINIT_AT(UNINIT, 3, "r6 holds no defined value", MOVI(6, 6), S(CALL_LOCAL, 0, 1, 0, 1), EXIT(),
              /* 3: callee */ MOVR(0, 6), EXIT());
    UNINIT_AT(UNINIT, 3, "r0 (the return value, at exit)", MOVI(0, 1), S(CALL_LOCAL, 0, 1, 0, 1), EXIT(),
              /* 3: callee */ EXIT());
    /* after the return r1..r5 are undefined */
    UNINIT_AT(UNINIT, 2, "r2 holds no defined value", MOVI(2, 2), S(CALL_LOCAL, 0, 1, 0, 2), MOVR(0, 2), EXIT(),
              /* 4: callee */ MOVI(0, 0), EXIT());
    /* the callee's frame is its own: what the caller wrote at r10-8 is not there ... */
    UNINIT_AT(UNINIT, 4, "8-byte load reads the stack byte at r10-8 of frame 1", S(STDW, 10, 0, -8, 5),
              S(CALL_LOCAL, 0, 1, 0, 2), EXIT(), EXIT(), /* 4: callee */ S(LDXDW, 0, 10, -8, 0), EXIT());
    /* ... but it may read it through a pointer, and write the caller's frame too */
    CLEAN(5 + 6, S(STDW, 10, 0, -8, 5), MOVR(1, 10), S(CALL_LOCAL, 0, 1, 0, 3), S(LDXDW, 1, 10, -16, 0),
          S(ADD64_REG, 0, 1, 0, 0), EXIT(),
          /* 6: callee */ S(STDW, 1, 0, -16, 6), S(LDXDW, 0, 1, -8, 0), EXIT());
    /* a callee's frame starts unwritten on every call */
    UNINIT_AT(UNINIT, 9, "r10-8 of frame 1", MOVI(1, 1), S(CALL_LOCAL, 0, 1, 0, 4), MOVI(1, 0),
              S(CALL_LOCAL, 0, 1, 0, 2), EXIT(), EXIT(),
              /* 6: callee */ S(JEQ_IMM, 1, 0, 2, 0), S(STDW, 10, 0, -8, 1), S(JA, 0, 0, 0, 0), S(LDXDW, 0, 10, -8, 0),
              EXIT());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unwritten_stack), cmocka_unit_test(test_partial_write),
        cmocka_unit_test(test_registers),       cmocka_unit_test(test_helper_calls),
        cmocka_unit_test(test_local_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
