/*
 * zone.c - difference-bound matrices (see zone.h for the representation and invariants).
 *
 * Closure is Floyd-Warshall over the (nvars+1)-node constraint graph, O(n^3); a negative diagonal
 * entry afterwards is a negative cycle, i.e. an empty zone. Adding one constraint to a closed zone
 * re-closes it in O(n^2): every new shortest path goes through the new edge once.
 */
#include "verifier/domain/zone.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vf_zone {
    unsigned n; /* dimension: nvars + 1 */
    bool bottom;
    bool closed;
    int64_t m[]; /* n * n bounds, row-major: m[i*n + j] bounds x_i - x_j */
};

#define AT(z, i, j) ((z)->m[(size_t)(i) * (z)->n + (j)])

static int64_t sat_add(int64_t a, int64_t b)
{
    if (a == VF_ZONE_INF || b == VF_ZONE_INF)
        return VF_ZONE_INF;
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a > 0 ? VF_ZONE_INF : INT64_MIN;
    return r == VF_ZONE_INF ? VF_ZONE_INF : r;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    if (a == VF_ZONE_INF)
        return VF_ZONE_INF;
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return a >= 0 ? VF_ZONE_INF : INT64_MIN;
    return r;
}

/* sat_add of two finite bounds (the inner loops of closure, which only add finite entries). */
static int64_t sat_add_finite(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a > 0 ? VF_ZONE_INF : INT64_MIN;
    return r;
}

/* -c as a bound: -INT64_MIN is not representable, +inf is the (weaker) sound choice. */
static int64_t sat_neg(int64_t c)
{
    return c == INT64_MIN ? VF_ZONE_INF : -c;
}

static size_t zone_bytes(unsigned n)
{
    return sizeof(vf_zone) + (size_t)n * n * sizeof(int64_t);
}

vf_zone *vf_zone_create(unsigned nvars)
{
    if (nvars > VF_ZONE_MAX_VARS) {
        errno = EINVAL;
        return NULL;
    }
    unsigned n = nvars + 1;
    vf_zone *z = malloc(zone_bytes(n));
    if (!z) {
        errno = ENOMEM;
        return NULL;
    }
    z->n = n;
    vf_zone_set_top(z);
    return z;
}

vf_zone *vf_zone_copy(const vf_zone *z)
{
    vf_zone *c = malloc(zone_bytes(z->n));
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(c, z, zone_bytes(z->n));
    return c;
}

void vf_zone_free(vf_zone *z) { free(z); }

void vf_zone_assign_from(vf_zone *dst, const vf_zone *src)
{
    if (dst != src && dst->n == src->n)
        memcpy(dst, src, zone_bytes(src->n));
}

unsigned vf_zone_nvars(const vf_zone *z) { return z->n - 1; }

void vf_zone_set_top(vf_zone *z)
{
    for (unsigned i = 0; i < z->n; i++)
        for (unsigned j = 0; j < z->n; j++)
            AT(z, i, j) = i == j ? 0 : VF_ZONE_INF;
    z->bottom = false;
    z->closed = true;
}

void vf_zone_set_bottom(vf_zone *z)
{
    z->bottom = true;
    z->closed = true;
}

bool vf_zone_close(vf_zone *z)
{
    if (z->bottom)
        return false;
    if (z->closed)
        return true;
    unsigned n = z->n, fin[VF_ZONE_MAX_VARS + 1];
    for (unsigned k = 0; k < n; k++) {
        /* row k's finite entries: the only j that can improve (zones are sparse) */
        unsigned nf = 0;
        for (unsigned j = 0; j < n; j++)
            if (AT(z, k, j) != VF_ZONE_INF)
                fin[nf++] = j;
        for (unsigned i = 0; i < n; i++) {
            int64_t ik = AT(z, i, k);
            if (ik == VF_ZONE_INF)
                continue;
            for (unsigned f = 0; f < nf; f++) {
                unsigned j = fin[f];
                int64_t v = sat_add_finite(ik, AT(z, k, j));
                if (v < AT(z, i, j))
                    AT(z, i, j) = v;
            }
        }
    }
    for (unsigned i = 0; i < n; i++)
        if (AT(z, i, i) < 0) {
            vf_zone_set_bottom(z);
            return false;
        }
    z->closed = true;
    return true;
}

bool vf_zone_is_bottom(vf_zone *z) { return !vf_zone_close(z); }

bool vf_zone_leq(vf_zone *a, vf_zone *b)
{
    if (!vf_zone_close(a))
        return true;
    if (b->bottom)
        return false;
    /* a closed: a's tightest bounds must all be within b's (b need not be closed) */
    for (size_t k = 0; k < (size_t)a->n * a->n; k++)
        if (a->m[k] > b->m[k])
            return false;
    return true;
}

void vf_zone_join(vf_zone *a, vf_zone *b)
{
    bool a_ok = vf_zone_close(a), b_ok = vf_zone_close(b);
    if (!b_ok)
        return;
    if (!a_ok) {
        vf_zone_assign_from(a, b);
        return;
    }
    for (size_t k = 0; k < (size_t)a->n * a->n; k++)
        if (b->m[k] > a->m[k])
            a->m[k] = b->m[k];
    a->closed = true; /* the pointwise max of closed matrices is closed */
}

void vf_zone_meet(vf_zone *a, const vf_zone *b)
{
    if (a->bottom)
        return;
    if (b->bottom) {
        vf_zone_set_bottom(a);
        return;
    }
    bool changed = false;
    for (size_t k = 0; k < (size_t)a->n * a->n; k++)
        if (b->m[k] < a->m[k]) {
            a->m[k] = b->m[k];
            changed = true;
        }
    if (changed)
        a->closed = false;
}

static int64_t threshold_above(int64_t v, const int64_t *th, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (th[i] >= v)
            return th[i];
    return VF_ZONE_INF;
}

void vf_zone_widen(vf_zone *a, vf_zone *b, const int64_t *th, size_t n)
{
    if (!vf_zone_close(b))
        return;
    if (a->bottom) {
        vf_zone_assign_from(a, b);
        return;
    }
    for (size_t k = 0; k < (size_t)a->n * a->n; k++)
        if (b->m[k] > a->m[k])
            a->m[k] = threshold_above(b->m[k], th, n);
    /* Entries only grew, so a's set grew; a may now be unclosed, and must stay so for termination. */
    a->closed = false;
}

void vf_zone_forget(vf_zone *z, unsigned x)
{
    if (x == VF_ZONE_ZERO || x >= z->n || !vf_zone_close(z))
        return;
    /* closed first, so the constraints implied through x survive between the others */
    for (unsigned j = 0; j < z->n; j++)
        if (j != x) {
            AT(z, x, j) = VF_ZONE_INF;
            AT(z, j, x) = VF_ZONE_INF;
        }
}

void vf_zone_assign_var(vf_zone *z, unsigned x, unsigned y, int64_t c)
{
    if (x == VF_ZONE_ZERO || x >= z->n || y >= z->n || !vf_zone_close(z))
        return;
    if (x == y) {
        /* x' = x + c: x' - j = (x - j) + c, j - x' = (j - x) - c */
        for (unsigned j = 0; j < z->n; j++)
            if (j != x) {
                AT(z, x, j) = sat_add(AT(z, x, j), c);
                AT(z, j, x) = sat_sub(AT(z, j, x), c);
            }
        return; /* translating one variable keeps a closed matrix closed (up to saturation) */
    }
    vf_zone_forget(z, x);
    /* x = y + c: x - j <= (y - j) + c and j - x <= (j - y) - c; from a closed z this is closed */
    for (unsigned j = 0; j < z->n; j++)
        if (j != x) {
            AT(z, x, j) = sat_add(AT(z, y, j), c);
            AT(z, j, x) = sat_sub(AT(z, j, y), c);
        }
    AT(z, x, y) = c;
    AT(z, y, x) = sat_neg(c);
}

void vf_zone_assign_const(vf_zone *z, unsigned x, int64_t c)
{
    vf_zone_assign_var(z, x, VF_ZONE_ZERO, c);
}

bool vf_zone_add_constraint(vf_zone *z, unsigned x, unsigned y, int64_t c)
{
    if (x >= z->n || y >= z->n)
        return !z->bottom;
    if (!vf_zone_close(z))
        return false;
    if (x == y) {
        if (c < 0) {
            vf_zone_set_bottom(z);
            return false;
        }
        return true;
    }
    if (c >= AT(z, x, y))
        return true;
    /* infeasible iff the new edge closes a negative cycle with the existing path y -> x */
    if (sat_add(c, AT(z, y, x)) < 0) {
        vf_zone_set_bottom(z);
        return false;
    }
    /* i - j <= (i - x) + c + (y - j), over the finite entries of row y (row y itself does not change:
     * m[y][x] + c >= 0, there is no negative cycle) */
    unsigned n = z->n, fin[VF_ZONE_MAX_VARS + 1], nf = 0;
    for (unsigned j = 0; j < n; j++)
        if (AT(z, y, j) != VF_ZONE_INF)
            fin[nf++] = j;
    for (unsigned i = 0; i < n; i++) {
        int64_t ix = AT(z, i, x);
        if (ix == VF_ZONE_INF)
            continue;
        int64_t via = sat_add(ix, c);
        if (via == VF_ZONE_INF)
            continue; /* no path through the new edge: nothing improves */
        for (unsigned f = 0; f < nf; f++) {
            unsigned j = fin[f];
            int64_t v = sat_add_finite(via, AT(z, y, j));
            if (v < AT(z, i, j))
                AT(z, i, j) = v;
        }
    }
    return true;
}

bool vf_zone_add_bounds(vf_zone *z, unsigned x, int64_t lo, int64_t hi)
{
    if (hi != INT64_MAX && !vf_zone_add_constraint(z, x, VF_ZONE_ZERO, hi))
        return false;
    if (lo != INT64_MIN && !vf_zone_add_constraint(z, VF_ZONE_ZERO, x, sat_neg(lo)))
        return false;
    return vf_zone_close(z);
}

bool vf_zone_diff_upper(vf_zone *z, unsigned x, unsigned y, int64_t *c)
{
    if (x >= z->n || y >= z->n || !vf_zone_close(z))
        return false;
    int64_t v = AT(z, x, y);
    if (v == VF_ZONE_INF)
        return false;
    *c = v;
    return true;
}

bool vf_zone_bounds(vf_zone *z, unsigned x, int64_t *lo, int64_t *hi)
{
    *lo = INT64_MIN;
    *hi = INT64_MAX;
    if (x >= z->n || !vf_zone_close(z))
        return false;
    int64_t up = AT(z, x, 0), down = AT(z, 0, x); /* x <= up, -x <= down */
    *hi = up;
    if (down != VF_ZONE_INF)
        *lo = down == INT64_MIN ? INT64_MAX : -down; /* x >= 2^63 does not fit: weakest that does */
    return true;
}

bool vf_zone_satisfies(const vf_zone *z, const int64_t *vals)
{
    if (z->bottom)
        return false;
    for (unsigned i = 0; i < z->n; i++)
        for (unsigned j = 0; j < z->n; j++) {
            int64_t b = AT(z, i, j);
            if (b == VF_ZONE_INF)
                continue;
            int64_t xi = i ? vals[i] : 0, xj = j ? vals[j] : 0, d;
            if (__builtin_sub_overflow(xi, xj, &d)) {
                if (xi >= 0)
                    return false; /* above INT64_MAX, so above any finite bound */
                continue;         /* below INT64_MIN, so within any bound */
            }
            if (d > b)
                return false;
        }
    return true;
}
