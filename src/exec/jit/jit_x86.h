/*
 * jit_x86.h - x86-64 instruction encoding, as small emitters over the JIT's code buffer: prefixes,
 * REX, ModRM/SIB/displacement, immediates, and the few instruction forms the translators combine.
 * Facts from the Intel SDM, vol. 2 (chapter 2: instruction format; appendix A: opcode map).
 *
 * Generic forms: `opcode` is 1 to 3 bytes written most significant first (0x0FAF is `0F AF`);
 * `reg` is the ModRM.reg field (a register, or the opcode extension /digit); `rm` a register
 * (jit_op_rr) or the base of a [base + disp] memory operand (jit_op_rm).
 */
#ifndef EBPF_EXEC_JIT_X86_H
#define EBPF_EXEC_JIT_X86_H

#include "exec/jit/jit_int.h"

/* Operand flags. */
#define JIT_W 1u     /* 64-bit operand size (REX.W) */
#define JIT_16 2u    /* 16-bit operand size (0x66 prefix) */
#define JIT_BYTE 4u  /* a byte register is named: REX is needed to reach spl, bpl, sil, dil */
#define JIT_LOCK 8u  /* lock prefix */

/* Condition codes (the low nibble of Jcc / SETcc). */
enum {
    JIT_CC_O, JIT_CC_NO, JIT_CC_B, JIT_CC_AE, JIT_CC_E, JIT_CC_NE, JIT_CC_BE, JIT_CC_A,
    JIT_CC_S, JIT_CC_NS, JIT_CC_P, JIT_CC_NP, JIT_CC_L, JIT_CC_GE, JIT_CC_LE, JIT_CC_G,
};

/* Group-1 ALU operations: the /digit of 81/83 and, times 8 plus 1, the `op r/m, reg` opcode. */
enum { JIT_ALU_ADD = 0, JIT_ALU_OR = 1, JIT_ALU_AND = 4, JIT_ALU_SUB = 5, JIT_ALU_XOR = 6, JIT_ALU_CMP = 7 };
#define JIT_ALU_RM_REG(op) ((unsigned)(op) * 8 + 1)

/* Group-2 shift operations: the /digit of C1 / D3. */
enum { JIT_SHIFT_ROL = 0, JIT_SHIFT_SHL = 4, JIT_SHIFT_SHR = 5, JIT_SHIFT_SAR = 7 };

void jit_byte(jit_state *st, uint8_t b);
void jit_u16(jit_state *st, uint16_t v);
void jit_u32(jit_state *st, uint32_t v);
void jit_u64(jit_state *st, uint64_t v);

void jit_op_rr(jit_state *st, unsigned flags, uint32_t opcode, unsigned reg, unsigned rm);
void jit_op_rm(jit_state *st, unsigned flags, uint32_t opcode, unsigned reg, unsigned base, int32_t disp);

/* op rm, imm (group 1), choosing the sign-extended imm8 form when it fits. */
void jit_alu_ri(jit_state *st, unsigned flags, unsigned op, unsigned rm, int32_t imm);
/* op dst, src (group 1 register form: dst op= src). */
void jit_alu_rr(jit_state *st, unsigned flags, unsigned op, unsigned dst, unsigned src);
/* dst = src (64-bit with JIT_W; the 32-bit form zero-extends and is emitted even when dst == src). */
void jit_mov_rr(jit_state *st, unsigned flags, unsigned dst, unsigned src);
/* dst = value, the shortest encoding (may change flags: 0 becomes xor). */
void jit_mov_imm(jit_state *st, unsigned dst, uint64_t value);
/* dst = imm32 zero-extended (B8+r), always 5 or 6 bytes, flags untouched. */
void jit_mov_imm32(jit_state *st, unsigned dst, uint32_t imm);
/* dst = sign-extended imm32 (REX.W C7 /0), flags untouched. */
void jit_mov_simm32(jit_state *st, unsigned dst, int32_t imm);
/* dst = imm64 (REX.W B8+r io, 10 bytes). */
void jit_movabs(jit_state *st, unsigned dst, uint64_t imm);
/* lea dst, [base + index] (64-bit; index is never rsp). */
void jit_lea_rr(jit_state *st, unsigned dst, unsigned base, unsigned index);
/* shift rm by imm8 (C1 /op ib). */
void jit_shift_ri(jit_state *st, unsigned flags, unsigned op, unsigned rm, uint8_t count);
/* bswap reg (0F C8+r). */
void jit_bswap(jit_state *st, unsigned flags, unsigned reg);
/* shlx/shrx/sarx dst, src, count (BMI2, VEX-encoded). */
void jit_shiftx(jit_state *st, unsigned flags, unsigned op, unsigned dst, unsigned src, unsigned count);
void jit_push(jit_state *st, unsigned reg);
void jit_pop(jit_state *st, unsigned reg);
void jit_call_reg(jit_state *st, unsigned reg);  /* call reg (FF /2) */
void jit_ret(jit_state *st);

/* Jumps to labels: the short form when the previous pass says it reaches, else the long one. */
void jit_jmp(jit_state *st, size_t label);
void jit_jcc(jit_state *st, unsigned cc, size_t label);
void jit_call_label(jit_state *st, size_t label); /* call rel32 */

/* Short jumps inside one translation: emit with a placeholder, then patch when the target is known.
 * The distance must fit in a signed byte (the translations using these are small). */
size_t jit_jcc8(jit_state *st, unsigned cc);  /* returns the patch position */
size_t jit_jmp8(jit_state *st);
void jit_patch8(jit_state *st, size_t pos);   /* the jump at pos lands here */
void jit_jcc8_back(jit_state *st, unsigned cc, size_t target);

#endif
