/*
 * jit_shift.c - lsh, rsh and arsh. eBPF masks the count to 63 (64-bit) or 31 (32-bit), exactly as x86
 * masks the count of its shifts with REX.W and without, so the count needs no masking here.
 *
 * A count in a register: BMI2's shlx/shrx/sarx take it from any register. Without BMI2, x86 takes the
 * count from cl only; eBPF r4 lives in rcx, so rcx is parked in JIT_TMP around the shift (and the shift
 * is done on JIT_TMP when the destination is r4 itself). An immediate count is not blinded: it is
 * masked to 6 bits, too little to carry a payload.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

void jit_emit_shift(jit_state *st, const isa_insn *in, unsigned shift_op, bool w, bool imm)
{
    unsigned f = w ? JIT_W : 0, dst = jit_reg[in->dst];
    if (imm) {
        uint8_t n = (uint8_t)((uint32_t)in->imm & (w ? 63u : 31u));
        if (n != 0)
            jit_shift_ri(st, f, shift_op, dst, n);
        else if (!w)
            jit_mov_rr(st, 0, dst, dst); /* a 32-bit shift by 0 still zero-extends */
        return;
    }
    unsigned src = jit_reg[in->src];
    if (st->bmi2) {
        jit_shiftx(st, f, shift_op, dst, dst, src);
    } else if (src == JIT_RCX) {
        jit_op_rr(st, f, 0xd3, shift_op, dst);
    } else {
        jit_mov_rr(st, JIT_W, JIT_TMP, JIT_RCX);
        jit_mov_rr(st, 0, JIT_RCX, src);
        jit_op_rr(st, f, 0xd3, shift_op, dst == JIT_RCX ? JIT_TMP : dst);
        jit_mov_rr(st, JIT_W, JIT_RCX, JIT_TMP);
    }
}
