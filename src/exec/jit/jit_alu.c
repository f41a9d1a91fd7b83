/*
 * jit_alu.c - ALU and ALU64 instructions (both operand forms), neg and movsx, from a table that gives
 * every row of isa_insns.def its x86 shape; shifts and division have their own files.
 *
 * x86 facts relied on: an instruction writing a 32-bit register zero-extends it to 64 bits (the
 * ALU32 rule for free); group-1 immediates and `imul r, r/m, imm32` sign-extend imm32 to 64 bits
 * (the ALU64 rule for imm); the low 32 bits of a product do not depend on signedness.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

typedef enum jit_alu_kind {
    JIT_K_NONE,
    JIT_K_GROUP1,  /* add sub or and xor: op = JIT_ALU_* */
    JIT_K_MOV,
    JIT_K_MUL,
    JIT_K_SHIFT,   /* op = JIT_SHIFT_* */
    JIT_K_DIVMOD,  /* op = jit_divmod */
    JIT_K_NEG,
    JIT_K_MOVSX,   /* op = source width in bits */
} jit_alu_kind;

typedef struct jit_alu_row {
    uint8_t kind;
    uint8_t op;
    bool w;
    bool imm;
} jit_alu_row;

#define JIT_ROW4(NAME, KIND, OP)                                                                         \
    [ISA_##NAME##64_IMM] = { KIND, OP, true, true }, [ISA_##NAME##64_REG] = { KIND, OP, true, false },   \
    [ISA_##NAME##32_IMM] = { KIND, OP, false, true }, [ISA_##NAME##32_REG] = { KIND, OP, false, false },

static const jit_alu_row jit_alu_rows[ISA_ID_COUNT] = {
    JIT_ROW4(ADD, JIT_K_GROUP1, JIT_ALU_ADD)
    JIT_ROW4(SUB, JIT_K_GROUP1, JIT_ALU_SUB)
    JIT_ROW4(OR, JIT_K_GROUP1, JIT_ALU_OR)
    JIT_ROW4(AND, JIT_K_GROUP1, JIT_ALU_AND)
    JIT_ROW4(XOR, JIT_K_GROUP1, JIT_ALU_XOR)
    JIT_ROW4(MOV, JIT_K_MOV, 0)
    JIT_ROW4(MUL, JIT_K_MUL, 0)
    JIT_ROW4(LSH, JIT_K_SHIFT, JIT_SHIFT_SHL)
    JIT_ROW4(RSH, JIT_K_SHIFT, JIT_SHIFT_SHR)
    JIT_ROW4(ARSH, JIT_K_SHIFT, JIT_SHIFT_SAR)
    JIT_ROW4(DIV, JIT_K_DIVMOD, JIT_DM_DIV)
    JIT_ROW4(SDIV, JIT_K_DIVMOD, JIT_DM_SDIV)
    JIT_ROW4(MOD, JIT_K_DIVMOD, JIT_DM_MOD)
    JIT_ROW4(SMOD, JIT_K_DIVMOD, JIT_DM_SMOD)
    [ISA_NEG64] = { JIT_K_NEG, 0, true, false },
    [ISA_NEG32] = { JIT_K_NEG, 0, false, false },
    [ISA_MOVSX8_64] = { JIT_K_MOVSX, 8, true, false },
    [ISA_MOVSX16_64] = { JIT_K_MOVSX, 16, true, false },
    [ISA_MOVSX32_64] = { JIT_K_MOVSX, 32, true, false },
    [ISA_MOVSX8_32] = { JIT_K_MOVSX, 8, false, false },
    [ISA_MOVSX16_32] = { JIT_K_MOVSX, 16, false, false },
};
#undef JIT_ROW4

static void jit_group1(jit_state *st, size_t pc, const isa_insn *in, const jit_alu_row *row)
{
    unsigned f = row->w ? JIT_W : 0, dst = jit_reg[in->dst];
    if (!row->imm) {
        jit_alu_rr(st, f, row->op, dst, jit_reg[in->src]);
    } else if (st->blind) {
        jit_load_imm32(st, pc, JIT_TMP, in->imm);
        jit_alu_rr(st, f, row->op, dst, JIT_TMP);
    } else {
        jit_alu_ri(st, f, row->op, dst, in->imm);
    }
}

static void jit_mov(jit_state *st, size_t pc, const isa_insn *in, const jit_alu_row *row)
{
    unsigned dst = jit_reg[in->dst];
    if (!row->imm) {
        if (!row->w || in->dst != in->src) /* mov32 r, r still clears the upper half */
            jit_mov_rr(st, row->w ? JIT_W : 0, dst, jit_reg[in->src]);
    } else if (row->w) {
        jit_load_imm32(st, pc, dst, in->imm);
    } else if (st->blind) {
        jit_load_imm32(st, pc, dst, in->imm);
        jit_mov_rr(st, 0, dst, dst);
    } else {
        jit_mov_imm(st, dst, (uint32_t)in->imm);
    }
}

static void jit_mul(jit_state *st, size_t pc, const isa_insn *in, const jit_alu_row *row)
{
    unsigned f = row->w ? JIT_W : 0, dst = jit_reg[in->dst];
    if (!row->imm) {
        jit_op_rr(st, f, 0x0faf, dst, jit_reg[in->src]);
    } else if (st->blind) {
        jit_load_imm32(st, pc, JIT_TMP, in->imm);
        jit_op_rr(st, f, 0x0faf, dst, JIT_TMP);
    } else if (in->imm >= -128 && in->imm <= 127) {
        jit_op_rr(st, f, 0x6b, dst, dst);
        jit_byte(st, (uint8_t)(int8_t)in->imm);
    } else {
        jit_op_rr(st, f, 0x69, dst, dst);
        jit_u32(st, (uint32_t)in->imm);
    }
}

static void jit_movsx(jit_state *st, const isa_insn *in, const jit_alu_row *row)
{
    unsigned f = row->w ? JIT_W : 0, dst = jit_reg[in->dst], src = jit_reg[in->src];
    switch (row->op) {
    case 8: jit_op_rr(st, f | JIT_BYTE, 0x0fbe, dst, src); break;  /* movsx r, r/m8 */
    case 16: jit_op_rr(st, f, 0x0fbf, dst, src); break;            /* movsx r, r/m16 */
    default: jit_op_rr(st, JIT_W, 0x63, dst, src); break;          /* movsxd r64, r/m32 */
    }
}

void jit_emit_alu(jit_state *st, size_t pc, const isa_insn *in)
{
    const jit_alu_row *row = &jit_alu_rows[in->id];
    switch ((jit_alu_kind)row->kind) {
    case JIT_K_GROUP1: jit_group1(st, pc, in, row); break;
    case JIT_K_MOV: jit_mov(st, pc, in, row); break;
    case JIT_K_MUL: jit_mul(st, pc, in, row); break;
    case JIT_K_SHIFT: jit_emit_shift(st, in, row->op, row->w, row->imm); break;
    case JIT_K_DIVMOD: jit_emit_divmod(st, pc, in, (jit_divmod)row->op, row->w, row->imm); break;
    case JIT_K_NEG: jit_op_rr(st, row->w ? JIT_W : 0, 0xf7, 3, jit_reg[in->dst]); break;
    case JIT_K_MOVSX: jit_movsx(st, in, row); break;
    case JIT_K_NONE:
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not an ALU instruction", pc,
                 isa_infos[in->id].name);
        break;
    }
}
