/*
 * diff_gen_int.h - internals shared by the generator's files: the generation state and the pickers
 * for registers, constants and single ALU instructions.
 */
#ifndef EBPF_DIFF_GEN_INT_H
#define EBPF_DIFF_GEN_INT_H

#include <stdint.h>

#include "diff_gen.h"

#define GEN_REGS 10 /* r0..r9; r10 is never touched */

/* A verifier walks every path whose branches depend on values it cannot track (it loses precision on
 * out-of-range register shifts, for instance), and inside a loop every iteration again: a conditional
 * jump in a loop body run T times can double the paths T times. Emitting conditional jumps only while
 * the sum of their iteration counts stays below this keeps verification far from the kernel's
 * complexity limit (1M instructions), whatever the values. */
#define GEN_BRANCH_WORK 24

typedef struct gen_state {
    diff_rng *rng;
    const diff_gen_opts *opts;
    diff_prog *prog;
    uint16_t locked;       /* bit n: rn is a live loop counter that the body must not write */
    unsigned loop_depth;   /* loops enclosing the current position */
    unsigned loop_iters;   /* product of the enclosing loops' trip counts */
    unsigned branch_work;  /* sum over emitted conditional jumps of the loop_iters where each sits */
} gen_state;

/* Any of r0..r9 (for reading). */
uint8_t gen_reg_read(gen_state *st);
/* One of r0..r9 that no live loop counter occupies (for writing). */
uint8_t gen_reg_write(gen_state *st);

/* Constants chosen to hit edges: 0, +-1, sign boundaries, byte/half/word masks, shift widths, random. */
int32_t gen_imm32(diff_rng *rng);
uint64_t gen_imm64(diff_rng *rng);
/* A non-zero imm32 (division by an immediate zero is refused by verifiers), often -1. */
int32_t gen_divisor32(diff_rng *rng);

/* Loads `value` into `dst` with whichever of mov32 / mov64 / lddw can represent it (chosen at random). */
void gen_load_const(gen_state *st, uint8_t dst, uint64_t value);

/* Emits one ALU computation (one or two instructions: a shift may be preceded by a shift-amount set-up). */
void gen_alu(gen_state *st);

/* Emits one conditional jump (JMP or JMP32, any condition, imm or reg) and returns its index; the
 * offset is patched by the caller. Adds loop_iters to branch_work. */
size_t gen_cond_jump(gen_state *st);

/* Emits a structured body of roughly `budget` slots (diff_gen_flow.c). */
void gen_body(gen_state *st, unsigned budget);

#endif
