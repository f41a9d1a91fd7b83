/*
 * interp_uninit.c - the uninitialised-read check of the checked mode (interp_uninit.h; the rules are
 * exec.h's). Registers are decoded with the ISA's own read / write sets (isa_regs_read,
 * isa_regs_written); calls, local calls and exit follow the calling convention here. Helpers are
 * described by the request's helper_uses hook (the runtime answers from the helper prototypes).
 */
#include "exec/interp/interp_uninit.h"

#include <stdio.h>
#include <string.h>

#define R0_BIT 0x0001u
#define R1_5_BITS 0x003eu
#define R6_9_BITS 0x03c0u
#define R10_BIT 0x0400u

void interp_uninit_start(interp_uninit *u, const exec_request *req, uint64_t stack_base, uint64_t stack_top)
{
    unsigned args = req->defined_args > 5 ? 5 : req->defined_args;
    u->req = req;
    u->stack_base = stack_base;
    u->stack_top = stack_top;
    u->depth = 0;
    u->def = (uint16_t)(R10_BIT | (((1u << args) - 1) << 1));
    memset(u->written + (stack_top - ISA_STACK_SIZE - stack_base), 0, ISA_STACK_SIZE);
}

/* The part of [addr, addr + size) inside the live frames, as indexes [*lo, *hi) of written[]; false when
 * there is none. whole: only when all of it is inside. */
static bool live_part(const interp_uninit *u, uint64_t addr, uint64_t size, bool whole, size_t *lo, size_t *hi)
{
    uint64_t live_lo = u->stack_top - (uint64_t)(u->depth + 1) * ISA_STACK_SIZE;
    uint64_t end = addr + size < addr ? UINT64_MAX : addr + size;
    uint64_t a = addr > live_lo ? addr : live_lo, b = end < u->stack_top ? end : u->stack_top;
    if (a >= b || (whole && (a != addr || b != end)))
        return false;
    *lo = (size_t)(a - u->stack_base);
    *hi = (size_t)(b - u->stack_base);
    return true;
}

/* Index of the first unwritten byte in [lo, hi), or hi. (Loops: most ranges are 1..8 bytes.) */
static size_t first_unwritten(const interp_uninit *u, size_t lo, size_t hi)
{
    while (lo < hi && u->written[lo])
        lo++;
    return lo;
}

static void mark(interp_uninit *u, size_t lo, size_t hi)
{
    while (lo < hi)
        u->written[lo++] = 1;
}

/* Stops the run: the byte at written[i] is read but was never written. what: "8-byte load". */
static bool stop_byte(const interp_uninit *u, int64_t pc, const char *what, size_t i, exec_outcome *out)
{
    uint64_t addr = u->stack_base + i;
    unsigned frame = (unsigned)((u->stack_top - 1 - addr) / ISA_STACK_SIZE);
    uint64_t frame_top = u->stack_top - (uint64_t)frame * ISA_STACK_SIZE;
    interp_stop(out, EBPF_RUN_UNINIT, pc, "%s reads the stack byte at r10-%llu of frame %u, never written", what,
                (unsigned long long)(frame_top - addr), frame);
    return false;
}

/* Stops the run when a register of `need` is undefined. what: how it is read ("" for an operand). */
static bool need_regs(const interp_uninit *u, uint16_t need, int64_t pc, const char *what, exec_outcome *out)
{
    uint16_t missing = (uint16_t)(need & ~u->def);
    if (!missing)
        return true;
    unsigned r = 0;
    while (!(missing & (1u << r)))
        r++;
    interp_stop(out, EBPF_RUN_UNINIT, pc, "r%u%s holds no defined value", r, what);
    return false;
}

/* "helper 1 map_lookup_elem" (the name when the table has one) into buf. */
static const char *helper_label(const struct ebpf_helper *h, const char *before, const char *after, char *buf,
                                size_t size)
{
    snprintf(buf, size, "%shelper %u%s%s%s", before, h->id, h->name ? " " : "", h->name ? h->name : "", after);
    return buf;
}

/* A helper call: its arguments and memory as helper_uses describes them, then r0 defined, r1..r5 not. */
static bool helper_call(interp_uninit *u, const struct ebpf_helper *h, const uint64_t *reg, int64_t pc,
                        exec_outcome *out)
{
    const exec_request *req = u->req;
    size_t lo, hi;
    char what[96];
    if (req->helper_uses) {
        exec_helper_uses uses;
        memset(&uses, 0, sizeof uses);
        req->helper_uses(req->region_user, h, reg + 1, &uses);
        uint16_t args = (uint16_t)((uses.args & 0x1fu) << 1);
        if ((args & ~u->def) &&
            !need_regs(u, args, pc, helper_label(h, " (an argument of ", ")", what, sizeof what), out))
            return false;
        unsigned n = uses.count < EXEC_HELPER_SPANS ? uses.count : EXEC_HELPER_SPANS;
        for (unsigned i = 0; i < n; i++) {
            const exec_mem_span *s = &uses.span[i];
            size_t gap;
            if (!s->write && live_part(u, s->addr, s->size, false, &lo, &hi) && (gap = first_unwritten(u, lo, hi)) < hi)
                return stop_byte(u, pc, helper_label(h, "", "", what, sizeof what), gap, out);
        }
        for (unsigned i = 0; i < n; i++)
            if (uses.span[i].write && live_part(u, uses.span[i].addr, uses.span[i].size, false, &lo, &hi))
                mark(u, lo, hi);
    } else if (live_part(u, 0, UINT64_MAX, false, &lo, &hi)) {
        mark(u, lo, hi); /* nothing known of what it writes: every live byte may be */
    }
    u->def = (uint16_t)((u->def & ~R1_5_BITS) | R0_BIT);
    return true;
}

/* Loads, stores and atomics (instruction `in`, base register value `base`) on the live frames. */
static bool mem_access(interp_uninit *u, const isa_insn *in, uint64_t base, int64_t pc, exec_outcome *out)
{
    static const char *const kinds[ISA_FMT_COUNT] = { [ISA_FMT_LDX] = "load", [ISA_FMT_ATOMIC] = "atomic operation" };
    uint8_t format = isa_infos[in->id].format;
    unsigned size = (unsigned)isa_access_size(in);
    size_t lo, hi;
    if (!live_part(u, base + (uint64_t)(int64_t)in->off, size, true, &lo, &hi))
        return true;
    if (format == ISA_FMT_ST || format == ISA_FMT_STX) {
        mark(u, lo, hi);
        return true;
    }
    size_t gap = first_unwritten(u, lo, hi);
    if (gap == hi)
        return true;
    char what[48];
    snprintf(what, sizeof what, "%u-byte %s", size, kinds[format]);
    return stop_byte(u, pc, what, gap, out);
}

bool interp_uninit_step(interp_uninit *u, const interp_code *code, const interp_op *ip, const uint64_t *reg,
                        exec_outcome *out)
{
    int64_t pc = (int64_t)(ip - code->checked);
    const interp_slot_use use = code->uses[pc];
    unsigned num = use.handler;
    if (num == INTERP_H_CALL_TAIL)
        return helper_call(u, ip->u.helper, reg, pc, out);
    if (num >= ISA_ID_COUNT)
        return true;
    const interp_fields *f = &ip->u.f;
    switch (isa_infos[num].format) {
    case ISA_FMT_CALL_HELPER:
        return helper_call(u, ip->u.helper, reg, pc, out);
    case ISA_FMT_CALLX: {
        if (!need_regs(u, (uint16_t)(1u << f->dst), pc, " (the helper id of callx)", out))
            return false;
        const struct ebpf_helper *h = exec_helper_find(&code->helpers, reg[f->dst]);
        return h ? helper_call(u, h, reg, pc, out) : true;
    }
    case ISA_FMT_CALL_LOCAL:
        if (u->depth + 1 >= ISA_MAX_CALL_DEPTH)
            return true;
        u->saved[u->depth++] = (uint16_t)(u->def & R6_9_BITS);
        u->def = (uint16_t)((u->def & R1_5_BITS) | R10_BIT);
        memset(u->written + (u->stack_top - (uint64_t)(u->depth + 1) * ISA_STACK_SIZE - u->stack_base), 0,
               ISA_STACK_SIZE);
        return true;
    case ISA_FMT_EXIT:
        if (!need_regs(u, R0_BIT, pc, " (the return value, at exit)", out))
            return false;
        if (u->depth > 0)
            u->def = (uint16_t)(R0_BIT | R10_BIT | u->saved[--u->depth]);
        return true;
    case ISA_FMT_CALL_KFUNC:
        return true;
    default:
        break;
    }
    if (INTERP_UNLIKELY(use.read & ~u->def) && !need_regs(u, (uint16_t)use.read, pc, "", out))
        return false;
    uint8_t format = isa_infos[num].format;
    if (format == ISA_FMT_LDX || format == ISA_FMT_ST || format == ISA_FMT_STX || format == ISA_FMT_ATOMIC) {
        isa_insn in = { .id = (uint16_t)num, .dst = f->dst, .src = f->src, .off = f->off, .slots = 1, .imm = f->imm };
        if (!mem_access(u, &in, format == ISA_FMT_LDX ? reg[f->src] : reg[f->dst], pc, out))
            return false;
    } else if (format == ISA_FMT_LD_ABS || format == ISA_FMT_LD_IND) {
        u->def &= (uint16_t)~R1_5_BITS; /* as after a helper call (Linux); r0 is defined below */
    }
    u->def |= (uint16_t)use.written;
    return true;
}
