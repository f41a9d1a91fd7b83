/*
 * vf_verify.c - the entry point (verifier.h): structural validation of the input (VF_ERROR when the
 * code or its map and function references are malformed), widening thresholds from the program's
 * constants, the entry state (r1 = context, r10 = frame pointer), the analysis of the entry function
 * and then of every global function from its signature, and the verdict.
 */
#include "verifier/vf_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_prog.h"

#define VF_VISIT_BUDGET 2000000u
#define VF_MAX_THRESHOLDS 48

static void set_error(vf_result *out, int64_t insn, const char *msg)
{
    out->verdict = VF_ERROR;
    out->insn = insn;
    snprintf(out->message, sizeof out->message, "%s", msg);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Thresholds: 0, +-1, powers of two, the packet size limit, and the constants programs compare with. */
static bool make_thresholds(vf_ctx *c)
{
    size_t cap = 3 * VF_MAX_THRESHOLDS + 200;
    int64_t *v = malloc(cap * sizeof *v);
    if (!v)
        return false;
    size_t n = 0;
    v[n++] = 0;
    v[n++] = 1;
    v[n++] = -1;
    v[n++] = VF_PKT_MAX;
    static const int powers[] = {3, 4, 8, 12, 16, 24, 31, 32, 48, 62};
    for (size_t i = 0; i < sizeof powers / sizeof powers[0]; i++) {
        int k = powers[i];
        v[n++] = (int64_t)1 << k;
        v[n++] = ((int64_t)1 << k) - 1;
        v[n++] = -((int64_t)1 << k);
    }
    size_t prog = 0;
    for (size_t pc = 0; pc < c->count && prog < VF_MAX_THRESHOLDS; pc++) {
        const isa_insn *in = &c->insns[pc];
        if (in->id == ISA_SLOT_TAIL || !isa_is_conditional(in) || isa_infos[in->id].format != ISA_FMT_JMP_IMM)
            continue;
        v[n++] = in->imm;
        v[n++] = (int64_t)in->imm + 1;
        v[n++] = (int64_t)in->imm - 1;
        prog++;
    }
    qsort(v, n, sizeof *v, cmp_i64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    c->sth = v;
    c->nsth = m;
    c->uth = malloc(m * sizeof *c->uth);
    if (!c->uth)
        return false;
    for (size_t i = 0; i < m; i++)
        c->uth[i] = (uint64_t)v[i];
    qsort(c->uth, m, sizeof *c->uth, cmp_u64);
    c->nuth = m;
    return true;
}

/* Pseudo references that the analysis relies on: map indices and function entries in range. */
static bool check_refs(const vf_input *in, const isa_insn *insns, vf_result *out)
{
    char msg[160];
    for (size_t pc = 0; pc < in->count; pc++) {
        const isa_insn *x = &insns[pc];
        if (x->id == ISA_SLOT_TAIL)
            continue;
        if ((x->id == ISA_LDDW_MAP_FD || x->id == ISA_LDDW_MAP_VALUE) && (uint32_t)x->imm >= in->map_count) {
            snprintf(msg, sizeof msg, "lddw names map %" PRIu32 ", but the program has %zu maps", (uint32_t)x->imm,
                     in->map_count);
            set_error(out, (int64_t)pc, msg);
            return false;
        }
        if (x->id == ISA_LDDW_FUNC) {
            int64_t t = (int64_t)pc + x->imm + 1;
            if (t < 0 || (uint64_t)t >= in->count || insns[t].id == ISA_SLOT_TAIL) {
                set_error(out, (int64_t)pc, "lddw func names no instruction of the program");
                return false;
            }
        }
    }
    for (size_t i = 0; i < in->map_count; i++) {
        int32_t inner = in->maps[i].inner;
        if (inner >= 0 && (size_t)inner >= in->map_count) {
            set_error(out, -1, "a map-in-map names an inner map that does not exist");
            return false;
        }
    }
    for (size_t i = 0; i < in->func_count; i++) {
        const vf_func *f = &in->funcs[i];
        if (f->entry >= in->count || insns[f->entry].id == ISA_SLOT_TAIL || f->arg_count > 5) {
            set_error(out, -1, "a global function's entry or signature is invalid");
            return false;
        }
    }
    return true;
}

static bool initial_state(vf_ctx *c, vf_state *s, const vf_func *fn)
{
    if (!vf_state_push_frame(s))
        return false;
    vf_reg *fp = &s->regs[ISA_REG_FP];
    fp->type = VF_T_STACK;
    fp->frame = 0;
    fp->v = vf_ival_const(0);
    fp->t = vf_tnum_const(0);
    vf_zone_assign_const(s->zone, VF_V_REG0 + ISA_REG_FP, 0);
    for (int i = 0; i < VF_MAX_COUNTERS; i++)
        vf_zone_assign_const(s->zone, VF_V_CNT + (unsigned)i, 0);
    if (!fn) {
        vf_reg *r1 = &s->regs[1];
        r1->type = VF_T_CTX;
        r1->v = vf_ival_const(0);
        r1->t = vf_tnum_const(0);
        vf_sync_reg(s, 1);
        return true;
    }
    for (int a = 0; a < fn->arg_count && a < 5; a++) {
        vf_reg *r = &s->regs[a + 1];
        switch (fn->args[a].kind) {
        case VF_ARG_SCALAR:
            vf_reg_set_num(r, vf_ival_top(), vf_tnum_top());
            break;
        case VF_ARG_CTX:
            r->type = VF_T_CTX;
            r->v = vf_ival_const(0);
            r->t = vf_tnum_const(0);
            break;
        case VF_ARG_MEM:
        case VF_ARG_MEM_OR_NULL:
            r->type = fn->args[a].kind == VF_ARG_MEM ? VF_T_MEM : VF_T_MEM_OR_NULL;
            r->size = fn->args[a].size;
            r->id = UINT32_MAX - (uint32_t)a;
            r->v = vf_ival_const(0);
            r->t = vf_tnum_const(0);
            break;
        default:
            r->type = VF_T_MIXED;
            break;
        }
        vf_sync_reg(s, a + 1);
    }
    (void)c;
    return true;
}

static void run(vf_ctx *c, const vf_func *fn)
{
    vf_state *s = vf_state_new();
    if (!s || !initial_state(c, s, fn)) {
        vf_state_free(s);
        c->nomem = true;
        return;
    }
    c->checking = true;
    vf_analyse_function(c, s, fn ? fn->entry : 0, fn ? VF_F_GLOBAL : VF_F_ENTRY, 0);
    vf_state_free(s);
}

/* A refusal because a loop's counter has no upper bound: the loop may count down (clang turns
 * `for (i = 0; i < N; i++)` into a register going from N to 0), which the zone relates only to a counter
 * going down as well. Runs the analysis again with that loop's counter counting down (-1 per back
 * edge, a finite lower bound required), once per loop (up to VF_MAX_COUNTERS loops). Each run is a proof on its own: the first that accepts
 * wins; when none does, the first refusal is reported. */
bool vf_counts_down(const vf_ctx *c, uint32_t head)
{
    for (unsigned i = 0; i < c->ndown; i++)
        if (c->down[i] == head)
            return true;
    return false;
}

static void retry_down_counters(vf_ctx *c, vf_result *out)
{
    vf_result first = *out;
    bool kept = false;
    while (!c->nomem && out->verdict == VF_REJECT && c->term_head >= 0 && c->ndown < VF_MAX_COUNTERS &&
           !vf_counts_down(c, (uint32_t)c->term_head)) {
        if (!kept)
            kept = true;
        else
            free(out->state);
        c->down[c->ndown++] = (uint32_t)c->term_head;
        vf_memo_clear(c); /* call results depend on how counters count */
        memset(out, 0, sizeof *out);
        out->insn = -1;
        out->verdict = VF_ACCEPT;
        c->failed = false;
        c->term_head = -1;
        run(c, NULL);
    }
    if (!kept)
        return;
    if (out->verdict == VF_ACCEPT || c->nomem) {
        free(first.state);
        return;
    }
    free(out->state);
    *out = first;
}

int vf_verify(const vf_input *in, vf_result *out)
{
    memset(out, 0, sizeof *out);
    out->insn = -1;
    if (!in || (!in->code && in->count) || (in->map_count && !in->maps) || (in->func_count && !in->funcs)) {
        set_error(out, -1, "invalid verifier input");
        return 0;
    }
    if (in->count == 0 || in->count > ISA_MAX_INSNS) {
        set_error(out, -1, in->count ? "the program is too large" : "the program is empty");
        return 0;
    }
    if (!abi_prog_type_by_id(in->prog_type)) {
        set_error(out, -1, "unknown program type");
        return 0;
    }
    isa_insn *insns = malloc(in->count * sizeof *insns);
    vf_ctx c = {0};
    c.cfgs = calloc(in->count, sizeof *c.cfgs);
    if (!insns || !c.cfgs) {
        free(insns);
        free(c.cfgs);
        out->verdict = VF_ERROR;
        snprintf(out->message, sizeof out->message, "out of memory");
        return -ENOMEM;
    }
    ebpf_diag diag;
    memset(&diag, 0, sizeof diag);
    isa_validate_opts opts = {.allow_kfunc_calls = true, .allow_pseudo_lddw = true};
    int rc = 0;
    if (isa_validate_decoded(in->code, in->count, &opts, insns, &diag) < 0) {
        set_error(out, diag.insn, diag.message);
        goto done;
    }
    if (!check_refs(in, insns, out))
        goto done;
    c.in = in;
    /* A section that names no program type: Linux has no such program; it is checked as a tc classifier
     * (socket buffer context with tc's write permissions and helpers), the hook such objects are loaded
     * into by their tools (tc, ovs, suricata). The runtime must attach UNSPEC programs only there. */
    c.prog_type = in->prog_type == ABI_PROG_UNSPEC ? ABI_PROG_SCHED_CLS : in->prog_type;
    c.insns = insns;
    c.count = in->count;
    c.out = out;
    c.budget = VF_VISIT_BUDGET;
    if (!make_thresholds(&c)) {
        c.nomem = true;
        goto done;
    }
    /* Global functions first, each on its own from its signature. One that cannot be verified so is not
     * a refusal: calls to it are then analysed inline, in their caller's context. */
    c.global_ok = calloc(in->func_count ? in->func_count : 1, 1);
    if (!c.global_ok) {
        c.nomem = true;
        goto done;
    }
    for (size_t i = 0; i < in->func_count && !c.nomem; i++) {
        vf_result scratch;
        memset(&scratch, 0, sizeof scratch);
        c.out = &scratch;
        c.failed = false;
        run(&c, &in->funcs[i]);
        c.global_ok[i] = c.failed ? 2 : 1;
        free(scratch.state);
    }
    c.out = out;
    c.failed = false;
    c.term_head = -1;
    out->verdict = VF_ACCEPT;
    run(&c, NULL);
    retry_down_counters(&c, out);
done:
    if (c.nomem) {
        free(out->state);
        out->state = NULL;
        out->verdict = VF_ERROR;
        snprintf(out->message, sizeof out->message, "out of memory");
        rc = -ENOMEM;
    }
    out->visits = c.visits;
    vf_memo_clear(&c);
    vf_state_spares_free(&c);
    if (c.cfgs)
        for (size_t i = 0; i < in->count; i++)
            vf_cfg_free(c.cfgs[i]);
    free(c.cfgs);
    free(c.global_ok);
    free(c.uth);
    free(c.sth);
    free(insns);
    return rc;
}

void vf_result_free(vf_result *out)
{
    if (!out)
        return;
    free(out->state);
    out->state = NULL;
}
