/*
 * test_jit_mem.c - memory in the JIT: loads (zero- and sign-extending), stores of registers and
 * immediates, every atomic, with every base register (r10 too) and offsets needing 8- and 32-bit
 * displacements, aligned and not; the legacy packet loads in and out of bounds.
 */
#include "test_jit.h"

/* Runs jt_case on the memory pattern in every engine. */
#define check_mem(RES, ...) jt_check(&jt_case, jt_pattern, sizeof jt_pattern, (RES), __VA_ARGS__)

/* ---- Memory ---- */

/* base = mem + 128 (after the fill). */
static void emit_base(jt_prog *p, unsigned base)
{
    jt_emit_insn(p, ISA_LDXDW, base, 10, JT_SLOT_MEM, 0);
    jt_emit_insn(p, ISA_ADD64_IMM, base, 0, 0, 128);
}

static const int16_t mem_offs[] = { -128, -1, 0, 3, 64, 120 };
static const int16_t stack_offs[] = { -512, -304, -200, -136, -120 }; /* below the dump slots */

static void test_loads(void **state)
{
    (void)state;
    jt_init_pattern();
    static const uint16_t loads[] = { ISA_LDXB, ISA_LDXH, ISA_LDXW, ISA_LDXDW, ISA_LDXSB, ISA_LDXSH, ISA_LDXSW };
    for (size_t l = 0; l < N(loads); l++)
        for (unsigned base = 0; base <= 10; base++)
            for (unsigned dst = 0; dst < 10; dst++)
                for (size_t o = 0; o < N(mem_offs); o++) {
                    int16_t off = base == 10 ? stack_offs[o % N(stack_offs)] : mem_offs[o];
                    jt_emit_start(&jt_case);
                    if (base == 10) { /* give the stack bytes known values */
                        jt_emit_lddw(&jt_case, dst, 0x8182838485868788ull * (o + 1));
                        jt_emit_insn(&jt_case, ISA_STXDW, 10, dst, off, 0);
                        jt_emit_lddw(&jt_case, dst, jt_fill[dst]);
                    } else {
                        emit_base(&jt_case, base);
                    }
                    jt_emit_insn(&jt_case, loads[l], dst, base, off, 0);
                    if (base != 10 && base != dst)
                        jt_emit_insn(&jt_case, ISA_MOV64_IMM, base, 0, 0, 0); /* no address in the dump */
                    jt_emit_dump(&jt_case);
                    check_mem(NULL, "%s r%u, [r%u%+d]", isa_infos[loads[l]].name, dst, base, off);
                }
}

static void test_stores(void **state)
{
    (void)state;
    jt_init_pattern();
    static const uint16_t stx[] = { ISA_STXB, ISA_STXH, ISA_STXW, ISA_STXDW };
    static const uint16_t st[] = { ISA_STB, ISA_STH, ISA_STW, ISA_STDW };
    for (size_t s = 0; s < N(stx); s++)
        for (unsigned base = 0; base <= 10; base++) {
            for (unsigned src = 0; src < 10; src++) {
                if (src == base)
                    continue; /* would store an address */
                int16_t off = base == 10 ? stack_offs[src % N(stack_offs)] : mem_offs[src % N(mem_offs)];
                jt_emit_start(&jt_case);
                if (base != 10)
                    emit_base(&jt_case, base);
                else
                    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, off, 0x5a5a5a5a);
                jt_emit_insn(&jt_case, stx[s], base, src, off, 0);
                if (base == 10) { /* bring the stored bytes into the dump */
                    jt_emit_insn(&jt_case, ISA_LDXDW, src, 10, (int16_t)(off & ~7), 0);
                    jt_emit_insn(&jt_case, ISA_STXDW, 10, src, JT_SLOT_MARK, 0);
                } else {
                    jt_emit_insn(&jt_case, ISA_MOV64_IMM, base, 0, 0, 0);
                }
                jt_emit_dump(&jt_case);
                check_mem(NULL, "%s [r%u%+d], r%u", isa_infos[stx[s]].name, base, off, src);
            }
            for (size_t k = 0; k < jt_imm_count; k++) {
                int16_t off = base == 10 ? stack_offs[k % N(stack_offs)] : mem_offs[k % N(mem_offs)];
                jt_emit_start(&jt_case);
                if (base != 10)
                    emit_base(&jt_case, base);
                else
                    jt_emit_insn(&jt_case, ISA_STDW, 10, 0, off, -0x5a5a5a5a);
                jt_emit_insn(&jt_case, st[s], base, 0, off, jt_imms[k]);
                if (base == 10) {
                    jt_emit_insn(&jt_case, ISA_LDXDW, 0, 10, (int16_t)(off & ~7), 0);
                    jt_emit_insn(&jt_case, ISA_STXDW, 10, 0, JT_SLOT_MARK, 0);
                } else {
                    jt_emit_insn(&jt_case, ISA_MOV64_IMM, base, 0, 0, 0);
                }
                jt_emit_dump(&jt_case);
                check_mem(NULL, "%s [r%u%+d], %d", isa_infos[st[s]].name, base, off, jt_imms[k]);
            }
        }
}

static void test_atomics(void **state)
{
    (void)state;
    jt_init_pattern();
    static const uint16_t atomics[] = {
        ISA_ATOMIC_ADD64, ISA_ATOMIC_FETCH_ADD64, ISA_ATOMIC_OR64, ISA_ATOMIC_FETCH_OR64, ISA_ATOMIC_AND64,
        ISA_ATOMIC_FETCH_AND64, ISA_ATOMIC_XOR64, ISA_ATOMIC_FETCH_XOR64, ISA_ATOMIC_XCHG64, ISA_ATOMIC_CMPXCHG64,
        ISA_ATOMIC_ADD32, ISA_ATOMIC_FETCH_ADD32, ISA_ATOMIC_OR32, ISA_ATOMIC_FETCH_OR32, ISA_ATOMIC_AND32,
        ISA_ATOMIC_FETCH_AND32, ISA_ATOMIC_XOR32, ISA_ATOMIC_FETCH_XOR32, ISA_ATOMIC_XCHG32, ISA_ATOMIC_CMPXCHG32,
    };
    for (size_t a = 0; a < N(atomics); a++)
        for (unsigned base = 0; base <= 10; base++)
            for (unsigned src = 0; src < 10; src++)
                for (int variant = 0; variant < 3; variant++) {
                    if (src == base)
                        continue;
                    /* variant 0: aligned, r0 equal to memory (cmpxchg succeeds); 1: misaligned, r0 differs;
                     * 2: aligned, r0's low half equal and high half different */
                    int16_t off = base == 10 ? (variant == 1 ? -213 : -200) : (variant == 1 ? -13 : 8);
                    uint64_t memv = 0xf0f0f0f0a5a5a5a5ull + src;
                    jt_emit_start(&jt_case);
                    jt_emit_lddw(&jt_case, src, memv);
                    if (base != 10) {
                        emit_base(&jt_case, base);
                        jt_emit_insn(&jt_case, ISA_STXDW, base, src, off, 0);
                    } else {
                        jt_emit_insn(&jt_case, ISA_STXDW, 10, src, off, 0);
                    }
                    if (src != 0 && base != 0)
                        jt_emit_lddw(&jt_case, 0,
                                     variant == 0 ? memv : variant == 1 ? 5 : memv ^ 0xff00000000000000ull);
                    jt_emit_lddw(&jt_case, src, 0x0ff00ff00ff00ff0ull ^ (src * 0x1111ull));
                    jt_emit(&jt_case, jt_enc(atomics[a], base, src, off, 0));
                    if (base != 10) { /* memory is compared as a whole; no address may reach the dump */
                        jt_emit_insn(&jt_case, ISA_MOV64_IMM, base, 0, 0, 0);
                    } else {              /* the stack word goes to the dump through the marker */
                        unsigned tmp = src == 9 ? 8 : 9;
                        jt_emit_insn(&jt_case, ISA_LDXDW, tmp, 10, off, 0);
                        jt_emit_insn(&jt_case, ISA_STXDW, 10, tmp, JT_SLOT_MARK, 0);
                    }
                    jt_emit_dump(&jt_case);
                    check_mem(NULL, "%s [r%u%+d], r%u (variant %d)", isa_infos[atomics[a]].name, base, off, src,
                              variant);
                }
}

static void test_packet_loads(void **state)
{
    (void)state;
    jt_init_pattern();
    jt_result r;
    static const uint16_t abs_ids[] = { ISA_LDABSB, ISA_LDABSH, ISA_LDABSW };
    static const uint16_t ind_ids[] = { ISA_LDINDB, ISA_LDINDH, ISA_LDINDW };
    static const int32_t offs[] = { 0, 1, 100, 252, 253, 254, 255, 256, -1, INT32_MIN, 0x7fffffff };
    for (size_t s = 0; s < 3; s++)
        for (size_t o = 0; o < N(offs); o++) {
            jt_emit_start(&jt_case);
            jt_emit_insn(&jt_case, abs_ids[s], 0, 0, 0, offs[o]);
            jt_emit_dump(&jt_case);
            check_mem(&r, "%s %d", isa_infos[abs_ids[s]].name, offs[o]);
            for (unsigned src = 0; src < 10; src++) {
                jt_emit_start(&jt_case);
                jt_emit_insn(&jt_case, ISA_MOV64_IMM, src, 0, 0, offs[(o + src) % N(offs)]);
                jt_emit_insn(&jt_case, ind_ids[s], 0, src, 0, offs[o]);
                jt_emit_dump(&jt_case);
                check_mem(&r, "%s r%u, %d", isa_infos[ind_ids[s]].name, src, offs[o]);
            }
        }
    /* exact value, and a refusal deep in local calls ends the whole run with r0 = 0 */
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_LDABSW, 0, 0, 0, 4);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    assert_int_equal(jt_run_r0(&jt_case, &r),
                     (uint32_t)jt_pattern[4] << 24 | jt_pattern[5] << 16 | jt_pattern[6] << 8 | jt_pattern[7]);
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 5);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 1); /* 3 */
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 300); /* 5 */
    jt_emit_insn(&jt_case, ISA_LDINDB, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 7);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    assert_int_equal(jt_run_r0(&jt_case, &r), 0);
    assert_int_equal(r.out.status, EBPF_RUN_OK);
}

int jit_test_mem(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_atomics),
        cmocka_unit_test(test_packet_loads),
    };
    return cmocka_run_group_tests_name("jit_mem", tests, NULL, NULL);
}
