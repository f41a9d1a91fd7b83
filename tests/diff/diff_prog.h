/*
 * diff_prog.h - a generated program under construction: a fixed-capacity array of instruction slots,
 * the RFC 9669 encoding constants the generator spells opcodes with, and emitters.
 *
 * The opcodes are written here from the RFC's bit fields (class | operation | source) on purpose,
 * independently of src/isa/isa_insns.def: the differential test should not share a mistake with the
 * code it checks.
 */
#ifndef EBPF_DIFF_PROG_H
#define EBPF_DIFF_PROG_H

#include <stddef.h>
#include <stdint.h>

#include "ebpf/ebpf.h"

/* Instruction classes (low 3 bits). */
enum {
    DIFF_CLS_LD = 0x00, DIFF_CLS_LDX = 0x01, DIFF_CLS_ST = 0x02, DIFF_CLS_STX = 0x03,
    DIFF_CLS_ALU = 0x04, DIFF_CLS_JMP = 0x05, DIFF_CLS_JMP32 = 0x06, DIFF_CLS_ALU64 = 0x07,
};
/* Source bit of ALU and jump opcodes; for END it selects big endian (ALU) or bswap (ALU64 uses K). */
enum { DIFF_SRC_K = 0x00, DIFF_SRC_X = 0x08 };
/* ALU operations (high 4 bits). */
enum {
    DIFF_ALU_ADD = 0x00, DIFF_ALU_SUB = 0x10, DIFF_ALU_MUL = 0x20, DIFF_ALU_DIV = 0x30,
    DIFF_ALU_OR = 0x40, DIFF_ALU_AND = 0x50, DIFF_ALU_LSH = 0x60, DIFF_ALU_RSH = 0x70,
    DIFF_ALU_NEG = 0x80, DIFF_ALU_MOD = 0x90, DIFF_ALU_XOR = 0xa0, DIFF_ALU_MOV = 0xb0,
    DIFF_ALU_ARSH = 0xc0, DIFF_ALU_END = 0xd0,
};
/* Jump operations (high 4 bits). */
enum {
    DIFF_JMP_JA = 0x00, DIFF_JMP_JEQ = 0x10, DIFF_JMP_JGT = 0x20, DIFF_JMP_JGE = 0x30,
    DIFF_JMP_JSET = 0x40, DIFF_JMP_JNE = 0x50, DIFF_JMP_JSGT = 0x60, DIFF_JMP_JSGE = 0x70,
    DIFF_JMP_CALL = 0x80, DIFF_JMP_EXIT = 0x90, DIFF_JMP_JLT = 0xa0, DIFF_JMP_JLE = 0xb0,
    DIFF_JMP_JSLT = 0xc0, DIFF_JMP_JSLE = 0xd0,
};
/* Memory-mode opcodes used only by the kernel harness around a generated program. */
enum {
    DIFF_OP_LDDW = 0x18,  /* LD | IMM | DW */
    DIFF_OP_LDXW = 0x61,  /* LDX | MEM | W */
    DIFF_OP_LDXDW = 0x79, /* LDX | MEM | DW */
    DIFF_OP_STXDW = 0x7b, /* STX | MEM | DW */
};

#define DIFF_PROG_MAX 1024 /* slots; the generator's budget keeps far below this */

typedef struct diff_prog {
    struct ebpf_insn insns[DIFF_PROG_MAX];
    size_t count;
} diff_prog;

void diff_prog_reset(diff_prog *prog);

/* Appends one slot and returns its index. Aborts on overflow (a generator bug, never input). */
size_t diff_emit(diff_prog *prog, uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm);

/* Appends `lddw dst, value` (two slots) and returns the index of the first. */
size_t diff_emit_lddw(diff_prog *prog, uint8_t dst, uint64_t value);

/* Sets the offset of the jump at `at` so that it lands on slot `target`. Aborts if out of range. */
void diff_patch_jump(diff_prog *prog, size_t at, size_t target);

/* The same for ja32 (JMP32 | JA), whose target lives in imm. */
void diff_patch_jump32(diff_prog *prog, size_t at, size_t target);

/* Appends every slot of `src` to `prog`. */
void diff_prog_append(diff_prog *prog, const diff_prog *src, size_t from, size_t to);

#endif
