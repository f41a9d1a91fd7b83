/*
 * ctx_rewrite.c - context rewrite: what Linux's convert_ctx_access does after its verifier, done here
 * for every program type from the context tables.
 *
 * A program compiled against the UAPI reads and writes a struct the runtime does not have (xdp_md,
 * __sk_buff, bpf_sock_addr): r1 really points to the runtime's record for that layout
 * (ctx_records.h). Every load or store through a register that holds the context is checked with
 * abi_ctx_access (the one access rule, src/abi) and then moved to the record with the layout's table
 * (ctx_table_<layout>.c):
 *
 *   - pointer fields (data, data_end, data_meta: 32-bit in the UAPI; sk, flow_keys): `ldxw rD,
 *     [rC + off]` becomes `ldxdw rD, [rC + off']`, a load of the real 64-bit pointer;
 *   - scalar fields, whole or narrow (1/2 bytes of a 4-byte field), and stores the type may make
 *     (mark, cb[], user_ip4, ...): same instruction and size at off' + (byte inside the field);
 *     a store to a field Linux keeps narrower (the slot's store_size: tc_index, tc_classid,
 *     queue_mapping) keeps that many low bytes; an immediate store Linux ignores (queue_mapping
 *     >= NO_QUEUE_MAPPING) becomes `ja +0`, and a store of such a field from a register jumps to a
 *     guard appended after the program (append_guard: the compare Linux inserts before it). Every
 *     other rewrite is one instruction for one, and appending moves nothing, so jump and call offsets,
 *     callback entries and line numbers stay valid.
 *
 * Raw layouts (kprobe's pt_regs, tracepoints, ...) have no record: allowed reads stay as they are,
 * against a buffer of the layout's size. A refused access (no field there, wrong size, a store to a
 * read-only field, an atomic access, a sign-extending load of a pointer, a type with no context) fails the load with a
 * message naming the instruction and abi_ctx_access's reason.
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
 * memory the checked interpreter allows; it cannot reach other memory (the record's pointer block is a
 * read-only region of checked runs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_ctx.h"
#include "runtime/ctx_records.h"
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

/* How an access through the context is rewritten: the new offset and opcode. */
typedef struct ctx_plan {
    int16_t off;
    uint8_t opcode;
    bool noop;         /* the store is one Linux ignores: it becomes `ja +0` */
    uint32_t guard;    /* non-zero: a register store Linux makes only below this value (a guard) */
} ctx_plan;

#define SIZE_MASK 0x18u  /* BPF_SIZE bits of a load/store opcode */
#define CLASS_MASK 0x07u
#define CLASS_ST 0x02u   /* BPF_ST: store of an immediate */

static uint8_t size_bits(unsigned size)
{
    return size == 1 ? 0x10u : size == 2 ? 0x08u : size == 8 ? 0x18u : 0x00u;
}

#define MODE_MEMSX 0x80u /* BPF_MEMSX: sign-extending load */

/* Checks one context access with the access rule and finds its place in the record. Returns 0 or a
 * negative errno with diag naming the instruction and the reason. */
static int plan_access(uint32_t prog_type, size_t pc, const isa_insn *insn, const isa_slot *slot, bool store,
                       ctx_plan *plan, ebpf_diag *diag)
{
    const abi_ctx_desc *desc = abi_ctx_for_prog_type(prog_type);
    const runtime_ctx_table *table = desc ? runtime_ctx_table_of(desc->layout) : NULL;
    const char *what = table ? table->uapi_name : "the context";
    int size = isa_access_size(insn);
    const char *why = NULL;
    const abi_ctx_field *f = NULL;
    if (isa_infos[insn->id].format == ISA_FMT_ATOMIC)
        why = "atomic operations on the context are not allowed";
    else
        f = abi_ctx_access(prog_type, 0, insn->off, (uint32_t)size, store, &why);
    if (f && f->kind != ABI_CTX_KIND_SCALAR && (slot->opcode & 0xe0u) == MODE_MEMSX) {
        why = "sign-extending loads of a pointer field are not allowed";
        f = NULL;
    }
    if (!f)
        return diag_fail_errno(diag, -EACCES, (int64_t)pc,
                               "instruction %zu: invalid context access: %s of %d bytes at offset %d of %s (%s "
                               "program): %s", pc, store ? "write" : "read", size, insn->off, what,
                               elf_prog_type_name(prog_type), why);
    plan->off = insn->off;
    plan->opcode = slot->opcode;
    plan->noop = false;
    plan->guard = 0;
    if (!table)
        return 0; /* a raw layout: the read stays as it is */
    const runtime_ctx_slot *s = runtime_ctx_slot_of(table, f->offset);
    if (!s)
        return diag_fail_errno(diag, -ENOTSUP, (int64_t)pc,
                               "instruction %zu: field %s of %s has no place in the runtime's context record",
                               pc, f->name, what);
    if (f->kind == ABI_CTX_KIND_SCALAR) {
        plan->off = (int16_t)(s->record_offset + (insn->off - f->offset));
        if (store && s->store_size && size > s->store_size) /* Linux keeps only the low bytes */
            plan->opcode = (uint8_t)((plan->opcode & ~SIZE_MASK) | size_bits(s->store_size));
        bool imm = (slot->opcode & CLASS_MASK) == CLASS_ST;
        if (store && s->store_limit && imm && (uint32_t)slot->imm >= s->store_limit)
            plan->noop = true;
        else if (store && s->store_limit && !imm)
            plan->guard = s->store_limit;
    } else { /* a pointer, read whole: the record holds the real 64-bit value */
        plan->off = (int16_t)s->record_offset;
        plan->opcode = isa_infos[ISA_LDXDW].opcode;
    }
    return 0;
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
    ctx_plan plan;
    return plan_access(rw->prog_type, pc, insn, &rw->code[pc], store, &plan, rw->diag);
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

/* A one-slot jump from `from` to `to`: ja when the distance fits 16 bits, else ja32. */
static isa_slot jump_slot(size_t from, size_t to)
{
    int64_t delta = (int64_t)to - (int64_t)from - 1;
    if (delta >= INT16_MIN && delta <= INT16_MAX)
        return (isa_slot){ .opcode = isa_infos[ISA_JA].opcode, .off = (int16_t)delta };
    return (isa_slot){ .opcode = isa_infos[ISA_JA32].opcode, .imm = (int32_t)delta };
}

/* Moves the (rewritten) store at pc to a guard appended after the program, as Linux's compare before
 * the store: `jge rS, limit, +1; <store>; ja pc + 1`, and makes pc jump there. Appending keeps every
 * other instruction where it was, so no jump or call offset changes. */
static int append_guard(isa_slot **code, size_t *count, size_t pc, uint32_t limit, ebpf_diag *diag)
{
    isa_slot *grown = realloc(*code, (*count + 3) * sizeof *grown);
    if (!grown)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
    size_t t = *count;
    isa_slot store = grown[pc];
    grown[t] = (isa_slot){ .opcode = isa_infos[ISA_JGE_IMM].opcode, .dst = store.src, .off = 1, .imm = (int32_t)limit };
    grown[t + 1] = store;
    grown[t + 2] = jump_slot(t + 2, pc + 1);
    grown[pc] = jump_slot(pc, t);
    *code = grown;
    *count = t + 3;
    return 0;
}

int runtime_ctx_rewrite(uint32_t prog_type, isa_slot **code_io, size_t *count_io, ebpf_diag *diag)
{
    isa_slot *code = *code_io;
    size_t count = *count_io;
    if (count == 0)
        return 0;
    rewrite rw = { .prog_type = prog_type, .code = code, .count = count, .diag = diag };
    rw.insns = calloc(count, sizeof *rw.insns);
    rw.in = calloc(count, sizeof *rw.in);
    rw.work = calloc(count, sizeof *rw.work);
    rw.queued = calloc(count, sizeof *rw.queued);
    size_t *guarded = calloc(count, sizeof *guarded), guard_count = 0;
    uint32_t *limits = calloc(count, sizeof *limits);
    int rc = 0;
    if (!rw.insns || !rw.in || !rw.work || !rw.queued || !guarded || !limits) {
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
    /* Every reached access through a sure context passed plan_access in transfer: apply the plans. */
    for (size_t pc = 0; pc < count; pc++) {
        const isa_insn *insn = &rw.insns[pc];
        if (!rw.in[pc].reached || insn->id == ISA_SLOT_TAIL)
            continue;
        isa_format fmt = (isa_format)isa_infos[insn->id].format;
        bool store = fmt == ISA_FMT_ST || fmt == ISA_FMT_STX;
        if (fmt != ISA_FMT_LDX && !store)
            continue;
        if (rw.in[pc].reg[store ? insn->dst : insn->src] != CTX_MAY)
            continue;
        ctx_plan plan;
        rc = plan_access(prog_type, pc, insn, &code[pc], store, &plan, diag);
        if (rc)
            goto done;
        if (plan.noop) {
            code[pc] = (isa_slot){ .opcode = isa_infos[ISA_JA].opcode };
            continue;
        }
        code[pc].off = plan.off;
        code[pc].opcode = plan.opcode;
        if (plan.guard) {
            guarded[guard_count] = pc;
            limits[guard_count++] = plan.guard;
        }
    }
    for (size_t i = 0; i < guard_count && rc == 0; i++)
        rc = append_guard(code_io, count_io, guarded[i], limits[i], diag);
done:
    free(guarded);
    free(limits);
    free(rw.insns);
    free(rw.in);
    free(rw.work);
    free(rw.queued);
    return rc;
}
