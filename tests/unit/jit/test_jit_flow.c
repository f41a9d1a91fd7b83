/*
 * test_jit_flow.c - control flow in the JIT: every conditional jump in both widths and operand forms
 * (short and long encodings), ja/ja32 and loops, helper calls with five arguments and the user
 * pointer, callx (known and unknown ids), local calls (frames, r6..r9, the depth limit).
 */
#include <string.h>

#include "test_jit.h"

/* ---- Jumps ---- */
typedef struct jmp_op {
    const char *name;
    uint16_t id[4]; /* 64 imm, 64 reg, 32 imm, 32 reg */
} jmp_op;

#define J4(NAME) { #NAME, { ISA_##NAME##_IMM, ISA_##NAME##_REG, ISA_##NAME##32_IMM, ISA_##NAME##32_REG } }
static const jmp_op jmp_ops[] = {
    J4(JEQ), J4(JNE), J4(JGT), J4(JGE), J4(JLT), J4(JLE), J4(JSET), J4(JSGT), J4(JSGE), J4(JSLT), J4(JSLE),
};
#undef J4

/* if (dst cond src/imm) marker = 2 else marker = 1, with `pad` filler slots between jump and target. */
static void jump_prog(isa_slot jmp, unsigned dst, unsigned src, uint64_t a, uint64_t b, int pad)
{
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, src, b);
    jt_emit_lddw(&jt_case, dst, a);
    jmp.off = (int16_t)(2 + pad);
    jt_emit(&jt_case, jmp);
    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, JT_SLOT_MARK, 1);
    jt_emit_insn(&jt_case, ISA_JA, 0, 0, (int16_t)(1 + pad), 0);
    for (int i = 0; i < pad; i++)
        jt_emit_insn(&jt_case, ISA_STDW, 10, 0, JT_SLOT_SCRATCH, i);
    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, JT_SLOT_MARK, 2);
    jt_emit_dump(&jt_case);
}

static void test_jumps(void **state)
{
    (void)state;
    const size_t nv = jt_val_count;
    for (size_t j = 0; j < N(jmp_ops); j++)
        for (int form = 0; form < 4; form++) {
            uint16_t id = jmp_ops[j].id[form];
            bool imm = form == 0 || form == 2;
            for (size_t k = 0; k < nv; k++)
                for (size_t m = 0; m < (imm ? jt_imm_count : nv); m += 3) {
                    unsigned dst = (unsigned)(k % 10), src = (unsigned)((k + m + 1) % 10);
                    if (src == dst)
                        src = (src + 1) % 10;
                    int pad = (k + m) % 5 == 0 ? 40 : 0; /* some jumps need the rel32 form */
                    uint64_t b = imm ? 0 : jt_vals[m];
                    jump_prog(jt_enc(id, dst, imm ? 0 : src, 0, imm ? jt_imms[m] : 0), dst, src, jt_vals[k], b, pad);
                    jt_check_case(NULL, "%s r%u (0x%llx) vs %s%lld", isa_infos[id].name, dst,
                                  (unsigned long long)jt_vals[k], imm ? "" : "reg ",
                                  imm ? (long long)jt_imms[m] : (long long)b);
                }
            /* compare a register with itself */
            if (!imm) {
                jump_prog(jt_enc(id, 3, 3, 0, 0), 3, 3, 5, 5, 0);
                jt_check_case(NULL, "%s r3, r3", isa_infos[id].name);
            }
        }
}

static void test_ja_and_loops(void **state)
{
    (void)state;
    jt_result r;
    /* sum 1..1000 in a loop whose body is long enough to need a rel32 back edge */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 1000);
    size_t top = jt_case.n;
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    for (int i = 0; i < 60; i++)
        jt_emit_insn(&jt_case, ISA_STDW, 10, 0, -8, i);
    jt_emit_insn(&jt_case, ISA_SUB64_IMM, 6, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_JNE_IMM, 6, 0, (int16_t)(top - jt_case.n - 1), 0);
    jt_emit_insn(&jt_case, ISA_JA32, 0, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_check_case(&r, "long loop");
    assert_int_equal(r.out.r0, 500500);
    /* ja +0 and conditional jumps to the next slot emit nothing and still work */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 3);
    jt_emit_insn(&jt_case, ISA_JA, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_JEQ_IMM, 0, 0, 0, 3);
    jt_emit_insn(&jt_case, ISA_JA32, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_check_case(&r, "jumps to the next slot");
    assert_int_equal(r.out.r0, 3);
}

/* ---- Calls ---- */

static void test_helper_calls(void **state)
{
    (void)state;
    jt_init_pattern();
    jt_result r;
    /* five arguments, in order */
    jt_case.n = 0;
    for (unsigned i = 1; i <= 5; i++)
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, i, 0, 0, (int32_t)(i * 10 + i));
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 66);
    jt_emit_insn(&jt_case, ISA_CALL, 0, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0); /* r6 survives */
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    assert_int_equal(jt_run_r0(&jt_case, &r), 11 + 2 * 22 + 3 * 33 + 4 * 44 + 5 * 55 + 66);
    /* 64-bit arguments and the user pointer */
    jt_case.n = 0;
    jt_emit_lddw(&jt_case, 1, 0x8000000000000001ull);
    jt_emit_lddw(&jt_case, 2, 0xffffffffffffff00ull);
    jt_emit_lddw(&jt_case, 3, 0x123456789ull);
    jt_emit_insn(&jt_case, ISA_CALL, 0, 0, 0, 2);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 6, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 1, 0, 0, 5);
    jt_emit_insn(&jt_case, ISA_CALL, 0, 0, 0, 3);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_run_r0(&jt_case, &r);
    /* a helper that writes memory through a pointer argument */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_ADD64_IMM, 1, 0, 0, 16);
    jt_emit_lddw(&jt_case, 2, 0xdeadbeefcafef00dull);
    jt_emit_insn(&jt_case, ISA_CALL, 0, 0, 0, 4);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_run_r0(&jt_case, &r);
    assert_int_equal(jt_mem_u64(&r, 16), 0xdeadbeefcafef00dull);
    /* callx by register, every register */
    for (unsigned reg = 0; reg < 10; reg++) {
        jt_case.n = 0;
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 1, 0, 0, 41);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 2, 0, 0, 1);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 3, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 4, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 5, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, reg, 0, 0, reg == 1 ? 5 : 1);
        jt_emit_insn(&jt_case, ISA_CALLX, reg, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
        jt_run_r0(&jt_case, &r);
        assert_int_equal(r.out.status, EBPF_RUN_OK);
    }
}

static void test_callx_unknown(void **state)
{
    (void)state;
    jt_result r;
    static const uint64_t bad_ids[] = { 0, 6, 7, JT_HELPER_COUNT, 1000, 0x100000001ull, UINT64_MAX };
    for (size_t i = 0; i < N(bad_ids); i++) {
        jt_case.n = 0;
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 9);
        jt_emit_lddw(&jt_case, 8, bad_ids[i]);
        jt_emit_insn(&jt_case, ISA_CALLX, 8, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
        jt_run_r0(&jt_case, &r);
        assert_int_equal(r.out.status, EBPF_RUN_UNKNOWN_HELPER);
        assert_int_equal(r.out.r0, 0);
        assert_int_equal(r.out.fault_pc, 3);
        assert_non_null(strstr(r.out.message, "instruction 3: callx to r8 ="));
    }
    /* from inside nested local calls: the stop unwinds every frame */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 6);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 2);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 1);     /* 4 */
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 3, 0, 0, 77);     /* 6 */
    jt_emit_insn(&jt_case, ISA_CALLX, 3, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_run_r0(&jt_case, &r);
    assert_int_equal(r.out.status, EBPF_RUN_UNKNOWN_HELPER);
    assert_int_equal(r.out.fault_pc, 7);
    assert_string_equal(r.out.message, "instruction 7: callx to r3 = 77, which is no known helper");
}

static void test_call_depth(void **state)
{
    (void)state;
    jt_result r;
    jt_recursion_prog(6); /* 8 frames: the limit */
    assert_int_equal(jt_run_r0(&jt_case, &r), 6 + 5 + 4 + 3 + 2 + 1 + 1234);
    jt_recursion_prog(7); /* 9 frames: one too many */
    jt_run_r0(&jt_case, &r);
    assert_int_equal(r.out.status, EBPF_RUN_CALL_DEPTH);
    assert_int_equal(r.out.fault_pc, 10);
    assert_int_equal(r.out.r0, 0);
    assert_string_equal(r.out.message, "instruction 10: local call nested deeper than 8 frames");
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, -1); /* calls itself forever */
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_run_r0(&jt_case, &r);
    assert_int_equal(r.out.status, EBPF_RUN_CALL_DEPTH);
    assert_int_equal(r.out.fault_pc, 0);
}

static void test_local_calls(void **state)
{
    (void)state;
    jt_result r;
    /* r1..r5 passed, r6..r9 preserved, r0 returned, frames distinct, caller's frame reachable */
    jt_case.n = 0;
    for (unsigned i = 1; i <= 9; i++)
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, i, 0, 0, (int32_t)i);
    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, -8, 1000);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 1, 10, 0, 0);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 5);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 9, 0, 0);
    jt_emit_insn(&jt_case, ISA_LDXDW, 2, 10, -8, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 2, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    /* callee */
    jt_emit_insn(&jt_case, ISA_LDXDW, 0, 1, -8, 0);        /* the caller's slot, through r1 */
    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, -8, 5);        /* its own slot */
    jt_emit_insn(&jt_case, ISA_LDXDW, 6, 10, -8, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 5, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 9, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 7, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    assert_int_equal(jt_run_r0(&jt_case, &r), 1000 + 5 + 5 + 6 + 9 + 1000);
}

int jit_test_flow(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jumps),
        cmocka_unit_test(test_ja_and_loops),
        cmocka_unit_test(test_helper_calls),
        cmocka_unit_test(test_callx_unknown),
        cmocka_unit_test(test_call_depth),
        cmocka_unit_test(test_local_calls),
    };
    return cmocka_run_group_tests_name("jit_flow", tests, NULL, NULL);
}
