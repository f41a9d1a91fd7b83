/*
 * vf_alu.c - transfer functions of register instructions: ALU and MOV (numbers through the interval,
 * known-bits and zone domains; pointer arithmetic where Linux allows it), and conditional jumps
 * (interval refinement, difference constraints in the zone, packet bound checks, NULL checks that
 * turn every copy of a maybe-NULL pointer into a pointer or into 0).
 */
#include "verifier/vf_int.h"

#include <string.h>

bool vf_need_init(vf_ctx *c, vf_state *s, uint32_t pc, int r)
{
    uint8_t t = s->regs[r].type;
    if (t == VF_T_UNINIT) {
        static const char *const why[] = {
            [VF_WHY_NEVER] = "it is not written on some path to here",
            [VF_WHY_CALL] = "calls leave r1-r5 undefined",
            [VF_WHY_PACKET] = ("a helper that may move the packet invalidated this packet pointer; reload data and "
                               "data_end from the context and check again"),
            [VF_WHY_RELEASED] = "the reference it held was released",
            [VF_WHY_FRAME] = "it pointed into the stack frame of a function that has returned",
        };
        uint8_t w = s->regs[r].why;
        vf_fail(c, s, pc, "r%d is not initialised here: %s", r, w <= VF_WHY_FRAME ? why[w] : why[0]);
        return false;
    }
    if (t == VF_T_MIXED) {
        vf_fail(c, s, pc, "r%d holds values of different types on different paths and cannot be used", r);
        return false;
    }
    return true;
}

static vf_alu_op alu_op(uint8_t opcode)
{
    switch (opcode & 0xf0) {
    case 0x00: return VF_ALU_ADD;
    case 0x10: return VF_ALU_SUB;
    case 0x20: return VF_ALU_MUL;
    case 0x30: return VF_ALU_DIV;
    case 0x40: return VF_ALU_OR;
    case 0x50: return VF_ALU_AND;
    case 0x60: return VF_ALU_LSH;
    case 0x70: return VF_ALU_RSH;
    case 0x90: return VF_ALU_MOD;
    case 0xa0: return VF_ALU_XOR;
    default: return VF_ALU_ARSH;
    }
}

static void set_top_num(vf_reg *r, bool is64)
{
    if (is64)
        vf_reg_set_num(r, vf_ival_top(), vf_tnum_top());
    else
        vf_reg_set_num(r, vf_ival_urange(0, UINT32_MAX), vf_tnum_range(0, UINT32_MAX));
}

static vf_reg imm_reg(int32_t imm, bool is64)
{
    vf_reg r;
    uint64_t v = is64 ? (uint64_t)(int64_t)imm : (uint64_t)(uint32_t)imm;
    vf_reg_set_num(&r, vf_ival_const(v), vf_tnum_const(v));
    return r;
}

static bool add_no_overflow(vf_ival a, int64_t k)
{
    int64_t x;
    return !__builtin_add_overflow(a.smin, k, &x) && !__builtin_add_overflow(a.smax, k, &x);
}

/* dst's zone variable after dst := dst OP src for ADD/SUB (the value already computed in s). */
static void zone_after_add(vf_state *s, int dst, const vf_reg *old_dst, const vf_reg *src, int srcno, bool sub)
{
    unsigned dv = VF_V_REG0 + (unsigned)dst;
    uint64_t k;
    if (vf_ival_is_const(src->v, &k) && (int64_t)k != INT64_MIN) {
        int64_t d = sub ? -(int64_t)k : (int64_t)k;
        if (add_no_overflow(old_dst->v, d)) {
            vf_zone_assign_var(s->zone, dv, dv, d);
            return;
        }
    } else if (!sub && srcno >= 0 && srcno != dst && vf_ival_is_const(old_dst->v, &k) &&
               add_no_overflow(src->v, (int64_t)k)) {
        vf_zone_assign_var(s->zone, dv, VF_V_REG0 + (unsigned)srcno, (int64_t)k);
        return;
    }
    vf_sync_reg(s, dst);
}

static bool arith_allowed(vf_ctx *c, vf_state *s, uint32_t pc, int r)
{
    uint8_t t = s->regs[r].type;
    switch (t) {
    case VF_T_STACK: case VF_T_PKT: case VF_T_MAP_VALUE: case VF_T_MEM: case VF_T_CTX:
        return true;
    case VF_T_MAP_VALUE_OR_NULL: case VF_T_MEM_OR_NULL: case VF_T_SOCK_OR_NULL: case VF_T_MAP_PTR_OR_NULL:
        vf_fail(c, s, pc, "pointer arithmetic on r%d, which may be NULL: check the result of %s for NULL first", r,
                vf_call_name(c, s->regs[r].id ? s->regs[r].id - 1 : UINT32_MAX));
        return false;
    default:
        vf_fail(c, s, pc, "pointer arithmetic on r%d (a %s) is not allowed", r, vf_type_name(t));
        return false;
    }
}

static bool same_region(const vf_reg *a, const vf_reg *b)
{
    bool pa = a->type == VF_T_PKT || a->type == VF_T_PKT_END, pb = b->type == VF_T_PKT || b->type == VF_T_PKT_END;
    if (pa || pb)
        return pa && pb;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case VF_T_STACK: return a->frame == b->frame;
    case VF_T_MAP_VALUE: return a->map >= 0 && a->map == b->map && a->id == b->id && a->id;
    case VF_T_MEM: return a->id && a->id == b->id;
    default: return false;
    }
}

static void ptr_sub_ptr(vf_ctx *c, vf_state *s, uint32_t pc, int dst, int src)
{
    vf_reg *d = &s->regs[dst];
    const vf_reg *b = &s->regs[src];
    if (!same_region(d, b)) {
        vf_fail(c, s, pc, "r%d - r%d subtracts pointers into different regions (%s, %s)", dst, src,
                vf_type_name(d->type), vf_type_name(b->type));
        set_top_num(d, true);
        vf_sync_reg(s, dst);
        return;
    }
    unsigned dv = VF_V_REG0 + (unsigned)dst, sv = VF_V_REG0 + (unsigned)src;
    int64_t hi, nlo;
    vf_ival r = vf_ival_top();
    if (d->type != VF_T_PKT_END && b->type != VF_T_PKT_END)
        r = vf_ival_sub(d->v, b->v);
    bool h = vf_zone_diff_upper(s->zone, dv, sv, &hi), l = vf_zone_diff_upper(s->zone, sv, dv, &nlo);
    vf_ival z = vf_ival_srange(l && nlo != INT64_MIN ? -nlo : INT64_MIN, h ? hi : INT64_MAX);
    r = vf_ival_meet(r, z);
    if (vf_ival_is_bottom(r))
        r = vf_ival_top();
    uint64_t k;
    bool keep = b->type != VF_T_PKT_END && vf_ival_is_const(b->v, &k) && (int64_t)k != INT64_MIN;
    vf_reg_set_num(d, r, vf_tnum_top());
    if (keep) /* dst - (src_base + k): the offset difference, still related to the packet size */
        vf_zone_assign_var(s->zone, dv, dv, -(int64_t)k);
    else
        vf_sync_reg(s, dst);
}

static void movsx(vf_state *s, int dst, const vf_reg *src, unsigned bits, bool is64)
{
    vf_tnum t = vf_tnum_sext(vf_tnum_trunc(src->t, bits), bits);
    int64_t lo = -((int64_t)1 << (bits - 1)), hi = ((int64_t)1 << (bits - 1)) - 1;
    vf_ival v = vf_ival_srange(lo, hi);
    if (src->v.umax <= (uint64_t)hi)
        v = vf_ival_urange(src->v.umin, src->v.umax);
    if (!is64) {
        v = vf_ival_trunc32(v);
        t = vf_tnum_cast32(t);
    }
    vf_reg_set_num(&s->regs[dst], v, t);
    vf_sync_reg(s, dst);
}

static void alu_endian(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    int dst = in->dst;
    if (!vf_need_init(c, s, pc, dst))
        goto top;
    vf_reg *d = &s->regs[dst];
    if (d->type != VF_T_NUM) {
        vf_fail(c, s, pc, "byte swap of r%d, a %s: only numbers may be swapped", dst, vf_type_name(d->type));
        goto top;
    }
    unsigned bits = (unsigned)in->imm;
    bool swap = in->id != ISA_LE16 && in->id != ISA_LE32 && in->id != ISA_LE64;
    vf_tnum t = swap ? vf_tnum_bswap(d->t, bits) : vf_tnum_trunc(d->t, bits);
    vf_ival v = vf_ival_from_tnum(t);
    if (!swap && bits < 64 && d->v.umax < ((uint64_t)1 << bits))
        v = d->v;
    else if (!swap && bits == 64)
        v = d->v;
    vf_reg_set_num(d, v, t);
    vf_sync_reg(s, dst);
    return;
top:
    set_top_num(&s->regs[dst], true);
    vf_sync_reg(s, dst);
}

void vf_alu(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in)
{
    int dst = in->dst;
    uint8_t opc = isa_infos[in->id].opcode;
    bool is64 = (opc & 0x07) == 0x07;
    bool use_reg = (opc & 0x08) != 0;
    uint8_t op = opc & 0xf0;
    vf_reg *d = &s->regs[dst];
    if (isa_infos[in->id].format == ISA_FMT_ENDIAN) {
        alu_endian(c, s, pc, in);
        return;
    }
    vf_reg src = use_reg ? s->regs[in->src] : imm_reg(in->imm, is64);
    int srcno = use_reg ? in->src : -1;
    if (use_reg && !vf_need_init(c, s, pc, in->src)) {
        set_top_num(d, is64);
        vf_sync_reg(s, dst);
        return;
    }
    if (op == 0xb0) { /* MOV */
        unsigned sx = in->id == ISA_MOVSX8_32 || in->id == ISA_MOVSX8_64 ? 8
                    : in->id == ISA_MOVSX16_32 || in->id == ISA_MOVSX16_64 ? 16
                    : in->id == ISA_MOVSX32_64 ? 32 : 0;
        if (sx || !is64) {
            if (src.type != VF_T_NUM) {
                if (c->in->flags & VF_UNPRIVILEGED)
                    vf_fail(c, s, pc, "r%d is a %s: truncating it leaks an address", in->src, vf_type_name(src.type));
                set_top_num(d, is64 && !sx);
                if (!is64)
                    set_top_num(d, false);
                vf_sync_reg(s, dst);
                return;
            }
            if (sx) {
                movsx(s, dst, &src, sx, is64);
                return;
            }
            vf_reg_set_num(d, vf_ival_trunc32(src.v), vf_tnum_cast32(src.t));
            if (srcno >= 0 && src.v.umax <= UINT32_MAX)
                vf_zone_assign_var(s->zone, VF_V_REG0 + (unsigned)dst, VF_V_REG0 + (unsigned)srcno, 0);
            else
                vf_sync_reg(s, dst);
            return;
        }
        *d = src;
        if (srcno >= 0)
            vf_zone_assign_var(s->zone, VF_V_REG0 + (unsigned)dst, VF_V_REG0 + (unsigned)srcno, 0);
        else
            vf_zone_assign_const(s->zone, VF_V_REG0 + (unsigned)dst, (int64_t)in->imm);
        return;
    }
    if (!vf_need_init(c, s, pc, dst)) {
        set_top_num(d, is64);
        vf_sync_reg(s, dst);
        return;
    }
    if (op == 0x80) { /* NEG */
        if (d->type != VF_T_NUM) {
            vf_fail(c, s, pc, "negating r%d, a %s, is not allowed", dst, vf_type_name(d->type));
            set_top_num(d, is64);
        } else {
            vf_reg zero = imm_reg(0, is64);
            vf_reg_set_num(d, vf_ival_alu(VF_ALU_SUB, zero.v, d->v, is64), vf_tnum_alu(VF_ALU_SUB, zero.t, d->t, is64));
        }
        vf_sync_reg(s, dst);
        return;
    }
    vf_alu_op aop = alu_op(opc);
    bool dptr = vf_reg_is_ptr(d), sptr = vf_reg_is_ptr(&src);
    if (!dptr && !sptr) {
        vf_reg old = *d;
        bool sdiv = in->id == ISA_SDIV32_IMM || in->id == ISA_SDIV32_REG || in->id == ISA_SDIV64_IMM ||
                    in->id == ISA_SDIV64_REG || in->id == ISA_SMOD32_IMM || in->id == ISA_SMOD32_REG ||
                    in->id == ISA_SMOD64_IMM || in->id == ISA_SMOD64_REG;
        if (sdiv) {
            set_top_num(d, is64);
            vf_sync_reg(s, dst);
            return;
        }
        vf_reg_set_num(d, vf_ival_alu(aop, old.v, src.v, is64), vf_tnum_alu(aop, old.t, src.t, is64));
        if (is64 && (aop == VF_ALU_ADD || aop == VF_ALU_SUB))
            zone_after_add(s, dst, &old, &src, srcno, aop == VF_ALU_SUB);
        else
            vf_sync_reg(s, dst);
        return;
    }
    if (is64 && aop == VF_ALU_ADD && dptr && sptr) {
        vf_fail(c, s, pc, "r%d + r%d adds two pointers", dst, in->src);
        set_top_num(d, true);
        vf_sync_reg(s, dst);
        return;
    }
    if (is64 && aop == VF_ALU_SUB && dptr && sptr) {
        ptr_sub_ptr(c, s, pc, dst, in->src);
        return;
    }
    if (!is64 || (aop != VF_ALU_ADD && aop != VF_ALU_SUB) || (aop == VF_ALU_SUB && sptr)) {
        vf_fail(c, s, pc, "this operation on a pointer (r%d is a %s) is not allowed: only adding or subtracting a number",
                dptr ? dst : in->src, vf_type_name(dptr ? d->type : src.type));
        set_top_num(d, is64);
        vf_sync_reg(s, dst);
        return;
    }
    if (dptr) { /* pointer +/- number */
        if (!arith_allowed(c, s, pc, dst)) {
            set_top_num(d, true);
            vf_sync_reg(s, dst);
            return;
        }
        vf_reg old = *d;
        d->v = vf_ival_alu(aop, old.v, src.v, true);
        d->t = vf_tnum_alu(aop, old.t, src.t, true);
        vf_reg_reduce(d);
        zone_after_add(s, dst, &old, &src, srcno, aop == VF_ALU_SUB);
        return;
    }
    /* number + pointer */
    if (!arith_allowed(c, s, pc, in->src)) {
        set_top_num(d, true);
        vf_sync_reg(s, dst);
        return;
    }
    vf_reg old = *d;
    *d = src;
    d->v = vf_ival_add(old.v, src.v);
    d->t = vf_tnum_add(old.t, src.t);
    vf_reg_reduce(d);
    uint64_t k;
    unsigned dv = VF_V_REG0 + (unsigned)dst;
    if (vf_ival_is_const(old.v, &k) && add_no_overflow(src.v, (int64_t)k))
        vf_zone_assign_var(s->zone, dv, VF_V_REG0 + (unsigned)in->src, (int64_t)k);
    else if (vf_ival_is_const(src.v, &k) && add_no_overflow(old.v, (int64_t)k))
        vf_zone_assign_var(s->zone, dv, dv, (int64_t)k);
    else
        vf_sync_reg(s, dst);
}

/* ---- branches ---- */

static vf_cmp_op cmp_op(uint8_t opcode)
{
    switch (opcode & 0xf0) {
    case 0x10: return VF_CMP_EQ;
    case 0x20: return VF_CMP_GT;
    case 0x30: return VF_CMP_GE;
    case 0x40: return VF_CMP_SET;
    case 0x50: return VF_CMP_NE;
    case 0x60: return VF_CMP_SGT;
    case 0x70: return VF_CMP_SGE;
    case 0xa0: return VF_CMP_LT;
    case 0xb0: return VF_CMP_LE;
    case 0xc0: return VF_CMP_SLT;
    default: return VF_CMP_SLE;
    }
}

/* The outcome `x OP y` taken/not as difference constraints; false when none applies. */
static int diff_constraints(vf_cmp_op op, bool taken, bool as_signed, int64_t cons[2][2])
{
    /* cons[i] = {sign, c}: sign 1 means x - y <= c, sign -1 means y - x <= c */
    if (!taken) {
        switch (op) {
        case VF_CMP_EQ: op = VF_CMP_NE; break;
        case VF_CMP_NE: op = VF_CMP_EQ; break;
        case VF_CMP_GT: op = VF_CMP_LE; break;
        case VF_CMP_GE: op = VF_CMP_LT; break;
        case VF_CMP_LT: op = VF_CMP_GE; break;
        case VF_CMP_LE: op = VF_CMP_GT; break;
        case VF_CMP_SGT: op = VF_CMP_SLE; break;
        case VF_CMP_SGE: op = VF_CMP_SLT; break;
        case VF_CMP_SLT: op = VF_CMP_SGE; break;
        case VF_CMP_SLE: op = VF_CMP_SGT; break;
        default: return 0;
        }
    }
    bool uns = op == VF_CMP_GT || op == VF_CMP_GE || op == VF_CMP_LT || op == VF_CMP_LE;
    if (uns && !as_signed)
        return 0;
    switch (op) {
    case VF_CMP_EQ: cons[0][0] = 1; cons[0][1] = 0; cons[1][0] = -1; cons[1][1] = 0; return 2;
    case VF_CMP_GT: case VF_CMP_SGT: cons[0][0] = -1; cons[0][1] = -1; return 1;
    case VF_CMP_GE: case VF_CMP_SGE: cons[0][0] = -1; cons[0][1] = 0; return 1;
    case VF_CMP_LT: case VF_CMP_SLT: cons[0][0] = 1; cons[0][1] = -1; return 1;
    case VF_CMP_LE: case VF_CMP_SLE: cons[0][0] = 1; cons[0][1] = 0; return 1;
    default: return 0;
    }
}

static void add_diffs(vf_state *s, unsigned x, unsigned y, vf_cmp_op op, bool taken, bool as_signed)
{
    int64_t cons[2][2];
    int n = diff_constraints(op, taken, as_signed, cons);
    for (int i = 0; i < n && !s->bottom; i++) {
        bool ok = cons[i][0] > 0 ? vf_zone_add_constraint(s->zone, x, y, cons[i][1])
                                 : vf_zone_add_constraint(s->zone, y, x, cons[i][1]);
        if (!ok)
            s->bottom = true;
    }
}

typedef struct null_arg {
    uint32_t id;
    bool is_null;
} null_arg;

static void apply_null(vf_reg *r, void *arg)
{
    null_arg *a = arg;
    if (!r->id || r->id != a->id)
        return;
    uint8_t t = r->type;
    if (t != VF_T_MAP_VALUE_OR_NULL && t != VF_T_MEM_OR_NULL && t != VF_T_SOCK_OR_NULL && t != VF_T_MAP_PTR_OR_NULL)
        return;
    if (a->is_null) {
        vf_reg_set_num(r, vf_ival_const(0), vf_tnum_const(0));
        return;
    }
    r->type = t == VF_T_MAP_VALUE_OR_NULL ? VF_T_MAP_VALUE : t == VF_T_MEM_OR_NULL ? VF_T_MEM
            : t == VF_T_SOCK_OR_NULL ? VF_T_SOCK : VF_T_MAP_PTR;
}

static void null_outcome(vf_state *s, int r, bool is_null)
{
    uint8_t before[ISA_REG_COUNT];
    for (int i = 0; i < ISA_REG_COUNT; i++)
        before[i] = s->regs[i].type;
    vf_reg *x = &s->regs[r];
    if (x->id) {
        null_arg a = {x->id, is_null};
        if (is_null && x->ref)
            vf_ref_remove(s, x->id);
        vf_state_each_reg(s, apply_null, &a);
    } else {
        null_arg a = {0, is_null};
        x->id = UINT32_MAX; /* a private id for this one register */
        a.id = UINT32_MAX;
        apply_null(x, &a);
        if (x->id == UINT32_MAX)
            x->id = 0;
    }
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (s->regs[i].type != before[i] && s->regs[i].type == VF_T_NUM)
            vf_zone_assign_const(s->zone, VF_V_REG0 + (unsigned)i, 0);
}

static bool is_or_null_type(uint8_t t)
{
    return t == VF_T_MAP_VALUE_OR_NULL || t == VF_T_MEM_OR_NULL || t == VF_T_SOCK_OR_NULL ||
           t == VF_T_MAP_PTR_OR_NULL;
}

static void refine_nums(vf_state *s, int dst, int srcno, vf_reg *b, vf_cmp_op op, bool taken, bool is64)
{
    vf_reg *a = &s->regs[dst];
    vf_ival av = a->v, bv = b->v;
    bool as_signed = a->v.smin >= 0 && b->v.smin >= 0;
    if (!vf_ival_refine(op, taken, is64, &av, &bv)) {
        s->bottom = true;
        return;
    }
    a->v = vf_ival_meet(a->v, av);
    if (op == VF_CMP_EQ && taken && is64)
        a->t = vf_tnum_meet(a->t, b->t);
    if (op == VF_CMP_NE && !taken && is64)
        a->t = vf_tnum_meet(a->t, b->t);
    vf_reg_reduce(a);
    if (vf_ival_is_bottom(a->v)) {
        s->bottom = true;
        return;
    }
    if (!vf_ival_is_bottom(a->v))
        vf_zone_add_bounds(s->zone, VF_V_REG0 + (unsigned)dst, a->v.smin, a->v.smax);
    if (srcno >= 0) {
        vf_reg *sr = &s->regs[srcno];
        sr->v = vf_ival_meet(sr->v, bv);
        if ((op == VF_CMP_EQ && taken) || (op == VF_CMP_NE && !taken))
            if (is64)
                sr->t = vf_tnum_meet(sr->t, a->t);
        vf_reg_reduce(sr);
        if (vf_ival_is_bottom(sr->v)) {
            s->bottom = true;
            return;
        }
        vf_zone_add_bounds(s->zone, VF_V_REG0 + (unsigned)srcno, sr->v.smin, sr->v.smax);
        if (is64)
            add_diffs(s, VF_V_REG0 + (unsigned)dst, VF_V_REG0 + (unsigned)srcno, op, taken, as_signed);
    }
    vf_pull_bounds(s);
}

static void refine_one(vf_ctx *c, vf_state *s, const isa_insn *in, vf_cmp_op op, bool taken, bool is64)
{
    (void)c;
    if (s->bottom)
        return;
    uint8_t opc = isa_infos[in->id].opcode;
    bool use_reg = (opc & 0x08) != 0;
    int dst = in->dst, srcno = use_reg ? in->src : -1;
    vf_reg *a = &s->regs[dst];
    vf_reg b = use_reg ? s->regs[in->src] : imm_reg(in->imm, is64);
    if (!use_reg)
        vf_reg_set_num(&b, vf_ival_const((uint64_t)(int64_t)in->imm), vf_tnum_const((uint64_t)(int64_t)in->imm));
    if (a->type == VF_T_NUM && b.type == VF_T_NUM) {
        refine_nums(s, dst, srcno, &b, op, taken, is64);
        return;
    }
    uint64_t k;
    bool b_null = vf_reg_const(&b, &k) && k == 0;
    bool a_null = vf_reg_const(a, &k) && k == 0;
    if ((op == VF_CMP_EQ || op == VF_CMP_NE) && (b_null || a_null) && is64) {
        int pr = b_null ? dst : srcno;
        if (pr < 0)
            return;
        vf_reg *p = &s->regs[pr];
        bool eq_holds = (op == VF_CMP_EQ) == taken;
        if (is_or_null_type(p->type)) {
            null_outcome(s, pr, eq_holds);
            return;
        }
        if (vf_reg_is_ptr(p) && p->type != VF_T_NUM && eq_holds && is64) {
            s->bottom = true; /* a valid pointer is never NULL */
            return;
        }
        return;
    }
    bool pa = a->type == VF_T_PKT || a->type == VF_T_PKT_END, pb = b.type == VF_T_PKT || b.type == VF_T_PKT_END;
    bool signed_op = op == VF_CMP_SGT || op == VF_CMP_SGE || op == VF_CMP_SLT || op == VF_CMP_SLE;
    if (pa && pb && srcno >= 0 && is64 && op != VF_CMP_SET && !signed_op) { /* addresses compare unsigned */
        add_diffs(s, VF_V_REG0 + (unsigned)dst, VF_V_REG0 + (unsigned)srcno, op, taken, true);
        vf_pull_bounds(s);
    }
}

void vf_branch(vf_ctx *c, vf_state *s, vf_state *t, uint32_t pc, const isa_insn *in)
{
    uint8_t opc = isa_infos[in->id].opcode;
    bool is64 = (opc & 0x07) == 0x05;
    bool use_reg = (opc & 0x08) != 0;
    bool ok = vf_need_init(c, s, pc, in->dst);
    if (use_reg)
        ok &= vf_need_init(c, s, pc, in->src);
    if (!ok)
        return; /* no refinement: both outcomes keep the state */
    vf_cmp_op op = cmp_op(opc);
    if (c->in->flags & VF_UNPRIVILEGED) {
        /* comparing addresses with numbers or with each other would reveal them, except the checks that
         * make programs safe: NULL checks of maybe-NULL pointers and packet bounds */
        const vf_reg *a = &s->regs[in->dst];
        vf_reg b;
        if (use_reg)
            b = s->regs[in->src];
        else
            vf_reg_set_num(&b, vf_ival_const((uint64_t)(int64_t)in->imm), vf_tnum_const((uint64_t)(int64_t)in->imm));
        bool ap = vf_reg_is_ptr(a), bp = vf_reg_is_ptr(&b);
        uint64_t k;
        bool a0 = vf_reg_const(a, &k) && k == 0, b0 = vf_reg_const(&b, &k) && k == 0;
        bool pkt = (a->type == VF_T_PKT || a->type == VF_T_PKT_END) && (b.type == VF_T_PKT || b.type == VF_T_PKT_END);
        bool null_check = (op == VF_CMP_EQ || op == VF_CMP_NE) && ((ap && b0) || (bp && a0));
        if ((ap || bp) && !pkt && !null_check)
            vf_fail(c, s, pc, "comparing r%d (a %s) with %s would reveal an address", ap ? in->dst : in->src,
                    vf_type_name(ap ? a->type : b.type), ap && bp ? "another pointer" : "a number");
    }
    refine_one(c, t, in, op, true, is64);
    refine_one(c, s, in, op, false, is64);
}
