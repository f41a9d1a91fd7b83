/*
 * test_interval.c - the interval domain: lattice laws, widening/narrowing, soundness of every
 * transfer function, of branch refinement (JMP and JMP32) and of the reduction with tnums, by
 * sampling concrete members (see vd_util.h for the oracle and the seed).
 */
#include "vd_util.h"

#include "verifier/domain/interval.h"

#define CASES 3000
#define SAMPLES 8

static const uint64_t thresholds[] = {
    0, 1, 8, 16, 32, 64, 256, 512, 65535, INT32_MAX, UINT32_MAX, INT64_MAX, UINT64_MAX,
};
#define NTH (sizeof thresholds / sizeof thresholds[0])

static vf_ival rand_ival(void)
{
    for (;;) {
        uint64_t x = vd_value(), y = vd_value();
        if (vd_below(3) == 0)
            y = x + vd_below(300); /* narrow ranges are the common case */
        uint64_t ulo = x < y ? x : y, uhi = x < y ? y : x;
        int64_t slo = (int64_t)x < (int64_t)y ? (int64_t)x : (int64_t)y;
        int64_t shi = (int64_t)x < (int64_t)y ? (int64_t)y : (int64_t)x;
        vf_ival r;
        switch (vd_below(6)) {
        case 0: r = vf_ival_const(x); break;
        case 1: r = vf_ival_top(); break;
        case 2: r = vf_ival_srange(slo, shi); break;
        case 3: r = vf_ival_meet(vf_ival_urange(ulo, uhi), rand_ival()); break;
        default: r = vf_ival_urange(ulo, uhi); break;
        }
        if (!vf_ival_is_bottom(r))
            return r;
    }
}

/* A member of a (a not bottom); *ok false when sampling found none (rare, the case is skipped). */
static uint64_t member(vf_ival a, bool *ok)
{
    *ok = true;
    for (int tries = 0; tries < 64; tries++) {
        uint64_t x;
        switch (vd_below(8)) {
        case 0: x = a.umin; break;
        case 1: x = a.umax; break;
        case 2: x = (uint64_t)a.smin; break;
        case 3: x = (uint64_t)a.smax; break;
        case 4: {
            uint64_t span = (uint64_t)a.smax - (uint64_t)a.smin;
            x = (uint64_t)a.smin + (span == UINT64_MAX ? vd_rand() : vd_below(span + 1));
            break;
        }
        default: {
            uint64_t span = a.umax - a.umin;
            x = a.umin + (span == UINT64_MAX ? vd_rand() : vd_below(span + 1));
            break;
        }
        }
        if (vf_ival_contains(a, x))
            return x;
    }
    *ok = false;
    return 0;
}

#define IV(a) (long long)(a).smin, (long long)(a).smax, (unsigned long long)(a).umin, (unsigned long long)(a).umax
#define IVF "[s %lld..%lld u %llu..%llu]"

static void test_lattice(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < CASES; i++, vd_cases++) {
        vf_ival a = rand_ival(), b = rand_ival();
        if (vd_below(20) == 0)
            a = vf_ival_bottom();
        vf_ival j = vf_ival_join(a, b), m = vf_ival_meet(a, b);
        VD_CHECK(vf_ival_leq(a, j) && vf_ival_leq(b, j), "join a=" IVF " b=" IVF, IV(a), IV(b));
        VD_CHECK(vf_ival_leq(m, a) && vf_ival_leq(m, b), "meet a=" IVF " b=" IVF, IV(a), IV(b));
        VD_CHECK(vf_ival_equal(j, vf_ival_join(b, a)), "join commutes");
        VD_CHECK(vf_ival_equal(m, vf_ival_meet(b, a)), "meet commutes");
        VD_CHECK(vf_ival_leq(a, a), "leq reflexive");
        vf_ival c = vf_ival_join(j, rand_ival());
        VD_CHECK(vf_ival_leq(a, c) && vf_ival_leq(j, c), "transitive");
        VD_CHECK(vf_ival_equal(vf_ival_sync(a), vf_ival_sync(vf_ival_sync(a))), "sync idempotent");
        vf_ival w = vf_ival_widen(a, b, thresholds, NTH);
        VD_CHECK(vf_ival_leq(a, w) && vf_ival_leq(b, w), "widen a=" IVF " b=" IVF " w=" IVF, IV(a),
                 IV(b), IV(w));
        if (!vf_ival_is_bottom(a)) {
            vf_ival nb = vf_ival_meet(a, b); /* narrowing with something below a */
            vf_ival n = vf_ival_narrow(a, nb);
            VD_CHECK(vf_ival_leq(nb, n) && vf_ival_leq(n, a), "narrow a=" IVF " b=" IVF, IV(a), IV(nb));
        }
        for (int s = 0; s < SAMPLES && !vf_ival_is_bottom(a); s++) {
            bool ok;
            uint64_t x = member(a, &ok);
            if (!ok)
                continue;
            VD_CHECK(vf_ival_contains(j, x), "join contains");
            VD_CHECK(vf_ival_contains(m, x) == vf_ival_contains(b, x), "meet exact at %llu",
                     (unsigned long long)x);
            VD_CHECK(vf_ival_contains(w, x), "widen contains");
            VD_CHECK(vf_ival_contains(vf_ival_sync(a), x), "sync keeps members");
            if (vf_ival_leq(a, b))
                VD_CHECK(vf_ival_contains(b, x), "leq sound");
        }
    }
    vd_report("interval lattice");
}

static void test_widen_terminates(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < 500; i++, vd_cases++) {
        vf_ival x = rand_ival();
        int changes = 0;
        for (int k = 0; k < 200; k++) {
            vf_ival y = vf_ival_join(x, rand_ival());
            vf_ival nx = vf_ival_widen(x, y, thresholds, NTH);
            VD_CHECK(vf_ival_leq(y, nx), "widen upper bound");
            if (!vf_ival_equal(nx, x))
                changes++;
            x = nx;
        }
        /* each of the four bounds moves at most once per threshold plus once to the extreme */
        VD_CHECK(changes <= (int)(4 * (NTH + 1)), "widening changed %d times", changes);
    }
    vf_ival a = vf_ival_urange(0, 3), b = vf_ival_urange(0, 20);
    vf_ival w = vf_ival_widen(a, b, thresholds, NTH);
    VD_CHECK(w.umin == 0 && w.umax == 32, "threshold 32: " IVF, IV(w));
    vd_report("interval widening");
}

static void check_alu(vf_alu_op op, bool is64)
{
    for (int i = 0; i < CASES; i++) {
        vf_ival a = rand_ival(), b = rand_ival();
        if (op >= VF_ALU_LSH && vd_below(2))
            b = vf_ival_urange(vd_below(70), 70);
        vf_ival r = vf_ival_alu(op, a, b, is64);
        for (int s = 0; s < SAMPLES; s++, vd_cases++) {
            bool ok1, ok2;
            uint64_t x = member(a, &ok1), y = member(b, &ok2);
            if (!ok1 || !ok2)
                continue;
            uint64_t z = vd_alu(op, x, y, is64);
            VD_CHECK(vf_ival_contains(r, z), "%s%s a=" IVF " b=" IVF " x=%llu y=%llu -> %llu not in " IVF,
                     vd_alu_names[op], is64 ? "64" : "32", IV(a), IV(b), (unsigned long long)x,
                     (unsigned long long)y, (unsigned long long)z, IV(r));
        }
        uint64_t cx = vd_value(), cy = vd_value();
        vf_ival rc = vf_ival_alu(op, vf_ival_const(cx), vf_ival_const(cy), is64);
        VD_CHECK(vf_ival_contains(rc, vd_alu(op, cx, cy, is64)), "const %s", vd_alu_names[op]);
    }
}

static void test_alu(void **state)
{
    (void)state;
    char name[64];
    for (int w = 0; w < 2; w++)
        for (int op = 0; op < VF_ALU_COUNT; op++) {
            vd_seed_init();
            check_alu((vf_alu_op)op, w == 0);
            snprintf(name, sizeof name, "interval %s%s", vd_alu_names[op], w == 0 ? "64" : "32");
            vd_report(name);
        }
    /* precision spot checks: no overflow keeps exact bounds */
    vf_ival s = vf_ival_add(vf_ival_urange(1, 10), vf_ival_urange(100, 200));
    VD_CHECK(s.umin == 101 && s.umax == 210, "add exact " IVF, IV(s));
    s = vf_ival_add(vf_ival_urange(1, 10), vf_ival_const(UINT64_MAX)); /* x - 1 */
    VD_CHECK(s.umin == 0 && s.umax == 9, "add wrapping both ends " IVF, IV(s));
}

static void test_unary(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < CASES; i++) {
        vf_ival a = rand_ival();
        vf_ival n = vf_ival_neg(a), t = vf_ival_trunc32(a), sx = vf_ival_sext32(a);
        for (int s = 0; s < SAMPLES; s++, vd_cases++) {
            bool ok;
            uint64_t x = member(a, &ok);
            if (!ok)
                continue;
            VD_CHECK(vf_ival_contains(n, (uint64_t)0 - x), "neg");
            VD_CHECK(vf_ival_contains(t, (uint32_t)x), "trunc32 a=" IVF " x=%llu", IV(a),
                     (unsigned long long)x);
            VD_CHECK(vf_ival_contains(sx, (uint64_t)(int64_t)(int32_t)(uint32_t)x), "sext32");
        }
    }
    vd_report("interval neg/trunc/sext");
}

static void test_refine(void **state)
{
    (void)state;
    char name[64];
    for (int w = 0; w < 2; w++)
        for (int op = 0; op < VF_CMP_COUNT; op++) {
            vd_seed_init();
            bool is64 = w == 0;
            for (int i = 0; i < CASES; i++) {
                vf_ival a = rand_ival(), b = vd_below(3) ? rand_ival() : vf_ival_const(vd_value());
                if (vd_below(4) == 0) /* overlapping operands make both outcomes likely */
                    b = vf_ival_join(vf_ival_const(a.umin), vf_ival_const(a.umax));
                bool taken = vd_below(2);
                vf_ival x = a, y = b;
                bool feasible = vf_ival_refine((vf_cmp_op)op, taken, is64, &x, &y);
                VD_CHECK(feasible == !vf_ival_is_bottom(x), "return value matches bottom");
                for (int s = 0; s < 2 * SAMPLES; s++, vd_cases++) {
                    bool ok1, ok2;
                    uint64_t u = member(a, &ok1), v = member(b, &ok2);
                    if (!ok1 || !ok2 || vd_cmp((vf_cmp_op)op, u, v, is64) != taken)
                        continue;
                    VD_CHECK(vf_ival_contains(x, u) && vf_ival_contains(y, v),
                             "%s%s %s a=" IVF " b=" IVF " u=%llu v=%llu -> x=" IVF " y=" IVF,
                             vd_cmp_names[op], is64 ? "" : "32", taken ? "taken" : "not taken", IV(a),
                             IV(b), (unsigned long long)u, (unsigned long long)v, IV(x), IV(y));
                }
            }
            snprintf(name, sizeof name, "interval refine %s%s", vd_cmp_names[op], is64 ? "" : "32");
            vd_report(name);
        }
    /* precision spot checks */
    vf_ival x = vf_ival_urange(0, 100), c = vf_ival_const(10);
    VD_CHECK(vf_ival_refine(VF_CMP_LT, true, true, &x, &c) && x.umax == 9, "x < 10");
    x = vf_ival_urange(0, 100), c = vf_ival_const(10);
    VD_CHECK(vf_ival_refine(VF_CMP_LT, false, true, &x, &c) && x.umin == 10, "!(x < 10)");
    x = vf_ival_urange(20, 100), c = vf_ival_const(10);
    VD_CHECK(!vf_ival_refine(VF_CMP_LT, true, true, &x, &c), "20..100 < 10 infeasible");
    x = vf_ival_srange(-5, 5), c = vf_ival_const(0);
    VD_CHECK(vf_ival_refine(VF_CMP_SGE, true, true, &x, &c) && x.smin == 0 && x.umax == 5, "x s>= 0");
    x = vf_ival_urange(0x100000000, 0x1ffffffff), c = vf_ival_const(16);
    VD_CHECK(vf_ival_refine(VF_CMP_LE, true, false, &x, &c) && x.umax == 0x100000010, "w32 <= 16");
}

static vf_tnum rand_tnum(void)
{
    uint64_t mask = vd_below(2) ? vd_rand() & vd_rand() : (UINT64_C(1) << vd_below(64)) - 1;
    vf_tnum t = { vd_value() & ~mask, mask };
    return t;
}

static void test_reduce(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < CASES; i++) {
        vf_tnum t = rand_tnum();
        /* an interval overlapping the tnum: around two of its members */
        uint64_t m1 = t.value | (vd_rand() & t.mask), m2 = t.value | (vd_rand() & t.mask);
        vf_ival iv = vd_below(2) ? vf_ival_urange(m1 < m2 ? m1 : m2, m1 < m2 ? m2 : m1)
                                 : vf_ival_srange((int64_t)m1 < (int64_t)m2 ? (int64_t)m1 : (int64_t)m2,
                                                  (int64_t)m1 < (int64_t)m2 ? (int64_t)m2 : (int64_t)m1);
        if (vd_below(4) == 0)
            iv = rand_ival();
        vf_ival fi = vf_ival_from_tnum(t);
        vf_ival riv = iv;
        vf_tnum rt = t;
        bool ok = vf_ival_reduce(&riv, &rt);
        VD_CHECK(vf_ival_leq(riv, iv) && (vf_tnum_leq(rt, t)), "reduce only shrinks");
        for (int s = 0; s < SAMPLES; s++, vd_cases++) {
            uint64_t x = vd_below(2) ? (t.value | (vd_rand() & t.mask)) : (vd_below(2) ? m1 : m2);
            VD_CHECK(vf_ival_contains(fi, x), "from_tnum");
            if (!vf_ival_contains(iv, x))
                continue;
            VD_CHECK(ok && vf_ival_contains(riv, x) && vf_tnum_contains(rt, x),
                     "reduce lost %llu: t=(%llx,%llx) iv=" IVF, (unsigned long long)x,
                     (unsigned long long)t.value, (unsigned long long)t.mask, IV(iv));
        }
    }
    vf_ival iv = vf_ival_urange(0, 255);
    vf_tnum t = vf_tnum_top();
    VD_CHECK(vf_ival_reduce(&iv, &t) && t.value == 0 && t.mask == 0xff, "high bits from bounds");
    iv = vf_ival_top();
    t = (vf_tnum){ 0x10, 0x0f };
    VD_CHECK(vf_ival_reduce(&iv, &t) && iv.umin == 0x10 && iv.umax == 0x1f && iv.smin == 0x10, "bounds from bits");
    iv = vf_ival_urange(0, 15);
    t = vf_tnum_const(0x20);
    VD_CHECK(!vf_ival_reduce(&iv, &t) && vf_tnum_is_bottom(t), "conflict is bottom");
    vd_report("interval reduce");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lattice),
        cmocka_unit_test(test_widen_terminates),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_unary),
        cmocka_unit_test(test_refine),
        cmocka_unit_test(test_reduce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
