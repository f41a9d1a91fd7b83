/*
 * vf_cfg.c - the control-flow graph of one function (from its entry instruction, local calls and
 * helper calls fall through): basic blocks in reverse post-order, back edges of a depth-first search
 * (their targets are the loop heads where the fixpoint widens and where loop counters live), loop
 * nesting depths and strides, and whether the graph is irreducible (a back edge whose target does not dominate
 * its source: termination is then not provable with per-head counters), and Bourdoncle's weak
 * topological order (each loop's head first, then its body, before anything after the loop), the
 * order in which the fixpoint visits blocks.
 * Built once per entry and cached in vf_ctx.cfgs.
 */
#include "verifier/vf_int.h"

#include <stdlib.h>
#include <string.h>

void vf_cfg_free(vf_cfg *g)
{
    if (!g)
        return;
    for (uint32_t i = 0; i < g->nblocks; i++)
        free(g->blocks[i].preds);
    free(g->blocks);
    free(g->order);
    free(g);
}

static bool ends_block(const isa_insn *in)
{
    return isa_is_jump(in) || in->id == ISA_EXIT;
}

/* Successor instructions of pc inside the function (at most 2). */
static int insn_succs(const vf_ctx *c, uint32_t pc, uint32_t out[2])
{
    const isa_insn *in = &c->insns[pc];
    if (in->id == ISA_EXIT)
        return 0;
    if (in->id == ISA_JA || in->id == ISA_JA32) {
        out[0] = (uint32_t)isa_jump_target(in, pc);
        return 1;
    }
    if (isa_is_conditional(in)) {
        out[0] = pc + 1;
        out[1] = (uint32_t)isa_jump_target(in, pc);
        return 2;
    }
    out[0] = pc + in->slots;
    return 1;
}

typedef struct build {
    uint32_t *block_of;   /* insn -> block index (UINT32_MAX when none) */
    uint8_t *mark;        /* 1 reachable, 2 leader */
    uint32_t *stack;
} build;

static int collect(const vf_ctx *c, uint32_t entry, build *b)
{
    size_t sp = 0;
    b->stack[sp++] = entry;
    b->mark[entry] = 3;
    while (sp) {
        uint32_t pc = b->stack[--sp];
        uint32_t s[2];
        int n = insn_succs(c, pc, s);
        bool end = ends_block(&c->insns[pc]);
        for (int i = 0; i < n; i++) {
            if (s[i] >= c->count)
                return -1;
            uint8_t leader = end ? 2 : 0;
            if (!(b->mark[s[i]] & 1)) {
                b->mark[s[i]] |= (uint8_t)(1 | leader);
                b->stack[sp++] = s[i];
            } else {
                b->mark[s[i]] |= leader;
            }
        }
    }
    return 0;
}

/* Dominator check: does block d dominate block x? (idom[] indexed by RPO position) */
static bool dominates(const uint32_t *idom, uint32_t d, uint32_t x)
{
    for (;;) {
        if (x == d)
            return true;
        if (x == 0 || idom[x] == x)
            return false;
        x = idom[x];
    }
}

static void compute_dominators(vf_cfg *g, uint32_t *idom)
{
    for (uint32_t i = 0; i < g->nblocks; i++)
        idom[i] = UINT32_MAX;
    idom[0] = 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t b = 1; b < g->nblocks; b++) {
            uint32_t nd = UINT32_MAX;
            for (uint32_t k = 0; k < g->blocks[b].npreds; k++) {
                uint32_t p = g->blocks[b].preds[k];
                if (idom[p] == UINT32_MAX)
                    continue;
                if (nd == UINT32_MAX) {
                    nd = p;
                    continue;
                }
                uint32_t x = p, y = nd;
                while (x != y) {
                    while (x > y)
                        x = idom[x];
                    while (y > x)
                        y = idom[y];
                }
                nd = x;
            }
            if (nd != idom[b]) {
                idom[b] = nd;
                changed = true;
            }
        }
    }
}

/* Registers (bit i = ri) an instruction may write. */
static uint32_t defined_regs(const isa_insn *in)
{
    switch (isa_infos[in->id].format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
    case ISA_FMT_NEG:
    case ISA_FMT_ENDIAN:
    case ISA_FMT_LDX:
    case ISA_FMT_LDDW:
        return 1u << in->dst;
    case ISA_FMT_ATOMIC:
        return 1u << in->src | 1u;
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND:
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_CALLX:
        return 0x3fu;
    default:
        return 0;
    }
}

/* The loop's stride: the constant (|k| >= 2) of a register whose only write in the loop body is one
 * `add reg, k` (or `sub`), e.g. a pointer walking an array of structs; the largest if several, 0 if
 * none. Only a hint for precision: the stride variable is exact whatever the loop does. */
static int32_t loop_stride(const vf_ctx *c, const vf_cfg *g, const uint8_t *in_body)
{
    uint32_t writes[ISA_REG_COUNT] = {0};
    int64_t step[ISA_REG_COUNT] = {0};
    for (uint32_t x = 0; x < g->nblocks; x++) {
        if (!in_body[x])
            continue;
        const vf_block *bl = &g->blocks[x];
        for (uint32_t pc = bl->start; pc <= bl->last; pc += c->insns[pc].slots) {
            const isa_insn *in = &c->insns[pc];
            uint32_t defs = defined_regs(in);
            for (int r = 0; r < ISA_REG_COUNT; r++)
                if (defs & (1u << r))
                    writes[r]++;
            if (in->id == ISA_ADD64_IMM)
                step[in->dst] = in->imm;
            else if (in->id == ISA_SUB64_IMM)
                step[in->dst] = -(int64_t)in->imm;
            else if (defs & (1u << in->dst))
                step[in->dst] = 0;
        }
    }
    int64_t best = 0;
    for (int r = 0; r < ISA_REG_COUNT; r++) {
        int64_t k = step[r] < 0 ? -step[r] : step[r];
        if (writes[r] == 1 && k >= 2 && k <= INT32_MAX && k > (best < 0 ? -best : best))
            best = step[r];
    }
    return (int32_t)best;
}

/* Loop nesting: for each head, mark its natural loop body; a head's depth counts the other loops
 * whose body holds it. Also each head's stride (loop_stride). */
static bool compute_nesting(const vf_ctx *c, vf_cfg *g)
{
    uint32_t n = g->nblocks;
    uint8_t *in_body = calloc(n, 1);
    uint32_t *work = malloc(n * sizeof *work);
    uint32_t *depth = calloc(n, sizeof *depth);
    if (!in_body || !work || !depth) {
        free(in_body);
        free(work);
        free(depth);
        return false;
    }
    for (uint32_t h = 0; h < n; h++) {
        if (!g->blocks[h].head)
            continue;
        memset(in_body, 0, n);
        in_body[h] = 1;
        size_t sp = 0;
        for (uint32_t p = 0; p < n; p++)
            for (int k = 0; k < g->blocks[p].nsucc; k++)
                if (g->blocks[p].back[k] && g->blocks[p].succ[k] == h && !in_body[p]) {
                    in_body[p] = 1;
                    work[sp++] = p;
                }
        while (sp) {
            uint32_t x = work[--sp];
            for (uint32_t k = 0; k < g->blocks[x].npreds; k++) {
                uint32_t p = g->blocks[x].preds[k];
                if (!in_body[p]) {
                    in_body[p] = 1;
                    work[sp++] = p;
                }
            }
        }
        for (uint32_t x = 0; x < n; x++)
            if (in_body[x] && x != h && g->blocks[x].head)
                depth[x]++;
        g->blocks[h].stride = loop_stride(c, g, in_body);
    }
    g->max_nest = 0;
    for (uint32_t h = 0; h < n; h++)
        if (g->blocks[h].head) {
            g->blocks[h].nest = depth[h] > 250 ? 250 : (uint8_t)depth[h];
            if (g->blocks[h].nest + 1 > g->max_nest)
                g->max_nest = (uint8_t)(g->blocks[h].nest + 1);
        }
    free(in_body);
    free(work);
    free(depth);
    return true;
}

/* Bourdoncle's weak topological order ("Efficient chaotic iteration strategies with widenings", 1993):
 * positions are handed out backwards, so that prepending a vertex or a whole component (head, then
 * its body) to the order is writing at the next lower position. */
typedef struct wto_state {
    vf_cfg *g;
    uint32_t *dfn;
    uint32_t *stack;
    uint32_t sp, num, pos;
} wto_state;

#define WTO_DONE UINT32_MAX
#define VF_WTO_MAX_BLOCKS 4096u

static uint32_t wto_visit(wto_state *w, uint32_t v);

static void wto_component(wto_state *w, uint32_t v)
{
    vf_block *b = &w->g->blocks[v];
    uint32_t end = w->pos; /* the component takes the positions just below */
    for (int k = 0; k < b->nsucc; k++)
        if (w->dfn[b->succ[k]] == 0)
            wto_visit(w, b->succ[k]);
    w->g->blocks[v].wto = --w->pos;
    w->g->blocks[v].wto_end = end;
}

static uint32_t wto_visit(wto_state *w, uint32_t v)
{
    w->stack[w->sp++] = v;
    w->dfn[v] = ++w->num;
    uint32_t head = w->dfn[v];
    bool loop = false;
    vf_block *b = &w->g->blocks[v];
    for (int k = 0; k < b->nsucc; k++) {
        uint32_t t = b->succ[k];
        uint32_t min = w->dfn[t] == 0 ? wto_visit(w, t) : w->dfn[t];
        if (min <= head) {
            head = min;
            loop = true;
        }
    }
    if (head == w->dfn[v]) {
        w->dfn[v] = WTO_DONE;
        uint32_t e = w->stack[--w->sp];
        if (loop) {
            while (e != v) {
                w->dfn[e] = 0;
                e = w->stack[--w->sp];
            }
            wto_component(w, v);
        } else {
            w->g->blocks[v].wto = --w->pos;
            w->g->blocks[v].wto_end = w->pos + 1;
        }
    }
    return head;
}

/* Positions in the weak topological order; reverse post-order for graphs too large to recurse over. */
static bool compute_wto(vf_cfg *g)
{
    g->order = malloc((g->nblocks ? g->nblocks : 1) * sizeof *g->order);
    if (!g->order)
        return false;
    for (uint32_t i = 0; i < g->nblocks; i++) {
        g->blocks[i].wto = i;
        g->blocks[i].wto_end = i + 1;
        g->order[i] = i;
    }
    if (g->nblocks > VF_WTO_MAX_BLOCKS) /* the construction recurses once per block */
        return true;
    wto_state w = {g, calloc(g->nblocks, sizeof(uint32_t)), malloc(g->nblocks * sizeof(uint32_t)), 0, 0,
                   g->nblocks};
    if (!w.dfn || !w.stack) {
        free(w.dfn);
        free(w.stack);
        return false;
    }
    wto_visit(&w, 0);
    free(w.dfn);
    free(w.stack);
    for (uint32_t i = 0; i < g->nblocks; i++)
        g->order[g->blocks[i].wto] = i;
    return true;
}

static vf_cfg *build_cfg(vf_ctx *c, uint32_t entry)
{
    build b = {0};
    vf_cfg *g = calloc(1, sizeof *g);
    b.block_of = malloc(c->count * sizeof *b.block_of);
    b.mark = calloc(c->count, 1);
    b.stack = malloc((c->count + 1) * sizeof *b.stack);
    uint32_t *order = NULL, *rpo_of = NULL, *idom = NULL, *dfs = NULL;
    uint8_t *color = NULL, *nexti = NULL;
    vf_block *tmp = NULL;
    if (!g || !b.block_of || !b.mark || !b.stack || collect(c, entry, &b) < 0)
        goto fail;
    g->entry = entry;
    /* blocks in instruction order first */
    uint32_t nb = 0;
    for (uint32_t pc = 0; pc < c->count; pc++) {
        b.block_of[pc] = UINT32_MAX;
        if (b.mark[pc] & 2)
            nb++;
    }
    tmp = calloc(nb ? nb : 1, sizeof *tmp);
    if (!tmp)
        goto fail;
    uint32_t bi = 0;
    for (uint32_t pc = 0; pc < c->count; pc++) {
        if (!(b.mark[pc] & 2))
            continue;
        vf_block *blk = &tmp[bi];
        blk->start = pc;
        uint32_t q = pc;
        for (;;) {
            b.block_of[q] = bi;
            const isa_insn *in = &c->insns[q];
            if (ends_block(in))
                break;
            uint32_t nx = q + in->slots;
            if (nx >= c->count || (b.mark[nx] & 2))
                break;
            q = nx;
        }
        blk->last = q;
        bi++;
    }
    for (uint32_t i = 0; i < nb; i++) {
        uint32_t s[2];
        int n = insn_succs(c, tmp[i].last, s);
        tmp[i].nsucc = (uint8_t)n;
        for (int k = 0; k < n; k++)
            tmp[i].succ[k] = b.block_of[s[k]];
    }
    /* iterative DFS from the entry block: post-order and back edges */
    order = malloc(nb * sizeof *order);
    rpo_of = malloc(nb * sizeof *rpo_of);
    dfs = malloc(nb * sizeof *dfs);
    color = calloc(nb, 1);
    nexti = calloc(nb, 1);
    idom = malloc(nb * sizeof *idom);
    if (!order || !rpo_of || !dfs || !color || !nexti || !idom)
        goto fail;
    uint32_t post = 0, sp = 0;
    uint32_t eb = b.block_of[entry];
    dfs[sp++] = eb;
    color[eb] = 1;
    while (sp) {
        uint32_t x = dfs[sp - 1];
        if (nexti[x] < tmp[x].nsucc) {
            int k = nexti[x]++;
            uint32_t y = tmp[x].succ[k];
            if (color[y] == 0) {
                color[y] = 1;
                dfs[sp++] = y;
            } else if (color[y] == 1) {
                tmp[x].back[k] = true;
                tmp[y].head = true;
            }
        } else {
            color[x] = 2;
            order[post++] = x;
            sp--;
        }
    }
    g->nblocks = post;
    g->blocks = calloc(post ? post : 1, sizeof *g->blocks);
    if (!g->blocks)
        goto fail;
    for (uint32_t i = 0; i < post; i++)
        rpo_of[order[post - 1 - i]] = i;
    for (uint32_t i = 0; i < post; i++) {
        vf_block *src = &tmp[order[post - 1 - i]];
        g->blocks[i] = *src;
        for (int k = 0; k < src->nsucc; k++)
            g->blocks[i].succ[k] = rpo_of[src->succ[k]];
    }
    /* predecessors */
    uint32_t *cnt = calloc(post ? post : 1, sizeof *cnt);
    if (!cnt)
        goto fail;
    for (uint32_t i = 0; i < post; i++)
        for (int k = 0; k < g->blocks[i].nsucc; k++)
            cnt[g->blocks[i].succ[k]]++;
    for (uint32_t i = 0; i < post; i++) {
        g->blocks[i].preds = malloc((cnt[i] ? cnt[i] : 1) * sizeof(uint32_t));
        if (!g->blocks[i].preds) {
            free(cnt);
            goto fail;
        }
    }
    free(cnt);
    for (uint32_t i = 0; i < post; i++)
        for (int k = 0; k < g->blocks[i].nsucc; k++) {
            vf_block *t = &g->blocks[g->blocks[i].succ[k]];
            t->preds[t->npreds++] = i;
        }
    compute_dominators(g, idom);
    for (uint32_t i = 0; i < post; i++)
        for (int k = 0; k < g->blocks[i].nsucc; k++)
            if (g->blocks[i].back[k] && !dominates(idom, g->blocks[i].succ[k], i) && !g->irreducible) {
                g->irreducible = true;
                g->irreducible_at = g->blocks[g->blocks[i].succ[k]].start;
            }
    if (!compute_nesting(c, g) || !compute_wto(g))
        goto fail;
    for (uint32_t pc = 0; pc < c->count; pc++) {
        if (!(b.mark[pc] & 1) || c->insns[pc].id != ISA_CALL)
            continue;
        const abi_helper *h = abi_helper_by_id((uint32_t)c->insns[pc].imm);
        if (h && (h->flags & ABI_HELPER_PKT_CHANGE))
            g->pkt_change = true;
    }
    goto done;
fail:
    vf_cfg_free(g);
    g = NULL;
done:
    free(tmp);
    free(order);
    free(rpo_of);
    free(dfs);
    free(color);
    free(nexti);
    free(idom);
    free(b.block_of);
    free(b.mark);
    free(b.stack);
    return g;
}

vf_cfg *vf_cfg_get(vf_ctx *c, uint32_t entry)
{
    if (entry >= c->count)
        return NULL;
    if (!c->cfgs[entry]) {
        c->cfgs[entry] = build_cfg(c, entry);
        if (!c->cfgs[entry])
            c->nomem = true;
    }
    return c->cfgs[entry];
}
