/* jit_test_prog.c - the slot encoder and buffer of jit_test_prog.h. */
#include "jit_test_prog.h"

#include <stdio.h>
#include <stdlib.h>

isa_slot jt_enc(uint16_t id, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
    const isa_info *info = &isa_infos[id];
    isa_slot s = { info->opcode, (uint8_t)(dst & 15), (uint8_t)(src & 15), off, imm };
    switch (info->format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG: s.off = (int16_t)info->disc; break;
    case ISA_FMT_ENDIAN:
    case ISA_FMT_ATOMIC: s.imm = info->disc; break;
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_LDDW: s.src = (uint8_t)info->disc; break;
    default: break;
    }
    return s;
}

void jt_emit(jt_prog *p, isa_slot s)
{
    if (p->n >= JT_PROG_MAX) {
        fprintf(stderr, "jt_emit: test program longer than %d slots\n", JT_PROG_MAX);
        abort();
    }
    p->s[p->n++] = s;
}

void jt_emit_insn(jt_prog *p, uint16_t id, unsigned dst, unsigned src, int16_t off, int32_t imm)
{
    jt_emit(p, jt_enc(id, dst, src, off, imm));
}

void jt_emit_lddw(jt_prog *p, unsigned dst, uint64_t value)
{
    jt_emit(p, jt_enc(ISA_LDDW, dst, 0, 0, (int32_t)(uint32_t)value));
    jt_emit(p, (isa_slot){ 0, 0, 0, 0, (int32_t)(uint32_t)(value >> 32) });
}
