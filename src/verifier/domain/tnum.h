/*
 * tnum.h - the known-bits ("tristate number") domain over 64-bit values.
 *
 * A tnum is a pair (value, mask): a bit set in `mask` is unknown, a bit clear in `mask` is known and
 * equal to the same bit of `value`. It stands for the set
 *     gamma(t) = { x : (x & ~t.mask) == t.value }.
 * Invariants: a non-bottom tnum has (value & mask) == 0. Any pair with (value & mask) != 0 is bottom
 * (the empty set); the functions here return the canonical bottom VF_TNUM_BOTTOM_VALUE/MASK.
 * Top is (0, ~0). Values are pure: every function takes tnums by value and returns one; no
 * allocation, no global state. Every transfer function is sound: for all x in gamma(a), y in
 * gamma(b), op(x, y) is in gamma(op#(a, b)); bottom in gives bottom out.
 */
#ifndef EBPF_VERIFIER_DOMAIN_TNUM_H
#define EBPF_VERIFIER_DOMAIN_TNUM_H

#include <stdbool.h>
#include <stdint.h>

#include "verifier/domain/ops.h"

typedef struct vf_tnum {
    uint64_t value;
    uint64_t mask;
} vf_tnum;

#define VF_TNUM_BOTTOM_VALUE UINT64_C(1)
#define VF_TNUM_BOTTOM_MASK UINT64_C(1)

/* Lattice. */
vf_tnum vf_tnum_top(void);
vf_tnum vf_tnum_bottom(void);
vf_tnum vf_tnum_const(uint64_t c);
/* The smallest tnum containing every x with lo <= x <= hi (unsigned); bottom when lo > hi. */
vf_tnum vf_tnum_range(uint64_t lo, uint64_t hi);
bool vf_tnum_is_bottom(vf_tnum t);
bool vf_tnum_is_const(vf_tnum t); /* exactly one value (not bottom) */
bool vf_tnum_contains(vf_tnum t, uint64_t x);
bool vf_tnum_leq(vf_tnum a, vf_tnum b); /* gamma(a) is a subset of gamma(b) (exact) */
bool vf_tnum_equal(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_join(vf_tnum a, vf_tnum b); /* least upper bound */
vf_tnum vf_tnum_meet(vf_tnum a, vf_tnum b); /* greatest lower bound; bottom when known bits conflict */
/* Unsigned bounds of gamma(t) (t not bottom). */
uint64_t vf_tnum_umin(vf_tnum t);
uint64_t vf_tnum_umax(vf_tnum t);
int64_t vf_tnum_smin(vf_tnum t);
int64_t vf_tnum_smax(vf_tnum t);

/* 64-bit transfer functions (wrap-around arithmetic). */
vf_tnum vf_tnum_add(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_sub(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_mul(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_udiv(vf_tnum a, vf_tnum b); /* x / 0 = 0 */
vf_tnum vf_tnum_umod(vf_tnum a, vf_tnum b); /* x % 0 = x */
vf_tnum vf_tnum_and(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_or(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_xor(vf_tnum a, vf_tnum b);
vf_tnum vf_tnum_neg(vf_tnum a);
/* Shifts by a constant: the count is used modulo 64. */
vf_tnum vf_tnum_lsh(vf_tnum a, unsigned k);
vf_tnum vf_tnum_rsh(vf_tnum a, unsigned k);
vf_tnum vf_tnum_arsh(vf_tnum a, unsigned k);
/* Shifts by a tnum count, masked with 63 as eBPF does. */
vf_tnum vf_tnum_lsh_t(vf_tnum a, vf_tnum k);
vf_tnum vf_tnum_rsh_t(vf_tnum a, vf_tnum k);
vf_tnum vf_tnum_arsh_t(vf_tnum a, vf_tnum k);

/* Width changes. */
vf_tnum vf_tnum_cast32(vf_tnum a);            /* keep the low 32 bits, zero-extend */
vf_tnum vf_tnum_trunc(vf_tnum a, unsigned bits); /* keep the low 8/16/32/64 bits, zero-extend */
vf_tnum vf_tnum_sext(vf_tnum a, unsigned bits); /* sign-extend from bit bits-1 (8, 16, 32) */
/* Reverse the order of the low bits/8 bytes (16, 32, 64) and zero the rest (eBPF BPF_END to the
 * other byte order). */
vf_tnum vf_tnum_bswap(vf_tnum a, unsigned bits);

/* Any ALU operation of ops.h; is64 false gives the 32-bit (ALU32) form, zero-extended. */
vf_tnum vf_tnum_alu(vf_alu_op op, vf_tnum a, vf_tnum b, bool is64);

#endif
