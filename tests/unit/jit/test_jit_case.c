/*
 * test_jit_case.c - what the JIT unit tests share: the program buffer, the run-everywhere-and-compare
 * check, the dumped-program frame (start: fill r0..r9 with distinct values; dump: r0..r9 and a marker
 * into memory, so a clobbered register shows up as a memory difference), operand values, the memory
 * pattern, and the recursion program of the call-depth tests.
 */
#include <stdio.h>
#include <string.h>

#include "test_jit.h"

jt_prog jt_case;

/* ---- Running and comparing. ---- */
void jt_check(const jt_prog *p, const uint8_t *mem, size_t mem_size, jt_result *res, const char *fmt, ...)
{
    char why[512];
    jt_result local;
    if (jt_compare(p->s, p->n, mem, mem_size, false, res ? res : &local, why, sizeof why) != 0) {
        char what[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(what, sizeof what, fmt, ap);
        va_end(ap);
        fail_msg("%s: %s", what, why);
    }
}

uint64_t jt_mem_u64(const jt_result *r, size_t off)
{
    uint64_t v;
    memcpy(&v, r->mem + off, 8);
    return v;
}

/* Distinct start values for r0..r9, so that a clobbered register is visible. */
const uint64_t jt_fill[10] = {
    0x0123456789abcdefull, 0x1111111111111111ull, 0x2222222222222222ull, 0x3333333333333333ull,
    0x4444444444444444ull, 0x5555555555555555ull, 0x6666666666666666ull, 0x7777777777777777ull,
    0x8888888888888888ull, 0x9999999999999999ull,
};

/* Start of every dumped program: save the memory pointer, clear the marker, fill r0..r9. */
void jt_emit_start(jt_prog *p)
{
    p->n = 0;
    jt_emit_insn(p, ISA_STXDW, 10, 1, JT_SLOT_MEM, 0);
    jt_emit_insn(p, ISA_STDW, 10, 0, JT_SLOT_MARK, 0);
    for (unsigned r = 0; r < 10; r++)
        jt_emit_lddw(p, r, jt_fill[r]);
}

/* End: r0..r9 and the marker into mem[0..88), r0 = 0, exit. */
void jt_emit_dump(jt_prog *p)
{
    for (unsigned r = 0; r < 10; r++)
        jt_emit_insn(p, ISA_STXDW, 10, r, (int16_t)JT_SLOT_REG(r), 0);
    jt_emit_insn(p, ISA_LDXDW, 1, 10, JT_SLOT_MEM, 0);
    for (unsigned r = 0; r <= 10; r++) {
        jt_emit_insn(p, ISA_LDXDW, 2, 10, (int16_t)(r < 10 ? JT_SLOT_REG(r) : JT_SLOT_MARK), 0);
        jt_emit_insn(p, ISA_STXDW, 1, 2, (int16_t)(8 * r), 0);
    }
    jt_emit_insn(p, ISA_MOV64_IMM, 0, 0, 0, 0);
    jt_emit_insn(p, ISA_EXIT, 0, 0, 0, 0);
}

const uint64_t jt_vals[] = {
    0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000,
    0x123456789abcdef0ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0xfffffffffffffffeull, 0xffffffff80000000ull, 0xfffffffffffffff9ull, 0xaaaaaaaa00000005ull,
};

const size_t jt_val_count = N(jt_vals);

const int32_t jt_imms[] = { 0, 1, -1, 2, -2, 3, 7, 31, 32, 63, 64, 127, 128, -128, -129,
                                0x7fffffff, INT32_MIN, 0x12345678, -0x12345678 };

const size_t jt_imm_count = N(jt_imms);

uint8_t jt_pattern[JT_MEM_SIZE];

void jt_init_pattern(void)
{
    for (size_t i = 0; i < sizeof jt_pattern; i++)
        jt_pattern[i] = (uint8_t)(i * 37 + 11);
}

uint64_t jt_run_r0(const jt_prog *p, jt_result *r)
{
    jt_check(p, jt_pattern, sizeof jt_pattern, r, "program of %zu slots", p->n);
    return r->out.r0;
}

/* f(n) = n ? 1 + f(n - 1) : 0, called with n from the entry: n + 1 frames in all. */
void jt_recursion_prog(int32_t n)
{
    jt_case.n = 0;
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 1, 0, 0, n);
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 6, 0, 0, 1234);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, 2);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 6, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
    /* 5: f */
    jt_emit_insn(&jt_case, ISA_STXDW, 10, 1, -8, 0);       /* each frame keeps its own n */
    jt_emit_insn(&jt_case, ISA_MOV64_IMM, 0, 0, 0, 0);
    jt_emit_insn(&jt_case, ISA_JEQ_IMM, 1, 0, 5, 0);
    jt_emit_insn(&jt_case, ISA_MOV64_REG, 6, 1, 0, 0);
    jt_emit_insn(&jt_case, ISA_SUB64_IMM, 1, 0, 0, 1);
    jt_emit_insn(&jt_case, ISA_CALL_LOCAL, 0, 0, 0, -6);   /* 10 */
    jt_emit_insn(&jt_case, ISA_LDXDW, 2, 10, -8, 0);
    jt_emit_insn(&jt_case, ISA_ADD64_REG, 0, 2, 0, 0);
    jt_emit_insn(&jt_case, ISA_EXIT, 0, 0, 0, 0);
}
