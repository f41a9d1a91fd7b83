/*
 * diff_gen.h - the random program generator of the differential test.
 *
 * A generated program touches no memory: it initialises r0..r9 with interesting constants, then runs a
 * structured body of ALU64/ALU32 operations (every operation, including signed div/mod, movsx, neg,
 * le/be/bswap, shifts by in-range immediates and by registers of any value, division by zero and
 * INT_MIN / -1), lddw constants, forward conditional jumps (JMP and JMP32, all 11 conditions, imm and
 * reg), if/else diamonds closed by ja or ja32, and short counted loops, then exits with r0.
 *
 * Shape guarantees that the kernel harness relies on: exactly one exit, as the last slot; every jump
 * lands inside the program (possibly on that exit); every slot is reachable in the control-flow
 * graph; every loop is bounded by a counter no other instruction writes; r10 is never used.
 */
#ifndef EBPF_DIFF_GEN_H
#define EBPF_DIFF_GEN_H

#include <stdbool.h>

#include "diff_prog.h"
#include "diff_rng.h"

typedef struct diff_gen_opts {
    bool v4;              /* ISA v4 instructions: sdiv/smod, movsx, bswap, ja32 */
    bool loops;           /* short bounded loops (back edges) */
    unsigned body_insns;  /* rough upper bound on body size, in instructions */
} diff_gen_opts;

/* Generates one program into `prog` (reset first). Pure function of the rng state and opts. */
void diff_gen_program(diff_rng *rng, const diff_gen_opts *opts, diff_prog *prog);

#endif
