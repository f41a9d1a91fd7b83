/*
 * diff_gen_values.c - the generator's choice of registers and constants. Constants favour the values
 * where ALU semantics have edges (zero, +-1, signed minimum and maximum in 32 and 64 bits, 0x80000000,
 * byte and half-word boundaries, shift widths) and mix in uniformly random ones.
 */
#include "diff_gen_int.h"

uint8_t gen_reg_read(gen_state *st)
{
    return (uint8_t)diff_rng_below(st->rng, GEN_REGS);
}

uint8_t gen_reg_write(gen_state *st)
{
    for (;;) {
        uint8_t r = (uint8_t)diff_rng_below(st->rng, GEN_REGS);
        if (!(st->locked & (1u << r)))
            return r;
    }
}

static const int32_t edge32[] = {
    0, 1, -1, 2, -2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100,
    0x7fff, 0x8000, 0xffff, 0x10000, INT32_MAX, INT32_MIN, INT32_MIN + 1, INT32_MAX - 1,
    0x55555555, (int32_t)0xaaaaaaaau, 0x01020304, (int32_t)0xfffffff0u, -128, -32768,
};

static const uint64_t edge64[] = {
    0, 1, UINT64_MAX, 2, UINT64_MAX - 1,
    0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x100000000ull, 0x17fffffffull,
    0xffffffff80000000ull, 0xffffffff7fffffffull, 0xffffffff00000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull, 0x7ffffffffffffffeull,
    0x00000000000000ffull, 0x0000000000000080ull, 0x0000000000008000ull, 0x000000000000ffffull,
    0xffffffffffffff80ull, 0xffffffffffff8000ull, 0x0102030405060708ull, 0x8070605040302010ull,
    63, 64, 32, 31, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int32_t gen_imm32(diff_rng *rng)
{
    uint32_t pick = diff_rng_below(rng, 10);
    if (pick < 6)
        return edge32[diff_rng_below(rng, COUNT(edge32))];
    if (pick < 8)
        return (int32_t)diff_rng_below(rng, 33) - 16;
    return (int32_t)(uint32_t)diff_rng_next(rng);
}

uint64_t gen_imm64(diff_rng *rng)
{
    uint32_t pick = diff_rng_below(rng, 10);
    if (pick < 5)
        return edge64[diff_rng_below(rng, COUNT(edge64))];
    if (pick < 7)
        return (uint64_t)(int64_t)gen_imm32(rng);
    if (pick < 8)
        return (uint64_t)(uint32_t)gen_imm32(rng);
    return diff_rng_next(rng);
}

int32_t gen_divisor32(diff_rng *rng)
{
    if (diff_rng_chance(rng, 30))
        return -1;
    for (;;) {
        int32_t v = gen_imm32(rng);
        if (v != 0)
            return v;
    }
}

void gen_load_const(gen_state *st, uint8_t dst, uint64_t value)
{
    bool fits_sext = (uint64_t)(int64_t)(int32_t)(uint32_t)value == value;
    bool fits_zext = value <= UINT32_MAX;
    uint32_t pick = diff_rng_below(st->rng, 3);
    if (pick == 0 && fits_sext)
        diff_emit(st->prog, DIFF_CLS_ALU64 | DIFF_ALU_MOV | DIFF_SRC_K, dst, 0, 0, (int32_t)(uint32_t)value);
    else if (pick == 1 && fits_zext)
        diff_emit(st->prog, DIFF_CLS_ALU | DIFF_ALU_MOV | DIFF_SRC_K, dst, 0, 0, (int32_t)(uint32_t)value);
    else
        diff_emit_lddw(st->prog, dst, value);
}
