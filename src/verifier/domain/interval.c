/*
 * interval.c - the interval domain with signed and unsigned views (see interval.h for the
 * representation and invariants).
 *
 * Each transfer function computes the unsigned view from the operands' unsigned views and the
 * signed view from their signed views, independently (both sound), then synchronises. Wrap-around:
 * for add and sub a view is kept when both of its ends wrap the same way (the whole range moved by
 * 2^64), and goes to top when only one end might wrap.
 */
#include "verifier/domain/interval.h"

#define VF_U32_MAX UINT64_C(0xffffffff)

static vf_ival mk(int64_t smin, int64_t smax, uint64_t umin, uint64_t umax)
{
    vf_ival r = { smin, smax, umin, umax };
    return r;
}

static uint64_t umin2(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t umax2(uint64_t a, uint64_t b) { return a > b ? a : b; }
static int64_t smin2(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t smax2(int64_t a, int64_t b) { return a > b ? a : b; }

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

/* Arithmetic right shift of a signed value, portable (no implementation-defined shift). */
static int64_t sar(int64_t x, unsigned k)
{
    uint64_t u = (uint64_t)x;
    if (k == 0)
        return x;
    uint64_t r = u >> k;
    if (x < 0)
        r |= ~(UINT64_MAX >> k);
    return (int64_t)r;
}

vf_ival vf_ival_top(void) { return mk(INT64_MIN, INT64_MAX, 0, UINT64_MAX); }
vf_ival vf_ival_bottom(void) { return mk(1, 0, 1, 0); }

bool vf_ival_is_bottom(vf_ival a) { return a.smin > a.smax || a.umin > a.umax; }

bool vf_ival_is_top(vf_ival a)
{
    return a.smin == INT64_MIN && a.smax == INT64_MAX && a.umin == 0 && a.umax == UINT64_MAX;
}

vf_ival vf_ival_sync(vf_ival a)
{
    for (int round = 0; round < 3; round++) {
        if (vf_ival_is_bottom(a))
            return vf_ival_bottom();
        vf_ival before = a;
        /* signed -> unsigned */
        uint64_t slo = (uint64_t)a.smin, shi = (uint64_t)a.smax;
        if (a.smin >= 0 || a.smax < 0) {
            a.umin = umax2(a.umin, slo);
            a.umax = umin2(a.umax, shi);
        } else { /* unsigned image is [0, shi] u [slo, UINT64_MAX], slo > shi */
            if (a.umin > shi)
                a.umin = umax2(a.umin, slo);
            if (a.umax < slo)
                a.umax = umin2(a.umax, shi);
        }
        if (vf_ival_is_bottom(a))
            return vf_ival_bottom();
        /* unsigned -> signed */
        int64_t ulo = (int64_t)a.umin, uhi = (int64_t)a.umax;
        if ((a.umin >> 63) == (a.umax >> 63)) {
            a.smin = smax2(a.smin, ulo);
            a.smax = smin2(a.smax, uhi);
        } else { /* signed image is [ulo, INT64_MAX] u [INT64_MIN, uhi], ulo >= 0 > uhi */
            if (a.smin > uhi)
                a.smin = smax2(a.smin, ulo);
            if (a.smax < ulo)
                a.smax = smin2(a.smax, uhi);
        }
        if (vf_ival_is_bottom(a))
            return vf_ival_bottom();
        if (a.smin == before.smin && a.smax == before.smax && a.umin == before.umin && a.umax == before.umax)
            break; /* neither is bottom here: vf_ival_equal is plain equality */
    }
    return a;
}

vf_ival vf_ival_const(uint64_t c) { return mk((int64_t)c, (int64_t)c, c, c); }

vf_ival vf_ival_urange(uint64_t lo, uint64_t hi)
{
    if (lo > hi)
        return vf_ival_bottom();
    return vf_ival_sync(mk(INT64_MIN, INT64_MAX, lo, hi));
}

vf_ival vf_ival_srange(int64_t lo, int64_t hi)
{
    if (lo > hi)
        return vf_ival_bottom();
    return vf_ival_sync(mk(lo, hi, 0, UINT64_MAX));
}

bool vf_ival_is_const(vf_ival a, uint64_t *c)
{
    a = vf_ival_sync(a);
    if (vf_ival_is_bottom(a) || a.umin != a.umax)
        return false;
    if (c)
        *c = a.umin;
    return true;
}

bool vf_ival_contains(vf_ival a, uint64_t x)
{
    return !vf_ival_is_bottom(a) && a.umin <= x && x <= a.umax && a.smin <= (int64_t)x &&
           (int64_t)x <= a.smax;
}

bool vf_ival_equal(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_is_bottom(a) && vf_ival_is_bottom(b);
    return a.smin == b.smin && a.smax == b.smax && a.umin == b.umin && a.umax == b.umax;
}

bool vf_ival_leq(vf_ival a, vf_ival b)
{
    a = vf_ival_sync(a);
    if (vf_ival_is_bottom(a))
        return true;
    if (vf_ival_is_bottom(b))
        return false;
    return b.smin <= a.smin && a.smax <= b.smax && b.umin <= a.umin && a.umax <= b.umax;
}

vf_ival vf_ival_join(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a))
        return vf_ival_is_bottom(b) ? vf_ival_bottom() : vf_ival_sync(b);
    if (vf_ival_is_bottom(b))
        return vf_ival_sync(a);
    return vf_ival_sync(mk(smin2(a.smin, b.smin), smax2(a.smax, b.smax), umin2(a.umin, b.umin),
                           umax2(a.umax, b.umax)));
}

vf_ival vf_ival_meet(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    return vf_ival_sync(mk(smax2(a.smin, b.smin), smin2(a.smax, b.smax), umax2(a.umin, b.umin),
                           umin2(a.umax, b.umax)));
}

/* Thresholds: the smallest >= x, or the largest <= x, else the extreme. */
static uint64_t uth_above(uint64_t x, const uint64_t *th, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (th[i] >= x)
            return th[i];
    return UINT64_MAX;
}

static uint64_t uth_below(uint64_t x, const uint64_t *th, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (th[i] <= x)
            return th[i];
    return 0;
}

static int64_t sth_above(int64_t x, const uint64_t *th, size_t n)
{
    int64_t best = INT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (th[i] > (uint64_t)INT64_MAX)
            continue;
        int64_t t = (int64_t)th[i];
        if (t >= x && t < best)
            best = t;
        if (-t >= x && -t < best)
            best = -t;
    }
    return best;
}

static int64_t sth_below(int64_t x, const uint64_t *th, size_t n)
{
    int64_t best = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (th[i] > (uint64_t)INT64_MAX)
            continue;
        int64_t t = (int64_t)th[i];
        if (t <= x && t > best)
            best = t;
        if (-t <= x && -t > best)
            best = -t;
    }
    return best;
}

vf_ival vf_ival_widen(vf_ival a, vf_ival b, const uint64_t *th, size_t n)
{
    if (vf_ival_is_bottom(a))
        return vf_ival_is_bottom(b) ? vf_ival_bottom() : b;
    if (vf_ival_is_bottom(b))
        return a;
    vf_ival r;
    r.umin = b.umin >= a.umin ? a.umin : uth_below(b.umin, th, n);
    r.umax = b.umax <= a.umax ? a.umax : uth_above(b.umax, th, n);
    r.smin = b.smin >= a.smin ? a.smin : sth_below(b.smin, th, n);
    r.smax = b.smax <= a.smax ? a.smax : sth_above(b.smax, th, n);
    return r;
}

vf_ival vf_ival_narrow(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    if (a.umin == 0)
        a.umin = b.umin;
    if (a.umax == UINT64_MAX)
        a.umax = b.umax;
    if (a.smin == INT64_MIN)
        a.smin = b.smin;
    if (a.smax == INT64_MAX)
        a.smax = b.smax;
    return vf_ival_sync(a);
}

/* ---- arithmetic ---- */

vf_ival vf_ival_add(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    uint64_t ulo = a.umin + b.umin, uhi = a.umax + b.umax;
    bool ulo_c = ulo < a.umin, uhi_c = uhi < a.umax;
    if (ulo_c == uhi_c) {
        r.umin = ulo;
        r.umax = uhi;
    }
    int64_t slo, shi;
    bool slo_o = __builtin_add_overflow(a.smin, b.smin, &slo);
    bool shi_o = __builtin_add_overflow(a.smax, b.smax, &shi);
    /* an overflowing signed sum has the sign of its operands: both ends wrapped the same way iff
     * a.smin and a.smax have the same sign */
    if ((!slo_o && !shi_o) || (slo_o && shi_o && ((a.smin >= 0) == (a.smax >= 0)))) {
        r.smin = slo;
        r.smax = shi;
    }
    return vf_ival_sync(r);
}

vf_ival vf_ival_sub(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    uint64_t ulo = a.umin - b.umax, uhi = a.umax - b.umin;
    bool ulo_b = a.umin < b.umax, uhi_b = a.umax < b.umin;
    if (ulo_b == uhi_b) {
        r.umin = ulo;
        r.umax = uhi;
    }
    int64_t slo, shi;
    bool slo_o = __builtin_sub_overflow(a.smin, b.smax, &slo);
    bool shi_o = __builtin_sub_overflow(a.smax, b.smin, &shi);
    /* x - y overflows upwards only when x >= 0, downwards only when x < 0 */
    if ((!slo_o && !shi_o) || (slo_o && shi_o && ((a.smin >= 0) == (a.smax >= 0)))) {
        r.smin = slo;
        r.smax = shi;
    }
    return vf_ival_sync(r);
}

vf_ival vf_ival_neg(vf_ival a) { return vf_ival_sub(vf_ival_const(0), a); }

vf_ival vf_ival_mul(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    uint64_t uhi;
    if (!__builtin_mul_overflow(a.umax, b.umax, &uhi)) {
        r.umin = a.umin * b.umin;
        r.umax = uhi;
    }
    int64_t p[4];
    bool o = __builtin_mul_overflow(a.smin, b.smin, &p[0]);
    o |= __builtin_mul_overflow(a.smin, b.smax, &p[1]);
    o |= __builtin_mul_overflow(a.smax, b.smin, &p[2]);
    o |= __builtin_mul_overflow(a.smax, b.smax, &p[3]);
    if (!o) {
        r.smin = smin2(smin2(p[0], p[1]), smin2(p[2], p[3]));
        r.smax = smax2(smax2(p[0], p[1]), smax2(p[2], p[3]));
    }
    return vf_ival_sync(r);
}

vf_ival vf_ival_udiv(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    if (b.umax == 0)
        return vf_ival_const(0);
    uint64_t lo = b.umin == 0 ? 0 : a.umin / b.umax;
    uint64_t hi = a.umax / (b.umin == 0 ? 1 : b.umin);
    return vf_ival_urange(lo, hi);
}

vf_ival vf_ival_umod(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    if (b.umax == 0 || a.umax < b.umin)
        return a; /* x % 0 = x; x % y = x when x < y */
    if (b.umin == 0)
        return vf_ival_urange(0, a.umax);
    return vf_ival_urange(0, umin2(a.umax, b.umax - 1));
}

vf_ival vf_ival_and(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    r.umax = umin2(a.umax, b.umax); /* x & y <= min(x, y) unsigned */
    if (a.smin >= 0 || b.smin >= 0) {
        /* a non-negative operand clears the sign bit and bounds the result */
        r.smin = 0;
        r.smax = a.smin >= 0 && b.smin >= 0 ? smin2(a.smax, b.smax)
                 : a.smin >= 0             ? a.smax
                                           : b.smax;
    } else if (a.smax < 0 && b.smax < 0) {
        r.smax = smin2(a.smax, b.smax); /* both negative: unsigned order is signed order */
    }
    return vf_ival_sync(r);
}

vf_ival vf_ival_or(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    r.umin = umax2(a.umin, b.umin); /* x | y >= max(x, y) unsigned */
    r.umax = smear(a.umax | b.umax);
    if (a.smin >= 0 && b.smin >= 0) {
        r.smin = smax2(a.smin, b.smin);
        r.smax = (int64_t)smear((uint64_t)a.smax | (uint64_t)b.smax);
    } else if (a.smax < 0 || b.smax < 0) {
        /* a negative operand sets the sign bit; x | y >= x within the negatives */
        r.smax = -1;
        r.smin = a.smax < 0 && b.smax < 0 ? smax2(a.smin, b.smin) : a.smax < 0 ? a.smin : b.smin;
    }
    return vf_ival_sync(r);
}

vf_ival vf_ival_xor(vf_ival a, vf_ival b)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    vf_ival r = vf_ival_top();
    r.umax = smear(a.umax | b.umax);
    if (a.smin >= 0 && b.smin >= 0) {
        r.smin = 0;
        r.smax = (int64_t)smear((uint64_t)a.smax | (uint64_t)b.smax);
    } else if (a.smax < 0 && b.smax < 0) {
        r.smin = 0; /* both sign bits set: the result's is clear */
        r.smax = INT64_MAX;
    } else if ((a.smin >= 0 && b.smax < 0) || (a.smax < 0 && b.smin >= 0)) {
        r.smax = -1;
    }
    return vf_ival_sync(r);
}

/* The shift counts [*lo, *hi] after masking with `limit` (63 or 31). */
static void shift_counts(vf_ival k, unsigned limit, unsigned *lo, unsigned *hi)
{
    if (k.umax <= limit) {
        *lo = (unsigned)k.umin;
        *hi = (unsigned)k.umax;
    } else if ((k.umin & ~(uint64_t)limit) == (k.umax & ~(uint64_t)limit)) {
        *lo = (unsigned)(k.umin & limit); /* one block of limit+1 counts: masking is monotone */
        *hi = (unsigned)(k.umax & limit);
    } else {
        *lo = 0;
        *hi = limit;
    }
}

static vf_ival lsh_counts(vf_ival a, unsigned lo, unsigned hi)
{
    vf_ival r = vf_ival_top();
    if (a.umax <= (UINT64_MAX >> hi)) {
        r.umin = a.umin << lo;
        r.umax = a.umax << hi;
    }
    return vf_ival_sync(r);
}

static vf_ival rsh_counts(vf_ival a, unsigned lo, unsigned hi)
{
    return vf_ival_urange(a.umin >> hi, a.umax >> lo);
}

static vf_ival arsh_counts(vf_ival a, unsigned lo, unsigned hi)
{
    /* x >> k (arithmetic) moves towards 0 for x >= 0 and towards -1 for x < 0 as k grows */
    int64_t smin = a.smin < 0 ? sar(a.smin, lo) : sar(a.smin, hi);
    int64_t smax = a.smax < 0 ? sar(a.smax, hi) : sar(a.smax, lo);
    return vf_ival_srange(smin, smax);
}

vf_ival vf_ival_lsh(vf_ival a, vf_ival k)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(k))
        return vf_ival_bottom();
    unsigned lo, hi;
    shift_counts(k, 63, &lo, &hi);
    return lsh_counts(a, lo, hi);
}

vf_ival vf_ival_rsh(vf_ival a, vf_ival k)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(k))
        return vf_ival_bottom();
    unsigned lo, hi;
    shift_counts(k, 63, &lo, &hi);
    return rsh_counts(a, lo, hi);
}

vf_ival vf_ival_arsh(vf_ival a, vf_ival k)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(k))
        return vf_ival_bottom();
    unsigned lo, hi;
    shift_counts(k, 63, &lo, &hi);
    return arsh_counts(a, lo, hi);
}

/* ---- 32-bit sub-registers ---- */

vf_ival vf_ival_trunc32(vf_ival a)
{
    if (vf_ival_is_bottom(a))
        return a;
    vf_ival r = vf_ival_urange(0, VF_U32_MAX);
    if ((a.umin >> 32) == (a.umax >> 32))
        r = vf_ival_meet(r, vf_ival_urange(a.umin & VF_U32_MAX, a.umax & VF_U32_MAX));
    if (a.smin >= INT32_MIN && a.smax <= INT32_MAX) {
        if (a.smin >= 0 || a.smax < 0)
            r = vf_ival_meet(r, vf_ival_urange((uint64_t)a.smin & VF_U32_MAX,
                                               (uint64_t)a.smax & VF_U32_MAX));
    }
    return r;
}

vf_ival vf_ival_sext32(vf_ival a)
{
    a = vf_ival_trunc32(a);
    if (vf_ival_is_bottom(a))
        return a;
    if (a.umax <= (uint64_t)INT32_MAX)
        return a;
    if (a.umin > (uint64_t)INT32_MAX)
        return vf_ival_srange((int64_t)a.umin - (INT64_C(1) << 32), (int64_t)a.umax - (INT64_C(1) << 32));
    return vf_ival_srange(INT32_MIN, INT32_MAX);
}

static vf_ival alu64(vf_alu_op op, vf_ival a, vf_ival b)
{
    switch (op) {
    case VF_ALU_ADD: return vf_ival_add(a, b);
    case VF_ALU_SUB: return vf_ival_sub(a, b);
    case VF_ALU_MUL: return vf_ival_mul(a, b);
    case VF_ALU_DIV: return vf_ival_udiv(a, b);
    case VF_ALU_MOD: return vf_ival_umod(a, b);
    case VF_ALU_AND: return vf_ival_and(a, b);
    case VF_ALU_OR: return vf_ival_or(a, b);
    case VF_ALU_XOR: return vf_ival_xor(a, b);
    case VF_ALU_LSH: return vf_ival_lsh(a, b);
    case VF_ALU_RSH: return vf_ival_rsh(a, b);
    case VF_ALU_ARSH: return vf_ival_arsh(a, b);
    case VF_ALU_COUNT: break;
    }
    return vf_ival_top();
}

vf_ival vf_ival_alu(vf_alu_op op, vf_ival a, vf_ival b, bool is64)
{
    if (vf_ival_is_bottom(a) || vf_ival_is_bottom(b))
        return vf_ival_bottom();
    if (is64)
        return alu64(op, a, b);
    /* 32-bit: compute in 64 bits on the zero-extended low halves (the low 32 bits of the result
     * are then right for every operation), then truncate. */
    vf_ival a32 = vf_ival_trunc32(a), b32 = vf_ival_trunc32(b);
    unsigned lo, hi;
    switch (op) {
    case VF_ALU_LSH:
        shift_counts(b32, 31, &lo, &hi);
        return vf_ival_trunc32(lsh_counts(a32, lo, hi));
    case VF_ALU_RSH:
        shift_counts(b32, 31, &lo, &hi);
        return rsh_counts(a32, lo, hi);
    case VF_ALU_ARSH:
        shift_counts(b32, 31, &lo, &hi);
        return vf_ival_trunc32(arsh_counts(vf_ival_sext32(a32), lo, hi));
    default:
        return vf_ival_trunc32(alu64(op, a32, b32));
    }
}

/* ---- branch refinement ---- */

static vf_cmp_op negate(vf_cmp_op op)
{
    switch (op) {
    case VF_CMP_EQ: return VF_CMP_NE;
    case VF_CMP_NE: return VF_CMP_EQ;
    case VF_CMP_GT: return VF_CMP_LE;
    case VF_CMP_GE: return VF_CMP_LT;
    case VF_CMP_LT: return VF_CMP_GE;
    case VF_CMP_LE: return VF_CMP_GT;
    case VF_CMP_SGT: return VF_CMP_SLE;
    case VF_CMP_SGE: return VF_CMP_SLT;
    case VF_CMP_SLT: return VF_CMP_SGE;
    case VF_CMP_SLE: return VF_CMP_SGT;
    default: return op; /* SET is handled by the caller */
    }
}

/* x != c: drop c from the ends of both views. */
static vf_ival remove_value(vf_ival x, uint64_t c)
{
    if (x.umin == c) {
        if (c == UINT64_MAX)
            return vf_ival_bottom();
        x.umin = c + 1;
    }
    if (x.umax == c) {
        if (c == 0)
            return vf_ival_bottom();
        x.umax = c - 1;
    }
    int64_t s = (int64_t)c;
    if (x.smin == s) {
        if (s == INT64_MAX)
            return vf_ival_bottom();
        x.smin = s + 1;
    }
    if (x.smax == s) {
        if (s == INT64_MIN)
            return vf_ival_bottom();
        x.smax = s - 1;
    }
    return vf_ival_sync(x);
}

/* x < y (strict) or x <= y, unsigned. */
static void refine_ult(vf_ival *x, vf_ival *y, bool strict)
{
    if (strict && (y->umax == 0 || x->umin == UINT64_MAX)) {
        *x = *y = vf_ival_bottom();
        return;
    }
    x->umax = umin2(x->umax, strict ? y->umax - 1 : y->umax);
    y->umin = umax2(y->umin, strict ? x->umin + 1 : x->umin);
}

static void refine_slt(vf_ival *x, vf_ival *y, bool strict)
{
    if (strict && (y->smax == INT64_MIN || x->smin == INT64_MAX)) {
        *x = *y = vf_ival_bottom();
        return;
    }
    x->smax = smin2(x->smax, strict ? y->smax - 1 : y->smax);
    y->smin = smax2(y->smin, strict ? x->smin + 1 : x->smin);
}

/* `set` true: (x & y) != 0; false: (x & y) == 0. */
static void refine_set(vf_ival *x, vf_ival *y, bool set)
{
    uint64_t cx, cy;
    bool kx = vf_ival_is_const(*x, &cx), ky = vf_ival_is_const(*y, &cy);
    if (kx && ky) {
        if (((cx & cy) != 0) != set)
            *x = *y = vf_ival_bottom();
        return;
    }
    if (set) { /* both non-zero */
        *x = remove_value(*x, 0);
        *y = remove_value(*y, 0);
    }
}

static bool refine64(vf_cmp_op op, bool taken, vf_ival *x, vf_ival *y)
{
    *x = vf_ival_sync(*x);
    *y = vf_ival_sync(*y);
    if (vf_ival_is_bottom(*x) || vf_ival_is_bottom(*y)) {
        *x = *y = vf_ival_bottom();
        return false;
    }
    if (op == VF_CMP_SET) {
        refine_set(x, y, taken);
    } else {
        if (!taken)
            op = negate(op);
        uint64_t c;
        switch (op) {
        case VF_CMP_EQ:
            *x = *y = vf_ival_meet(*x, *y);
            break;
        case VF_CMP_NE:
            if (vf_ival_is_const(*y, &c))
                *x = remove_value(*x, c);
            if (vf_ival_is_const(*x, &c))
                *y = remove_value(*y, c);
            break;
        case VF_CMP_LT: refine_ult(x, y, true); break;
        case VF_CMP_LE: refine_ult(x, y, false); break;
        case VF_CMP_GT: refine_ult(y, x, true); break;
        case VF_CMP_GE: refine_ult(y, x, false); break;
        case VF_CMP_SLT: refine_slt(x, y, true); break;
        case VF_CMP_SLE: refine_slt(x, y, false); break;
        case VF_CMP_SGT: refine_slt(y, x, true); break;
        case VF_CMP_SGE: refine_slt(y, x, false); break;
        default: break;
        }
    }
    *x = vf_ival_sync(*x);
    *y = vf_ival_sync(*y);
    if (vf_ival_is_bottom(*x) || vf_ival_is_bottom(*y)) {
        *x = *y = vf_ival_bottom();
        return false;
    }
    return true;
}

static bool is_signed_cmp(vf_cmp_op op)
{
    return op == VF_CMP_SGT || op == VF_CMP_SGE || op == VF_CMP_SLT || op == VF_CMP_SLE;
}

/* Carry a refined low half back to x when x's upper 32 bits are the same for all its values. */
static vf_ival lift32(vf_ival x, vf_ival low)
{
    if ((x.umin >> 32) != (x.umax >> 32))
        return x;
    low = vf_ival_trunc32(low);
    uint64_t high = x.umin & ~VF_U32_MAX;
    return vf_ival_meet(x, vf_ival_urange(high | low.umin, high | low.umax));
}

bool vf_ival_refine(vf_cmp_op op, bool taken, bool is64, vf_ival *dst, vf_ival *src)
{
    if (is64)
        return refine64(op, taken, dst, src);
    /* JMP32: refine over-approximations of the low halves (zero-extended for unsigned and
     * bitwise conditions, sign-extended for signed ones); an impossible outcome there is
     * impossible for the registers too. */
    bool sgn = is_signed_cmp(op);
    vf_ival x = sgn ? vf_ival_sext32(*dst) : vf_ival_trunc32(*dst);
    vf_ival y = sgn ? vf_ival_sext32(*src) : vf_ival_trunc32(*src);
    if (!refine64(op, taken, &x, &y)) {
        *dst = *src = vf_ival_bottom();
        return false;
    }
    *dst = lift32(*dst, x);
    *src = lift32(*src, y);
    if (vf_ival_is_bottom(*dst) || vf_ival_is_bottom(*src)) {
        *dst = *src = vf_ival_bottom();
        return false;
    }
    return true;
}

/* ---- reduction with known bits ---- */

vf_ival vf_ival_from_tnum(vf_tnum t)
{
    if (vf_tnum_is_bottom(t))
        return vf_ival_bottom();
    if (t.mask == UINT64_MAX)
        return vf_ival_top(); /* no known bit (what the general case computes, sooner) */
    return vf_ival_sync(mk(vf_tnum_smin(t), vf_tnum_smax(t), vf_tnum_umin(t), vf_tnum_umax(t)));
}

/* Tightens each bound of iv to the nearest value congruent to t's known low bits: every x in gamma(t)
 * has x mod 2^k == t.value mod 2^k, where the k lowest bits of t are known (k = trailing known bits).
 * E.g. a multiple of 8 below 2055 is at most 2048. Bottom when no such value is left. */
static vf_ival snap_to_low_bits(vf_ival iv, vf_tnum t)
{
    if (vf_ival_is_bottom(iv) || t.mask == 0)
        return iv; /* a constant tnum: the meet with its single value already did it */
    unsigned k = (unsigned)__builtin_ctzll(t.mask);
    if (k == 0)
        return iv;
    uint64_t m = (UINT64_C(1) << k) - 1, low = t.value & m;
    uint64_t up = (low - iv.umin) & m;   /* steps from umin up to the next congruent value */
    uint64_t down = (iv.umax - low) & m; /* steps from umax down to the previous one */
    if (iv.umin + up < iv.umin || iv.umax < down)
        return vf_ival_bottom();
    iv.umin += up;
    iv.umax -= down;
    uint64_t sup = (low - (uint64_t)iv.smin) & m, sdown = ((uint64_t)iv.smax - low) & m;
    if (iv.smin > INT64_MAX - (int64_t)sup || iv.smax < INT64_MIN + (int64_t)sdown)
        return vf_ival_bottom();
    iv.smin += (int64_t)sup;
    iv.smax -= (int64_t)sdown;
    if (iv.umin > iv.umax || iv.smin > iv.smax)
        return vf_ival_bottom();
    return vf_ival_sync(iv);
}

bool vf_ival_reduce(vf_ival *iv, vf_tnum *t)
{
    for (int round = 0; round < 2; round++) {
        vf_ival iv0 = *iv;
        vf_tnum t0 = *t;
        *iv = vf_ival_meet(*iv, vf_ival_from_tnum(*t));
        *iv = snap_to_low_bits(*iv, *t);
        if (vf_ival_is_bottom(*iv))
            break;
        *t = vf_tnum_meet(*t, vf_tnum_range(iv->umin, iv->umax));
        if (iv->smin >= 0 || iv->smax < 0)
            *t = vf_tnum_meet(*t, vf_tnum_range((uint64_t)iv->smin, (uint64_t)iv->smax));
        if (vf_tnum_is_bottom(*t))
            break;
        /* a round that changed nothing would repeat itself exactly (it is a pure function) */
        if (iv->smin == iv0.smin && iv->smax == iv0.smax && iv->umin == iv0.umin && iv->umax == iv0.umax &&
            t->value == t0.value && t->mask == t0.mask)
            break;
    }
    if (vf_ival_is_bottom(*iv) || vf_tnum_is_bottom(*t)) {
        *iv = vf_ival_bottom();
        *t = vf_tnum_bottom();
        return false;
    }
    return true;
}
