/*
 * diff_gen.c - one whole generated program: a prologue that gives r0..r9 interesting constants (so a
 * verifier sees no uninitialised read), a structured body (diff_gen_flow.c), an epilogue that may fold
 * every register into r0 (so a wrong value anywhere shows in the result), and the single exit.
 */
#include "diff_gen_int.h"

#define FOLD_MULTIPLIER 0x01000193 /* odd, so each fold step is a bijection of r0 */

static void gen_epilogue(gen_state *st)
{
    diff_prog *p = st->prog;
    uint32_t pick = diff_rng_below(st->rng, 4);
    if (pick <= 1) {
        for (uint8_t r = 1; r < GEN_REGS; r++) {
            diff_emit(p, DIFF_CLS_ALU64 | DIFF_ALU_MUL | DIFF_SRC_K, 0, 0, 0, FOLD_MULTIPLIER);
            diff_emit(p, DIFF_CLS_ALU64 | DIFF_ALU_XOR | DIFF_SRC_X, 0, r, 0, 0);
        }
    } else if (pick == 2) {
        diff_emit(p, DIFF_CLS_ALU64 | DIFF_ALU_MOV | DIFF_SRC_X, 0, gen_reg_read(st), 0, 0);
    }
    diff_emit(p, DIFF_CLS_JMP | DIFF_JMP_EXIT, 0, 0, 0, 0);
}

void diff_gen_program(diff_rng *rng, const diff_gen_opts *opts, diff_prog *prog)
{
    gen_state st = {.rng = rng, .opts = opts, .prog = prog, .locked = 0, .loop_depth = 0, .loop_iters = 1,
                    .branch_work = 0};
    diff_prog_reset(prog);
    for (uint8_t r = 0; r < GEN_REGS; r++)
        gen_load_const(&st, r, gen_imm64(rng));
    unsigned budget = opts->body_insns ? opts->body_insns : 40;
    gen_body(&st, 1 + diff_rng_below(rng, budget));
    gen_epilogue(&st);
}
