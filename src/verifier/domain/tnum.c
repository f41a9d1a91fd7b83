/*
 * tnum.c - the known-bits domain (see tnum.h for the representation and its invariants).
 *
 * Every function first maps bottom to bottom, so the arithmetic below only ever sees pairs with
 * (value & mask) == 0. Where a transfer is built from others (mul from add and shifts, shifts by
 * a tnum from the join over the possible counts), soundness follows from the soundness of the
 * parts and from join being an upper bound.
 */
#include "verifier/domain/tnum.h"

#define VF_SIGN64 (UINT64_C(1) << 63)

static vf_tnum mk(uint64_t value, uint64_t mask)
{
    vf_tnum t = { value & ~mask, mask };
    return t;
}

/* Every bit at or below the highest set bit of x. */
static uint64_t smear(uint64_t x)
{
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
    x |= x >> 32;
    return x;
}

/* Arithmetic right shift without relying on implementation-defined signed shifts. */
static uint64_t sar(uint64_t x, unsigned k)
{
    k &= 63;
    if (k == 0)
        return x;
    uint64_t r = x >> k;
    if (x & VF_SIGN64)
        r |= ~(UINT64_MAX >> k);
    return r;
}

vf_tnum vf_tnum_top(void) { return mk(0, UINT64_MAX); }

vf_tnum vf_tnum_bottom(void)
{
    vf_tnum t = { VF_TNUM_BOTTOM_VALUE, VF_TNUM_BOTTOM_MASK };
    return t;
}

vf_tnum vf_tnum_const(uint64_t c) { return mk(c, 0); }

vf_tnum vf_tnum_range(uint64_t lo, uint64_t hi)
{
    if (lo > hi)
        return vf_tnum_bottom();
    return mk(lo, smear(lo ^ hi));
}

bool vf_tnum_is_bottom(vf_tnum t) { return (t.value & t.mask) != 0; }

bool vf_tnum_is_const(vf_tnum t) { return t.mask == 0; }

bool vf_tnum_contains(vf_tnum t, uint64_t x)
{
    return !vf_tnum_is_bottom(t) && (x & ~t.mask) == t.value;
}

bool vf_tnum_leq(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a))
        return true;
    if (vf_tnum_is_bottom(b))
        return false;
    /* every bit known in b is known in a with the same value */
    return (a.mask & ~b.mask) == 0 && (a.value & ~b.mask) == b.value;
}

bool vf_tnum_equal(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_is_bottom(a) && vf_tnum_is_bottom(b);
    return a.value == b.value && a.mask == b.mask;
}

vf_tnum vf_tnum_join(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a))
        return vf_tnum_is_bottom(b) ? vf_tnum_bottom() : b;
    if (vf_tnum_is_bottom(b))
        return a;
    return mk(a.value, a.mask | b.mask | (a.value ^ b.value));
}

vf_tnum vf_tnum_meet(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    if ((a.value ^ b.value) & ~a.mask & ~b.mask)
        return vf_tnum_bottom();
    return mk(a.value | b.value, a.mask & b.mask);
}

uint64_t vf_tnum_umin(vf_tnum t) { return t.value; }
uint64_t vf_tnum_umax(vf_tnum t) { return t.value | t.mask; }

int64_t vf_tnum_smin(vf_tnum t)
{
    uint64_t v = t.value;
    if (t.mask & VF_SIGN64)
        v |= VF_SIGN64; /* negative as possible, other unknown bits 0 */
    return (int64_t)v;
}

int64_t vf_tnum_smax(vf_tnum t)
{
    uint64_t v = t.value | t.mask;
    if (t.mask & VF_SIGN64)
        v &= ~VF_SIGN64;
    return (int64_t)v;
}

vf_tnum vf_tnum_add(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    /* The sum of the known parts and the sum with every unknown bit set differ exactly in the
     * bits a carry chain through an unknown bit can reach. */
    uint64_t lo = a.value + b.value;
    uint64_t hi = lo + a.mask + b.mask;
    return mk(lo, (lo ^ hi) | a.mask | b.mask);
}

vf_tnum vf_tnum_sub(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    /* Largest minuend minus smallest subtrahend against smallest minus largest: the borrow chains
     * reach exactly the bits that differ. */
    uint64_t d = a.value - b.value;
    uint64_t hi = d + a.mask;
    uint64_t lo = d - b.mask;
    return mk(d, (hi ^ lo) | a.mask | b.mask);
}

vf_tnum vf_tnum_mul(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    /* Shift-and-add over the bits of a: a known 1 adds b << i, an unknown bit adds either 0 or
     * b << i, over-approximated by the tnum with b's possible bits unknown. */
    vf_tnum acc = vf_tnum_const(0);
    for (unsigned i = 0; i < 64 && ((a.value | a.mask) >> i) != 0; i++) {
        uint64_t bit = UINT64_C(1) << i;
        if (a.value & bit)
            acc = vf_tnum_add(acc, vf_tnum_lsh(b, i));
        else if (a.mask & bit)
            acc = vf_tnum_add(acc, mk(0, (b.value | b.mask) << i));
    }
    return acc;
}

vf_tnum vf_tnum_udiv(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    uint64_t bmin = vf_tnum_umin(b), bmax = vf_tnum_umax(b);
    uint64_t lo = bmin == 0 ? 0 : vf_tnum_umin(a) / bmax;
    uint64_t hi = vf_tnum_umax(a) / (bmin == 0 ? 1 : bmin);
    return vf_tnum_range(lo, hi);
}

vf_tnum vf_tnum_umod(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    if (vf_tnum_is_const(a) && vf_tnum_is_const(b))
        return vf_tnum_const(b.value ? a.value % b.value : a.value);
    uint64_t amax = vf_tnum_umax(a), bmin = vf_tnum_umin(b), bmax = vf_tnum_umax(b);
    if (amax < bmin)
        return a; /* x % y == x for every pair (b excludes 0 since bmin > amax >= 0) */
    if (bmin == 0)
        return vf_tnum_range(0, amax); /* x % 0 = x, x % y <= x */
    return vf_tnum_range(0, amax < bmax - 1 ? amax : bmax - 1);
}

vf_tnum vf_tnum_and(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    uint64_t v = a.value & b.value;
    uint64_t may = (a.value | a.mask) & (b.value | b.mask);
    return mk(v, may & ~v);
}

vf_tnum vf_tnum_or(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    uint64_t v = a.value | b.value;
    return mk(v, (a.mask | b.mask) & ~v);
}

vf_tnum vf_tnum_xor(vf_tnum a, vf_tnum b)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    return mk(a.value ^ b.value, a.mask | b.mask);
}

vf_tnum vf_tnum_neg(vf_tnum a) { return vf_tnum_sub(vf_tnum_const(0), a); }

vf_tnum vf_tnum_lsh(vf_tnum a, unsigned k)
{
    if (vf_tnum_is_bottom(a))
        return a;
    k &= 63;
    return mk(a.value << k, a.mask << k);
}

vf_tnum vf_tnum_rsh(vf_tnum a, unsigned k)
{
    if (vf_tnum_is_bottom(a))
        return a;
    k &= 63;
    return mk(a.value >> k, a.mask >> k);
}

vf_tnum vf_tnum_arsh(vf_tnum a, unsigned k)
{
    if (vf_tnum_is_bottom(a))
        return a;
    /* An unknown sign bit spreads unknown bits; a known one spreads itself. */
    return mk(sar(a.value, k), sar(a.mask, k));
}

typedef vf_tnum (*shift_fn)(vf_tnum, unsigned);

static vf_tnum shift_by(vf_tnum a, vf_tnum k, unsigned limit, shift_fn fn)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(k))
        return vf_tnum_bottom();
    k = vf_tnum_and(k, vf_tnum_const(limit));
    if (vf_tnum_is_const(k))
        return fn(a, (unsigned)k.value);
    vf_tnum r = vf_tnum_bottom();
    for (unsigned s = 0; s <= limit; s++)
        if (vf_tnum_contains(k, s))
            r = vf_tnum_join(r, fn(a, s));
    return r;
}

vf_tnum vf_tnum_lsh_t(vf_tnum a, vf_tnum k) { return shift_by(a, k, 63, vf_tnum_lsh); }
vf_tnum vf_tnum_rsh_t(vf_tnum a, vf_tnum k) { return shift_by(a, k, 63, vf_tnum_rsh); }
vf_tnum vf_tnum_arsh_t(vf_tnum a, vf_tnum k) { return shift_by(a, k, 63, vf_tnum_arsh); }

static uint64_t low_mask(unsigned bits)
{
    return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

vf_tnum vf_tnum_trunc(vf_tnum a, unsigned bits)
{
    if (vf_tnum_is_bottom(a))
        return a;
    uint64_t m = low_mask(bits);
    return mk(a.value & m, a.mask & m);
}

vf_tnum vf_tnum_cast32(vf_tnum a) { return vf_tnum_trunc(a, 32); }

static uint64_t sext_bits(uint64_t x, unsigned bits)
{
    uint64_t sign = UINT64_C(1) << (bits - 1);
    return ((x & low_mask(bits)) ^ sign) - sign;
}

vf_tnum vf_tnum_sext(vf_tnum a, unsigned bits)
{
    if (vf_tnum_is_bottom(a) || bits == 0 || bits >= 64)
        return a;
    /* Value and mask extend independently: an unknown sign bit makes the upper bits unknown
     * (value's sign bit is then 0, so its extension is 0 there). */
    return mk(sext_bits(a.value, bits), sext_bits(a.mask, bits));
}

static uint64_t swap_bytes(uint64_t x, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bits / 8; i++)
        r = (r << 8) | ((x >> (8 * i)) & 0xff);
    return r;
}

vf_tnum vf_tnum_bswap(vf_tnum a, unsigned bits)
{
    if (vf_tnum_is_bottom(a))
        return a;
    return mk(swap_bytes(a.value, bits), swap_bytes(a.mask, bits));
}

static vf_tnum alu64(vf_alu_op op, vf_tnum a, vf_tnum b)
{
    switch (op) {
    case VF_ALU_ADD: return vf_tnum_add(a, b);
    case VF_ALU_SUB: return vf_tnum_sub(a, b);
    case VF_ALU_MUL: return vf_tnum_mul(a, b);
    case VF_ALU_DIV: return vf_tnum_udiv(a, b);
    case VF_ALU_MOD: return vf_tnum_umod(a, b);
    case VF_ALU_AND: return vf_tnum_and(a, b);
    case VF_ALU_OR: return vf_tnum_or(a, b);
    case VF_ALU_XOR: return vf_tnum_xor(a, b);
    case VF_ALU_LSH: return vf_tnum_lsh_t(a, b);
    case VF_ALU_RSH: return vf_tnum_rsh_t(a, b);
    case VF_ALU_ARSH: return vf_tnum_arsh_t(a, b);
    case VF_ALU_COUNT: break;
    }
    return vf_tnum_top();
}

vf_tnum vf_tnum_alu(vf_alu_op op, vf_tnum a, vf_tnum b, bool is64)
{
    if (vf_tnum_is_bottom(a) || vf_tnum_is_bottom(b))
        return vf_tnum_bottom();
    if (is64)
        return alu64(op, a, b);
    /* The low 32 bits of a 64-bit result depend only on the low 32 bits of the operands for
     * everything but the right shifts and division; those get zero- or sign-extended operands. */
    vf_tnum a32 = vf_tnum_cast32(a), b32 = vf_tnum_cast32(b);
    switch (op) {
    case VF_ALU_LSH:
    case VF_ALU_RSH:
        return vf_tnum_cast32(shift_by(a32, b32, 31, op == VF_ALU_LSH ? vf_tnum_lsh : vf_tnum_rsh));
    case VF_ALU_ARSH:
        return vf_tnum_cast32(shift_by(vf_tnum_sext(a32, 32), b32, 31, vf_tnum_arsh));
    default:
        return vf_tnum_cast32(alu64(op, a32, b32));
    }
}
