/*
 * jit_divmod.c - div, sdiv, mod and smod with the interpreter's results where x86 would trap or differ:
 * x / 0 = 0, x % 0 = x (truncated to 32 bits for the 32-bit forms), INT_MIN / -1 = INT_MIN (computed as
 * a negation, since idiv faults on it), INT_MIN % -1 = 0. x86 idiv truncates toward zero and gives the
 * remainder the dividend's sign, as eBPF does.
 *
 * x86 divides rdx:rax; r0 and r3 live there, so both are parked in JIT_TMP2 / JIT_TMP3 (unless one is
 * the destination) and the divisor goes to JIT_TMP first (it may be r0 or r3 itself). An immediate
 * divisor is known at compile time: zero and -1 need no division and no run-time test.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <stdint.h>

static void jit_divmod_by_zero(jit_state *st, unsigned dst, bool is_div, bool w)
{
    if (is_div)
        jit_alu_rr(st, 0, JIT_ALU_XOR, dst, dst);
    else if (!w)
        jit_mov_rr(st, 0, dst, dst);
}

static void jit_divmod_by_minus_one(jit_state *st, unsigned dst, bool is_div, bool w)
{
    if (is_div)
        jit_op_rr(st, w ? JIT_W : 0, 0xf7, 3, dst); /* neg: wraps INT_MIN to itself */
    else
        jit_alu_rr(st, 0, JIT_ALU_XOR, dst, dst);
}

/* dst = dst op JIT_TMP, for a divisor that is neither 0 nor (signed) -1. */
static void jit_divmod_core(jit_state *st, unsigned dst, bool is_signed, bool is_div, bool w)
{
    unsigned f = w ? JIT_W : 0;
    if (dst != JIT_RAX)
        jit_mov_rr(st, JIT_W, JIT_TMP2, JIT_RAX);
    if (dst != JIT_RDX)
        jit_mov_rr(st, JIT_W, JIT_TMP3, JIT_RDX);
    if (dst != JIT_RAX)
        jit_mov_rr(st, f, JIT_RAX, dst);
    if (!is_signed) {
        jit_alu_rr(st, 0, JIT_ALU_XOR, JIT_RDX, JIT_RDX);
    } else {
        if (w)
            jit_byte(st, 0x48);
        jit_byte(st, 0x99); /* cqo / cdq: sign of rax into rdx */
    }
    jit_op_rr(st, f, 0xf7, is_signed ? 7 : 6, JIT_TMP); /* idiv / div */
    unsigned result = is_div ? JIT_RAX : JIT_RDX;
    if (dst != result)
        jit_mov_rr(st, f, dst, result);
    if (dst != JIT_RAX)
        jit_mov_rr(st, JIT_W, JIT_RAX, JIT_TMP2);
    if (dst != JIT_RDX)
        jit_mov_rr(st, JIT_W, JIT_RDX, JIT_TMP3);
}

void jit_emit_divmod(jit_state *st, size_t pc, const isa_insn *in, jit_divmod kind, bool w, bool imm)
{
    unsigned f = w ? JIT_W : 0, dst = jit_reg[in->dst];
    bool is_signed = kind == JIT_DM_SDIV || kind == JIT_DM_SMOD;
    bool is_div = kind == JIT_DM_DIV || kind == JIT_DM_SDIV;
    if (imm) {
        if (in->imm == 0) {
            jit_divmod_by_zero(st, dst, is_div, w);
        } else if (is_signed && in->imm == -1) {
            jit_divmod_by_minus_one(st, dst, is_div, w);
        } else {
            jit_load_imm32(st, pc, JIT_TMP, in->imm); /* sign-extended; the 32-bit forms use the low half */
            jit_divmod_core(st, dst, is_signed, is_div, w);
        }
        return;
    }
    jit_mov_rr(st, f, JIT_TMP, jit_reg[in->src]);
    jit_op_rr(st, f, 0x85, JIT_TMP, JIT_TMP); /* test */
    size_t nonzero = jit_jcc8(st, JIT_CC_NE);
    jit_divmod_by_zero(st, dst, is_div, w);
    size_t done_zero = jit_jmp8(st);
    jit_patch8(st, nonzero);
    size_t done_minus_one = SIZE_MAX;
    if (is_signed) {
        jit_alu_ri(st, f, JIT_ALU_CMP, JIT_TMP, -1);
        size_t other = jit_jcc8(st, JIT_CC_NE);
        jit_divmod_by_minus_one(st, dst, is_div, w);
        done_minus_one = jit_jmp8(st);
        jit_patch8(st, other);
    }
    jit_divmod_core(st, dst, is_signed, is_div, w);
    jit_patch8(st, done_zero);
    if (done_minus_one != SIZE_MAX)
        jit_patch8(st, done_minus_one);
}
