/*
 * zone.h - the zone domain: conjunctions of difference constraints x - y <= c over mathematical
 * integers, stored as a difference-bound matrix (DBM).
 *
 * A zone over `nvars` variables has dimension n = nvars + 1: index 0 is the constant zero
 * (VF_ZONE_ZERO), so x <= c is x - 0 <= c and x >= c is 0 - x <= -c; variables are 1..nvars.
 * Entry m[i*n + j] is the bound on x_i - x_j; VF_ZONE_INF (INT64_MAX) means no bound.
 * Bounds are added with saturation: a sum above INT64_MAX becomes +inf and one below INT64_MIN
 * becomes INT64_MIN; both only weaken a bound, so the arithmetic stays sound.
 * Invariants:
 *   - m[i*n + i] == 0 for every i unless the zone is bottom;
 *   - `bottom` set means the empty set (matrix contents then meaningless);
 *   - `closed` set means every entry is the tightest bound implied by the others
 *     (m[i][j] <= m[i][k] + m[k][j] for all i, j, k), which makes queries, join and leq exact.
 * Functions that need a closed zone close their (non-const) argument in place; closure never
 * changes the set a zone stands for. Widening's left argument is never closed by widen, so a
 * widening sequence x' = widen(x, y) terminates: entries only grow, to thresholds or +inf.
 * Memory: one allocation per zone (create/copy/free); nvars is limited to VF_ZONE_MAX_VARS.
 */
#ifndef EBPF_VERIFIER_DOMAIN_ZONE_H
#define EBPF_VERIFIER_DOMAIN_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VF_ZONE_INF INT64_MAX
#define VF_ZONE_ZERO 0u
/* Sanity limit on the number of variables (the matrix is (nvars+1)^2 entries of 8 bytes). */
#define VF_ZONE_MAX_VARS 1024u

typedef struct vf_zone vf_zone;

/* Allocation: NULL with errno set (EINVAL above the limit, ENOMEM) on failure. A new zone is top. */
vf_zone *vf_zone_create(unsigned nvars);
vf_zone *vf_zone_copy(const vf_zone *z);
void vf_zone_free(vf_zone *z);
/* dst = src; both must have the same number of variables. */
void vf_zone_assign_from(vf_zone *dst, const vf_zone *src);
unsigned vf_zone_nvars(const vf_zone *z);

/* Lattice. Binary operations require zones with the same number of variables. */
void vf_zone_set_top(vf_zone *z);
void vf_zone_set_bottom(vf_zone *z);
bool vf_zone_is_bottom(vf_zone *z); /* closes z */
bool vf_zone_close(vf_zone *z);     /* Floyd-Warshall; returns false when z is empty (bottom) */
bool vf_zone_leq(vf_zone *a, vf_zone *b); /* exact: gamma(a) subset of gamma(b); closes a */
void vf_zone_join(vf_zone *a, vf_zone *b);  /* a := a join b (least upper bound); closes both */
void vf_zone_meet(vf_zone *a, const vf_zone *b); /* a := a meet b (exact) */
/* a := a widen b: entries of a that b does not exceed stay, others go to the smallest threshold
 * >= b's entry (th sorted ascending, may be NULL with n 0), else +inf. b is closed; a is not. */
void vf_zone_widen(vf_zone *a, vf_zone *b, const int64_t *th, size_t n);

/* Transfer functions (x, y in 0..nvars; 0 is the constant zero and may not be assigned). */
void vf_zone_forget(vf_zone *z, unsigned x);                     /* x := any */
void vf_zone_assign_var(vf_zone *z, unsigned x, unsigned y, int64_t c); /* x := y + c */
void vf_zone_assign_const(vf_zone *z, unsigned x, int64_t c);   /* x := c */
/* Add x - y <= c (incremental closure when z is closed). Returns false when z became bottom. */
bool vf_zone_add_constraint(vf_zone *z, unsigned x, unsigned y, int64_t c);
/* lo <= x <= hi; INT64_MIN / INT64_MAX mean no bound on that side. */
bool vf_zone_add_bounds(vf_zone *z, unsigned x, int64_t lo, int64_t hi);

/* Queries (close z). The bound on x - y: true with *c set, false when unbounded (or bottom). */
bool vf_zone_diff_upper(vf_zone *z, unsigned x, unsigned y, int64_t *c);
/* Bounds of x: INT64_MIN / INT64_MAX when unbounded on that side. False when z is bottom. */
bool vf_zone_bounds(vf_zone *z, unsigned x, int64_t *lo, int64_t *hi);
/* Whether the point vals[1..nvars] (vals[0] ignored, taken as 0) satisfies every constraint. */
bool vf_zone_satisfies(const vf_zone *z, const int64_t *vals);

#endif
