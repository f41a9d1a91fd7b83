/*
 * vf_state.c - the abstract state as a lattice: allocation and copy, join and widening, inclusion,
 * and the reduction between the per-register intervals and the zone.
 *
 * Register types form a flat lattice with two refinements: a number that is exactly 0 joined with a
 * pointer (or a maybe-NULL pointer) of the same region gives the maybe-NULL form, and anything joined
 * with an uninitialised register is uninitialised (unusable). Other mixes give VF_T_MIXED (unusable).
 * Stack bytes: UNINIT is top; NUM joins NUM; spills join slot by slot. Held references join by union
 * (a reference held on any path is held: the exit check then reports the possible leak).
 * Speed: states the fixpoint drops are kept in vf_ctx for reuse (no allocator round trips), copies skip
 * unspilled slots, and joins of equal registers are remembered (reg_join must stay a pure function of
 * its operands and the widening mode for that memo to hold).
 */
#include "verifier/vf_int.h"

#include <stdlib.h>
#include <string.h>

vf_state *vf_state_new(void)
{
    vf_state *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->zone = vf_zone_create(VF_NVARS);
    if (!s->zone) {
        free(s);
        return NULL;
    }
    for (int i = 0; i < ISA_REG_COUNT; i++)
        vf_reg_set_uninit(&s->regs[i]);
    vf_zone_add_bounds(s->zone, VF_V_PKT, 0, VF_PKT_MAX);
    vf_zone_add_bounds(s->zone, VF_V_META, -VF_PKT_MAX, 0);
    return s;
}

void vf_state_free(vf_state *s)
{
    if (!s)
        return;
    for (int i = 0; i < VF_MAX_FRAMES; i++)
        free(s->frames[i]);
    vf_zone_free(s->zone);
    free(s);
}

/* d := s. Only the spilled slots are copied: a slot means something only where its bytes are
 * VF_B_SPILL (vf_int.h), and most of a frame's 64 slots are not spilled. */
static void frame_copy(vf_frame *d, const vf_frame *s)
{
    memcpy(d->bytes, s->bytes, sizeof d->bytes);
    for (int k = 0; k < VF_SLOTS; k++)
        if (s->bytes[k * 8] == VF_B_SPILL)
            d->slots[k] = s->slots[k];
    memcpy(d->saved, s->saved, sizeof d->saved);
}

void vf_state_assign(vf_state *dst, const vf_state *src)
{
    if (dst == src)
        return;
    dst->bottom = src->bottom;
    dst->nrefs = src->nrefs;
    memcpy(dst->refs, src->refs, sizeof dst->refs);
    memcpy(dst->regs, src->regs, sizeof dst->regs);
    memcpy(dst->stride, src->stride, sizeof dst->stride);
    for (int i = 0; i < VF_MAX_FRAMES; i++) {
        if (i < src->depth) {
            if (!dst->frames[i])
                dst->frames[i] = malloc(sizeof(vf_frame));
            if (dst->frames[i])
                frame_copy(dst->frames[i], src->frames[i]);
        } else if (dst->frames[i]) {
            free(dst->frames[i]);
            dst->frames[i] = NULL;
        }
    }
    dst->depth = src->depth;
    vf_zone_assign_from(dst->zone, src->zone);
}

/* d := s; NULL (d freed) when a frame could not be allocated. */
static vf_state *assign_or_free(vf_state *d, const vf_state *s)
{
    vf_state_assign(d, s);
    for (int i = 0; i < s->depth; i++)
        if (!d->frames[i]) {
            vf_state_free(d);
            return NULL;
        }
    return d;
}

vf_state *vf_state_copy(const vf_state *s)
{
    vf_state *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->zone = vf_zone_copy(s->zone);
    if (!d->zone) {
        free(d);
        return NULL;
    }
    return assign_or_free(d, s);
}

vf_state *vf_state_dup(vf_ctx *c, const vf_state *s)
{
    return c->spare ? assign_or_free(vf_state_scratch(c), s) : vf_state_copy(s);
}

vf_state *vf_state_scratch(vf_ctx *c)
{
    vf_state *d = c->spare;
    if (!d)
        return vf_state_new();
    c->spare = d->next_spare;
    d->next_spare = NULL;
    return d;
}

vf_state *vf_state_take(vf_ctx *c, vf_state *s)
{
    vf_state *d = vf_state_scratch(c);
    if (!d)
        return NULL;
    vf_state t = *d; /* both are off the spare list: next_spare is NULL in each */
    *d = *s;
    *s = t;
    return d;
}

void vf_state_drop(vf_ctx *c, vf_state *s)
{
    if (!s)
        return;
    s->next_spare = c->spare;
    c->spare = s;
}

void vf_state_spares_free(vf_ctx *c)
{
    free(c->join_memo);
    c->join_memo = NULL;
    while (c->spare) {
        vf_state *s = c->spare;
        c->spare = s->next_spare;
        vf_state_free(s);
    }
}

bool vf_state_push_frame(vf_state *s)
{
    if (s->depth >= VF_MAX_FRAMES)
        return false;
    vf_frame *f = calloc(1, sizeof *f);
    if (!f)
        return false;
    for (int i = 0; i < 4; i++)
        vf_reg_set_uninit(&f->saved[i]);
    s->frames[s->depth++] = f;
    return true;
}

void vf_state_pop_frame(vf_state *s)
{
    if (s->depth == 0)
        return;
    s->depth--;
    free(s->frames[s->depth]);
    s->frames[s->depth] = NULL;
}

void vf_state_set_bottom(vf_state *s)
{
    s->bottom = true;
}

/* ---- registers ---- */

void vf_reg_set_uninit(vf_reg *r)
{
    memset(r, 0, sizeof *r);
    r->type = VF_T_UNINIT;
    r->map = -1;
    r->v = vf_ival_top();
    r->t = vf_tnum_top();
}

void vf_reg_set_dead(vf_reg *r, vf_why why)
{
    vf_reg_set_uninit(r);
    r->why = (uint8_t)why;
}

void vf_reg_set_num(vf_reg *r, vf_ival v, vf_tnum t)
{
    vf_reg_set_uninit(r);
    r->type = VF_T_NUM;
    r->v = v;
    r->t = t;
    vf_reg_reduce(r);
}

void vf_reg_reduce(vf_reg *r)
{
    if (!vf_ival_reduce(&r->v, &r->t)) {
        r->v = vf_ival_bottom();
        r->t = vf_tnum_bottom();
    }
}

bool vf_reg_is_ptr(const vf_reg *r)
{
    return r->type != VF_T_UNINIT && r->type != VF_T_NUM && r->type != VF_T_MIXED;
}

bool vf_reg_const(const vf_reg *r, uint64_t *c)
{
    return r->type == VF_T_NUM && vf_ival_is_const(r->v, c);
}

/* Does the register's offset/value live in its zone variable? */
static bool has_number(uint8_t type)
{
    return type != VF_T_UNINIT && type != VF_T_MIXED && type != VF_T_PKT_END && type != VF_T_MAP_PTR &&
           type != VF_T_MAP_PTR_OR_NULL && type != VF_T_FUNC;
}

void vf_sync_reg(vf_state *s, int r)
{
    unsigned var = VF_V_REG0 + (unsigned)r;
    vf_reg *x = &s->regs[r];
    if (x->type == VF_T_PKT_END) {
        vf_zone_assign_var(s->zone, var, VF_V_PKT, 0);
        return;
    }
    vf_zone_forget(s->zone, var);
    if (has_number(x->type) && !vf_ival_is_bottom(x->v))
        vf_zone_add_bounds(s->zone, var, x->v.smin, x->v.smax);
}

/* floor(a / k) and ceil(a / k) for k != 0 (a finite, not INT64_MIN with k == -1: k is a stride, |k| >= 2). */
static int64_t div_floor(int64_t a, int64_t k)
{
    int64_t q = a / k;
    return (a % k != 0 && ((a < 0) != (k < 0))) ? q - 1 : q;
}

static int64_t div_ceil(int64_t a, int64_t k)
{
    int64_t q = a / k;
    return (a % k != 0 && ((a < 0) == (k < 0))) ? q + 1 : q;
}

/* k * a, or `inf` (INT64_MIN / INT64_MAX: no bound) when a is infinite or the product overflows. */
static int64_t mul_bound(int64_t a, int64_t k, int64_t inf)
{
    int64_t r;
    if (a == INT64_MIN || a == INT64_MAX || __builtin_mul_overflow(a, k, &r))
        return inf;
    return r;
}

/* Counter slot i and its stride variable (g = k * counter): the bounds of each bound the other. */
static void reduce_strides(vf_state *s)
{
    for (unsigned i = 0; i < VF_MAX_COUNTERS; i++) {
        int64_t k = s->stride[i], clo, chi, glo, ghi;
        unsigned cv = VF_V_CNT + i, gv = VF_V_STRIDE + i;
        if (!k)
            continue;
        if (!vf_zone_bounds(s->zone, cv, &clo, &chi) || !vf_zone_bounds(s->zone, gv, &glo, &ghi))
            return; /* bottom */
        int64_t lo = mul_bound(k > 0 ? clo : chi, k, INT64_MIN), hi = mul_bound(k > 0 ? chi : clo, k, INT64_MAX);
        if (lo > glo || hi < ghi)
            vf_zone_add_bounds(s->zone, gv, lo > glo ? lo : INT64_MIN, hi < ghi ? hi : INT64_MAX);
        int64_t from = k > 0 ? glo : ghi, to = k > 0 ? ghi : glo;
        int64_t nlo = (from == INT64_MIN || from == INT64_MAX) ? INT64_MIN : div_ceil(from, k);
        int64_t nhi = (to == INT64_MIN || to == INT64_MAX) ? INT64_MAX : div_floor(to, k);
        if (nlo > clo || nhi < chi)
            vf_zone_add_bounds(s->zone, cv, nlo > clo ? nlo : INT64_MIN, nhi < chi ? nhi : INT64_MAX);
    }
}

/* A number spilled to the stack and the registers still holding it share a scalar id
 * (VF_SCALAR_ID): what a branch learned about such a register holds for the spilled copy too. */
static void refine_spilled_copies(vf_state *s)
{
    for (int r = 0; r < ISA_REG_COUNT; r++) {
        const vf_reg *x = &s->regs[r];
        if (x->type != VF_T_NUM || !(x->id & VF_SCALAR_ID))
            continue;
        for (int d = 0; d < s->depth; d++) {
            vf_frame *f = s->frames[d];
            for (int k = 0; k < VF_SLOTS; k++) {
                vf_reg *y = &f->slots[k];
                if (f->bytes[k * 8] != VF_B_SPILL || y->type != VF_T_NUM || y->id != x->id)
                    continue;
                vf_ival m = vf_ival_meet(y->v, x->v);
                vf_tnum t = vf_tnum_meet(y->t, x->t);
                if (vf_ival_is_bottom(m) || vf_tnum_is_bottom(t)) {
                    s->bottom = true;
                    return;
                }
                y->v = m;
                y->t = t;
                vf_reg_reduce(y);
            }
        }
    }
}

void vf_pull_bounds(vf_state *s)
{
    if (s->bottom)
        return;
    if (vf_zone_is_bottom(s->zone)) {
        s->bottom = true;
        return;
    }
    reduce_strides(s);
    if (vf_zone_is_bottom(s->zone)) {
        s->bottom = true;
        return;
    }
    for (int r = 0; r < ISA_REG_COUNT; r++) {
        vf_reg *x = &s->regs[r];
        if (!has_number(x->type))
            continue;
        int64_t lo, hi;
        if (!vf_zone_bounds(s->zone, VF_V_REG0 + (unsigned)r, &lo, &hi))
            continue;
        vf_ival m = vf_ival_meet(x->v, vf_ival_srange(lo, hi));
        if (vf_ival_is_bottom(m)) {
            s->bottom = true;
            return;
        }
        x->v = m;
        vf_reg_reduce(x);
    }
    refine_spilled_copies(s);
}

/* ---- references ---- */

bool vf_ref_add(vf_state *s, uint32_t id)
{
    for (int i = 0; i < s->nrefs; i++)
        if (s->refs[i] == id)
            return false;
    if (s->nrefs >= VF_MAX_REFS)
        return false;
    int i = s->nrefs++;
    while (i > 0 && s->refs[i - 1] > id) {
        s->refs[i] = s->refs[i - 1];
        i--;
    }
    s->refs[i] = id;
    return true;
}

void vf_ref_remove(vf_state *s, uint32_t id)
{
    for (int i = 0; i < s->nrefs; i++)
        if (s->refs[i] == id) {
            memmove(&s->refs[i], &s->refs[i + 1], (size_t)(s->nrefs - i - 1) * sizeof s->refs[0]);
            s->nrefs--;
            return;
        }
}

void vf_state_each_reg(vf_state *s, vf_reg_fn f, void *arg)
{
    for (int i = 0; i < ISA_REG_COUNT; i++)
        f(&s->regs[i], arg);
    for (int d = 0; d < s->depth; d++) {
        vf_frame *fr = s->frames[d];
        for (int k = 0; k < VF_SLOTS; k++)
            if (fr->bytes[k * 8] == VF_B_SPILL)
                f(&fr->slots[k], arg);
        for (int k = 0; k < 4; k++)
            f(&fr->saved[k], arg);
    }
}

/* ---- join, widening, inclusion ---- */

static uint8_t non_null_of(uint8_t t)
{
    switch (t) {
    case VF_T_MAP_VALUE_OR_NULL: return VF_T_MAP_VALUE;
    case VF_T_MAP_PTR_OR_NULL: return VF_T_MAP_PTR;
    case VF_T_MEM_OR_NULL: return VF_T_MEM;
    case VF_T_SOCK_OR_NULL: return VF_T_SOCK;
    default: return t;
    }
}

static uint8_t or_null_of(uint8_t t)
{
    switch (t) {
    case VF_T_MAP_VALUE: return VF_T_MAP_VALUE_OR_NULL;
    case VF_T_MAP_PTR: return VF_T_MAP_PTR_OR_NULL;
    case VF_T_MEM: return VF_T_MEM_OR_NULL;
    case VF_T_SOCK: return VF_T_SOCK_OR_NULL;
    default: return t;
    }
}

static bool is_or_null(uint8_t t)
{
    return non_null_of(t) != t;
}

static bool is_null_num(const vf_reg *r)
{
    uint64_t c;
    return r->type == VF_T_NUM && vf_ival_is_const(r->v, &c) && c == 0;
}

typedef struct vf_wctx {
    bool widen;
    const uint64_t *th;
    size_t n;
    uint8_t mode;           /* vf_state_join's widen argument (it decides th and n) */
    vf_join_memo *memo;     /* VF_JOIN_MEMOS entries, or NULL */
} vf_wctx;

static void set_mixed(vf_reg *r)
{
    vf_reg_set_uninit(r);
    r->type = VF_T_MIXED;
}

/* t with every bit above its lowest unknown bit made unknown (t itself when it is constant). */
static vf_tnum low_known_bits(vf_tnum t)
{
    if (vf_tnum_is_bottom(t) || t.mask == 0)
        return t;
    uint64_t keep = t.mask & (0 - t.mask); /* the lowest unknown bit */
    keep -= 1;                             /* the known bits below it */
    vf_tnum r = {t.value & keep, ~keep};
    return r;
}

/* r := r join o (or widening). */
static void reg_join(vf_reg *r, const vf_reg *o, const vf_wctx *w)
{
    if (r->type == VF_T_UNINIT || o->type == VF_T_UNINIT) {
        uint8_t why = r->type == VF_T_UNINIT ? r->why : o->why;
        vf_reg_set_dead(r, (vf_why)why);
        return;
    }
    if (r->type == VF_T_MIXED || o->type == VF_T_MIXED) {
        set_mixed(r);
        return;
    }
    vf_reg b = *o;
    if (r->type != b.type) {
        /* NULL joined with a pointer that may be NULL gives the maybe-NULL form */
        if (is_null_num(r) && or_null_of(b.type) != VF_T_NUM && or_null_of(b.type) != b.type) {
            uint8_t t = or_null_of(b.type);
            *r = b;
            r->type = t;
            return;
        }
        if (is_null_num(r) && is_or_null(b.type)) {
            *r = b;
            return;
        }
        if (is_null_num(&b) && (is_or_null(r->type) || or_null_of(r->type) != r->type)) {
            r->type = or_null_of(r->type);
            return;
        }
        if (non_null_of(r->type) == non_null_of(b.type)) {
            r->type = or_null_of(non_null_of(r->type));
        } else {
            set_mixed(r);
            return;
        }
    }
    if (r->type != VF_T_NUM) {
        if (r->frame != b.frame || r->ref != b.ref || (r->ref && r->id != b.id)) {
            set_mixed(r);
            return;
        }
        if (r->type == VF_T_FUNC) { /* one function, or a set of them */
            if (r->size != b.size) {
                if (!r->mset || !b.mset) {
                    set_mixed(r);
                    return;
                }
                r->size = VF_FUNC_SET;
            }
            r->mset |= b.mset;
            return;
        }
        if (r->map != b.map || r->mset != b.mset) {
            if (r->type == VF_T_MAP_PTR || r->type == VF_T_MAP_PTR_OR_NULL) {
                if (!r->mset || !b.mset) {
                    set_mixed(r);
                    return;
                }
                r->mset |= b.mset;
            }
            r->map = -1;
        }
        if (r->size != b.size)
            r->size = r->size < b.size ? r->size : b.size;
        r->ro |= b.ro;
        if (r->id != b.id)
            r->id = 0;
    }
    if (r->type == VF_T_NUM && r->id != b.id)
        r->id = 0;
    vf_ival j = vf_ival_join(r->v, b.v);
    r->v = w->widen ? vf_ival_widen(r->v, j, w->th, w->n) : j;
    vf_tnum tj = vf_tnum_join(r->t, b.t);
    /* known bits have a finite but tall lattice (64 steps): widening gives up unknown bits at once,
     * except the known low bits (alignment: a counter stepping by 8 stays a multiple of 8), which can
     * only shrink, so that widening still stabilises */
    r->t = w->widen && !vf_tnum_equal(tj, r->t) ? low_known_bits(tj) : tj;
    if (!w->widen)
        vf_reg_reduce(r);
}

static bool reg_same(const vf_reg *a, const vf_reg *b)
{
    return a->type == b->type && a->frame == b->frame && a->ro == b->ro && a->ref == b->ref && a->why == b->why &&
           a->map == b->map && a->id == b->id && a->size == b->size && a->mset == b->mset && a->v.smin == b->v.smin &&
           a->v.smax == b->v.smax && a->v.umin == b->v.umin && a->v.umax == b->v.umax && a->t.value == b->t.value &&
           a->t.mask == b->t.mask;
}

static size_t reg_hash(const vf_reg *r, uint8_t mode)
{
    uint64_t f[] = {r->type | (uint64_t)r->frame << 8 | (uint64_t)mode << 16, (uint64_t)r->map, r->size, r->mset,
                    (uint64_t)r->v.smin, (uint64_t)r->v.smax, r->v.umin, r->v.umax, r->t.value, r->t.mask};
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        h = (h ^ f[i]) * UINT64_C(0x9e3779b97f4a7c15);
    return (size_t)((h >> 32) % VF_JOIN_MEMOS); /* the multiply mixes upwards: take high bits */
}

/* reg_join(r, o, w), from w's memo when r and o are equal: reg_join is a pure function of its operands
 * and the widening mode, and the frames joined at a function's exits hold the same values in most
 * slots (the caller's frames), which reg_join would reduce again each time. */
static void join_memo(vf_reg *r, const vf_reg *o, const vf_wctx *w)
{
    if (!w->memo || !reg_same(r, o)) {
        reg_join(r, o, w);
        return;
    }
    vf_join_memo *m = &w->memo[reg_hash(r, w->mode)];
    if (m->used && m->widen == w->mode && reg_same(&m->in, r)) {
        *r = m->out;
        return;
    }
    m->in = *r;
    reg_join(r, o, w);
    m->out = *r;
    m->widen = w->mode;
    m->used = true;
}

static bool reg_leq(const vf_reg *a, const vf_reg *b)
{
    if (b->type == VF_T_UNINIT || b->type == VF_T_MIXED)
        return true;
    if (a->type != b->type) {
        if (is_null_num(a) && is_or_null(b->type))
            return true;
        if (is_or_null(b->type) && a->type == non_null_of(b->type))
            goto fields;
        return false;
    }
fields:
    if (a->type != VF_T_NUM) {
        /* b may claim a smaller region and fewer permissions (join keeps the smaller size, any ro) */
        if (a->frame != b->frame || a->ref != b->ref || a->ro > b->ro)
            return false;
        if (a->type == VF_T_FUNC)
            return a->size == b->size ? a->mset == b->mset
                                      : b->size == VF_FUNC_SET && a->mset && !(a->mset & ~b->mset);
        if (a->size < b->size)
            return false;
        if (a->map != b->map && b->map != -1)
            return false;
        if ((a->type == VF_T_MAP_PTR || a->type == VF_T_MAP_PTR_OR_NULL) && (a->mset & ~b->mset))
            return false;
        if (a->id != b->id && b->id != 0)
            return false;
        if (a->ref && a->id != b->id)
            return false;
    } else if (a->id != b->id && b->id != 0) { /* b claims an equality (scalar id) a does not have */
        return false;
    }
    return vf_ival_leq(a->v, b->v) && vf_tnum_leq(a->t, b->t);
}

static void frame_join(vf_frame *a, const vf_frame *b, const vf_wctx *w)
{
    for (int k = 0; k < VF_SLOTS; k++) {
        uint8_t *x = &a->bytes[k * 8];
        const uint8_t *y = &b->bytes[k * 8];
        bool xs = x[0] == VF_B_SPILL, ys = y[0] == VF_B_SPILL;
        if (xs && ys) {
            join_memo(&a->slots[k], &b->slots[k], w);
            continue;
        }
        if (xs || ys) {
            const vf_reg *sp = xs ? &a->slots[k] : &b->slots[k];
            const uint8_t *other = xs ? y : x;
            bool all_num = true;
            for (int i = 0; i < 8; i++)
                all_num &= other[i] == VF_B_NUM;
            uint8_t kind = (sp->type == VF_T_NUM && all_num) ? VF_B_NUM : VF_B_UNINIT;
            memset(x, kind, 8);
            continue;
        }
        if (memcmp(x, y, 8) != 0) /* mostly equal */
            for (int i = 0; i < 8; i++)
                if (x[i] != y[i])
                    x[i] = VF_B_UNINIT;
    }
    for (int i = 0; i < 4; i++)
        join_memo(&a->saved[i], &b->saved[i], w);
}

static bool frame_leq(const vf_frame *a, const vf_frame *b)
{
    for (int k = 0; k < VF_SLOTS; k++) {
        const uint8_t *x = &a->bytes[k * 8], *y = &b->bytes[k * 8];
        if (y[0] == VF_B_SPILL) {
            if (x[0] != VF_B_SPILL || !reg_leq(&a->slots[k], &b->slots[k]))
                return false;
            continue;
        }
        if (memcmp(x, y, 8) == 0)
            continue; /* the same bytes, none spilled: included */
        for (int i = 0; i < 8; i++) {
            if (y[i] == VF_B_UNINIT)
                continue;
            if (x[i] == VF_B_UNINIT)
                return false;
            if (x[i] == VF_B_SPILL && a->slots[k].type != VF_T_NUM)
                return false;
        }
    }
    for (int i = 0; i < 4; i++)
        if (!reg_leq(&a->saved[i], &b->saved[i]))
            return false;
    return true;
}

bool vf_state_leq(vf_state *a, vf_state *b)
{
    if (a->bottom)
        return true;
    if (b->bottom || a->depth != b->depth)
        return false;
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (!reg_leq(&a->regs[i], &b->regs[i]))
            return false;
    for (int d = 0; d < a->depth; d++)
        if (!frame_leq(a->frames[d], b->frames[d]))
            return false;
    for (int i = 0; i < VF_MAX_COUNTERS; i++)
        if (b->stride[i] && a->stride[i] != b->stride[i])
            return false;
    for (int i = 0; i < a->nrefs; i++) {
        bool found = false;
        for (int j = 0; j < b->nrefs; j++)
            found |= a->refs[i] == b->refs[j];
        if (!found)
            return false;
    }
    return vf_zone_leq(a->zone, b->zone);
}

bool vf_state_join(vf_ctx *c, vf_state *a, vf_state *b, int widen)
{
    if (b->bottom)
        return true;
    if (a->bottom) {
        vf_state_assign(a, b);
        for (int i = 0; i < a->depth; i++)
            if (!a->frames[i])
                return false;
        return true;
    }
    if (a->depth != b->depth) { /* cannot happen within one function; stay sound */
        for (int i = 0; i < ISA_REG_COUNT; i++)
            vf_reg_set_uninit(&a->regs[i]);
        return true;
    }
    if (!c->join_memo)
        c->join_memo = calloc(VF_JOIN_MEMOS, sizeof *c->join_memo); /* none: joins without it */
    vf_wctx w = {widen != 0, widen == 1 ? c->uth : NULL, widen == 1 ? c->nuth : 0, (uint8_t)widen, c->join_memo};
    for (int i = 0; i < ISA_REG_COUNT; i++)
        join_memo(&a->regs[i], &b->regs[i], &w);
    for (int d = 0; d < a->depth; d++)
        frame_join(a->frames[d], b->frames[d], &w);
    for (int i = 0; i < b->nrefs; i++)
        if (!vf_ref_add(a, b->refs[i])) {
            bool present = false;
            for (int j = 0; j < a->nrefs; j++)
                present |= a->refs[j] == b->refs[i];
            if (!present) /* more references than tracked: keep the state unusable at exit */
                a->refs[VF_MAX_REFS - 1] = UINT32_MAX;
        }
    /* registers that lost their meaning lose their zone facts. With widening they are forgotten in the
     * joined operand only: forgetting closes a zone, and the widened zone must never be closed (closure
     * would pull its infinite bounds back and the widening sequence would not terminate). */
    vf_zone *j = widen ? vf_zone_copy(a->zone) : a->zone;
    if (!j)
        return false;
    vf_zone_join(j, b->zone);
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (!has_number(a->regs[i].type) && a->regs[i].type != VF_T_PKT_END)
            vf_zone_forget(j, VF_V_REG0 + (unsigned)i);
    for (unsigned i = 0; i < VF_MAX_COUNTERS; i++)
        if (a->stride[i] != b->stride[i]) {
            a->stride[i] = 0;
            vf_zone_forget(j, VF_V_STRIDE + i);
        }
    if (widen) {
        vf_zone_widen(a->zone, j, widen == 1 ? c->sth : NULL, widen == 1 ? c->nsth : 0);
        vf_zone_free(j);
    } else {
        reduce_strides(a);
    }
    return true;
}

uint8_t vf_or_null_of(uint8_t type)
{
    return or_null_of(type);
}
