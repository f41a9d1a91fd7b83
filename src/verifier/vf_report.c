/*
 * vf_report.c - what a refusal says: the first fault found by the checking pass (instruction and
 * plain-words message), type names for messages, and the readable dump of an abstract state
 * (VF_KEEP_STATE: one fact per line).
 */
#include "verifier/vf_int.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *vf_type_name(uint8_t type)
{
    static const char *const names[VF_T_COUNT] = {
        [VF_T_UNINIT] = "uninitialised", [VF_T_NUM] = "number", [VF_T_CTX] = "context pointer",
        [VF_T_STACK] = "stack pointer", [VF_T_PKT] = "packet pointer", [VF_T_PKT_END] = "packet end pointer",
        [VF_T_MAP_VALUE] = "map value pointer", [VF_T_MAP_VALUE_OR_NULL] = "map value pointer or NULL",
        [VF_T_MAP_PTR] = "map handle", [VF_T_MAP_PTR_OR_NULL] = "map handle or NULL",
        [VF_T_MEM] = "memory pointer", [VF_T_MEM_OR_NULL] = "memory pointer or NULL",
        [VF_T_SOCK] = "socket pointer", [VF_T_SOCK_OR_NULL] = "socket pointer or NULL",
        [VF_T_FUNC] = "function pointer", [VF_T_MIXED] = "value of different types on different paths",
    };
    return type < VF_T_COUNT ? names[type] : "?";
}

const char *vf_call_name(vf_ctx *c, uint32_t pc)
{
    static char buf[64];
    if (pc < c->count && c->insns[pc].id == ISA_CALL) {
        const abi_helper *h = abi_helper_by_id((uint32_t)c->insns[pc].imm);
        if (h) {
            snprintf(buf, sizeof buf, "bpf_%s", h->name);
            return buf;
        }
    }
    return "a helper";
}

void vf_fail(vf_ctx *c, const vf_state *s, uint32_t pc, const char *fmt, ...)
{
    c->fails++;
    if (!c->checking || c->failed)
        return;
    c->failed = true;
    c->out->verdict = VF_REJECT;
    c->out->insn = pc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->out->message, sizeof c->out->message, fmt, ap);
    va_end(ap);
    if ((c->in->flags & VF_KEEP_STATE) && s && !c->out->state)
        c->out->state = vf_state_dump(s);
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool bad;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->bad)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->bad = true;
            return;
        }
        if (b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->bad = true;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

static void dump_reg(sbuf *b, const char *name, const vf_reg *r)
{
    sb_printf(b, "%s: %s", name, vf_type_name(r->type));
    if (r->type == VF_T_UNINIT || r->type == VF_T_MIXED) {
        sb_printf(b, "\n");
        return;
    }
    if (r->type == VF_T_STACK)
        sb_printf(b, " (frame %u)", r->frame);
    if (r->type >= VF_T_MAP_VALUE && r->type <= VF_T_MAP_PTR_OR_NULL)
        sb_printf(b, " (map %" PRId32 ")", r->map);
    if (r->size && r->type != VF_T_FUNC)
        sb_printf(b, " size %" PRIu32, r->size);
    if (r->type == VF_T_FUNC)
        sb_printf(b, " entry %" PRIu32, r->size);
    if (r->id)
        sb_printf(b, " id %" PRIu32 "%s", r->id, r->ref ? " (reference)" : "");
    const char *what = r->type == VF_T_NUM ? "value" : "offset";
    if (r->type != VF_T_MAP_PTR && r->type != VF_T_FUNC && r->type != VF_T_PKT_END)
        sb_printf(b, " %s s[%" PRId64 ", %" PRId64 "] u[%" PRIu64 ", %" PRIu64 "] bits %#" PRIx64 "/%#" PRIx64,
                  what, r->v.smin, r->v.smax, r->v.umin, r->v.umax, r->t.value, r->t.mask);
    sb_printf(b, "\n");
}

char *vf_state_dump(const vf_state *s)
{
    sbuf b = {malloc(256), 0, 256, false};
    if (!b.p)
        return NULL;
    b.p[0] = 0;
    if (s->bottom) {
        sb_printf(&b, "unreachable\n");
        return b.bad ? (free(b.p), NULL) : b.p;
    }
    char name[16];
    for (int i = 0; i < ISA_REG_COUNT; i++) {
        snprintf(name, sizeof name, "r%d", i);
        dump_reg(&b, name, &s->regs[i]);
    }
    for (int d = 0; d < s->depth; d++) {
        const vf_frame *f = s->frames[d];
        for (int k = 0; k < VF_SLOTS; k++) {
            const uint8_t *x = &f->bytes[k * 8];
            int off = k * 8 - VF_STACK;
            if (x[0] == VF_B_SPILL) {
                snprintf(name, sizeof name, "frame%d[%d]", d, off);
                dump_reg(&b, name, &f->slots[k]);
                continue;
            }
            bool any = false;
            for (int i = 0; i < 8; i++)
                any |= x[i] != VF_B_UNINIT;
            if (!any)
                continue;
            sb_printf(&b, "frame%d[%d]: bytes ", d, off);
            for (int i = 0; i < 8; i++)
                sb_printf(&b, "%c", x[i] == VF_B_NUM ? 'n' : '.');
            sb_printf(&b, " (n = number, . = uninitialised)\n");
        }
    }
    int64_t lo, hi;
    if (vf_zone_bounds(s->zone, VF_V_PKT, &lo, &hi))
        sb_printf(&b, "packet size: [%" PRId64 ", %" PRId64 "]\n", lo, hi);
    for (int i = 0; i < ISA_REG_COUNT; i++) {
        int64_t d;
        if (s->regs[i].type == VF_T_PKT && vf_zone_diff_upper(s->zone, VF_V_REG0 + (unsigned)i, VF_V_PKT, &d))
            sb_printf(&b, "r%d + %" PRId64 " <= data_end (proven)\n", i, -d);
    }
    for (int i = 0; i < VF_MAX_COUNTERS; i++)
        if (vf_zone_bounds(s->zone, VF_V_CNT + (unsigned)i, &lo, &hi) && hi > 0)
            sb_printf(&b, "loop counter %d: [%" PRId64 ", %s%" PRId64 "]\n", i, lo, hi == INT64_MAX ? "unbounded " : "",
                      hi);
    for (int i = 0; i < VF_MAX_COUNTERS; i++) {
        int64_t d;
        if (!s->stride[i] || !vf_zone_bounds(s->zone, VF_V_STRIDE + (unsigned)i, &lo, &hi))
            continue;
        sb_printf(&b, "loop counter %d times its stride %" PRId32 ": [%" PRId64 ", %" PRId64 "]\n", i, s->stride[i], lo,
                  hi);
        for (int r = 0; r < ISA_REG_COUNT; r++)
            if (vf_zone_diff_upper(s->zone, VF_V_REG0 + (unsigned)r, VF_V_STRIDE + (unsigned)i, &d) &&
                vf_zone_diff_upper(s->zone, VF_V_STRIDE + (unsigned)i, VF_V_REG0 + (unsigned)r, &lo) && d == -lo)
                sb_printf(&b, "r%d = that + %" PRId64 "\n", r, d);
    }
    for (int i = 0; i < s->nrefs; i++)
        sb_printf(&b, "reference held: id %" PRIu32 "\n", s->refs[i]);
    if (b.bad) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
