/*
 * jit_fuse.c - short instruction sequences compilers emit, translated as one x86 instruction (or one
 * jump fewer). Planned once before the passes from the decoded program; an instruction is absorbed
 * into the translation of the one before it only when no jump or local call lands on it, so every
 * path into the sequence runs all of it.
 *
 *   ZEXT     [mov rX, rY;] lsh rX, 32; rsh rX, 32   mov r32X, r32Y       (clang's zero-extension)
 *   LEA      mov rX, rY; add rX, imm                lea rX, [rY + imm]   (not when blinding)
 *            mov rX, rY; add rX, rZ                 lea rX, [rY + rZ]
 *   JCC_JA   jcc +1; ja T                           j!cc T               (one taken jump per loop)
 *   SHR32    and rX, rC; rsh rX, n                  shr r32X, n          (clang's u32 >> n on a register
 *            with rC = 0xffffffff << n (32 bits)                         whose upper half is dirty)
 *
 * SHR32 needs rC's value on every path: jit_reg_is (jit_regval.c).
 *
 * lea leaves the flags alone where add sets them: no translation reads flags an earlier eBPF
 * instruction set. The lookup-and-null-check fusion of array maps is planned in jit_maps.c.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int jit_plan_targets(jit_state *st)
{
    st->is_target = calloc(st->count, 1);
    st->fuse = calloc(st->count, 1);
    if (!st->is_target || !st->fuse) {
        jit_fail(st, -ENOMEM, -1, "out of memory");
        return st->err;
    }
    for (size_t pc = 0; pc < st->count; pc += st->insns[pc].slots) {
        const isa_insn *in = &st->insns[pc];
        if (isa_is_jump(in) || in->id == ISA_CALL_LOCAL)
            st->is_target[isa_jump_target(in, pc)] = 1;
    }
    for (size_t k = 0; k < st->entry_count; k++) /* runs may start there */
        st->is_target[st->entries[k]] = 1;
    return 0;
}

/* Is the instruction at pc free to be absorbed: in the program, one slot, no label jumped to, not yet
 * part of another translation? */
static bool jit_free_at(const jit_state *st, size_t pc)
{
    return pc < st->count && st->insns[pc].slots == 1 && !st->is_target[pc] && st->fuse[pc] == JIT_FUSE_NONE;
}

static bool jit_is_shift32(const isa_insn *in, uint16_t id, unsigned reg)
{
    return in->id == id && in->dst == reg && in->imm == 32;
}

/* and rX, rC; rsh rX, n with rC = the 32-bit mask of the bits the shift keeps (header comment). */
static bool jit_is_shr32(const jit_state *st, size_t pc)
{
    const isa_insn *a = &st->insns[pc], *b = &st->insns[pc + 1];
    if (a->id != ISA_AND64_REG || a->src == a->dst || a->src >= 10 || !jit_free_at(st, pc + 1) ||
        b->id != ISA_RSH64_IMM || b->dst != a->dst || b->imm <= 0 || b->imm >= 32)
        return false;
    return jit_reg_is(st, a->src, pc, (uint64_t)(0xffffffffu >> b->imm) << b->imm);
}

/* How many instructions the fusion starting at pc covers (0: none), its kind in *kind. */
static size_t jit_match(const jit_state *st, size_t pc, jit_fuse_kind *kind)
{
    const isa_insn *a = &st->insns[pc];
    if (a->id == ISA_MOV64_REG && jit_free_at(st, pc + 1)) {
        const isa_insn *b = &st->insns[pc + 1];
        if (jit_is_shift32(b, ISA_LSH64_IMM, a->dst) && jit_free_at(st, pc + 2) &&
            jit_is_shift32(&st->insns[pc + 2], ISA_RSH64_IMM, a->dst)) {
            *kind = JIT_FUSE_ZEXT;
            return 3;
        }
        if ((b->id == ISA_ADD64_IMM && !st->blind && b->dst == a->dst) ||
            (b->id == ISA_ADD64_REG && b->dst == a->dst)) {
            *kind = JIT_FUSE_LEA;
            return 2;
        }
    }
    if (jit_is_shift32(a, ISA_LSH64_IMM, a->dst) && jit_free_at(st, pc + 1) &&
        jit_is_shift32(&st->insns[pc + 1], ISA_RSH64_IMM, a->dst)) {
        *kind = JIT_FUSE_ZEXT;
        return 2;
    }
    if (isa_is_conditional(a) && isa_jump_target(a, pc) == (int64_t)pc + 2 && jit_free_at(st, pc + 1) &&
        (st->insns[pc + 1].id == ISA_JA || st->insns[pc + 1].id == ISA_JA32)) {
        *kind = JIT_FUSE_JCC_JA;
        return 2;
    }
    if (!st->blind && jit_is_shr32(st, pc)) {
        *kind = JIT_FUSE_SHR32;
        return 2;
    }
    return 0;
}

void jit_plan_fusions(jit_state *st)
{
    for (size_t pc = 0; pc < st->count; pc += st->insns[pc].slots) {
        jit_fuse_kind kind;
        size_t n = st->fuse[pc] == JIT_FUSE_NONE ? jit_match(st, pc, &kind) : 0;
        if (n == 0)
            continue;
        st->fuse[pc] = (uint8_t)kind;
        for (size_t i = 1; i < n; i++)
            st->fuse[pc + i] = JIT_FUSE_ABSORBED;
    }
}

bool jit_emit_fused(jit_state *st, size_t pc)
{
    const isa_insn *a = &st->insns[pc], *b = &st->insns[pc + 1];
    switch ((jit_fuse_kind)st->fuse[pc]) {
    case JIT_FUSE_NONE:
        return false;
    case JIT_FUSE_ABSORBED:
        return true;
    case JIT_FUSE_ZEXT:
        jit_mov_rr(st, 0, jit_reg[a->dst], jit_reg[a->id == ISA_MOV64_REG ? a->src : a->dst]);
        return true;
    case JIT_FUSE_LEA:
        if (b->id == ISA_ADD64_IMM) /* mov rX, rY; add rX, rX adds rY to itself: the source stands in */
            jit_op_rm(st, JIT_W, 0x8d, jit_reg[a->dst], jit_reg[a->src], b->imm);
        else
            jit_lea_rr(st, jit_reg[a->dst], jit_reg[a->src], jit_reg[b->src == a->dst ? a->src : b->src]);
        return true;
    case JIT_FUSE_JCC_JA:
        jit_emit_cond_jump(st, pc, a, JIT_L_INSN(isa_jump_target(b, pc + 1)), true);
        return true;
    case JIT_FUSE_SHR32: /* a 32-bit shift zero-extends: the mask's upper half is 0 too */
        jit_shift_ri(st, 0, JIT_SHIFT_SHR, jit_reg[a->dst], (uint8_t)b->imm);
        return true;
    }
    return false;
}
