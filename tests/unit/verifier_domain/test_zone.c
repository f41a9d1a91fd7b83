/*
 * test_zone.c - the zone (DBM) domain against brute-force enumeration: random difference-constraint
 * systems over 3 variables in the box [-R, R]^3; every operation's result is compared with the
 * exact set of integer points (zones are exact for conjunctions of difference constraints, so the
 * comparisons are equalities, not just inclusions), plus lattice laws and widening termination.
 */
#include "vd_util.h"

#include <errno.h>
#include <stdlib.h>

#include "verifier/domain/zone.h"

#define NV 3
#define R 3
#define BIG (R + 4) /* the enlarged box for images of assignments */
#define SYSTEMS 600

static const int64_t zthresholds[] = { -1, 0, 1, 8, 64 };

typedef struct point {
    int64_t v[NV + 1]; /* v[0] = 0 */
} point;

typedef struct csys {
    int n;
    unsigned x[8], y[8];
    int64_t c[8];
} csys;

static bool sys_holds(const csys *s, const point *p)
{
    for (int i = 0; i < s->n; i++)
        if (p->v[s->x[i]] - p->v[s->y[i]] > s->c[i])
            return false;
    for (int k = 1; k <= NV; k++)
        if (p->v[k] < -R || p->v[k] > R)
            return false;
    return true;
}

static csys rand_sys(void)
{
    csys s;
    s.n = (int)vd_below(7);
    for (int i = 0; i < s.n; i++) {
        s.x[i] = (unsigned)vd_below(NV + 1);
        do
            s.y[i] = (unsigned)vd_below(NV + 1);
        while (s.y[i] == s.x[i]);
        s.c[i] = (int64_t)vd_below(13) - 6;
    }
    return s;
}

/* Build by incremental constraint addition, or (alternately) by meets of one-constraint zones
 * followed by a full Floyd-Warshall closure. */
static vf_zone *zone_of(const csys *s, bool incremental)
{
    vf_zone *z = vf_zone_create(NV);
    assert_non_null(z);
    for (unsigned k = 1; k <= NV; k++)
        vf_zone_add_bounds(z, k, -R, R);
    for (int i = 0; i < s->n; i++) {
        if (incremental) {
            vf_zone_add_constraint(z, s->x[i], s->y[i], s->c[i]);
        } else {
            vf_zone *one = vf_zone_create(NV);
            assert_non_null(one);
            vf_zone_add_constraint(one, s->x[i], s->y[i], s->c[i]);
            vf_zone_meet(z, one);
            vf_zone_free(one);
        }
    }
    vf_zone_close(z);
    return z;
}

static bool next_point(point *p, int64_t lo, int64_t hi)
{
    for (int k = 1; k <= NV; k++) {
        if (p->v[k] < hi) {
            p->v[k]++;
            return true;
        }
        p->v[k] = lo;
    }
    return false;
}

static point first_point(int64_t lo)
{
    point p = { { 0 } };
    for (int k = 1; k <= NV; k++)
        p.v[k] = lo;
    return p;
}

/* z must contain exactly the points of the box [-box, box]^NV for which `in` says so. */
typedef bool (*member_fn)(const void *ctx, const point *p);

static void check_exact(vf_zone *z, int64_t box, member_fn in, const void *ctx, const char *what)
{
    bool any = false;
    int64_t maxdiff[NV + 1][NV + 1];
    for (int i = 0; i <= NV; i++)
        for (int j = 0; j <= NV; j++)
            maxdiff[i][j] = INT64_MIN;
    point p = first_point(-box);
    do {
        bool m = in(ctx, &p);
        VD_CHECK(vf_zone_satisfies(z, p.v) == m, "%s: point (%lld,%lld,%lld) member=%d", what,
                 (long long)p.v[1], (long long)p.v[2], (long long)p.v[3], m);
        if (m) {
            any = true;
            for (int i = 0; i <= NV; i++)
                for (int j = 0; j <= NV; j++)
                    if (p.v[i] - p.v[j] > maxdiff[i][j])
                        maxdiff[i][j] = p.v[i] - p.v[j];
        }
    } while (next_point(&p, -box, box));
    VD_CHECK(vf_zone_is_bottom(z) == !any, "%s: bottom=%d but any=%d", what, vf_zone_is_bottom(z), any);
    if (!any)
        return;
    for (unsigned i = 0; i <= NV; i++)
        for (unsigned j = 0; j <= NV; j++) {
            int64_t c;
            bool bounded = vf_zone_diff_upper(z, i, j, &c);
            VD_CHECK(bounded && c == maxdiff[i][j], "%s: x%u - x%u <= %lld, tightest %lld", what, i, j,
                     bounded ? (long long)c : 999LL, (long long)maxdiff[i][j]);
        }
    for (unsigned k = 1; k <= NV; k++) {
        int64_t lo, hi;
        VD_CHECK(vf_zone_bounds(z, k, &lo, &hi) && lo == -maxdiff[0][k] && hi == maxdiff[k][0],
                 "%s: bounds of x%u", what, k);
    }
}

static bool in_sys(const void *ctx, const point *p) { return sys_holds(ctx, p); }

typedef struct two {
    const csys *a, *b;
} two;
static bool in_union(const void *ctx, const point *p)
{
    const two *t = ctx;
    return sys_holds(t->a, p) || sys_holds(t->b, p);
}
static bool in_inter(const void *ctx, const point *p)
{
    const two *t = ctx;
    return sys_holds(t->a, p) && sys_holds(t->b, p);
}

typedef struct assign_ctx {
    const csys *s;
    unsigned x, y; /* y == 0 for a constant, x == y for x := x + c */
    int64_t c;
    bool forget;
} assign_ctx;

/* q is in the image iff some p of the system maps to q: p agrees with q except at x, and
 * q[x] = p[y] + c (or anything, for forget). */
static bool in_image(const void *ctx, const point *q)
{
    const assign_ctx *a = ctx;
    for (int64_t v = -R; v <= R; v++) {
        point p = *q;
        p.v[a->x] = v;
        if (!sys_holds(a->s, &p))
            continue;
        if (a->forget || q->v[a->x] == p.v[a->y] + a->c)
            return true;
    }
    return false;
}

static void test_brute_force(void **state)
{
    (void)state;
    vd_seed_init();
    for (int i = 0; i < SYSTEMS; i++, vd_cases++) {
        csys sa = rand_sys(), sb = rand_sys();
        vf_zone *a = zone_of(&sa, true), *a2 = zone_of(&sa, false), *b = zone_of(&sb, i & 1);
        check_exact(a, R + 1, in_sys, &sa, "incremental closure");
        check_exact(a2, R + 1, in_sys, &sa, "Floyd-Warshall closure");
        VD_CHECK(vf_zone_leq(a, a2) && vf_zone_leq(a2, a), "both closures agree");

        two t = { &sa, &sb };
        bool subset = true;
        point p = first_point(-R);
        do
            if (sys_holds(&sa, &p) && !sys_holds(&sb, &p))
                subset = false;
        while (next_point(&p, -R, R));
        VD_CHECK(vf_zone_leq(a, b) == subset, "leq exact: %d vs subset %d", vf_zone_leq(a, b), subset);

        vf_zone *m = vf_zone_copy(a);
        vf_zone_meet(m, b);
        check_exact(m, R + 1, in_inter, &t, "meet");

        vf_zone *j = vf_zone_copy(a), *j2 = vf_zone_copy(b);
        vf_zone_join(j, b);
        vf_zone_join(j2, a);
        VD_CHECK(vf_zone_leq(j, j2) && vf_zone_leq(j2, j), "join commutes");
        VD_CHECK(vf_zone_leq(a, j) && vf_zone_leq(b, j), "join upper bound");
        VD_CHECK(vf_zone_leq(m, a) && vf_zone_leq(m, b), "meet lower bound");
        /* the join is the smallest zone containing the union: its bounds are the union's */
        int64_t c1, c2;
        for (unsigned x = 0; x <= NV; x++)
            for (unsigned y = 0; y <= NV; y++) {
                if (x == y || vf_zone_is_bottom(a) || vf_zone_is_bottom(b))
                    continue;
                VD_CHECK(vf_zone_diff_upper(j, x, y, &c1), "join bounded");
                vf_zone_diff_upper(a, x, y, &c2);
                int64_t want = c2;
                vf_zone_diff_upper(b, x, y, &c2);
                if (c2 > want)
                    want = c2;
                VD_CHECK(c1 == want, "join bound x%u-x%u: %lld want %lld", x, y, (long long)c1,
                         (long long)want);
            }
        p = first_point(-R);
        do
            if (in_union(&t, &p))
                VD_CHECK(vf_zone_satisfies(j, p.v), "join contains union");
        while (next_point(&p, -R, R));

        vf_zone *w = vf_zone_copy(a);
        vf_zone_widen(w, b, zthresholds, sizeof zthresholds / sizeof zthresholds[0]);
        VD_CHECK(vf_zone_leq(a, w) && vf_zone_leq(b, w), "widen upper bound");

        /* assignments and forget, exact against the enumerated image */
        assign_ctx ac = { &sa, 1 + (unsigned)vd_below(NV), (unsigned)vd_below(NV + 1),
                          (int64_t)vd_below(7) - 3, false };
        vf_zone *img = vf_zone_copy(a);
        if (vd_below(4) == 0)
            ac.y = ac.x; /* x := x + c */
        vf_zone_assign_var(img, ac.x, ac.y, ac.c);
        check_exact(img, BIG, in_image, &ac, "assign");
        ac.forget = true;
        vf_zone *fg = vf_zone_copy(a);
        vf_zone_forget(fg, ac.x);
        p = first_point(-BIG);
        do { /* forget leaves x unbounded: compare within the box, x free */
            VD_CHECK(vf_zone_satisfies(fg, p.v) == in_image(&ac, &p), "forget");
        } while (next_point(&p, -BIG, BIG));

        vf_zone_free(a);
        vf_zone_free(a2);
        vf_zone_free(b);
        vf_zone_free(m);
        vf_zone_free(j);
        vf_zone_free(j2);
        vf_zone_free(w);
        vf_zone_free(img);
        vf_zone_free(fg);
    }
    vd_report("zone brute force");
}

static void test_widen_terminates(void **state)
{
    (void)state;
    vd_seed_init();
    const size_t nth = sizeof zthresholds / sizeof zthresholds[0];
    for (int i = 0; i < 200; i++, vd_cases++) {
        csys s = rand_sys();
        vf_zone *x = zone_of(&s, true);
        int changes = 0;
        for (int k = 0; k < 100; k++) {
            csys r = rand_sys();
            vf_zone *y = zone_of(&r, true), *jx = vf_zone_copy(x), *old = vf_zone_copy(x);
            vf_zone_join(jx, y);
            vf_zone_widen(x, jx, zthresholds, nth);
            VD_CHECK(vf_zone_leq(jx, x), "widen upper bound");
            vf_zone *xc = vf_zone_copy(x); /* compare without closing x itself */
            if (!(vf_zone_leq(xc, old) && vf_zone_leq(old, xc)))
                changes++;
            vf_zone_free(xc);
            vf_zone_free(y);
            vf_zone_free(jx);
            vf_zone_free(old);
        }
        VD_CHECK(changes <= (int)((NV + 1) * (NV + 1) * (nth + 1)), "widening changed %d times", changes);
        vf_zone_free(x);
    }
    vd_report("zone widening");
}

static void test_api(void **state)
{
    (void)state;
    vd_seed_init();
    errno = 0;
    VD_CHECK(vf_zone_create(VF_ZONE_MAX_VARS + 1) == NULL && errno == EINVAL, "size limit");
    vf_zone *z = vf_zone_create(2);
    assert_non_null(z);
    /* saturation: huge bounds never overflow, results stay sound */
    VD_CHECK(vf_zone_add_constraint(z, 1, 2, INT64_MAX - 1), "huge");
    VD_CHECK(vf_zone_add_constraint(z, 2, 0, INT64_MAX - 1), "huge");
    int64_t lo, hi;
    VD_CHECK(vf_zone_bounds(z, 1, &lo, &hi) && hi == INT64_MAX && lo == INT64_MIN, "saturated to +inf");
    vf_zone_assign_const(z, 1, INT64_MIN);
    vf_zone_assign_var(z, 2, 1, INT64_MIN);
    VD_CHECK(vf_zone_bounds(z, 2, &lo, &hi) && hi == INT64_MIN, "saturated low bound");
    vf_zone_assign_var(z, 1, 1, INT64_MAX);
    vf_zone_set_top(z);
    /* loop-counter shape: i := 0; i := i + 1 under i < 10 */
    vf_zone_assign_const(z, 1, 0);
    vf_zone_assign_var(z, 2, 1, 4); /* j = i + 4 */
    vf_zone_assign_var(z, 1, 1, 1);
    int64_t c;
    VD_CHECK(vf_zone_diff_upper(z, 2, 1, &c) && c == 3, "j - i <= 3 after i++");
    vf_zone_set_bottom(z);
    VD_CHECK(vf_zone_is_bottom(z) && !vf_zone_add_constraint(z, 1, 0, 5), "bottom stays bottom");
    vf_zone *t = vf_zone_create(2);
    VD_CHECK(vf_zone_leq(z, t) && !vf_zone_leq(t, z), "bottom least");
    vf_zone_join(z, t);
    VD_CHECK(!vf_zone_is_bottom(z), "join with bottom");
    VD_CHECK(!vf_zone_add_constraint(t, 1, 1, -1), "x - x <= -1 is empty");
    vf_zone_free(t);
    vf_zone_free(z);
    vd_cases = 1;
    vd_report("zone api");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_widen_terminates),
        cmocka_unit_test(test_api),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
