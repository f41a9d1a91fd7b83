/*
 * isa_info.c - the static facts of every instruction (expanded from isa_insns.def) and the small
 * classification queries built on them.
 */
#include "isa/isa.h"

const isa_info isa_infos[ISA_ID_COUNT] = {
#define ISA_INSN(ID, MN, OP, FMT, DISC, VER, GRP) \
    [ISA_##ID] = { #ID, MN, OP, ISA_FMT_##FMT, DISC, VER, ISA_GROUP_##GRP },
#include "isa/isa_insns.def"
#undef ISA_INSN
};

static isa_format format_of(const isa_insn *insn)
{
    return (isa_format)isa_infos[insn->id].format;
}

bool isa_is_conditional(const isa_insn *insn)
{
    isa_format f = format_of(insn);
    return f == ISA_FMT_JMP_IMM || f == ISA_FMT_JMP_REG;
}

bool isa_is_jump(const isa_insn *insn)
{
    isa_format f = format_of(insn);
    return f == ISA_FMT_JA || f == ISA_FMT_JA32 || isa_is_conditional(insn);
}

bool isa_is_call(const isa_insn *insn)
{
    isa_format f = format_of(insn);
    return f == ISA_FMT_CALL_HELPER || f == ISA_FMT_CALL_LOCAL || f == ISA_FMT_CALL_KFUNC ||
           f == ISA_FMT_CALLX;
}

int64_t isa_jump_target(const isa_insn *insn, size_t pc)
{
    isa_format f = format_of(insn);
    int64_t delta = (f == ISA_FMT_JA32 || f == ISA_FMT_CALL_LOCAL) ? insn->imm : insn->off;
    return (int64_t)pc + 1 + delta;
}

int isa_access_size(const isa_insn *insn)
{
    switch (format_of(insn)) {
    case ISA_FMT_LDX:
    case ISA_FMT_ST:
    case ISA_FMT_STX:
    case ISA_FMT_ATOMIC:
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND:
        break;
    default:
        return 0;
    }
    static const int sizes[4] = { 4, 2, 1, 8 }; /* BPF_W, BPF_H, BPF_B, BPF_DW */
    return sizes[(isa_infos[insn->id].opcode >> 3) & 3];
}
