/*
 * sound_mutate.c - the mutation operators of sound_mutate.h. A site is chosen uniformly among the
 * instructions an operator applies to; the result is not checked here (the harness runs isa_validate
 * on it, as the verifier's contract requires structurally valid code).
 */
#include "sound_mutate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLS(op) ((op) & 0x07u)
#define CLS_LDX 0x01u
#define CLS_ST 0x02u
#define CLS_STX 0x03u
#define CLS_ALU 0x04u
#define CLS_JMP 0x05u
#define CLS_JMP32 0x06u
#define CLS_ALU64 0x07u
#define MODE(op) ((op) & 0xe0u)
#define MODE_MEM 0x60u
#define MODE_MEMSX 0x80u
#define SRC_X 0x08u
#define JOP(op) ((op) & 0xf0u)
#define LDDW 0x18u

const char *sound_op_name(sound_op op)
{
    static const char *const names[SOUND_OP_COUNT] = { "drop-check(fall)", "drop-check(take)", "invert-check",
                                                       "shift-offset", "swap-regs", "replace-reg", "bound-const",
                                                       "access-size", "alu-const" };
    return op < SOUND_OP_COUNT ? names[op] : "?";
}

static bool is_cond_jump(const isa_slot *s)
{
    uint8_t c = CLS(s->opcode), j = JOP(s->opcode);
    return (c == CLS_JMP || c == CLS_JMP32) && j != 0x00 && j != 0x80 && j != 0x90;
}

static bool is_mem(const isa_slot *s)
{
    uint8_t c = CLS(s->opcode);
    return (c == CLS_LDX && (MODE(s->opcode) == MODE_MEM || MODE(s->opcode) == MODE_MEMSX)) ||
           ((c == CLS_ST || c == CLS_STX) && MODE(s->opcode) == MODE_MEM);
}

/* mov, add, sub or and with an immediate. */
static bool is_alu_const(const isa_slot *s)
{
    uint8_t c = CLS(s->opcode), j = JOP(s->opcode);
    return (c == CLS_ALU || c == CLS_ALU64) && !(s->opcode & SRC_X) && s->off == 0 &&
           (j == 0x00 || j == 0x10 || j == 0x50 || j == 0xb0);
}

static bool has_two_regs(const isa_slot *s)
{
    uint8_t c = CLS(s->opcode);
    if (c == CLS_LDX || c == CLS_STX)
        return MODE(s->opcode) == MODE_MEM || MODE(s->opcode) == MODE_MEMSX || MODE(s->opcode) == 0xc0u;
    if (c == CLS_ALU || c == CLS_ALU64)
        return (s->opcode & SRC_X) && JOP(s->opcode) != 0xd0u; /* not the byte swaps */
    return is_cond_jump(s) && (s->opcode & SRC_X);
}

static bool applies(const isa_slot *s, sound_op op)
{
    switch (op) {
    case SOUND_OP_GUARD_FALL:
    case SOUND_OP_GUARD_TAKE:
    case SOUND_OP_GUARD_INVERT: return is_cond_jump(s);
    case SOUND_OP_OFFSET:
    case SOUND_OP_SIZE: return is_mem(s);
    case SOUND_OP_SWAP_REGS:
    case SOUND_OP_REPLACE_REG: return has_two_regs(s) || is_mem(s);
    case SOUND_OP_BOUND: return is_cond_jump(s) && !(s->opcode & SRC_X);
    case SOUND_OP_ALU_CONST: return is_alu_const(s);
    default: return false;
    }
}

/* The opposite condition of a conditional jump op (JOP bits). */
static uint8_t inverse(uint8_t j)
{
    switch (j) {
    case 0x10: return 0x50; /* jeq <-> jne */
    case 0x50: return 0x10;
    case 0x20: return 0xb0; /* jgt <-> jle */
    case 0xb0: return 0x20;
    case 0x30: return 0xa0; /* jge <-> jlt */
    case 0xa0: return 0x30;
    case 0x60: return 0xd0; /* jsgt <-> jsle */
    case 0xd0: return 0x60;
    case 0x70: return 0xc0; /* jsge <-> jslt */
    case 0xc0: return 0x70;
    default: return j;      /* jset has no inverse: keep it (the mutant equals the original) */
    }
}

static int32_t delta(sound_rng *r)
{
    static const int32_t steps[] = { 1, 2, 4, 8, 16, 32, 64 };
    int32_t d = sound_below(r, 3) ? steps[sound_below(r, 7)] : 1 + (int32_t)sound_below(r, 64);
    return sound_below(r, 2) ? d : -d;
}

long sound_mutate(const isa_slot *code, size_t count, sound_op op, sound_rng *r, isa_slot *out, char *desc,
                  size_t desc_size)
{
    size_t sites = 0;
    for (size_t i = 0; i < count; i++) {
        if (code[i].opcode == LDDW) {
            i++;
            continue;
        }
        sites += applies(&code[i], op);
    }
    if (!sites)
        return -1;
    size_t pick = sound_below(r, sites);
    for (size_t i = 0; i < count; i++) {
        if (code[i].opcode == LDDW) {
            i++;
            continue;
        }
        if (applies(&code[i], op) && pick-- == 0)
            return sound_mutate_at(code, count, op, i, r, out, desc, desc_size);
    }
    return -1;
}

long sound_mutate_at(const isa_slot *code, size_t count, sound_op op, size_t pc, sound_rng *r, isa_slot *out,
                     char *desc, size_t desc_size)
{
    if (pc >= count || !applies(&code[pc], op) || (pc && code[pc - 1].opcode == LDDW))
        return -1;
    memcpy(out, code, count * sizeof *out);
    isa_slot *s = &out[pc];
    const isa_slot was = *s;
    switch (op) {
    case SOUND_OP_GUARD_FALL: *s = (isa_slot){ .opcode = CLS_JMP }; break;
    case SOUND_OP_GUARD_TAKE: *s = (isa_slot){ .opcode = CLS_JMP, .off = was.off }; break;
    case SOUND_OP_GUARD_INVERT: s->opcode = (uint8_t)((was.opcode & 0x0fu) | inverse(JOP(was.opcode))); break;
    case SOUND_OP_OFFSET: {
        int32_t off = was.off + delta(r);
        s->off = (int16_t)(off > INT16_MAX ? INT16_MAX : off < INT16_MIN ? INT16_MIN : off);
        break;
    }
    case SOUND_OP_SWAP_REGS: s->dst = was.src, s->src = was.dst; break;
    case SOUND_OP_REPLACE_REG:
        if (sound_below(r, 2))
            s->dst = (uint8_t)sound_below(r, ISA_REG_COUNT);
        else
            s->src = (uint8_t)sound_below(r, ISA_REG_COUNT);
        break;
    case SOUND_OP_BOUND:
    case SOUND_OP_ALU_CONST: {
        int64_t imm = was.imm;
        switch (sound_below(r, 4)) {
        case 0: imm *= 2; break;
        case 1: imm /= 2; break;
        default: imm += delta(r); break;
        }
        s->imm = (int32_t)(imm > INT32_MAX ? INT32_MAX : imm < INT32_MIN ? INT32_MIN : imm);
        break;
    }
    case SOUND_OP_SIZE: {
        static const uint8_t sizes[] = { 0x00, 0x08, 0x10, 0x18 };
        uint8_t size = sizes[sound_below(r, 4)];
        if (size == (was.opcode & 0x18u))
            size = sizes[((size >> 3) + 1 + sound_below(r, 3)) % 4];
        s->opcode = (uint8_t)((was.opcode & ~0x18u) | size);
        break;
    }
    default: return -1;
    }
    snprintf(desc, desc_size, "pc %zu: %s {op 0x%02x dst r%u src r%u off %d imm %d} -> {op 0x%02x dst r%u src "
             "r%u off %d imm %d}", pc, sound_op_name(op), was.opcode, was.dst, was.src, was.off, was.imm,
             s->opcode, s->dst, s->src, s->off, s->imm);
    return (long)pc;
}
