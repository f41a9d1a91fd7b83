/*
 * vf_fixpoint.c - the abstract interpreter over one function: a worklist that always takes the pending
 * block first in the weak topological order (vf_cfg.c), so each loop stabilises before what follows
 * it; join at merge points, widening with thresholds at loop heads after two
 * plain updates, then two descending (narrowing) passes that re-apply the transfer functions to
 * the post-fixpoint, then one checking pass that reports faults from the final states.
 * Loop termination: each loop head owns a ghost counter in the zone, reset on entry and incremented
 * on its back edges; in the checking pass every back edge must carry a finite upper bound on it. The
 * counter of a head in vf_ctx.down counts down instead (-1 per back edge) and needs a finite lower
 * bound: the zone relates that one to a variable counting down (i - counter stays constant); see
 * vf_verify's retry. A loop with a stride (vf_cfg.c) also steps the counter's stride variable by the
 * stride on each back edge (vf_state.stride).
 * Calls between functions are vf_calls.c's.
 */
#include "verifier/vf_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_prog.h"

typedef struct vf_fn {
    vf_ctx *c;
    vf_cfg *g;
    vf_state **in;
    uint32_t *updates;
    vf_fkind kind;
    uint8_t cbase;
    vf_state *exit;
    bool termination;
    vf_keys keys;   /* which stack bytes keep states apart (vf_dset.c) */
    vf_state **back; /* descending passes: the last pass's states along back edges, per head */
} vf_fn;

static bool need_termination(const vf_ctx *c)
{
    return !(c->in->flags & VF_NO_TERMINATION);
}

/* ---- exits ---- */

static void check_exit(vf_fn *f, vf_state *s, uint32_t pc)
{
    vf_ctx *c = f->c;
    vf_reg *r0 = &s->regs[0];
    if (!vf_need_init(c, s, pc, 0))
        return;
    if (f->kind == VF_F_LOCAL) {
        if (r0->type == VF_T_STACK && r0->frame == s->depth - 1)
            vf_fail(c, s, pc, "a function returns a pointer into its own stack frame");
        return;
    }
    if (r0->type != VF_T_NUM) {
        vf_fail(c, s, pc, "r0 must be a number at exit (it is a %s)", vf_type_name(r0->type));
        return;
    }
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    const char *what = "this program type";
    if (f->kind == VF_F_ENTRY) {
        const abi_prog_type *t = abi_prog_type_by_id(c->prog_type);
        if (t) {
            lo = t->ret_min;
            hi = t->ret_max;
            what = t->name;
        }
    } else if (f->kind == VF_F_CALLBACK) {
        lo = 0;
        hi = 1;
        what = "callback";
    }
    if (r0->v.smin < lo || r0->v.smax > hi)
        vf_fail(c, s, pc, "return value may be in [%" PRId64 ", %" PRId64 "], outside [%" PRId64 ", %" PRId64 "] allowed for %s",
                r0->v.smin, r0->v.smax, lo, hi, what);
    if ((f->kind == VF_F_ENTRY || f->kind == VF_F_GLOBAL) && s->nrefs > 0) {
        uint32_t id = s->refs[0];
        vf_fail(c, s, pc, "the reference acquired at insn %" PRIu32 " (%s) is not released on every path before exit",
                id - 1, vf_call_name(c, id - 1));
    }
}

/* ---- one instruction ---- */

/* The FUNC set bit of the function at entry (0 beyond 64 functions: such a FUNC joins no other). */
static uint64_t callback_bit(vf_ctx *c, uint32_t entry)
{
    for (unsigned i = 0; i < c->ncb; i++)
        if (c->cb_entries[i] == entry)
            return (uint64_t)1 << i;
    if (c->ncb >= 64)
        return 0;
    c->cb_entries[c->ncb] = entry;
    return (uint64_t)1 << c->ncb++;
}

static void step(vf_fn *f, vf_state *s, uint32_t pc)
{
    vf_ctx *c = f->c;
    const isa_insn *in = &c->insns[pc];
    uint8_t cbase = (uint8_t)(f->cbase + f->g->max_nest);
    switch (isa_infos[in->id].format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
    case ISA_FMT_NEG:
    case ISA_FMT_ENDIAN:
        vf_alu(c, s, pc, in);
        return;
    case ISA_FMT_LDX:
        vf_load(c, s, pc, in);
        return;
    case ISA_FMT_ST:
    case ISA_FMT_STX:
        vf_store(c, s, pc, in);
        return;
    case ISA_FMT_ATOMIC:
        vf_atomic(c, s, pc, in);
        return;
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND:
        vf_ld_abs(c, s, pc, in);
        return;
    case ISA_FMT_LDDW: {
        vf_reg *d = &s->regs[in->dst];
        unsigned var = VF_V_REG0 + in->dst;
        vf_reg_set_uninit(d);
        if (in->id == ISA_LDDW) {
            vf_reg_set_num(d, vf_ival_const(in->imm64), vf_tnum_const(in->imm64));
            vf_zone_assign_const(s->zone, var, (int64_t)in->imm64);
            return;
        }
        if (in->id == ISA_LDDW_MAP_FD || in->id == ISA_LDDW_MAP_VALUE) {
            uint32_t m = (uint32_t)in->imm;
            if (m >= c->in->map_count) { /* refused as malformed before the analysis */
                d->type = VF_T_MIXED;
                vf_zone_forget(s->zone, var);
                return;
            }
            d->map = (int32_t)m;
            if (in->id == ISA_LDDW_MAP_FD) {
                d->type = VF_T_MAP_PTR;
                d->mset = m < 64 ? (uint64_t)1 << m : 0;
                d->v = vf_ival_const(0);
                d->t = vf_tnum_const(0);
            } else {
                d->type = VF_T_MAP_VALUE;
                d->size = c->in->maps[m].value_size;
                d->ro = c->in->maps[m].read_only;
                uint64_t off = (uint64_t)(int64_t)in->imm2;
                d->v = vf_ival_const(off);
                d->t = vf_tnum_const(off);
            }
            vf_sync_reg(s, in->dst);
            return;
        }
        if (in->id == ISA_LDDW_FUNC) {
            d->type = VF_T_FUNC;
            d->size = (uint32_t)((int64_t)pc + in->imm + 1);
            d->mset = callback_bit(c, d->size);
            vf_zone_forget(s->zone, var);
            return;
        }
        vf_fail(c, s, pc, "this lddw pseudo source (%u) is not supported", in->src);
        d->type = VF_T_MIXED;
        vf_zone_forget(s->zone, var);
        return;
    }
    case ISA_FMT_CALL_HELPER:
        vf_helper_call(c, s, pc, in, cbase);
        return;
    case ISA_FMT_CALL_LOCAL: {
        vf_call_function(c, s, pc, (uint32_t)((int64_t)pc + in->imm + 1), cbase);
        return;
    }
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_CALLX:
        vf_fail(c, s, pc, "calls to kernel functions and indirect calls are not supported");
        for (int r = 1; r <= 5; r++) {
            vf_reg_set_uninit(&s->regs[r]);
            vf_zone_forget(s->zone, VF_V_REG0 + (unsigned)r);
        }
        vf_reg_set_num(&s->regs[0], vf_ival_top(), vf_tnum_top());
        vf_sync_reg(s, 0);
        return;
    default:
        return; /* jumps and exit: at the block's end */
    }
}

/* ---- the fixpoint over blocks ---- */

static unsigned counter_var(const vf_fn *f, const vf_block *head)
{
    unsigned slot = (unsigned)f->cbase + head->nest;
    return slot < VF_MAX_COUNTERS ? VF_V_CNT + slot : 0;
}

/* The edge b -> succ k: loop counter update of the target head. */
static void edge_update(vf_fn *f, vf_block *b, int k, vf_state *e)
{
    vf_block *t = &f->g->blocks[b->succ[k]];
    if (!t->head || e->bottom)
        return;
    if (!b->back[k] && t->nest == 0)
        vf_keys_note_entry(&f->keys, b->succ[k], e);
    unsigned v = counter_var(f, t);
    if (!v)
        return;
    unsigned slot = v - VF_V_CNT, g = VF_V_STRIDE + slot;
    int64_t step = vf_counts_down(f->c, t->start) ? -1 : 1;
    if (b->back[k]) {
        vf_zone_assign_var(e->zone, v, v, step);
        if (e->stride[slot])
            vf_zone_assign_var(e->zone, g, g, step * e->stride[slot]);
        return;
    }
    vf_zone_assign_const(e->zone, v, 0);
    e->stride[slot] = t->stride;
    if (t->stride)
        vf_zone_assign_const(e->zone, g, 0);
    else
        vf_zone_forget(e->zone, g);
}

static void check_back_edge(vf_fn *f, vf_block *b, int k, vf_state *e)
{
    vf_ctx *c = f->c;
    if (!c->checking || !f->termination || !b->back[k] || e->bottom)
        return;
    vf_block *t = &f->g->blocks[b->succ[k]];
    unsigned v = counter_var(f, t);
    int64_t lo, hi;
    if (!v) {
        vf_fail(c, e, t->start, "loop at insn %" PRIu32 " is nested too deeply to prove that it terminates", t->start);
        return;
    }
    if (!vf_zone_bounds(e->zone, v, &lo, &hi))
        return; /* bottom */
    if (vf_counts_down(c, t->start) ? lo == INT64_MIN : hi == INT64_MAX) {
        if (!c->failed)
            c->term_head = t->start;
        vf_fail(c, e, t->start, "loop at insn %" PRIu32 " may not terminate: no bound on its iterations was found",
                t->start);
    }
}

static bool zero_extend_pair(const vf_ctx *c, uint32_t pc, uint32_t last)
{
    const isa_insn *a = &c->insns[pc];
    if (a->id != ISA_LSH64_IMM || a->imm != 32 || pc + 1 >= last)
        return false;
    const isa_insn *b = &c->insns[pc + 1];
    return b->id == ISA_RSH64_IMM && b->imm == 32 && b->dst == a->dst;
}

/* Runs block b from state s (consumed); calls sink(f, b, k, out) for each successor state. */
typedef void (*vf_sink)(vf_fn *f, uint32_t b, int k, vf_state *out, void *arg);

static void run_block(vf_fn *f, uint32_t bi, vf_state *s, vf_sink sink, void *arg)
{
    vf_ctx *c = f->c;
    vf_block *b = &f->g->blocks[bi];
    for (uint32_t pc = b->start;; pc += c->insns[pc].slots) {
        if (s->bottom)
            return;
        c->visits++;
        if (c->budget)
            c->budget--;
        const isa_insn *in = &c->insns[pc];
        if (pc == b->last) {
            if (in->id == ISA_EXIT) {
                check_exit(f, s, pc);
                if (!f->exit)
                    f->exit = vf_state_dup(c, s);
                else if (!vf_state_join(c, f->exit, s, false))
                    c->nomem = true;
                if (!f->exit)
                    c->nomem = true;
                return;
            }
            if (isa_is_conditional(in)) {
                vf_state *t = vf_state_dup(c, s);
                if (!t) {
                    c->nomem = true;
                    return;
                }
                vf_branch(c, s, t, pc, in);
                sink(f, bi, 0, s, arg);
                sink(f, bi, 1, t, arg);
                vf_state_drop(c, t);
                return;
            }
            if (in->id != ISA_JA && in->id != ISA_JA32)
                step(f, s, pc);
            if (b->nsucc)
                sink(f, bi, 0, s, arg);
            return;
        }
        uint32_t nx = pc + in->slots;
        if (zero_extend_pair(c, pc, b->last) && s->regs[in->dst].type == VF_T_NUM) {
            /* lsh 32; rsh 32 of one register: a zero extension, the identity on 32-bit values
             * (keeps the register's relations, e.g. with a loop counter) */
            vf_reg *d = &s->regs[in->dst];
            if (d->v.umax > UINT32_MAX) {
                vf_reg_set_num(d, vf_ival_trunc32(d->v), vf_tnum_cast32(d->t));
                vf_sync_reg(s, in->dst);
            }
            pc = nx;
            continue;
        }
        step(f, s, pc);
        if (c->nomem)
            return;
    }
}

#define VF_THRESHOLD_ROUNDS 24

typedef struct ascend_arg {
    uint8_t *pending;
} ascend_arg;

static void ascend_sink(vf_fn *f, uint32_t bi, int k, vf_state *out, void *arg)
{
    ascend_arg *a = arg;
    vf_block *b = &f->g->blocks[bi];
    if (out->bottom || f->c->nomem)
        return;
    edge_update(f, b, k, out);
    uint32_t t = b->succ[k];
    bool head = f->g->blocks[t].head;
    /* widen after two plain updates; with thresholds for a while, then straight to infinity so that
     * a loop cannot climb through every threshold of every bound one iteration at a time */
    int widen = !head || f->updates[t] < 2 ? 0 : f->updates[t] < 2 + VF_THRESHOLD_ROUNDS ? 1 : 2;
    if (vf_dset_add(f->c, &f->keys, &f->in[(size_t)t * VF_DISJ], out, head, widen)) {
        f->updates[t]++;
        a->pending[t] = 1;
    }
}

typedef struct descend_arg {
    vf_state **next;    /* this pass's block states */
    vf_state **back;    /* this pass's states along back edges, per head: the heads' input next pass */
} descend_arg;

static void descend_sink(vf_fn *f, uint32_t bi, int k, vf_state *out, void *arg)
{
    descend_arg *a = arg;
    vf_block *b = &f->g->blocks[bi];
    if (out->bottom || f->c->nomem)
        return;
    check_back_edge(f, b, k, out);
    edge_update(f, b, k, out);
    uint32_t t = b->succ[k];
    vf_state **to = b->back[k] ? a->back : a->next;
    vf_dset_add(f->c, &f->keys, &to[(size_t)t * VF_DISJ], out, f->g->blocks[t].head, false);
}

/* Runs every member of block b's set. */
static void run_set(vf_fn *f, vf_state **set, uint32_t b, vf_state *work, vf_sink sink, void *arg)
{
    vf_state *snap[VF_DISJ];
    memcpy(snap, set, sizeof snap);
    for (int i = 0; i < VF_DISJ && snap[i] && !f->c->nomem; i++) {
        vf_state_assign(work, snap[i]);
        run_block(f, b, work, sink, arg);
    }
}

static void free_sets(vf_ctx *c, vf_state **sets, uint32_t nblocks)
{
    if (sets)
        for (size_t i = 0; i < (size_t)nblocks * VF_DISJ; i++)
            vf_state_drop(c, sets[i]);
    free(sets);
}

/* Does a descending pass iterate the loop at head block h on its own (descend_loop)? Inner loops of a
 * reducible graph, with their WTO component known. */
static bool local_loop(const vf_fn *f, uint32_t h)
{
    const vf_block *b = &f->g->blocks[h];
    return b->head && b->nest > 0 && !f->g->irreducible && b->wto_end > b->wto + 1;
}

static void clear_set(vf_ctx *c, vf_state **set)
{
    for (int i = 0; i < VF_DISJ; i++) {
        vf_state_drop(c, set[i]);
        set[i] = NULL;
    }
}

/* Adds a copy of s to a head's set (vf_dset_add may take what it is given; s stays as it is). */
static void add_copy(vf_fn *f, vf_state **set, const vf_state *s)
{
    vf_state *t = vf_state_dup(f->c, s);
    if (!t) {
        f->c->nomem = true;
        return;
    }
    vf_dset_add(f->c, &f->keys, set, t, true, false);
    vf_state_drop(f->c, t);
}

static void descend_range(vf_fn *f, uint32_t from, uint32_t to, descend_arg *a, vf_state *work);

/* An inner loop in a descending pass: its head's input is what entered it in this pass joined with its
 * back edges' states, iterated (widening after two rounds) until the back edges add nothing. Starting
 * from this pass's entry, not from the previous pass's back edges, lets a value only the outer loop
 * bounds (its index) be bounded again here: a back edge would carry the ascending pass's wide value
 * round for ever. Each round's states are sound for the runs they cover and the last round covers all
 * of them, so what left the loop in every round may stay joined where it went. */
static void descend_loop(vf_fn *f, uint32_t pos, descend_arg *a, vf_state *work)
{
    vf_ctx *c = f->c;
    uint32_t h = f->g->order[pos], end = f->g->blocks[h].wto_end;
    vf_state *entry[VF_DISJ] = {0}, *acc[VF_DISJ] = {0};
    vf_state **head = &a->next[(size_t)h * VF_DISJ], **back = &a->back[(size_t)h * VF_DISJ];
    memcpy(entry, head, sizeof entry);
    memset(head, 0, VF_DISJ * sizeof *head);
    for (int round = 0; !c->nomem; round++) {
        clear_set(c, head);
        for (int i = 0; i < VF_DISJ && entry[i]; i++)
            add_copy(f, head, entry[i]);
        for (int i = 0; i < VF_DISJ && acc[i]; i++)
            add_copy(f, head, acc[i]);
        for (uint32_t p = pos + 1; p < end; p++) {
            uint32_t x = f->g->order[p];
            clear_set(c, &a->next[(size_t)x * VF_DISJ]);
            clear_set(c, &a->back[(size_t)x * VF_DISJ]);
        }
        clear_set(c, back);
        run_set(f, head, h, work, descend_sink, a);
        descend_range(f, pos + 1, end, a, work);
        int widen = round < 2 ? 0 : round < 2 + VF_THRESHOLD_ROUNDS ? 1 : 2;
        bool grew = false;
        for (int i = 0; i < VF_DISJ && back[i] && !c->nomem; i++)
            grew |= vf_dset_add(c, &f->keys, acc, back[i], true, widen);
        if (!grew)
            break;
        if (c->budget == 0) { /* not a fixpoint yet: the states would not be sound */
            bool chk = c->checking;
            c->checking = true;
            vf_fail(c, NULL, f->g->blocks[h].start, "the program is too complex to analyse (instruction visit budget spent)");
            c->checking = chk;
            break;
        }
    }
    clear_set(c, entry);
    clear_set(c, acc);
}

/* Runs the blocks at WTO positions [from, to), inner loops through descend_loop. */
static void descend_range(vf_fn *f, uint32_t from, uint32_t to, descend_arg *a, vf_state *work)
{
    for (uint32_t p = from; p < to && !f->c->nomem;) {
        uint32_t b = f->g->order[p];
        if (local_loop(f, b)) {
            descend_loop(f, p, a, work);
            p = f->g->blocks[b].wto_end;
        } else {
            run_set(f, &a->next[(size_t)b * VF_DISJ], b, work, descend_sink, a);
            p++;
        }
    }
}

/* One descending pass that re-applies every block's transfer to sound states, in weak topological
 * order and from the newest states (Gauss-Seidel): a block's input joins what its forward predecessors
 * produced in this pass (processed before it) and, for an outermost loop head, what its back edges
 * produced in the previous pass (f->back; on the first pass, the ascending fixpoint's state of the
 * head); inner loops are iterated on their own (descend_loop). Every state computed from sound states
 * is sound, so the result over-approximates the reachable states, and a bound learned at a loop's latch
 * reaches the whole loop body in the next pass. */
static void descend(vf_fn *f, const vf_state *entry)
{
    vf_ctx *c = f->c;
    uint32_t n = f->g->nblocks;
    vf_state **next = calloc((size_t)n * VF_DISJ, sizeof *next);
    vf_state **back = calloc((size_t)n * VF_DISJ, sizeof *back);
    vf_state *s = vf_state_scratch(c); /* run_set assigns each member to it */
    if (!next || !back || !s) {
        free(next);
        free(back);
        vf_state_drop(c, s);
        c->nomem = true;
        return;
    }
    next[0] = vf_state_dup(c, entry);
    if (!next[0])
        c->nomem = true;
    /* prev's states may move into next (vf_dset_add): prev is only freed, at the end */
    vf_state **prev = f->back ? f->back : f->in;
    for (uint32_t h = 0; h < n && !c->nomem; h++) {
        if (!f->g->blocks[h].head || local_loop(f, h))
            continue;
        for (int i = 0; i < VF_DISJ && prev[(size_t)h * VF_DISJ + i]; i++)
            vf_dset_add(c, &f->keys, &next[(size_t)h * VF_DISJ], prev[(size_t)h * VF_DISJ + i], true, false);
    }
    vf_state_drop(c, f->exit);
    f->exit = NULL;
    descend_arg a = {next, back};
    descend_range(f, 0, n, &a, s);
    free_sets(c, f->in, n);
    free_sets(c, f->back, n);
    f->in = next;
    f->back = back;
    vf_state_drop(c, s);
}

/* After an ascending pass that found new key bytes (vf_keys.mask grew), states joined before the key
 * was known may have lost them: the pass starts again from the entry with the key known (at most
 * VF_KEY_RESTARTS times; the mask only grows). True when restarted (pending holds the entry block). */
#define VF_KEY_RESTARTS 4
static bool restart_keyed(vf_fn *f, const vf_state *s, uint8_t *pending, uint8_t *seen_mask, int *restarts)
{
    if (*restarts >= VF_KEY_RESTARTS || !memcmp(seen_mask, f->keys.mask, sizeof f->keys.mask))
        return false;
    memcpy(seen_mask, f->keys.mask, sizeof f->keys.mask);
    ++*restarts;
    for (size_t i = 0; i < (size_t)f->g->nblocks * VF_DISJ; i++) {
        vf_state_drop(f->c, f->in[i]);
        f->in[i] = NULL;
    }
    vf_state_drop(f->c, f->exit);
    f->exit = NULL;
    memset(f->updates, 0, f->g->nblocks * sizeof *f->updates);
    f->in[0] = vf_state_dup(f->c, s);
    if (!f->in[0])
        f->c->nomem = true;
    pending[0] = 1;
    return true;
}

void vf_analyse_function(vf_ctx *c, vf_state *s, uint32_t entry, vf_fkind kind, uint8_t cbase)
{
    vf_cfg *g = vf_cfg_get(c, entry);
    if (!g) {
        s->bottom = true;
        return;
    }
    vf_fn f = {c, g, NULL, NULL, kind, cbase, NULL, need_termination(c), {{0}, NULL, NULL}, NULL};
    bool chk = c->checking;
    if (f.termination && g->irreducible)
        vf_fail(c, s, g->irreducible_at, "loop at insn %" PRIu32 " has several entries (irreducible): its termination "
                "cannot be proven", g->irreducible_at);
    f.in = calloc((size_t)g->nblocks * VF_DISJ, sizeof *f.in);
    f.updates = calloc(g->nblocks, sizeof *f.updates);
    f.keys.entry_init = calloc((size_t)g->nblocks, VF_STACK / 8);
    f.keys.entry_seen = calloc(g->nblocks, 1);
    uint8_t *pending = calloc(g->nblocks, 1);
    vf_state *work = vf_state_scratch(c); /* run_set assigns each member to it */
    vf_state *entry_state = vf_state_dup(c, s);
    if (!f.in || !f.updates || !f.keys.entry_init || !f.keys.entry_seen || !pending || !work || !entry_state) {
        c->nomem = true;
        goto out;
    }
    c->checking = false;
    f.in[0] = vf_state_dup(c, s);
    if (!f.in[0]) {
        c->nomem = true;
        goto out;
    }
    pending[0] = 1;
    ascend_arg a = {pending};
    uint8_t seen_mask[sizeof f.keys.mask] = {0};
    int restarts = 0;
    for (;;) {
        /* the pending block first in the weak topological order */
        uint32_t b = UINT32_MAX, best = UINT32_MAX;
        for (uint32_t x = 0; x < g->nblocks; x++)
            if (pending[x] && g->blocks[x].wto < best) {
                best = g->blocks[x].wto;
                b = x;
            }
        if (b == UINT32_MAX && restart_keyed(&f, s, pending, seen_mask, &restarts))
            continue;
        if (b == UINT32_MAX)
            break;
        pending[b] = 0;
        run_set(&f, &f.in[(size_t)b * VF_DISJ], b, work, ascend_sink, &a);
        if (c->nomem)
            goto out;
        if (c->budget == 0) {
            c->checking = chk;
            vf_fail(c, s, g->blocks[b].start, "the program is too complex to analyse (instruction visit budget spent)");
            goto out;
        }
    }
    for (int pass = 0; pass < 2 && !c->nomem; pass++)
        descend(&f, entry_state);
    c->checking = chk;
    if (!c->nomem)
        descend(&f, entry_state);
out:
    c->checking = chk;
    if (f.exit && !c->nomem)
        vf_state_assign(s, f.exit);
    else
        s->bottom = true;
    free_sets(c, f.in, g->nblocks);
    free_sets(c, f.back, g->nblocks);
    free(f.updates);
    free(f.keys.entry_init);
    free(f.keys.entry_seen);
    free(pending);
    vf_state_drop(c, work);
    vf_state_drop(c, entry_state);
    vf_state_drop(c, f.exit);
}
