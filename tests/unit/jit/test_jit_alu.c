/*
 * test_jit_alu.c - ALU instructions in the JIT: every operation, width and operand form with every
 * register as destination and source, every value pair where division and shifts have special cases,
 * neg, byte swaps, movsx and lddw; the RFC 9669 edge cases checked for their exact values.
 */
#include "test_jit.h"

/* ---- ALU ---- */
typedef struct alu_op {
    const char *name;
    uint16_t id[4]; /* 64 imm, 64 reg, 32 imm, 32 reg */
} alu_op;

#define OP4(NAME) { #NAME, { ISA_##NAME##64_IMM, ISA_##NAME##64_REG, ISA_##NAME##32_IMM, ISA_##NAME##32_REG } }
static const alu_op alu_ops[] = {
    OP4(ADD), OP4(SUB), OP4(MUL), OP4(DIV), OP4(SDIV), OP4(MOD), OP4(SMOD),
    OP4(OR), OP4(AND), OP4(XOR), OP4(LSH), OP4(RSH), OP4(ARSH), OP4(MOV),
};
#undef OP4

/* dst op= src (or imm): fill, set src = b then dst = a, op, dump. */
static void alu_prog(isa_slot op, unsigned dst, unsigned src, uint64_t a, uint64_t b)
{
    jt_emit_start(&jt_case);
    jt_emit_lddw(&jt_case, src, b);
    jt_emit_lddw(&jt_case, dst, a);
    jt_emit(&jt_case, op);
    jt_emit_dump(&jt_case);
}

static void test_alu_registers(void **state)
{
    (void)state;
    const size_t nv = jt_val_count;
    for (size_t o = 0; o < N(alu_ops); o++)
        for (int form = 0; form < 4; form++) {
            uint16_t id = alu_ops[o].id[form];
            bool imm = form == 0 || form == 2;
            for (unsigned dst = 0; dst < 10; dst++) {
                if (imm) {
                    for (size_t k = 0; k < jt_imm_count; k++) {
                        uint64_t a = jt_vals[(dst * 5 + k) % nv];
                        alu_prog(jt_enc(id, dst, 0, 0, jt_imms[k]), dst, dst, a, a);
                        jt_check_case(NULL, "%s r%u, %d (r%u = 0x%llx)", isa_infos[id].name, dst, jt_imms[k], dst,
                                      (unsigned long long)a);
                    }
                    continue;
                }
                for (unsigned src = 0; src < 10; src++)
                    for (size_t k = 0; k < 2; k++) {
                        uint64_t a = jt_vals[(dst * 7 + src * 3 + k * 11) % nv];
                        uint64_t b = jt_vals[(dst + src * 5 + k * 13 + o) % nv];
                        alu_prog(jt_enc(id, dst, src, 0, 0), dst, src, a, b);
                        jt_check_case(NULL, "%s r%u, r%u (0x%llx, 0x%llx)", isa_infos[id].name, dst, src,
                                      (unsigned long long)a, (unsigned long long)b);
                    }
            }
        }
}

/* Every value pair for the operations with special cases (division, shifts), in the register
 * placements that collide with rax/rdx/rcx. */
static void test_alu_values(void **state)
{
    (void)state;
    static const uint16_t special[] = {
        ISA_DIV64_REG, ISA_DIV32_REG, ISA_SDIV64_REG, ISA_SDIV32_REG, ISA_MOD64_REG, ISA_MOD32_REG,
        ISA_SMOD64_REG, ISA_SMOD32_REG, ISA_LSH64_REG, ISA_LSH32_REG, ISA_RSH64_REG, ISA_RSH32_REG,
        ISA_ARSH64_REG, ISA_ARSH32_REG, ISA_MUL32_REG,
    };
    static const unsigned pairs[][2] = { { 1, 2 }, { 0, 3 }, { 3, 0 }, { 4, 1 }, { 1, 4 } };
    for (size_t s = 0; s < N(special); s++)
        for (size_t pr = 0; pr < N(pairs); pr++)
            for (size_t i = 0; i < jt_val_count; i += (pr ? 3 : 1))
                for (size_t j = 0; j < jt_val_count; j += (pr ? 2 : 1)) {
                    unsigned dst = pairs[pr][0], src = pairs[pr][1];
                    alu_prog(jt_enc(special[s], dst, src, 0, 0), dst, src, jt_vals[i], jt_vals[j]);
                    jt_check_case(NULL, "%s r%u, r%u (0x%llx, 0x%llx)", isa_infos[special[s]].name, dst, src,
                                  (unsigned long long)jt_vals[i], (unsigned long long)jt_vals[j]);
                }
}

static void test_alu_unary(void **state)
{
    (void)state;
    static const uint16_t unary[] = {
        ISA_NEG64, ISA_NEG32, ISA_LE16, ISA_LE32, ISA_LE64, ISA_BE16, ISA_BE32, ISA_BE64,
        ISA_BSWAP16, ISA_BSWAP32, ISA_BSWAP64,
    };
    static const uint16_t movsx[] = { ISA_MOVSX8_64, ISA_MOVSX16_64, ISA_MOVSX32_64, ISA_MOVSX8_32, ISA_MOVSX16_32 };
    for (size_t u = 0; u < N(unary); u++)
        for (unsigned dst = 0; dst < 10; dst++)
            for (size_t k = 0; k < jt_val_count; k += 2) {
                uint64_t a = jt_vals[(k + dst) % jt_val_count];
                alu_prog(jt_enc(unary[u], dst, 0, 0, 0), dst, dst, a, a);
                jt_check_case(NULL, "%s r%u (0x%llx)", isa_infos[unary[u]].name, dst, (unsigned long long)a);
            }
    for (size_t m = 0; m < N(movsx); m++)
        for (unsigned dst = 0; dst < 10; dst++)
            for (unsigned src = 0; src < 10; src++) {
                uint64_t b = jt_vals[(dst * 3 + src) % jt_val_count] ^ (src & 1 ? 0x8080808080808080ull : 0);
                alu_prog(jt_enc(movsx[m], dst, src, 0, 0), dst, src, jt_fill[dst], b);
                jt_check_case(NULL, "%s r%u, r%u (0x%llx)", isa_infos[movsx[m]].name, dst, src, (unsigned long long)b);
            }
}

/* r0 = a op b (dst r0, src r1): the exact value, from the dump. */
static uint64_t alu_exact(uint16_t id, uint64_t a, uint64_t b, int32_t imm)
{
    bool reg = isa_infos[id].format == ISA_FMT_ALU_REG;
    alu_prog(jt_enc(id, 0, reg ? 1 : 0, 0, imm), 0, 1, a, b);
    jt_result r;
    jt_check_case(&r, "%s", isa_infos[id].name);
    return jt_mem_u64(&r, 0);
}

static void test_alu_exact(void **state)
{
    (void)state;
    const uint64_t min64 = 0x8000000000000000ull;
    assert_int_equal(alu_exact(ISA_DIV64_REG, 100, 0, 0), 0);
    assert_int_equal(alu_exact(ISA_MOD64_REG, 100, 0, 0), 100);
    assert_int_equal(alu_exact(ISA_MOD32_REG, 0xffffffff00000064ull, 0, 0), 100);
    assert_int_equal(alu_exact(ISA_MOD32_IMM, 0x1234567800000005ull, 0, 0), 5);
    assert_int_equal(alu_exact(ISA_DIV32_IMM, 0xffffffffu, 0, -1), 1);
    assert_int_equal(alu_exact(ISA_DIV64_IMM, UINT64_MAX, 0, -1), 1);
    assert_int_equal(alu_exact(ISA_SDIV64_REG, min64, UINT64_MAX, 0), min64);
    assert_int_equal(alu_exact(ISA_SDIV64_IMM, min64, 0, -1), min64);
    assert_int_equal(alu_exact(ISA_SMOD64_REG, min64, UINT64_MAX, 0), 0);
    assert_int_equal(alu_exact(ISA_SMOD64_REG, (uint64_t)-9, 0, 0), (uint64_t)-9);
    assert_int_equal(alu_exact(ISA_SDIV32_REG, 0x80000000u, 0xffffffffu, 0), 0x80000000u);
    assert_int_equal(alu_exact(ISA_SMOD32_REG, 0xfffffffffffffff9ull, 0, 0), 0xfffffff9u);
    assert_int_equal(alu_exact(ISA_SMOD32_REG, 0xfffffff9u, 2, 0), 0xffffffffu);
    assert_int_equal(alu_exact(ISA_SDIV64_REG, (uint64_t)-7, 2, 0), (uint64_t)-3);
    assert_int_equal(alu_exact(ISA_LSH64_REG, 1, 65, 0), 2);
    assert_int_equal(alu_exact(ISA_LSH32_REG, 0xffffffff00000001ull, 32, 0), 1); /* count 0: zero-extends */
    assert_int_equal(alu_exact(ISA_LSH32_IMM, 0xffffffff00000001ull, 0, 32), 1);
    assert_int_equal(alu_exact(ISA_ARSH32_REG, 0xffffffff70000000ull, 60, 0), 7);
    assert_int_equal(alu_exact(ISA_ARSH64_IMM, (uint64_t)-256, 0, 4), (uint64_t)-16);
    assert_int_equal(alu_exact(ISA_MOV32_IMM, 7, 0, -1), 0xffffffffu);
    assert_int_equal(alu_exact(ISA_MOV64_IMM, 7, 0, -1), UINT64_MAX);
    assert_int_equal(alu_exact(ISA_MOV32_REG, 7, 0xaaaaaaaa55555555ull, 0), 0x55555555u);
    assert_int_equal(alu_exact(ISA_MUL32_REG, 0x10000, 0x10001, 0), 0x10000);
    assert_int_equal(alu_exact(ISA_MUL64_IMM, 3, 0, -2), (uint64_t)-6);
    assert_int_equal(alu_exact(ISA_AND64_IMM, UINT64_MAX, 0, -16), UINT64_MAX - 15);
    assert_int_equal(alu_exact(ISA_ADD32_IMM, UINT64_MAX, 0, 1), 0);
    assert_int_equal(alu_exact(ISA_NEG32, 0x80000000u, 0, 0), 0x80000000u);
    assert_int_equal(alu_exact(ISA_BE16, 0x0123456789abcdefull, 0, 0), 0xefcd);
    assert_int_equal(alu_exact(ISA_LE16, 0x0123456789abcdefull, 0, 0), 0xcdef);
    assert_int_equal(alu_exact(ISA_BSWAP32, 0x0123456789abcdefull, 0, 0), 0xefcdab89);
    assert_int_equal(alu_exact(ISA_BSWAP64, 0x0123456789abcdefull, 0, 0), 0xefcdab8967452301ull);
    assert_int_equal(alu_exact(ISA_MOVSX8_32, 0, 0xff, 0), 0xffffffffu);
    assert_int_equal(alu_exact(ISA_MOVSX32_64, 0, 0x180000000ull, 0), 0xffffffff80000000ull);
}

static void test_lddw(void **state)
{
    (void)state;
    for (unsigned dst = 0; dst < 10; dst++)
        for (size_t k = 0; k < jt_val_count; k++) {
            jt_emit_start(&jt_case);
            jt_emit_lddw(&jt_case, dst, jt_vals[k] ^ (dst * 0x0101010101010101ull));
            jt_emit_dump(&jt_case);
            jt_check_case(NULL, "lddw r%u", dst);
        }
}

int jit_test_alu(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alu_registers),
        cmocka_unit_test(test_alu_values),
        cmocka_unit_test(test_alu_unary),
        cmocka_unit_test(test_alu_exact),
        cmocka_unit_test(test_lddw),
    };
    return cmocka_run_group_tests_name("jit_alu", tests, NULL, NULL);
}
