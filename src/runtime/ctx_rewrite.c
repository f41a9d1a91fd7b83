/*
 * ctx_rewrite.c - context rewrite of XDP programs: what Linux does to `struct xdp_md` accesses after
 * its verifier, done here without one.
 *
 * A program compiled against the UAPI reads 32-bit fields of `struct xdp_md`:
 *
 *     xdp_md (what the program was compiled for)   runtime_xdp_ctx (what r1 really points to)
 *     off  0  u32 data                    ->       off  0  u64 data       (real pointer)
 *     off  4  u32 data_end                ->       off  8  u64 data_end   (real pointer)
 *     off  8  u32 data_meta               ->       off 16  u64 data_meta  (real pointer)
 *     off 12  u32 ingress_ifindex         ->       off 24  u32
 *     off 16  u32 rx_queue_index          ->       off 28  u32
 *     off 20  u32 egress_ifindex          ->       off 32  u32
 *
 * Each `ldxw rD, [rC + off]` where rC holds the context becomes `ldxdw rD, [rC + off']` for the three
 * pointer fields and `ldxw rD, [rC + off']` for the others, so that the program gets real 64-bit
 * pointers exactly as after Linux's convert_ctx_access. Any other access through the context (a store,
 * another size, an offset that is no field, pointer arithmetic on it) is refused.
 *
 * Knowing which register holds the context: a forward data-flow pass over the control-flow graph
 * tracks, for every register and every 8-byte stack slot of the frame, two bits: "may hold the context"
 * and "may hold something else" (join = OR, so a join of context and non-context becomes "either").
 * At entry r1 is the context. mov64 copies the state, an 8-byte spill to [r10 + off] and its reload
 * carry it, anything else that writes a register makes it "something else" (or "either" when it was
 * computed from the context), helper calls clobber r0..r5. A memory access through a register that is
 * surely the context is rewritten; one through a register that only may be the context is refused,
 * since it cannot be proven to be on the context. Sub-programs start from their callers' r1..r5.
 *
 * Limits (no verifier yet): a store of a non-context value through a pointer other than r10 is assumed
 * not to overwrite a spilled context. A wrong guess there can only make a load read the wrong field of
 * memory the checked interpreter allows; it cannot reach other memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime_int.h"

#define CTX_MAY 1u   /* may hold the context */
#define CTX_OTHER 2u /* may hold something else */
#define STACK_SLOTS (ISA_STACK_SIZE / 8)

typedef struct ctx_state {
    bool reached;
    uint8_t reg[ISA_REG_COUNT];
    uint8_t slot[STACK_SLOTS];
} ctx_state;

/* Joins b into a; true when a changed. */
static bool state_join(ctx_state *a, const ctx_state *b)
{
    if (!a->reached) {
        *a = *b;
        return true;
    }
    bool changed = false;
    for (int i = 0; i < ISA_REG_COUNT; i++) {
        uint8_t v = a->reg[i] | b->reg[i];
        changed |= v != a->reg[i];
        a->reg[i] = v;
    }
    for (int i = 0; i < STACK_SLOTS; i++) {
        uint8_t v = a->slot[i] | b->slot[i];
        changed |= v != a->slot[i];
        a->slot[i] = v;
    }
    return changed;
}

static void state_fresh(ctx_state *s)
{
    memset(s, 0, sizeof *s);
    s->reached = true;
    for (int i = 0; i < ISA_REG_COUNT; i++)
        s->reg[i] = CTX_OTHER;
    for (int i = 0; i < STACK_SLOTS; i++)
        s->slot[i] = CTX_OTHER;
}

/* Stack slot of an 8-byte aligned [r10 + off], or -1. */
static int stack_slot(int16_t off)
{
    if (off >= 0 || off < -ISA_STACK_SIZE || (off & 7))
        return -1;
    return (off + ISA_STACK_SIZE) / 8;
}

/* The rewritten offset and size of an xdp_md field read, or false when `off`/`size` is no field. */
static bool xdp_field(int16_t off, int size, int16_t *new_off, bool *wide)
{
    if (size != 4)
        return false;
    switch (off) {
    case 0: *new_off = 0; *wide = true; return true;
    case 4: *new_off = 8; *wide = true; return true;
    case 8: *new_off = 16; *wide = true; return true;
    case 12: *new_off = 24; *wide = false; return true;
    case 16: *new_off = 28; *wide = false; return true;
    case 20: *new_off = 32; *wide = false; return true;
    default: return false;
    }
}

typedef struct rewrite {
    uint32_t prog_type;
    isa_slot *code;
    size_t count;
    isa_insn *insns;
    ctx_state *in;     /* per slot: state before the instruction */
    size_t *work;      /* stack of slots to (re)visit */
    size_t work_len;
    bool *queued;
    ebpf_diag *diag;
} rewrite;

static void push(rewrite *rw, size_t pc, const ctx_state *s)
{
    if (pc >= rw->count || rw->insns[pc].id == ISA_SLOT_TAIL)
        return; /* validation already refused such targets */
    if (state_join(&rw->in[pc], s) && !rw->queued[pc]) {
        rw->queued[pc] = true;
        rw->work[rw->work_len++] = pc;
    }
}

/* The state after a memory access through `base` (a ctx check only; rewriting is done later). */
static int check_access(rewrite *rw, size_t pc, const isa_insn *insn, uint8_t base, bool store)
{
    if (!(base & CTX_MAY))
        return 0;
    if (base & CTX_OTHER)
        return diag_fail_errno(rw->diag, -ENOTSUP, (int64_t)pc,
                               "instruction %zu: cannot prove whether r%u holds the context here; context "
                               "accesses must go through a register that surely holds it", pc,
                               (unsigned)(store ? insn->dst : insn->src));
    if (rw->prog_type != ELF_PROG_XDP)
        return diag_fail_errno(rw->diag, -ENOTSUP, (int64_t)pc,
                               "instruction %zu: context access of a %s program: no context rewrite for this "
                               "program type yet", pc, elf_prog_type_name(rw->prog_type));
    int16_t off;
    bool wide;
    if (store || isa_infos[insn->id].format != ISA_FMT_LDX ||
        !xdp_field(insn->off, isa_access_size(insn), &off, &wide))
        return diag_fail_errno(rw->diag, -EINVAL, (int64_t)pc,
                               "instruction %zu: invalid xdp_md access: %s of %d bytes at offset %d (only "
                               "32-bit reads of its fields are allowed)", pc, store ? "write" : "read",
                               isa_access_size(insn), insn->off);
    return 0;
}

/* Applies one instruction to s. Returns 0 or a negative errno (diag set). */
static int transfer(rewrite *rw, size_t pc, const isa_insn *insn, ctx_state *s)
{
    const isa_format fmt = (isa_format)isa_infos[insn->id].format;
    switch (fmt) {
    case ISA_FMT_LDX: {
        int rc = check_access(rw, pc, insn, s->reg[insn->src], false);
        if (rc)
            return rc;
        int slot = insn->src == ISA_REG_FP && isa_access_size(insn) == 8 ? stack_slot(insn->off) : -1;
        s->reg[insn->dst] = slot >= 0 ? s->slot[slot] : CTX_OTHER;
        return 0;
    }
    case ISA_FMT_ST:
    case ISA_FMT_STX:
    case ISA_FMT_ATOMIC: {
        int rc = check_access(rw, pc, insn, s->reg[insn->dst], true);
        if (rc)
            return rc;
        uint8_t value = fmt == ISA_FMT_ST ? CTX_OTHER : s->reg[insn->src];
        int size = isa_access_size(insn);
        if (insn->dst == ISA_REG_FP && fmt != ISA_FMT_ATOMIC) {
            int slot = size == 8 ? stack_slot(insn->off) : -1;
            if (slot >= 0) {
                s->slot[slot] = value;
            } else {
                /* a narrower or unaligned store: the slots it touches no longer hold a whole pointer */
                for (int32_t b = insn->off; b < insn->off + size; b++)
                    if (b < 0 && b >= -ISA_STACK_SIZE)
                        s->slot[(b + ISA_STACK_SIZE) / 8] = CTX_OTHER;
            }
        } else if (value & CTX_MAY) {
            for (int i = 0; i < STACK_SLOTS; i++) /* the context may now be anywhere in the frame */
                s->slot[i] |= CTX_MAY;
        }
        if (fmt == ISA_FMT_ATOMIC) { /* fetch forms and cmpxchg write a register */
            uint16_t w = isa_regs_written(insn);
            for (int r = 0; r < ISA_REG_COUNT; r++)
                if (w & (1u << r))
                    s->reg[r] = CTX_OTHER;
        }
        return 0;
    }
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALLX:
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND:
        for (int r = 0; r <= 5; r++)
            s->reg[r] = CTX_OTHER;
        return 0;
    case ISA_FMT_CALL_LOCAL: {
        /* the callee starts with the caller's r1..r5; after it r0 may be anything it was given */
        ctx_state callee;
        state_fresh(&callee);
        uint8_t args = 0;
        for (int r = 1; r <= 5; r++) {
            callee.reg[r] = s->reg[r];
            args |= s->reg[r];
        }
        push(rw, (size_t)isa_jump_target(insn, pc), &callee);
        for (int r = 1; r <= 5; r++)
            s->reg[r] = CTX_OTHER;
        s->reg[0] = (uint8_t)(CTX_OTHER | (args & CTX_MAY));
        return 0;
    }
    default:
        break;
    }
    if (insn->id == ISA_MOV64_REG) {
        s->reg[insn->dst] = s->reg[insn->src];
        return 0;
    }
    uint16_t read = isa_regs_read(insn), written = isa_regs_written(insn);
    uint8_t from = 0;
    for (int r = 0; r < ISA_REG_COUNT; r++)
        if (read & (1u << r))
            from |= s->reg[r];
    for (int r = 0; r < ISA_REG_COUNT; r++)
        if (written & (1u << r))
            s->reg[r] = (uint8_t)(CTX_OTHER | (from & CTX_MAY)); /* derived from the context: unprovable */
    return 0;
}

/* Successors of the instruction at pc, given the state after it. */
static void flow(rewrite *rw, size_t pc, const isa_insn *insn, const ctx_state *after)
{
    const isa_format fmt = (isa_format)isa_infos[insn->id].format;
    if (fmt == ISA_FMT_EXIT)
        return;
    if (fmt == ISA_FMT_JA || fmt == ISA_FMT_JA32) {
        push(rw, (size_t)isa_jump_target(insn, pc), after);
        return;
    }
    if (isa_is_conditional(insn))
        push(rw, (size_t)isa_jump_target(insn, pc), after);
    push(rw, pc + insn->slots, after);
}

int runtime_ctx_rewrite(uint32_t prog_type, isa_slot *code, size_t count, ebpf_diag *diag)
{
    if (count == 0)
        return 0;
    rewrite rw = { .prog_type = prog_type, .code = code, .count = count, .diag = diag };
    rw.insns = calloc(count, sizeof *rw.insns);
    rw.in = calloc(count, sizeof *rw.in);
    rw.work = calloc(count, sizeof *rw.work);
    rw.queued = calloc(count, sizeof *rw.queued);
    int rc = 0;
    if (!rw.insns || !rw.in || !rw.work || !rw.queued) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        goto done;
    }
    for (size_t pc = 0; pc < count;) {
        rc = isa_decode(code, count, pc, &rw.insns[pc], diag);
        if (rc)
            goto done;
        for (size_t k = 1; k < rw.insns[pc].slots && pc + k < count; k++)
            rw.insns[pc + k].id = ISA_SLOT_TAIL;
        pc += rw.insns[pc].slots ? rw.insns[pc].slots : 1;
    }
    ctx_state entry;
    state_fresh(&entry);
    entry.reg[1] = CTX_MAY;
    push(&rw, 0, &entry);
    while (rw.work_len > 0) {
        size_t pc = rw.work[--rw.work_len];
        rw.queued[pc] = false;
        ctx_state s = rw.in[pc];
        rc = transfer(&rw, pc, &rw.insns[pc], &s);
        if (rc)
            goto done;
        flow(&rw, pc, &rw.insns[pc], &s);
    }
    /* Every reached access through a sure context is an xdp_md field read (transfer checked it). */
    for (size_t pc = 0; pc < count; pc++) {
        const isa_insn *insn = &rw.insns[pc];
        if (!rw.in[pc].reached || insn->id == ISA_SLOT_TAIL || isa_infos[insn->id].format != ISA_FMT_LDX ||
            rw.in[pc].reg[insn->src] != CTX_MAY)
            continue;
        int16_t off;
        bool wide;
        if (!xdp_field(insn->off, isa_access_size(insn), &off, &wide))
            continue; /* unreachable: transfer refused it */
        code[pc].off = off;
        if (wide)
            code[pc].opcode = isa_infos[ISA_LDXDW].opcode;
    }
done:
    free(rw.insns);
    free(rw.in);
    free(rw.work);
    free(rw.queued);
    return rc;
}
