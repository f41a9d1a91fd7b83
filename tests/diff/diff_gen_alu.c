/*
 * diff_gen_alu.c - one random ALU computation: every ALU64 and ALU32 operation of RFC 9669 in its
 * immediate and register forms, neg, le/be, bswap, movsx, signed div/mod.
 *
 * Edges are provoked on purpose: shifts by a register sometimes get a freshly set amount that may be
 * in range or far beyond it; divisions sometimes get a zero or -1 divisor and an INT_MIN dividend.
 * Immediate shifts stay in range and immediate divisors are non-zero, since verifiers refuse both.
 */
#include "diff_gen_int.h"

typedef enum alu_kind {
    KIND_ARITH,   /* add sub mul or and xor mov: any imm, any src */
    KIND_DIV,     /* div mod (unsigned) */
    KIND_SDIV,    /* sdiv smod (off = 1, v4) */
    KIND_SHIFT,   /* lsh rsh arsh */
    KIND_NEG,
    KIND_END,     /* le / be, ALU class only */
    KIND_BSWAP,   /* ALU64 class END (v4) */
    KIND_MOVSX,   /* mov with off = 8/16/32 (v4) */
} alu_kind;

static const struct {
    uint8_t op;
    uint8_t kind;
} alu_ops[] = {
    {DIFF_ALU_ADD, KIND_ARITH},  {DIFF_ALU_SUB, KIND_ARITH}, {DIFF_ALU_MUL, KIND_ARITH},
    {DIFF_ALU_OR, KIND_ARITH},   {DIFF_ALU_AND, KIND_ARITH}, {DIFF_ALU_XOR, KIND_ARITH},
    {DIFF_ALU_MOV, KIND_ARITH},  {DIFF_ALU_DIV, KIND_DIV},   {DIFF_ALU_MOD, KIND_DIV},
    {DIFF_ALU_DIV, KIND_SDIV},   {DIFF_ALU_MOD, KIND_SDIV},  {DIFF_ALU_LSH, KIND_SHIFT},
    {DIFF_ALU_RSH, KIND_SHIFT},  {DIFF_ALU_ARSH, KIND_SHIFT}, {DIFF_ALU_NEG, KIND_NEG},
    {DIFF_ALU_END, KIND_END},    {DIFF_ALU_END, KIND_BSWAP}, {DIFF_ALU_MOV, KIND_MOVSX},
};

#define ALU_OP_COUNT (sizeof(alu_ops) / sizeof(alu_ops[0]))

static bool kind_is_v4(uint8_t kind)
{
    return kind == KIND_SDIV || kind == KIND_BSWAP || kind == KIND_MOVSX;
}

static const int32_t endian_widths[] = {16, 32, 64};

/* Before a register shift: maybe set the amount register to a value in or out of range. */
static uint8_t shift_amount_reg(gen_state *st, unsigned width)
{
    if (!diff_rng_chance(st->rng, 40))
        return gen_reg_read(st);
    uint8_t src = gen_reg_write(st);
    uint32_t amount;
    uint32_t pick = diff_rng_below(st->rng, 4);
    if (pick == 0)
        amount = diff_rng_below(st->rng, width);            /* in range */
    else if (pick == 1)
        amount = width + diff_rng_below(st->rng, width);    /* one width too far */
    else if (pick == 2)
        amount = width;                                     /* exactly the width */
    else
        amount = (uint32_t)diff_rng_next(st->rng);          /* anything */
    gen_load_const(st, src, amount);
    return src;
}

/* Before a register division: maybe set divisor to 0 / -1 / 1 and the dividend to INT_MIN. */
static uint8_t divisor_reg(gen_state *st, uint8_t dst)
{
    if (!diff_rng_chance(st->rng, 30))
        return gen_reg_read(st);
    uint8_t src = gen_reg_write(st);
    static const uint64_t divisors[] = {0, UINT64_MAX, 0xffffffffull, 1, 0xffffffff00000000ull};
    gen_load_const(st, src, divisors[diff_rng_below(st->rng, 5)]);
    if (src != dst && diff_rng_chance(st->rng, 50)) {
        static const uint64_t dividends[] = {0x8000000000000000ull, 0x80000000ull, 0xffffffff80000000ull};
        gen_load_const(st, dst, dividends[diff_rng_below(st->rng, 3)]);
    }
    return src;
}

void gen_alu(gen_state *st)
{
    uint32_t pick;
    do
        pick = diff_rng_below(st->rng, ALU_OP_COUNT);
    while (!st->opts->v4 && kind_is_v4(alu_ops[pick].kind));

    uint8_t op = alu_ops[pick].op;
    uint8_t kind = alu_ops[pick].kind;
    bool is64 = diff_rng_chance(st->rng, 50);
    uint8_t cls = is64 ? DIFF_CLS_ALU64 : DIFF_CLS_ALU;
    unsigned width = is64 ? 64 : 32;
    bool reg_form = diff_rng_chance(st->rng, 50);
    uint8_t dst = gen_reg_write(st);
    diff_prog *p = st->prog;

    switch (kind) {
    case KIND_ARITH:
        if (reg_form)
            diff_emit(p, cls | op | DIFF_SRC_X, dst, gen_reg_read(st), 0, 0);
        else
            diff_emit(p, cls | op | DIFF_SRC_K, dst, 0, 0, gen_imm32(st->rng));
        break;
    case KIND_DIV:
    case KIND_SDIV: {
        int16_t off = kind == KIND_SDIV ? 1 : 0;
        if (reg_form) {
            uint8_t src = divisor_reg(st, dst);
            diff_emit(p, cls | op | DIFF_SRC_X, dst, src, off, 0);
        } else {
            diff_emit(p, cls | op | DIFF_SRC_K, dst, 0, off, gen_divisor32(st->rng));
        }
        break;
    }
    case KIND_SHIFT:
        if (reg_form) {
            uint8_t src = shift_amount_reg(st, width);
            diff_emit(p, cls | op | DIFF_SRC_X, dst, src, 0, 0);
        } else {
            diff_emit(p, cls | op | DIFF_SRC_K, dst, 0, 0, (int32_t)diff_rng_below(st->rng, width));
        }
        break;
    case KIND_NEG:
        diff_emit(p, cls | DIFF_ALU_NEG, dst, 0, 0, 0);
        break;
    case KIND_END:
        /* ALU class: source bit 0 = to little endian, 1 = to big endian. */
        diff_emit(p, DIFF_CLS_ALU | DIFF_ALU_END | (reg_form ? DIFF_SRC_X : DIFF_SRC_K), dst, 0, 0,
                  endian_widths[diff_rng_below(st->rng, 3)]);
        break;
    case KIND_BSWAP:
        diff_emit(p, DIFF_CLS_ALU64 | DIFF_ALU_END | DIFF_SRC_K, dst, 0, 0,
                  endian_widths[diff_rng_below(st->rng, 3)]);
        break;
    case KIND_MOVSX: {
        static const int16_t widths[] = {8, 16, 32};
        int16_t off = widths[diff_rng_below(st->rng, is64 ? 3 : 2)];
        diff_emit(p, cls | DIFF_ALU_MOV | DIFF_SRC_X, dst, gen_reg_read(st), off, 0);
        break;
    }
    }
}
