/*
 * jit_live.c - register liveness for the JIT: for every instruction start pc, the eBPF registers
 * r0..r9 whose value some path from pc may still read (st->live_in[pc], bit n = rn). A backwards data
 * flow over the whole program: live_in = read | (live_out & ~written), live_out the union of the
 * successors' live_in (the fall-through, a jump's target; nothing after an exit).
 *
 * What an instruction reads and writes is isa_regs_read / isa_regs_written, plus what the calling
 * convention adds: a helper call (or callx) reads r1..r5 and clobbers r0..r5 (a map lookup the JIT
 * translates itself, jit_maps.c, reads only r1, r2 and the key register it takes); a local call may read
 * r0..r9 (a callee sees all of the caller's registers in the interpreter) and clobbers r0..r5; an exit reads r0;
 * packet loads (ld_abs, ld_ind) count as reading r6, their context. The answer is conservative: a
 * register the JIT leaves out of live_in[pc] is one no eBPF instruction can observe after pc, so code
 * that only sets it (the entry's zeroing, a NULL put in r0 on a path where r0 dies) may be dropped.
 *
 * Sweeps go backwards until nothing changes; a flow that has not settled after JIT_LIVE_SWEEPS sweeps
 * gives up and marks every register live everywhere (always correct, never optimised).
 */
#include "exec/jit/jit_int.h"

#include <errno.h>
#include <stdlib.h>

#define JIT_LIVE_SWEEPS 64
#define JIT_LIVE_ALL 0x3ffu  /* r0..r9 (r10 is read-only and never tracked) */
#define JIT_LIVE_ARGS 0x3eu  /* r1..r5 */
#define JIT_LIVE_CALLER 0x3fu /* r0..r5: what a call clobbers */

static void jit_live_effect(const jit_state *st, size_t pc, uint16_t *read, uint16_t *written)
{
    const isa_insn *in = &st->insns[pc];
    isa_format fmt = (isa_format)isa_infos[in->id].format;
    *read = isa_regs_read(in);
    *written = isa_regs_written(in);
    switch (fmt) {
    case ISA_FMT_CALL_HELPER:
        *read |= jit_map_site_reads(st, pc) ? jit_map_site_reads(st, pc) : JIT_LIVE_ARGS;
        *written |= JIT_LIVE_CALLER;
        break;
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_CALLX:
        *read |= JIT_LIVE_ARGS;
        *written |= JIT_LIVE_CALLER;
        break;
    case ISA_FMT_CALL_LOCAL:
        *read |= JIT_LIVE_ALL;
        *written |= JIT_LIVE_CALLER;
        break;
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND: *read |= 1u << 6; break;
    case ISA_FMT_EXIT: *read |= 1u; break;
    default: break;
    }
    *read &= JIT_LIVE_ALL;
    *written &= JIT_LIVE_ALL;
}

/* live_out of the instruction at pc: its successors' live_in. */
static uint16_t jit_live_out(const jit_state *st, size_t pc, const uint16_t *live)
{
    const isa_insn *in = &st->insns[pc];
    if (in->id == ISA_EXIT)
        return 0;
    uint16_t out = 0;
    if (isa_is_jump(in)) {
        int64_t t = isa_jump_target(in, pc);
        if (t >= 0 && (size_t)t < st->count)
            out |= live[t];
        if (!isa_is_conditional(in))
            return out;
    }
    size_t next = pc + in->slots;
    return next < st->count ? (uint16_t)(out | live[next]) : out;
}

int jit_plan_liveness(jit_state *st)
{
    uint16_t *live = calloc(st->count, sizeof *live);
    if (!live) {
        jit_fail(st, -ENOMEM, -1, "out of memory");
        return st->err;
    }
    st->live_in = live;
    bool changed = true;
    for (int sweep = 0; changed; sweep++) {
        if (sweep == JIT_LIVE_SWEEPS) {
            for (size_t pc = 0; pc < st->count; pc++)
                live[pc] = JIT_LIVE_ALL;
            return 0;
        }
        changed = false;
        for (size_t k = st->count; k-- > 0;) {
            const isa_insn *in = &st->insns[k];
            if (in->id == ISA_SLOT_TAIL)
                continue;
            uint16_t read, written;
            jit_live_effect(st, k, &read, &written);
            uint16_t in_set = (uint16_t)(read | (jit_live_out(st, k, live) & ~written));
            if (in_set != live[k]) {
                live[k] = in_set;
                changed = true;
            }
        }
    }
    return 0;
}

bool jit_live_at(const jit_state *st, size_t pc, unsigned reg)
{
    if (!st->live_in || pc >= st->count)
        return true;
    return (st->live_in[pc] >> reg) & 1u;
}
