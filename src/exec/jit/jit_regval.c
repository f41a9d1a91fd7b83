/*
 * jit_regval.c - does a register hold a given value on every path to an instruction? A small forward
 * data flow over the control-flow graph for that one register and that one value m, asked by the
 * fusions that depend on a constant kept in a register (jit_fuse.c).
 *
 * States per instruction: unreached, "m" (on every path so far), "other". Writes by a mov of an
 * immediate or an lddw of a plain constant equal to m give "m"; any other write, and helper calls for
 * r0..r5, give "other"; the program's start and the extra entries (callback functions) start from
 * "other". Programs with local calls are answered "no" (a callee may change r0..r5 and the return
 * edge is not modelled). The passes are capped: a flow that has not settled answers "no".
 */
#include "exec/jit/jit_int.h"

#include <stdlib.h>

#define JIT_CONST_PASSES 16 /* passes of the data flow before giving up (each pass is O(program)) */

enum { JIT_RC_UNREACHED, JIT_RC_EQUAL, JIT_RC_OTHER }; /* what r is at an instruction, over all paths */

static uint8_t jit_rc_meet(uint8_t a, uint8_t b)
{
    return a == JIT_RC_UNREACHED ? b : b == JIT_RC_UNREACHED ? a : a == b ? a : JIT_RC_OTHER;
}

/* In-state after instruction `in` for register r and value m. */
static uint8_t jit_rc_after(const isa_insn *in, unsigned r, uint64_t m, uint8_t state)
{
    if (isa_is_call(in))
        return r <= 5 ? JIT_RC_OTHER : state;
    if (!(isa_regs_written(in) & (1u << r)))
        return state;
    if (in->id == ISA_MOV64_IMM)
        return (uint64_t)(int64_t)in->imm == m ? JIT_RC_EQUAL : JIT_RC_OTHER;
    if (in->id == ISA_LDDW && in->src == 0)
        return in->imm64 == m ? JIT_RC_EQUAL : JIT_RC_OTHER;
    return JIT_RC_OTHER;
}

bool jit_reg_is(const jit_state *st, unsigned r, size_t at, uint64_t m)
{
    for (size_t i = 0; i < st->count; i += st->insns[i].slots)
        if (st->insns[i].id == ISA_CALL_LOCAL)
            return false;
    uint8_t *state = calloc(st->count, 1);
    if (!state)
        return false;
    state[0] = JIT_RC_OTHER;
    for (size_t k = 0; k < st->entry_count; k++)
        state[st->entries[k]] = JIT_RC_OTHER;
    bool changed = true;
    unsigned pass = 0;
    for (; changed && pass < JIT_CONST_PASSES; pass++) {
        changed = false;
        for (size_t i = 0; i < st->count; i += st->insns[i].slots) {
            const isa_insn *in = &st->insns[i];
            if (state[i] == JIT_RC_UNREACHED || in->id == ISA_EXIT)
                continue;
            uint8_t out = jit_rc_after(in, r, m, state[i]);
            size_t succ[2], n = 0;
            if (isa_is_jump(in))
                succ[n++] = (size_t)isa_jump_target(in, i);
            if (!isa_is_jump(in) || isa_is_conditional(in))
                succ[n++] = i + in->slots;
            for (size_t k = 0; k < n; k++) {
                if (succ[k] >= st->count)
                    continue;
                uint8_t met = jit_rc_meet(state[succ[k]], out);
                changed |= met != state[succ[k]];
                state[succ[k]] = met;
            }
        }
    }
    bool equal = !changed && state[at] == JIT_RC_EQUAL;
    free(state);
    return equal;
}
