/*
 * syntax.h - private to src/isa/: the operand syntax of every instruction format, read by both the
 * assembler (asm*.c) and the disassembler (disasm.c) so that what one prints the other reads back.
 *
 * Each format lists its operands in source order; every operand kind names the slot fields it fills.
 * The row's discriminator (isa_insns.def DISC) lives in one more field, implied by the mnemonic. A
 * field that is neither an operand nor the discriminator is reserved: the syntax cannot express a
 * non-zero value there, so the disassembler refuses such an instruction instead of losing bits.
 */
#ifndef EBPF_ISA_SYNTAX_H
#define EBPF_ISA_SYNTAX_H

#include "isa/isa.h"

typedef enum isa_opd {
    ISA_OPD_DST,        /* %rN                  -> dst                                        */
    ISA_OPD_SRC,        /* %rN                  -> src                                        */
    ISA_OPD_IMM,        /* 32-bit number        -> imm                                        */
    ISA_OPD_MEM_SRC,    /* [%rN+off]            -> src, off                                   */
    ISA_OPD_MEM_DST,    /* [%rN+off]            -> dst, off                                   */
    ISA_OPD_OFF_TARGET, /* label, +N or -N      -> off (slots after the next instruction)     */
    ISA_OPD_IMM_TARGET, /* label, +N or -N      -> imm                                        */
    ISA_OPD_IMM64,      /* lddw value: 64-bit number, or `kind N[+M]` for a pseudo source      */
    ISA_OPD_OFF,        /* 16-bit number        -> off (kfunc: BTF object index)              */
} isa_opd;

/* Slot fields, as bits. IMM2 is the second lddw slot's imm. */
enum { ISA_F_DST = 1, ISA_F_SRC = 2, ISA_F_OFF = 4, ISA_F_IMM = 8, ISA_F_IMM2 = 16 };

#define ISA_MAX_OPERANDS 3

typedef struct isa_shape {
    uint8_t min_words, max_words;   /* operand words a line may have (IMM64 takes 1 or 2, OFF 0 or 1) */
    uint8_t nopd;                   /* entries of opd[] */
    uint8_t opd[ISA_MAX_OPERANDS];  /* isa_opd, in source order */
    uint8_t disc_field;             /* ISA_F_* holding the row's discriminator, 0 if none */
} isa_shape;

extern const isa_shape isa_shapes[ISA_FMT_COUNT];

static inline const isa_shape *isa_shape_of(unsigned id)
{
    return &isa_shapes[isa_infos[id].format];
}

/* Fields (ISA_F_*) an instruction of this row may hold non-zero values in. */
unsigned isa_syntax_fields(unsigned id);

/* Name of the first field of `insn` that is non-zero although the syntax cannot write it, or NULL. */
const char *isa_syntax_unexpressed(const isa_insn *insn);

/* The mnemonic the disassembler prints for a row: the table's, except callx, which the conformance
 * syntax writes as `call %rN` (the helper-call mnemonic with a register operand). */
const char *isa_syntax_mnemonic(unsigned id);

/* For an lddw pseudo-source row, the keyword naming its source ("MAP_FD" of row LDDW_MAP_FD; written in
 * lower case in the syntax); NULL for plain lddw and for every other row. */
const char *isa_lddw_keyword(unsigned id);

/* Two's-complement narrowing without implementation-defined conversions. */
static inline int32_t isa_i32(uint32_t u)
{
    return u <= (uint32_t)INT32_MAX ? (int32_t)u : -(int32_t)~u - 1;
}

static inline int16_t isa_i16(uint16_t u)
{
    return u <= (uint16_t)INT16_MAX ? (int16_t)u : (int16_t)(-(int16_t)(uint16_t)~u - 1);
}

#endif
