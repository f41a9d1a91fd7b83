/*
 * jit_atomic.c - the atomic instructions on *(dst + off), 32 and 64 bits:
 *
 *   add/or/and/xor          lock add/or/and/xor [m], src
 *   fetch add               lock xadd [m], src            (src receives the old value)
 *   xchg                    xchg [m], src                 (locked by definition)
 *   cmpxchg                 lock cmpxchg [m], src         (compares with r0 = rax, r0 = old value)
 *   fetch or/and/xor        a lock cmpxchg loop: x86 has no fetching form of these
 *
 * Writes to a 32-bit register zero-extend, as eBPF wants for the fetched value, except a *successful*
 * 32-bit cmpxchg, which leaves rax untouched: r0 is zero-extended explicitly after it.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

typedef enum jit_atomic_kind {
    JIT_AT_NONE, JIT_AT_PLAIN, JIT_AT_XADD, JIT_AT_LOOP, JIT_AT_XCHG, JIT_AT_CMPXCHG,
} jit_atomic_kind;

typedef struct jit_atomic_row {
    uint8_t kind;
    uint8_t op;   /* JIT_ALU_* for PLAIN and LOOP */
    bool w;
} jit_atomic_row;

#define JIT_AROW(NAME, OP, FETCH)                                                                        \
    [ISA_ATOMIC_##NAME##64] = { JIT_AT_PLAIN, OP, true }, [ISA_ATOMIC_##NAME##32] = { JIT_AT_PLAIN, OP, false }, \
    [ISA_ATOMIC_FETCH_##NAME##64] = { FETCH, OP, true }, [ISA_ATOMIC_FETCH_##NAME##32] = { FETCH, OP, false },

static const jit_atomic_row jit_atomic_rows[ISA_ID_COUNT] = {
    JIT_AROW(ADD, JIT_ALU_ADD, JIT_AT_XADD)
    JIT_AROW(OR, JIT_ALU_OR, JIT_AT_LOOP)
    JIT_AROW(AND, JIT_ALU_AND, JIT_AT_LOOP)
    JIT_AROW(XOR, JIT_ALU_XOR, JIT_AT_LOOP)
    [ISA_ATOMIC_XCHG64] = { JIT_AT_XCHG, 0, true },
    [ISA_ATOMIC_XCHG32] = { JIT_AT_XCHG, 0, false },
    [ISA_ATOMIC_CMPXCHG64] = { JIT_AT_CMPXCHG, 0, true },
    [ISA_ATOMIC_CMPXCHG32] = { JIT_AT_CMPXCHG, 0, false },
};
#undef JIT_AROW

/* src = fetch_op(*(base + off), src): r0 parked in JIT_TMP2 (which also stands in for the base when the
 * base is r0), the operand copied to JIT_TMP3, the new value built in JIT_TMP. */
static void jit_fetch_loop(jit_state *st, const isa_insn *in, const jit_atomic_row *row)
{
    unsigned f = row->w ? JIT_W : 0, src = jit_reg[in->src], base = jit_reg[in->dst];
    jit_mov_rr(st, f, JIT_TMP3, src);
    jit_mov_rr(st, JIT_W, JIT_TMP2, JIT_RAX);
    if (base == JIT_RAX)
        base = JIT_TMP2;
    jit_op_rm(st, f, 0x8b, JIT_RAX, base, in->off);
    size_t retry = st->size;
    jit_mov_rr(st, f, JIT_TMP, JIT_RAX);
    jit_alu_rr(st, f, row->op, JIT_TMP, JIT_TMP3);
    jit_op_rm(st, f | JIT_LOCK, 0x0fb1, JIT_TMP, base, in->off);
    jit_jcc8_back(st, JIT_CC_NE, retry);
    if (src != JIT_RAX) {
        jit_mov_rr(st, f, src, JIT_RAX);
        jit_mov_rr(st, JIT_W, JIT_RAX, JIT_TMP2);
    }
}

void jit_emit_atomic(jit_state *st, size_t pc, const isa_insn *in)
{
    const jit_atomic_row *row = &jit_atomic_rows[in->id];
    unsigned f = row->w ? JIT_W : 0, src = jit_reg[in->src], base = jit_reg[in->dst];
    switch ((jit_atomic_kind)row->kind) {
    case JIT_AT_PLAIN:
        jit_op_rm(st, f | JIT_LOCK, JIT_ALU_RM_REG(row->op), src, base, in->off);
        break;
    case JIT_AT_XADD:
        jit_op_rm(st, f | JIT_LOCK, 0x0fc1, src, base, in->off);
        break;
    case JIT_AT_XCHG:
        jit_op_rm(st, f, 0x87, src, base, in->off);
        break;
    case JIT_AT_CMPXCHG:
        jit_op_rm(st, f | JIT_LOCK, 0x0fb1, src, base, in->off);
        if (!row->w)
            jit_mov_rr(st, 0, JIT_RAX, JIT_RAX);
        break;
    case JIT_AT_LOOP:
        jit_fetch_loop(st, in, row);
        break;
    case JIT_AT_NONE:
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not an atomic instruction", pc,
                 isa_infos[in->id].name);
        break;
    }
}
