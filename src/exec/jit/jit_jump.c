/*
 * jit_jump.c - ja, ja32 and the conditional jumps. A conditional jump is one cmp (test for jset, and
 * `test r, r` against an immediate 0) and one jcc to the target instruction's label; the 32-bit forms
 * compare the 32-bit registers.
 * `cmp r/m64, imm32` sign-extends the immediate as eBPF does for 64-bit comparisons. A jump to the
 * next instruction emits nothing.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

typedef struct jit_cond_row {
    bool valid;
    uint8_t cc;
    bool test;  /* jset: test instead of cmp */
    bool w;
    bool imm;
} jit_cond_row;

#define JIT_JROW4(NAME, CC, TEST)                                                                         \
    [ISA_##NAME##_IMM] = { true, CC, TEST, true, true }, [ISA_##NAME##_REG] = { true, CC, TEST, true, false }, \
    [ISA_##NAME##32_IMM] = { true, CC, TEST, false, true },                                                \
    [ISA_##NAME##32_REG] = { true, CC, TEST, false, false },

static const jit_cond_row jit_cond_rows[ISA_ID_COUNT] = {
    JIT_JROW4(JEQ, JIT_CC_E, false)
    JIT_JROW4(JNE, JIT_CC_NE, false)
    JIT_JROW4(JGT, JIT_CC_A, false)
    JIT_JROW4(JGE, JIT_CC_AE, false)
    JIT_JROW4(JLT, JIT_CC_B, false)
    JIT_JROW4(JLE, JIT_CC_BE, false)
    JIT_JROW4(JSET, JIT_CC_NE, true)
    JIT_JROW4(JSGT, JIT_CC_G, false)
    JIT_JROW4(JSGE, JIT_CC_GE, false)
    JIT_JROW4(JSLT, JIT_CC_L, false)
    JIT_JROW4(JSLE, JIT_CC_LE, false)
};
#undef JIT_JROW4

/* Sets the flags for dst <cond> operand. */
static void jit_compare(jit_state *st, size_t pc, const isa_insn *in, const jit_cond_row *row)
{
    unsigned f = row->w ? JIT_W : 0, dst = jit_reg[in->dst];
    unsigned other = jit_reg[in->src];
    if (row->imm && st->blind) {
        jit_load_imm32(st, pc, JIT_TMP, in->imm);
        other = JIT_TMP;
    } else if (row->imm) {
        if (row->test) {
            jit_op_rr(st, f, 0xf7, 0, dst); /* test r/m, imm32 */
            jit_u32(st, (uint32_t)in->imm);
        } else if (in->imm == 0) {
            jit_op_rr(st, f, 0x85, dst, dst); /* test r, r sets the flags exactly as cmp r, 0 does */
        } else {
            jit_alu_ri(st, f, JIT_ALU_CMP, dst, in->imm);
        }
        return;
    }
    if (row->test)
        jit_op_rr(st, f, 0x85, other, dst);
    else
        jit_alu_rr(st, f, JIT_ALU_CMP, dst, other);
}

void jit_emit_cond_jump(jit_state *st, size_t pc, const isa_insn *in, size_t label, bool invert)
{
    const jit_cond_row *row = &jit_cond_rows[in->id];
    if (!row->valid) {
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not a jump", pc, isa_infos[in->id].name);
        return;
    }
    jit_compare(st, pc, in, row);
    jit_jcc(st, invert ? row->cc ^ 1u : row->cc, label); /* x86 condition codes pair up: cc ^ 1 is the inverse */
}

void jit_emit_jump(jit_state *st, size_t pc, const isa_insn *in)
{
    int64_t target = isa_jump_target(in, pc);
    if (target == (int64_t)pc + 1)
        return;
    size_t label = JIT_L_INSN(target);
    if (in->id == ISA_JA || in->id == ISA_JA32) {
        jit_jmp(st, label);
        return;
    }
    jit_emit_cond_jump(st, pc, in, label, false);
}
