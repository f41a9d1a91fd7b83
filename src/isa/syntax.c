/*
 * syntax.c - the operand layout of each instruction format in the bpf_conformance assembly syntax
 * (PROTOCOL.md section 2), as one table shared by the assembler and the disassembler, plus the few
 * spellings derived from isa_insns.def (printed mnemonic, lddw source keywords).
 */
#include "isa/syntax.h"

#include <string.h>

const isa_shape isa_shapes[ISA_FMT_COUNT] = {
    /*                      words  n  operands                                              disc field */
    [ISA_FMT_ALU_IMM]     = { 2, 2, 2, { ISA_OPD_DST, ISA_OPD_IMM },                            ISA_F_OFF },
    [ISA_FMT_ALU_REG]     = { 2, 2, 2, { ISA_OPD_DST, ISA_OPD_SRC },                            ISA_F_OFF },
    [ISA_FMT_NEG]         = { 1, 1, 1, { ISA_OPD_DST },                                         0 },
    [ISA_FMT_ENDIAN]      = { 1, 1, 1, { ISA_OPD_DST },                                         ISA_F_IMM },
    [ISA_FMT_LDX]         = { 2, 2, 2, { ISA_OPD_DST, ISA_OPD_MEM_SRC },                        0 },
    [ISA_FMT_ST]          = { 2, 2, 2, { ISA_OPD_MEM_DST, ISA_OPD_IMM },                        0 },
    [ISA_FMT_STX]         = { 2, 2, 2, { ISA_OPD_MEM_DST, ISA_OPD_SRC },                        0 },
    [ISA_FMT_ATOMIC]      = { 2, 2, 2, { ISA_OPD_MEM_DST, ISA_OPD_SRC },                        ISA_F_IMM },
    /* `lddw %r1, 5` or `lddw %r1, map_fd 5`: the value operand may take a second word. */
    [ISA_FMT_LDDW]        = { 2, 3, 2, { ISA_OPD_DST, ISA_OPD_IMM64 },                          ISA_F_SRC },
    [ISA_FMT_LD_ABS]      = { 1, 1, 1, { ISA_OPD_IMM },                                         0 },
    [ISA_FMT_LD_IND]      = { 2, 2, 2, { ISA_OPD_SRC, ISA_OPD_IMM },                            0 },
    [ISA_FMT_JA]          = { 1, 1, 1, { ISA_OPD_OFF_TARGET },                                  0 },
    [ISA_FMT_JA32]        = { 1, 1, 1, { ISA_OPD_IMM_TARGET },                                  0 },
    [ISA_FMT_JMP_IMM]     = { 3, 3, 3, { ISA_OPD_DST, ISA_OPD_IMM, ISA_OPD_OFF_TARGET },        0 },
    [ISA_FMT_JMP_REG]     = { 3, 3, 3, { ISA_OPD_DST, ISA_OPD_SRC, ISA_OPD_OFF_TARGET },        0 },
    [ISA_FMT_CALL_HELPER] = { 1, 1, 1, { ISA_OPD_IMM },                                         ISA_F_SRC },
    [ISA_FMT_CALL_LOCAL]  = { 1, 1, 1, { ISA_OPD_IMM_TARGET },                                  ISA_F_SRC },
    /* `call runtime 7` or, with a BTF object index, `call runtime 7, 2`. */
    [ISA_FMT_CALL_KFUNC]  = { 1, 2, 2, { ISA_OPD_IMM, ISA_OPD_OFF },                            ISA_F_SRC },
    [ISA_FMT_CALLX]       = { 1, 1, 1, { ISA_OPD_DST },                                         0 },
    [ISA_FMT_EXIT]        = { 0, 0, 0, { 0 },                                                   0 },
};

static unsigned opd_fields(isa_opd opd)
{
    switch (opd) {
    case ISA_OPD_DST: return ISA_F_DST;
    case ISA_OPD_SRC: return ISA_F_SRC;
    case ISA_OPD_IMM: return ISA_F_IMM;
    case ISA_OPD_MEM_SRC: return ISA_F_SRC | ISA_F_OFF;
    case ISA_OPD_MEM_DST: return ISA_F_DST | ISA_F_OFF;
    case ISA_OPD_OFF_TARGET: return ISA_F_OFF;
    case ISA_OPD_IMM_TARGET: return ISA_F_IMM;
    case ISA_OPD_IMM64: return ISA_F_IMM | ISA_F_IMM2;
    case ISA_OPD_OFF: return ISA_F_OFF;
    }
    return 0;
}

unsigned isa_syntax_fields(unsigned id)
{
    const isa_shape *shape = isa_shape_of(id);
    unsigned fields = shape->disc_field;
    for (unsigned i = 0; i < shape->nopd; i++)
        fields |= opd_fields((isa_opd)shape->opd[i]);
    return fields;
}

const char *isa_syntax_unexpressed(const isa_insn *insn)
{
    unsigned fields = isa_syntax_fields(insn->id);
    if (!(fields & ISA_F_DST) && insn->dst != 0)
        return "dst";
    if (!(fields & ISA_F_SRC) && insn->src != 0)
        return "src";
    if (!(fields & ISA_F_OFF) && insn->off != 0)
        return "offset";
    if (!(fields & ISA_F_IMM) && insn->imm != 0)
        return "imm";
    if (!(fields & ISA_F_IMM2) && insn->imm2 != 0)
        return "second-slot imm";
    return NULL;
}

const char *isa_syntax_mnemonic(unsigned id)
{
    if (isa_infos[id].format == ISA_FMT_CALLX)
        return isa_infos[ISA_CALL].mnemonic;
    return isa_infos[id].mnemonic;
}

const char *isa_lddw_keyword(unsigned id)
{
    if (isa_infos[id].format != ISA_FMT_LDDW || id == ISA_LDDW)
        return NULL;
    const char *plain = isa_infos[ISA_LDDW].name;
    size_t len = strlen(plain);
    const char *name = isa_infos[id].name;
    if (strncmp(name, plain, len) != 0 || name[len] != '_' || name[len + 1] == '\0')
        return NULL;
    return name + len + 1;
}
