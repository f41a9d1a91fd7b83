/*
 * test_tnum.c - the known-bits domain: lattice laws on random tnums and soundness of every
 * transfer function by sampling concrete members (see vd_util.h for the oracle and the seed).
 */
#include "vd_util.h"

#include "verifier/domain/tnum.h"

#define CASES 4000
#define SAMPLES 8

static vf_tnum rand_tnum(void)
{
    uint64_t mask;
    switch (vd_below(7)) {
    case 0: mask = 0; break;
    case 1: mask = UINT64_MAX; break;
    case 2: mask = vd_rand() & vd_rand() & vd_rand(); break;
    case 3: mask = (UINT64_C(1) << vd_below(64)) - 1; break; /* low bits unknown */
    case 4: mask = vd_rand() & 0xff; break;
    case 5: mask = ~((UINT64_C(1) << vd_below(64)) - 1); break; /* high bits unknown */
    default: mask = vd_rand(); break;
    }
    vf_tnum t = { vd_value() & ~mask, mask };
    return t;
}

static uint64_t member(vf_tnum t)
{
    switch (vd_below(6)) {
    case 0: return t.value;
    case 1: return t.value | t.mask;
    default: return t.value | (vd_rand() & t.mask);
    }
}

#define T(t) (unsigned long long)(t).value, (unsigned long long)(t).mask

static void test_lattice(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < CASES; i++, vd_cases++) {
        vf_tnum a = rand_tnum(), b = rand_tnum();
        if (vd_below(20) == 0)
            a = vf_tnum_bottom();
        vf_tnum j = vf_tnum_join(a, b), m = vf_tnum_meet(a, b);
        VD_CHECK(vf_tnum_leq(a, j) && vf_tnum_leq(b, j), "join a=(%llx,%llx) b=(%llx,%llx)", T(a), T(b));
        VD_CHECK(vf_tnum_leq(m, a) && vf_tnum_leq(m, b), "meet a=(%llx,%llx) b=(%llx,%llx)", T(a), T(b));
        VD_CHECK(vf_tnum_equal(j, vf_tnum_join(b, a)), "join commutes");
        VD_CHECK(vf_tnum_equal(m, vf_tnum_meet(b, a)), "meet commutes");
        VD_CHECK(vf_tnum_leq(a, a), "leq reflexive");
        VD_CHECK(vf_tnum_equal(vf_tnum_join(a, a), a), "join idempotent");
        /* chain a <= ab <= abc: transitivity */
        vf_tnum c = vf_tnum_join(j, rand_tnum());
        VD_CHECK(vf_tnum_leq(a, c), "transitive");
        /* leq agrees with membership; meet is exact; join contains members */
        for (int s = 0; s < SAMPLES && !vf_tnum_is_bottom(a); s++) {
            uint64_t x = member(a);
            VD_CHECK(vf_tnum_contains(a, x), "member");
            VD_CHECK(vf_tnum_contains(j, x), "join contains %llx", (unsigned long long)x);
            VD_CHECK(vf_tnum_contains(m, x) == vf_tnum_contains(b, x), "meet exact at %llx",
                     (unsigned long long)x);
            if (vf_tnum_leq(a, b))
                VD_CHECK(vf_tnum_contains(b, x), "leq sound");
            VD_CHECK(vf_tnum_umin(a) <= x && x <= vf_tnum_umax(a), "unsigned bounds");
            VD_CHECK(vf_tnum_smin(a) <= (int64_t)x && (int64_t)x <= vf_tnum_smax(a), "signed bounds");
        }
        /* range */
        uint64_t lo = vd_value(), hi = vd_value();
        if (lo > hi) {
            uint64_t t = lo;
            lo = hi;
            hi = t;
        }
        vf_tnum r = vf_tnum_range(lo, hi);
        VD_CHECK(vf_tnum_contains(r, lo) && vf_tnum_contains(r, hi), "range ends");
        uint64_t in = hi - lo == UINT64_MAX ? vd_rand() : lo + vd_below(hi - lo + 1);
        VD_CHECK(vf_tnum_contains(r, in), "range %llx..%llx misses %llx", (unsigned long long)lo,
                 (unsigned long long)hi, (unsigned long long)in);
    }
    VD_CHECK(vf_tnum_is_bottom(vf_tnum_meet(vf_tnum_const(1), vf_tnum_const(2))), "conflict");
    VD_CHECK(vf_tnum_leq(vf_tnum_bottom(), vf_tnum_const(3)), "bottom least");
    VD_CHECK(!vf_tnum_leq(vf_tnum_top(), vf_tnum_const(3)), "top not below const");
    vd_report("tnum lattice");
}

static void check_alu(vf_alu_op op, bool is64)
{
    for (int i = 0; i < CASES; i++) {
        vf_tnum a = rand_tnum(), b = rand_tnum();
        if (op >= VF_ALU_LSH && vd_below(2))
            b = vf_tnum_range(0, is64 ? 70 : 40); /* counts near the masking edge */
        vf_tnum r = vf_tnum_alu(op, a, b, is64);
        for (int s = 0; s < SAMPLES; s++, vd_cases++) {
            uint64_t x = member(a), y = member(b), z = vd_alu(op, x, y, is64);
            VD_CHECK(vf_tnum_contains(r, z),
                     "%s%s a=(%llx,%llx) b=(%llx,%llx) x=%llx y=%llx -> %llx not in (%llx,%llx)",
                     vd_alu_names[op], is64 ? "64" : "32", T(a), T(b), (unsigned long long)x,
                     (unsigned long long)y, (unsigned long long)z, T(r));
        }
        /* constants in, the exact constant out (mul/div/mod may be imprecise only if not const) */
        uint64_t cx = vd_value(), cy = vd_value();
        vf_tnum rc = vf_tnum_alu(op, vf_tnum_const(cx), vf_tnum_const(cy), is64);
        VD_CHECK(vf_tnum_contains(rc, vd_alu(op, cx, cy, is64)), "const %s", vd_alu_names[op]);
        if (op != VF_ALU_DIV)
            VD_CHECK(vf_tnum_is_const(rc), "const %s%s not exact", vd_alu_names[op], is64 ? "64" : "32");
        VD_CHECK(vf_tnum_is_bottom(vf_tnum_alu(op, vf_tnum_bottom(), b, is64)), "bottom in");
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
            snprintf(name, sizeof name, "tnum %s%s", vd_alu_names[op], w == 0 ? "64" : "32");
            vd_report(name);
        }
}

static uint64_t swap_ref(uint64_t x, unsigned bits)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < bits / 8; i++)
        r |= ((x >> (8 * i)) & 0xff) << (bits - 8 - 8 * i);
    return r;
}

static uint64_t sext_ref(uint64_t x, unsigned bits)
{
    switch (bits) {
    case 8: return (uint64_t)(int64_t)(int8_t)(uint8_t)x;
    case 16: return (uint64_t)(int64_t)(int16_t)(uint16_t)x;
    default: return (uint64_t)(int64_t)(int32_t)(uint32_t)x;
    }
}

static void test_unary(void **state)
{
    (void)state;
    vd_seed_init();
    static const unsigned widths[] = { 8, 16, 32 };
    static const unsigned swaps[] = { 16, 32, 64 };
    for (int i = 0; i < CASES; i++) {
        vf_tnum a = rand_tnum();
        unsigned k = (unsigned)vd_below(64);
        vf_tnum neg = vf_tnum_neg(a), c32 = vf_tnum_cast32(a);
        vf_tnum l = vf_tnum_lsh(a, k), r = vf_tnum_rsh(a, k), ar = vf_tnum_arsh(a, k);
        unsigned sw = widths[vd_below(3)], bw = swaps[vd_below(3)];
        vf_tnum sx = vf_tnum_sext(a, sw), bs = vf_tnum_bswap(a, bw), tr = vf_tnum_trunc(a, sw);
        for (int s = 0; s < SAMPLES; s++, vd_cases++) {
            uint64_t x = member(a);
            VD_CHECK(vf_tnum_contains(neg, (uint64_t)0 - x), "neg x=%llx", (unsigned long long)x);
            VD_CHECK(vf_tnum_contains(c32, (uint32_t)x), "cast32");
            VD_CHECK(vf_tnum_contains(l, x << k), "lsh %u", k);
            VD_CHECK(vf_tnum_contains(r, x >> k), "rsh %u", k);
            VD_CHECK(vf_tnum_contains(ar, vd_alu(VF_ALU_ARSH, x, k, true)), "arsh %u", k);
            VD_CHECK(vf_tnum_contains(sx, sext_ref(x, sw)), "sext%u a=(%llx,%llx) x=%llx", sw, T(a),
                     (unsigned long long)x);
            VD_CHECK(vf_tnum_contains(bs, swap_ref(x, bw)), "bswap%u", bw);
            VD_CHECK(vf_tnum_contains(tr, x & ((UINT64_C(1) << sw) - 1)), "trunc%u", sw);
        }
    }
    /* exactness spot checks */
    VD_CHECK(vf_tnum_equal(vf_tnum_bswap(vf_tnum_const(0x1122), 16), vf_tnum_const(0x2211)), "bswap16");
    VD_CHECK(vf_tnum_equal(vf_tnum_sext(vf_tnum_const(0x80), 8), vf_tnum_const(UINT64_C(0xffffffffffffff80))),
             "sext8");
    vf_tnum low = { 0, 0xff };
    VD_CHECK(vf_tnum_equal(vf_tnum_add(low, vf_tnum_const(0x100)), (vf_tnum){ 0x100, 0xff }), "add no carry");
    vd_report("tnum unary/const shifts");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lattice),
        cmocka_unit_test(test_alu),
        cmocka_unit_test(test_unary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
