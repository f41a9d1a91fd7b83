/*
 * interval.h - the interval domain over 64-bit values, with a signed and an unsigned view kept
 * together.
 *
 * An interval stands for gamma(i) = { x : umin <= x <= umax  and  smin <= (int64_t)x <= smax }:
 * the intersection of the two views, so each view may wrap where the other does not (a set such as
 * {-1, 0, 1} is precise in the signed view and is everything in the unsigned view).
 * Invariants:
 *   - bottom (the empty set) is any interval with smin > smax or umin > umax; functions return the
 *     canonical VF_IVAL_BOTTOM form, and bottom in gives bottom out;
 *   - results of every function except widen are synchronised (vf_ival_sync): each view is as tight
 *     as the other allows, and a view set that proves gamma empty has been turned into bottom;
 *   - widen never synchronises (so a widening sequence cannot be tightened back and loop forever);
 *     its results still have non-empty views that each contain both arguments.
 * Transfer functions are sound over-approximations of the eBPF operations of ops.h; a view whose
 * result might wrap in a way that splits it goes to top (the other view often still bounds it).
 * Values are pure: no allocation, no global state.
 */
#ifndef EBPF_VERIFIER_DOMAIN_INTERVAL_H
#define EBPF_VERIFIER_DOMAIN_INTERVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verifier/domain/ops.h"
#include "verifier/domain/tnum.h"

typedef struct vf_ival {
    int64_t smin, smax;
    uint64_t umin, umax;
} vf_ival;

/* Lattice. */
vf_ival vf_ival_top(void);
vf_ival vf_ival_bottom(void);
vf_ival vf_ival_const(uint64_t c);
vf_ival vf_ival_urange(uint64_t lo, uint64_t hi); /* bottom when lo > hi */
vf_ival vf_ival_srange(int64_t lo, int64_t hi);   /* bottom when lo > hi */
vf_ival vf_ival_sync(vf_ival a); /* tighten each view from the other; bottom when empty */
bool vf_ival_is_bottom(vf_ival a);
bool vf_ival_is_top(vf_ival a);
bool vf_ival_is_const(vf_ival a, uint64_t *c); /* exactly one value; *c gets it (c may be NULL) */
bool vf_ival_contains(vf_ival a, uint64_t x);
bool vf_ival_leq(vf_ival a, vf_ival b); /* true only if gamma(a) is a subset of gamma(b) */
bool vf_ival_equal(vf_ival a, vf_ival b);
vf_ival vf_ival_join(vf_ival a, vf_ival b);
vf_ival vf_ival_meet(vf_ival a, vf_ival b);
/* Widening with thresholds: a bound of b outside a jumps to the nearest threshold beyond it, then
 * to the type's extreme. `th` is sorted ascending (unsigned); for the signed view each threshold
 * t <= INT64_MAX also gives -t. th may be NULL when n is 0. Each of the four bounds moves at most
 * n + 1 times along any widening sequence. */
vf_ival vf_ival_widen(vf_ival a, vf_ival b, const uint64_t *th, size_t n);
/* Narrowing: the bounds of a that are at their type's extreme are replaced by those of b. */
vf_ival vf_ival_narrow(vf_ival a, vf_ival b);

/* 64-bit transfer functions. */
vf_ival vf_ival_add(vf_ival a, vf_ival b);
vf_ival vf_ival_sub(vf_ival a, vf_ival b);
vf_ival vf_ival_mul(vf_ival a, vf_ival b);
vf_ival vf_ival_udiv(vf_ival a, vf_ival b); /* x / 0 = 0 */
vf_ival vf_ival_umod(vf_ival a, vf_ival b); /* x % 0 = x */
vf_ival vf_ival_and(vf_ival a, vf_ival b);
vf_ival vf_ival_or(vf_ival a, vf_ival b);
vf_ival vf_ival_xor(vf_ival a, vf_ival b);
vf_ival vf_ival_lsh(vf_ival a, vf_ival k); /* count masked with 63 */
vf_ival vf_ival_rsh(vf_ival a, vf_ival k);
vf_ival vf_ival_arsh(vf_ival a, vf_ival k);
vf_ival vf_ival_neg(vf_ival a);

/* 32-bit sub-registers: the low 32 bits, zero-extended; and their sign extension to 64 bits. */
vf_ival vf_ival_trunc32(vf_ival a);
vf_ival vf_ival_sext32(vf_ival a);
/* Any ALU operation of ops.h; is64 false gives the 32-bit (ALU32) form, zero-extended. */
vf_ival vf_ival_alu(vf_alu_op op, vf_ival a, vf_ival b, bool is64);

/* Refinement by a branch `dst OP src` (JMP when is64, else JMP32 on the low 32 bits) known to be
 * `taken` or not: *dst and *src become over-approximations of the values for which the outcome
 * holds. Returns false, with both set to bottom, when that outcome is impossible. */
bool vf_ival_refine(vf_cmp_op op, bool taken, bool is64, vf_ival *dst, vf_ival *src);

/* Reduced product with the known-bits domain: bounds from known bits, known high bits from
 * bounds. Both only shrink (gamma is unchanged for their intersection). Returns false, with both
 * set to bottom, when the pair describes no value. */
vf_ival vf_ival_from_tnum(vf_tnum t);
bool vf_ival_reduce(vf_ival *iv, vf_tnum *t);

#endif
