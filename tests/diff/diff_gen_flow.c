/*
 * diff_gen_flow.c - the control-flow structure of a generated body: sequences of items, where an item
 * is an ALU computation, a constant load, an if-then, an if-then-else closed by ja or ja32, a counted
 * loop, or a jump of distance 0.
 *
 * Invariant kept by construction: every jump target is a block boundary inside the program (so never
 * the second slot of an lddw), both edges of every conditional jump and the target of every ja lead
 * to code that is otherwise entered too, so the control-flow graph has no unreachable slot. A loop's
 * counter is locked while its body is generated, so nothing but the loop's own step writes it.
 */
#include "diff_gen_int.h"

static const uint8_t cond_ops[] = {
    DIFF_JMP_JEQ, DIFF_JMP_JGT, DIFF_JMP_JGE, DIFF_JMP_JSET, DIFF_JMP_JNE, DIFF_JMP_JSGT,
    DIFF_JMP_JSGE, DIFF_JMP_JLT, DIFF_JMP_JLE, DIFF_JMP_JSLT, DIFF_JMP_JSLE,
};

#define LOOP_MAX_DEPTH 2
#define LOOP_MAX_TRIPS 5
#define LOOP_MAX_TOTAL 30  /* product of nested trip counts */

size_t gen_cond_jump(gen_state *st)
{
    uint8_t cls = diff_rng_chance(st->rng, 50) ? DIFF_CLS_JMP : DIFF_CLS_JMP32;
    uint8_t op = cond_ops[diff_rng_below(st->rng, sizeof(cond_ops))];
    uint8_t dst = gen_reg_read(st);
    st->branch_work += st->loop_iters;
    if (diff_rng_chance(st->rng, 50))
        return diff_emit(st->prog, cls | op | DIFF_SRC_X, dst, gen_reg_read(st), 0, 0);
    return diff_emit(st->prog, cls | op | DIFF_SRC_K, dst, 0, 0, gen_imm32(st->rng));
}

/* ja (offset) or, with v4, ja32 (imm), to be patched to `target` later. */
static size_t emit_ja(gen_state *st, bool *wide)
{
    *wide = st->opts->v4 && diff_rng_chance(st->rng, 30);
    return diff_emit(st->prog, (*wide ? DIFF_CLS_JMP32 : DIFF_CLS_JMP) | DIFF_JMP_JA, 0, 0, 0, 0);
}

static void patch_ja(gen_state *st, size_t at, bool wide, size_t target)
{
    if (wide)
        diff_patch_jump32(st->prog, at, target);
    else
        diff_patch_jump(st->prog, at, target);
}

static void gen_block(gen_state *st, unsigned budget);

static unsigned part(gen_state *st, unsigned budget, unsigned cap)
{
    unsigned max = budget < cap ? budget : cap;
    return 1 + diff_rng_below(st->rng, max);
}

static void gen_if_then(gen_state *st, unsigned budget)
{
    size_t j = gen_cond_jump(st);
    gen_block(st, part(st, budget - 1, 12));
    diff_patch_jump(st->prog, j, st->prog->count);
}

static void gen_if_else(gen_state *st, unsigned budget)
{
    size_t j = gen_cond_jump(st);
    gen_block(st, part(st, (budget - 2) / 2, 10));
    bool wide;
    size_t ja = emit_ja(st, &wide);
    diff_patch_jump(st->prog, j, st->prog->count);
    gen_block(st, part(st, (budget - 2) / 2, 10));
    patch_ja(st, ja, wide, st->prog->count);
}

/* Emits `if (c <cond> bound) goto body` as the loop's back edge, true exactly while trips remain:
 * counting up, c runs 1..n after its step; counting down, c runs n-1..0. */
static void emit_back_edge(gen_state *st, uint8_t c, bool up, int32_t n, size_t body)
{
    static const struct { uint8_t op; int32_t delta; } up_conds[] = {
        {DIFF_JMP_JLT, 0}, {DIFF_JMP_JNE, 0}, {DIFF_JMP_JSLT, 0}, {DIFF_JMP_JLE, -1}, {DIFF_JMP_JSLE, -1},
    };
    static const struct { uint8_t op; int32_t bound; } down_conds[] = {
        {DIFF_JMP_JNE, 0}, {DIFF_JMP_JSGT, 0}, {DIFF_JMP_JGT, 0}, {DIFF_JMP_JSGE, 1}, {DIFF_JMP_JGE, 1},
        {DIFF_JMP_JSET, 7},
    };
    uint8_t cls = diff_rng_chance(st->rng, 50) ? DIFF_CLS_JMP : DIFF_CLS_JMP32;
    size_t at;
    if (up) {
        unsigned k = diff_rng_below(st->rng, sizeof(up_conds) / sizeof(up_conds[0]));
        at = diff_emit(st->prog, cls | up_conds[k].op | DIFF_SRC_K, c, 0, 0, n + up_conds[k].delta);
    } else {
        unsigned k = diff_rng_below(st->rng, sizeof(down_conds) / sizeof(down_conds[0]));
        at = diff_emit(st->prog, cls | down_conds[k].op | DIFF_SRC_K, c, 0, 0, down_conds[k].bound);
    }
    diff_patch_jump(st->prog, at, body);
}

static void gen_loop(gen_state *st, unsigned budget, unsigned trips)
{
    uint8_t c = gen_reg_write(st);
    bool up = diff_rng_chance(st->rng, 50);
    gen_load_const(st, c, up ? 0 : trips);

    st->locked |= (uint16_t)(1u << c);
    st->loop_depth++;
    st->loop_iters *= trips;
    size_t body = st->prog->count;
    gen_block(st, part(st, budget - 4, 10));
    st->loop_iters /= trips;
    st->loop_depth--;
    st->locked &= (uint16_t)~(1u << c);

    uint8_t cls = diff_rng_chance(st->rng, 50) ? DIFF_CLS_ALU64 : DIFF_CLS_ALU;
    diff_emit(st->prog, cls | (up ? DIFF_ALU_ADD : DIFF_ALU_SUB) | DIFF_SRC_K, c, 0, 0, 1);
    emit_back_edge(st, c, up, (int32_t)trips, body);
}

static void gen_zero_jump(gen_state *st)
{
    if (diff_rng_chance(st->rng, 50)) {
        gen_cond_jump(st); /* offset stays 0: both edges lead to the next slot */
        return;
    }
    bool wide;
    emit_ja(st, &wide); /* ja +0 / ja32 +0 */
}

/* One item; returns the number of slots it took (at least 1). */
static unsigned gen_item(gen_state *st, unsigned budget)
{
    size_t start = st->prog->count;
    uint32_t pick = diff_rng_below(st->rng, 100);
    unsigned trips = 1 + diff_rng_below(st->rng, LOOP_MAX_TRIPS);
    bool loop_ok = st->opts->loops && st->loop_depth < LOOP_MAX_DEPTH &&
                   st->loop_iters * trips <= LOOP_MAX_TOTAL;
    bool branch_ok = st->branch_work + st->loop_iters <= GEN_BRANCH_WORK;

    if (pick < 14 && budget >= 3 && branch_ok)
        gen_if_then(st, budget);
    else if (pick < 25 && budget >= 6 && branch_ok)
        gen_if_else(st, budget);
    else if (pick < 30 && budget >= 6 && loop_ok)
        gen_loop(st, budget, trips);
    else if (pick < 33 && branch_ok)
        gen_zero_jump(st);
    else if (pick < 40)
        gen_load_const(st, gen_reg_write(st), gen_imm64(st->rng));
    else
        gen_alu(st);
    return (unsigned)(st->prog->count - start);
}

static void gen_block(gen_state *st, unsigned budget)
{
    if (budget == 0)
        budget = 1;
    while (budget > 0) {
        unsigned used = gen_item(st, budget);
        budget = used >= budget ? 0 : budget - used;
    }
}

void gen_body(gen_state *st, unsigned budget)
{
    gen_block(st, budget);
}
