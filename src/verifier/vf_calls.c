/*
 * vf_calls.c - calls between functions of the program. Local (static) functions are analysed inline at
 * each call site in a new frame (depth <= 8, 512 bytes of stack each) with the caller's state as their
 * entry: the caller's r6-r9 are saved (their zone facts in the saved bank), r1-r5 are passed, and on
 * return r0 comes back, r1-r5 are clobbered and pointers into the dead frame are dropped; results are
 * memoised per (entry, entry state). Global functions are verified on their own from their signature
 * (vf_verify.c) and called through it when the arguments fit, else analysed inline. Callbacks of
 * bpf_loop and bpf_for_each_map_elem are iterated to a fixpoint of their effect on the caller.
 */
#include "verifier/vf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const vf_func *global_at(const vf_ctx *c, uint32_t entry)
{
    for (size_t i = 0; i < c->in->func_count; i++)
        if (c->in->funcs[i].entry == entry)
            return &c->in->funcs[i];
    return NULL;
}


static void clobber_args(vf_state *s)
{
    for (int r = 1; r <= 5; r++) {
        vf_reg_set_dead(&s->regs[r], VF_WHY_CALL);
        vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)r);
    }
}

typedef struct frame_arg {
    uint8_t frame;
} frame_arg;

static void drop_frame_ptr(vf_reg *r, void *arg)
{
    frame_arg *a = arg;
    if (r->type == VF_T_STACK && r->frame >= a->frame)
        vf_reg_set_dead(r, VF_WHY_FRAME);
}

/* Push a frame for a callee: the caller's r6..r9 are saved (their zone facts in the saved bank). */
static bool enter_frame(vf_ctx *c, vf_state *s, uint32_t pc)
{
    if (s->depth >= VF_MAX_FRAMES) {
        vf_fail(c, s, pc, "call depth exceeds %d frames", VF_MAX_FRAMES);
        return false;
    }
    vf_frame *top = s->frames[s->depth - 1];
    for (int i = 0; i < 4; i++) {
        top->saved[i] = s->regs[6 + i];
        vf_zone_forget(s->zone, VF_V_SAVED + (unsigned)i);
        vf_zone_assign_var(s->zone, VF_V_SAVED + (unsigned)i, VF_V_REG0 + 6 + (unsigned)i, 0);
    }
    if (!vf_state_push_frame(s)) {
        c->nomem = true;
        return false;
    }
    vf_reg_set_uninit(&s->regs[0]);
    vf_zone_forget(s->zone, VF_V_REG0);
    for (int i = 6; i <= 9; i++) {
        vf_reg_set_uninit(&s->regs[i]);
        vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)i);
    }
    vf_reg *fp = &s->regs[ISA_REG_FP];
    vf_reg_set_uninit(fp);
    fp->type = VF_T_STACK;
    fp->frame = (uint8_t)(s->depth - 1);
    fp->v = vf_ival_const(0);
    fp->t = vf_tnum_const(0);
    vf_zone_assign_const(s->zone, VF_V_REG0 + ISA_REG_FP, 0);
    return true;
}

static void leave_frame(vf_state *s)
{
    frame_arg a = {(uint8_t)(s->depth - 1)};
    vf_state_pop_frame(s);
    vf_state_each_reg(s, drop_frame_ptr, &a);
    vf_frame *top = s->frames[s->depth - 1];
    for (int i = 0; i < 4; i++) {
        s->regs[6 + i] = top->saved[i];
        vf_zone_assign_var(s->zone, VF_V_REG0 + 6 + (unsigned)i, VF_V_SAVED + (unsigned)i, 0);
    }
    for (int i = 0; i < 4; i++) {
        vf_zone_forget(s->zone, VF_V_SAVED + (unsigned)i);
        if (s->depth >= 2) {
            vf_reg *sv = &s->frames[s->depth - 2]->saved[i];
            if (sv->type != VF_T_UNINIT && sv->type != VF_T_MIXED && sv->type != VF_T_PKT_END)
                vf_zone_add_bounds(s->zone, VF_V_SAVED + (unsigned)i, sv->v.smin, sv->v.smax);
        }
    }
    for (int i = 0; i < ISA_REG_COUNT; i++)
        if (s->regs[i].type == VF_T_UNINIT)
            vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)i);
    clobber_args(s);
    vf_reg *fp = &s->regs[ISA_REG_FP];
    fp->type = VF_T_STACK;
    fp->frame = (uint8_t)(s->depth - 1);
    fp->v = vf_ival_const(0);
    fp->t = vf_tnum_const(0);
    vf_zone_assign_const(s->zone, VF_V_REG0 + ISA_REG_FP, 0);
}

/* The remembered analysis of (target, site, map) from a state equal to s; with `any_pass`, also one
 * made outside the checking pass while checking (its faults were not reported). */
static vf_memo *memo_find(vf_ctx *c, uint32_t target, uint32_t site, int map, vf_state *s, bool any_pass)
{
    for (unsigned i = 0; i < VF_MEMOS; i++) {
        vf_memo *m = &c->memos[i];
        if (m->in && m->entry == target && m->site == site && m->map == map &&
            (m->checked || !c->checking || any_pass) && vf_state_leq(s, m->in) && vf_state_leq(m->in, s))
            return m;
    }
    return NULL;
}

static void memo_add(vf_ctx *c, uint32_t target, uint32_t site, int map, const vf_state *in, const vf_state *out)
{
    vf_memo *m = &c->memos[c->next_memo++ % VF_MEMOS];
    vf_state_free(m->in);
    vf_state_free(m->out);
    m->entry = target;
    m->site = site;
    m->map = map;
    m->checked = c->checking;
    m->in = vf_state_copy(in);
    m->out = vf_state_copy(out);
    if (!m->in || !m->out) {
        vf_state_free(m->in);
        vf_state_free(m->out);
        m->in = m->out = NULL;
    }
}

void vf_memo_clear(vf_ctx *c)
{
    for (unsigned i = 0; i < VF_MEMOS; i++) {
        vf_state_free(c->memos[i].in);
        vf_state_free(c->memos[i].out);
        c->memos[i].in = c->memos[i].out = NULL;
    }
}

void vf_local_call(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t target, uint8_t cbase)
{
    if (!enter_frame(c, s, pc)) {
        s->bottom = true;
        return;
    }
    vf_memo *m = memo_find(c, target, 0, -1, s, false);
    if (m) {
        vf_state_assign(s, m->out);
    } else {
        vf_state *in = vf_state_copy(s);
        if (!in) {
            c->nomem = true;
            return;
        }
        vf_analyse_function(c, s, target, VF_F_LOCAL, cbase);
        if (!c->nomem && !c->failed)
            memo_add(c, target, 0, -1, in, s);
        vf_state_free(in);
    }
    if (s->bottom || c->nomem)
        return;
    leave_frame(s);
}

/* Does the function at entry (or a function it calls) call a helper that moves the packet? */
static bool may_change_packet(vf_ctx *c, uint32_t entry, int depth)
{
    vf_cfg *g = vf_cfg_get(c, entry);
    if (!g || g->pkt_change || depth >= VF_MAX_FRAMES)
        return true;
    for (uint32_t b = 0; b < g->nblocks; b++)
        for (uint32_t pc = g->blocks[b].start; pc <= g->blocks[b].last; pc += c->insns[pc].slots) {
            if (c->insns[pc].id != ISA_CALL_LOCAL && c->insns[pc].id != ISA_LDDW_FUNC)
                continue;
            int64_t t = (int64_t)pc + c->insns[pc].imm + 1;
            if (t >= 0 && (uint64_t)t < c->count && may_change_packet(c, (uint32_t)t, depth + 1))
                return true;
        }
    return false;
}

static uint8_t non_null(uint8_t t)
{
    switch (t) {
    case VF_T_MAP_VALUE_OR_NULL: return VF_T_MAP_VALUE;
    case VF_T_MEM_OR_NULL: return VF_T_MEM;
    case VF_T_SOCK_OR_NULL: return VF_T_SOCK;
    default: return t;
    }
}

/* Checks the arguments of a call to a global function against its signature; then the call's effect. */
static void global_args(vf_ctx *c, vf_state *s, uint32_t pc, const vf_func *fn)
{
    const char *name = fn->name ? fn->name : "a global function";
    for (int a = 0; a < fn->arg_count && a < 5; a++) {
        int r = a + 1;
        if (!vf_need_init(c, s, pc, r))
            continue;
        vf_reg *x = &s->regs[r];
        uint64_t k;
        switch (fn->args[a].kind) {
        case VF_ARG_SCALAR:
            if (x->type != VF_T_NUM && (c->in->flags & VF_UNPRIVILEGED))
                vf_fail(c, s, pc, "argument r%d of %s must be a number (it is a %s)", r, name, vf_type_name(x->type));
            break;
        case VF_ARG_CTX:
            if (x->type != VF_T_CTX || !vf_ival_is_const(x->v, &k) || k != 0)
                vf_fail(c, s, pc, "argument r%d of %s must be the context pointer (it is a %s)", r, name,
                        vf_type_name(x->type));
            break;
        case VF_ARG_MEM:
        case VF_ARG_MEM_OR_NULL: {
            if (fn->args[a].kind == VF_ARG_MEM_OR_NULL && vf_reg_const(x, &k) && k == 0)
                break;
            uint8_t saved = x->type;
            if (fn->args[a].kind == VF_ARG_MEM_OR_NULL)
                x->type = non_null(x->type); /* NULL may be passed: the function checks */
            char what[96];
            snprintf(what, sizeof what, "argument r%d of %s", r, name);
            if (x->type == VF_T_CTX)
                vf_fail(c, s, pc, "%s: the context cannot be passed as memory", what);
            else if (fn->args[a].size && vf_mem_check(c, s, pc, r, 0, fn->args[a].size, false, true, what) &&
                     vf_mem_check(c, s, pc, r, 0, fn->args[a].size, true, true, what))
                vf_stack_mark_num(s, x, fn->args[a].size, fn->args[a].size);
            x->type = saved;
            break;
        }
        default:
            vf_fail(c, s, pc, "argument %d of %s has a type this verifier cannot check", r, name);
            break;
        }
    }
    if (may_change_packet(c, fn->entry, 1))
        vf_invalidate_packet(s);
    clobber_args(s);
    vf_reg_set_num(&s->regs[0], vf_ival_top(), vf_tnum_top());
    vf_sync_reg(s, 0);
}

/* A global function verified from its signature is called through it when the arguments fit; otherwise
 * (arguments that do not fit, or a function that could not be verified on its own) its body is analysed
 * inline like a static function's, which is sound for this program. */
static void global_call(vf_ctx *c, vf_state *s, uint32_t pc, const vf_func *fn, uint8_t cbase)
{
    size_t i = (size_t)(fn - c->in->funcs);
    if (c->global_ok && c->global_ok[i] == 1) {
        vf_state *probe = vf_state_copy(s);
        if (!probe) {
            c->nomem = true;
            return;
        }
        bool chk = c->checking;
        unsigned before = c->fails;
        c->checking = false;
        global_args(c, probe, pc, fn);
        c->checking = chk;
        vf_state_free(probe);
        if (c->fails == before) {
            global_args(c, s, pc, fn);
            return;
        }
    }
    vf_local_call(c, s, pc, fn->entry, cbase);
}

/* The state a callback starts in: a new frame with its arguments. */
static bool callback_entry(vf_ctx *c, vf_state *t, uint32_t pc, int map, const vf_reg *ctxarg)
{
    if (!enter_frame(c, t, pc))
        return false;
    for (int r = 1; r <= 5; r++)
        vf_reg_set_uninit(&t->regs[r]);
    if (map < 0) { /* bpf_loop(nr, cb, ctx, flags): cb(index, ctx) */
        vf_reg_set_num(&t->regs[1], vf_ival_urange(0, UINT32_MAX), vf_tnum_range(0, UINT32_MAX));
        t->regs[2] = *ctxarg;
    } else { /* bpf_for_each_map_elem(map, cb, ctx, flags): cb(map, key, value, ctx) */
        const vf_map *m = &c->in->maps[map];
        vf_reg *r1 = &t->regs[1], *r2 = &t->regs[2], *r3 = &t->regs[3];
        r1->type = VF_T_MAP_PTR;
        r1->map = map;
        r1->v = vf_ival_const(0);
        r1->t = vf_tnum_const(0);
        r2->type = VF_T_MEM;
        r2->ro = 1;
        r2->size = m->key_size;
        r2->v = vf_ival_const(0);
        r2->t = vf_tnum_const(0);
        r3->type = VF_T_MAP_VALUE;
        r3->map = map;
        r3->size = m->value_size;
        r3->ro = m->read_only;
        r3->v = vf_ival_const(0);
        r3->t = vf_tnum_const(0);
        t->regs[4] = *ctxarg;
    }
    for (int r = 1; r <= 5; r++)
        vf_sync_reg(t, r);
    return true;
}

/* The state after the callback runs any number of times from s: a fixpoint over the callback's
 * analysis (with widening), checked once more in the checking pass. Remembered per (call, function,
 * map, state before): an equal state reuses it (a fixpoint made outside the checking pass is only
 * checked again). */
void vf_callback(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t entry, int map, uint8_t cbase)
{
    vf_memo *m = memo_find(c, entry, pc + 1, map, s, true);
    if (m && (m->checked || !c->checking)) {
        vf_state_assign(s, m->out);
        return;
    }
    vf_reg ctxarg = s->regs[3];
    bool chk = c->checking;
    c->checking = false;
    vf_state *in = vf_state_dup(c, s), *x = vf_state_dup(c, m ? m->out : s), *t = NULL;
    if (!x || !in) {
        vf_state_drop(c, in);
        vf_state_drop(c, x);
        c->nomem = true;
        c->checking = chk;
        return;
    }
    bool converged = m != NULL;
    for (int iter = 0; iter < 64 && !converged && !c->nomem && !c->failed; iter++) {
        vf_state_drop(c, t);
        t = vf_state_dup(c, x);
        if (!t) {
            c->nomem = true;
            break;
        }
        if (!callback_entry(c, t, pc, map, &ctxarg))
            break;
        vf_analyse_function(c, t, entry, VF_F_CALLBACK, cbase);
        if (t->bottom || c->nomem)
            break;
        leave_frame(t);
        if (vf_state_leq(t, x)) {
            converged = true;
            break;
        }
        if (!vf_state_join(c, x, t, iter < 2 ? 0 : iter < 16 ? 1 : 2))
            c->nomem = true;
    }
    if (!converged && t && !t->bottom && !c->nomem)
        c->budget = 0; /* x does not cover every run of the callback: the analysis must give up (refuse) */
    c->checking = chk;
    if (chk && !c->nomem) {
        vf_state_drop(c, t);
        t = vf_state_dup(c, x);
        if (t && callback_entry(c, t, pc, map, &ctxarg))
            vf_analyse_function(c, t, entry, VF_F_CALLBACK, cbase);
        else if (!t)
            c->nomem = true;
    }
    vf_state_drop(c, t);
    if (converged && !c->nomem && !c->failed)
        memo_add(c, entry, pc + 1, map, in, x);
    vf_state_drop(c, in);
    vf_state_assign(s, x);
    vf_state_drop(c, x);
}

void vf_call_function(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t target, uint8_t cbase)
{
    const vf_func *g = global_at(c, target);
    if (g)
        global_call(c, s, pc, g, cbase);
    else
        vf_local_call(c, s, pc, target, cbase);
}
