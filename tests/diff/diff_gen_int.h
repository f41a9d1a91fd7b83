/*
 * diff_gen_int.h - internals shared by the generator's files: the generation state and the pickers
 * for registers, constants and single ALU instructions.
 */
#ifndef EBPF_DIFF_GEN_INT_H
#define EBPF_DIFF_GEN_INT_H

#include <stdint.h>

#include "diff_gen.h"

#define GEN_REGS 10 /* r0..r9; r10 is never touched */

typedef struct gen_state {
    diff_rng *rng;
    const diff_gen_opts *opts;
    diff_prog *prog;
    uint16_t locked;       /* bit n: rn is a live loop counter that the body must not write */
    unsigned loop_depth;   /* loops enclosing the current position */
    unsigned loop_iters;   /* product of the enclosing loops' trip counts */
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
 * offset is patched by the caller. */
size_t gen_cond_jump(gen_state *st);

/* Emits a structured body of roughly `budget` slots (diff_gen_flow.c). */
void gen_body(gen_state *st, unsigned budget);

#endif
