/*
 * test_jit_fuse.c - the JIT's fused translations (src/exec/jit/jit_fuse.c) against the interpreter in
 * every JIT configuration: zero-extension by a shift pair (with and without the mov before it), mov +
 * add as lea (immediate and register, every base register including r7/r13 and r10/rbp, which need a
 * displacement byte), and `jcc +1; ja T` as one inverted jcc for every condition, width and operand
 * form. Each also with a jump landing inside the sequence, where nothing may be fused. And `and rX, rC;
 * rsh rX, n` as a 32-bit shr when rC holds the matching mask on every path: straight, in a loop, with
 * another value reaching the `and` on one path, with a jump onto the shift, and with masks that do not
 * match.
 */
#include "test_jit.h"

/* ---- zero-extension ---- */
static void zext_prog(unsigned dst, unsigned src, uint64_t value, bool with_mov, int land)
{
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, src, value);
    /* land: 0 none; 1, 2: a jump from here onto the 1st / 2nd shift (taken when src's low byte is odd) */
    if (land) {
        jt_emit_insn(&jt_case, ISA_MOV64_REG, 6 == dst ? 7 : 6, src, 0, 0);
        jt_emit_insn(&jt_case, ISA_JSET_IMM, 6 == dst ? 7 : 6, 0, (int16_t)(with_mov + land - 1), 1);
    }
    if (with_mov)
        jt_emit_insn(&jt_case, ISA_MOV64_REG, dst, src, 0, 0);
    jt_emit_insn(&jt_case, ISA_LSH64_IMM, dst, 0, 0, 32);
    jt_emit_insn(&jt_case, ISA_RSH64_IMM, dst, 0, 0, 32);
    jt_emit_dump(&jt_case);
}

static void test_zext(void **state)
{
    (void)state;
    for (unsigned dst = 0; dst < 10; dst++)
        for (unsigned src = 0; src < 10; src++)
            for (size_t v = 0; v < jt_val_count; v += 2)
                for (int land = 0; land < 3; land++) {
                    zext_prog(dst, src, jt_vals[v], true, land);
                    jt_check_case(NULL, "mov r%u, r%u; lsh 32; rsh 32 (0x%llx, landing %d)", dst, src,
                                  (unsigned long long)jt_vals[v], land);
                    if (src == dst) {
                        zext_prog(dst, src, jt_vals[v], false, land);
                        jt_check_case(NULL, "lsh r%u 32; rsh 32 (landing %d)", dst, land);
                    }
                }
}

/* ---- mov + add as lea ---- */
/* How many times r10 is added into dst by mov dst, src; add dst, other (other < 0: an immediate). */
static int lea_fp_uses(unsigned dst, unsigned src, int other)
{
    int uses = src == 10;
    if (other == 10 || (other >= 0 && (unsigned)other == dst))
        uses += other == 10 ? 1 : (src == 10);
    return uses;
}

static void lea_prog(unsigned dst, unsigned src, int other, int32_t imm, bool land)
{
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, 3, 0x123456789ull);
    jt_emit_lddw(&jt_case, 4, 0xfffffffffffff000ull);
    if (land) /* always taken: onto the add, so dst keeps its start value */
        jt_emit_insn(&jt_case, ISA_JA, 0, 0, 1, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, dst, src, 0, 0);
    if (other < 0)
        jt_emit_insn(&jt_case, ISA_ADD64_IMM, dst, 0, 0, imm);
    else
        jt_emit_insn(&jt_case, ISA_ADD64_REG, dst, (unsigned)other, 0, 0);
    if (!land && lea_fp_uses(dst, src, other) == 1) /* stack addresses differ between engines: keep the offset */
        jt_emit_insn(&jt_case, ISA_SUB64_REG, dst, 10, 0, 0);
    jt_emit_dump(&jt_case);
}

static void test_lea(void **state)
{
    (void)state;
    for (unsigned dst = 0; dst < 10; dst++)
        for (unsigned src = 0; src <= 10; src++) {
            for (size_t i = 0; i < jt_imm_count; i += 3)
                for (int land = 0; land < 2; land++) {
                    lea_prog(dst, src, -1, jt_imms[i], land);
                    jt_check_case(NULL, "mov r%u, r%u; add %d (landing %d)", dst, src, jt_imms[i], land);
                }
            for (unsigned other = 0; other <= 10; other++) {
                if (lea_fp_uses(dst, src, (int)other) > 1)
                    continue;
                lea_prog(dst, src, (int)other, 0, false);
                jt_check_case(NULL, "mov r%u, r%u; add r%u", dst, src, other);
            }
        }
}

/* ---- jcc +1; ja T ---- */
static const uint16_t cond_ids[] = {
#define C4(NAME) ISA_##NAME##_IMM, ISA_##NAME##_REG, ISA_##NAME##32_IMM, ISA_##NAME##32_REG,
    C4(JEQ) C4(JNE) C4(JGT) C4(JGE) C4(JLT) C4(JLE) C4(JSET) C4(JSGT) C4(JSGE) C4(JSLT) C4(JSLE)
#undef C4
};

/* if (r3 cond r4/imm) marker = 2; with `land`, the ja is also reached by a jump (nothing fused). */
static void jcc_ja_prog(uint16_t id, uint64_t a, uint64_t b, int32_t imm, bool land)
{
    bool is_imm = isa_infos[id].format == ISA_FMT_JMP_IMM;
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, 3, a);
    jt_emit_lddw(&jt_case, 4, b);
    jt_emit_insn(&jt_case, id, 3, is_imm ? 0 : 4, 1, is_imm ? imm : 0);
    jt_emit_insn(&jt_case, ISA_JA, 0, 0, land ? 2 : 1, 0);
    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, JT_SLOT_MARK, 2);
    if (land)
        jt_emit_insn(&jt_case, ISA_JA, 0, 0, -3, 0);
    jt_emit_dump(&jt_case);
}

static void test_jcc_ja(void **state)
{
    (void)state;
    for (size_t c = 0; c < N(cond_ids); c++)
        for (size_t k = 0; k < jt_val_count; k += 2)
            for (size_t m = 0; m < jt_val_count; m += 3)
                for (int land = 0; land < 2; land++) {
                    int32_t imm = jt_imms[(k + m) % jt_imm_count];
                    jcc_ja_prog(cond_ids[c], jt_vals[k], jt_vals[m], imm, land);
                    jt_check_case(NULL, "%s 0x%llx, 0x%llx / %d; ja (landing %d)", isa_infos[cond_ids[c]].name,
                                  (unsigned long long)jt_vals[k], (unsigned long long)jt_vals[m], imm, land);
                }
}

/* A counted loop closed by jeq +1; ja (the fused back edge), with a body long enough for rel32. */
static void test_jcc_ja_loop(void **state)
{
    (void)state;
    for (int body = 0; body < 80; body += 79) {
        jt_case.n = 0;
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 0);
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 300);
        size_t top = jt_case.n;
        jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
        for (int i = 0; i < body; i++)
            jt_emit_insn(&jt_case, ISA_STDW, 10, 0, -8, i);
        jt_emit_insn(&jt_case, ISA_SUB64_IMM, 6, 0, 0, 1);
        jt_emit_insn(&jt_case, ISA_JEQ_IMM, 6, 0, 1, 0);
        jt_emit_insn(&jt_case, ISA_JA, 0, 0, (int16_t)(top - jt_case.n - 1), 0);
        jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
        jt_result r;
        jt_check_case(&r, "loop with a %d-instruction body", body);
        assert_int_equal(r.out.r0, 300 * 301 / 2);
    }
}

/* ---- and with a 32-bit mask + rsh as a 32-bit shr ---- */
enum { SHR32_STRAIGHT, SHR32_OTHER_PATH, SHR32_LAND_ON_SHIFT, SHR32_LOOP, SHR32_VARIANTS };

static void shr32_prog(unsigned dst, unsigned c, uint64_t value, int32_t n, uint64_t mask, int variant)
{
    unsigned l = 0; /* loop counter: neither dst nor c */
    while (l == dst || l == c)
        l++;
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, dst, value);
    jt_emit_lddw(&jt_case, c, mask);
    if (variant == SHR32_OTHER_PATH) { /* when value is odd, c = mask with bit 40 set */
        jt_emit_insn(&jt_case, ISA_JSET_IMM, dst, 0, 2, 1);
        jt_emit_lddw(&jt_case, c, mask | 1ull << 40);
    }
    if (variant == SHR32_LAND_ON_SHIFT) /* when value is odd, straight onto the shift */
        jt_emit_insn(&jt_case, ISA_JSET_IMM, dst, 0, 1, 1);
    if (variant == SHR32_LOOP)
        jt_emit_insn(&jt_case, ISA_MOV64_IMM, l, 0, 0, 3);
    size_t top = jt_case.n;
    jt_emit_insn(&jt_case, ISA_AND64_REG, dst, c, 0, 0);
    jt_emit_insn(&jt_case, ISA_RSH64_IMM, dst, 0, 0, n);
    if (variant == SHR32_LOOP) {
        jt_emit_insn(&jt_case, ISA_MUL64_IMM, dst, 0, 0, (int32_t)0x9e3779b1);
        jt_emit_insn(&jt_case, ISA_SUB64_IMM, l, 0, 0, 1);
        jt_emit_insn(&jt_case, ISA_JNE_IMM, l, 0, (int16_t)(top - jt_case.n - 1), 0);
    }
    jt_emit_dump(&jt_case);
}

static void test_shr32(void **state)
{
    (void)state;
    static const unsigned regs[][2] = { { 0, 1 }, { 5, 3 }, { 3, 5 }, { 6, 9 }, { 9, 0 }, { 7, 8 } };
    static const int32_t shifts[] = { 1, 13, 31 };
    static const uint64_t values[] = { 0xffffffffffffffffull, 0x123456789abcdef1ull, 0x80000000ull, 6 };
    for (size_t r = 0; r < N(regs); r++)
        for (size_t k = 0; k < N(shifts); k++)
            for (int wrong = 0; wrong < 3; wrong++) {
                uint64_t mask = (uint64_t)(0xffffffffu >> shifts[k]) << shifts[k];
                mask = wrong == 1 ? mask ^ 1ull << shifts[k] : wrong == 2 ? mask | 1ull << 32 : mask;
                for (size_t v = 0; v < N(values); v++)
                    for (int variant = 0; variant < SHR32_VARIANTS; variant++) {
                        shr32_prog(regs[r][0], regs[r][1], values[v], shifts[k], mask, variant);
                        jt_check_case(NULL, "and r%u, r%u (0x%llx); rsh %d on 0x%llx, variant %d", regs[r][0],
                                      regs[r][1], (unsigned long long)mask, shifts[k],
                                      (unsigned long long)values[v], variant);
                    }
            }
}

int jit_test_fuse(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zext),
        cmocka_unit_test(test_lea),
        cmocka_unit_test(test_jcc_ja),
        cmocka_unit_test(test_jcc_ja_loop),
        cmocka_unit_test(test_shr32),
    };
    return cmocka_run_group_tests_name("jit_fuse", tests, NULL, NULL);
}
