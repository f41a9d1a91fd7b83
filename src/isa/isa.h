/*
 * isa.h - the eBPF instruction set as data: raw slots, decoded instructions, and the operations every
 * other module performs on bytecode (decode, validate, assemble, disassemble).
 *
 * The instruction list itself lives in isa_insns.def; this header expands it into the isa_id enum.
 * A decoded instruction (isa_insn) always names exactly one row of that list, so engines switch on
 * `id` and never re-parse opcode bits.
 */
#ifndef EBPF_ISA_H
#define EBPF_ISA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "base/diag.h"

/* One 8-byte instruction slot as stored in memory (little endian, dst in the low nibble). */
typedef struct isa_slot {
    uint8_t opcode;
    uint8_t dst : 4;
    uint8_t src : 4;
    int16_t off;
    int32_t imm;
} isa_slot;

_Static_assert(sizeof(isa_slot) == 8, "an eBPF instruction slot is 8 bytes");

#define ISA_REG_COUNT 11       /* r0..r10 */
#define ISA_REG_FP 10          /* r10: read-only frame pointer */
#define ISA_STACK_SIZE 512     /* bytes of stack per frame */
#define ISA_MAX_CALL_DEPTH 8   /* frames, counting the entry function */
#define ISA_MAX_INSNS (1u << 20) /* named sanity limit for any program we accept */

typedef enum isa_format {
    ISA_FMT_ALU_IMM,     /* dst op= imm             src=0                  */
    ISA_FMT_ALU_REG,     /* dst op= src             imm=0                  */
    ISA_FMT_NEG,         /* dst = -dst              src=0 off=0 imm=0      */
    ISA_FMT_ENDIAN,      /* dst = swap(dst, imm)    src=0 off=0            */
    ISA_FMT_LDX,         /* dst = *(src + off)      imm=0                  */
    ISA_FMT_ST,          /* *(dst + off) = imm      src=0                  */
    ISA_FMT_STX,         /* *(dst + off) = src      imm=0                  */
    ISA_FMT_ATOMIC,      /* atomic op on *(dst+off) with src, imm=op       */
    ISA_FMT_LDDW,        /* dst = imm64 (two slots) off=0; 2nd slot only imm */
    ISA_FMT_LD_ABS,      /* r0 = ntoh(pkt[imm])     dst=0 src=0 off=0      */
    ISA_FMT_LD_IND,      /* r0 = ntoh(pkt[src+imm]) dst=0 off=0            */
    ISA_FMT_JA,          /* pc += off               dst=0 src=0 imm=0      */
    ISA_FMT_JA32,        /* pc += imm               dst=0 src=0 off=0      */
    ISA_FMT_JMP_IMM,     /* if (dst op imm) pc += off   src=0              */
    ISA_FMT_JMP_REG,     /* if (dst op src) pc += off   imm=0              */
    ISA_FMT_CALL_HELPER, /* call helper imm         dst=0 src=0 off=0      */
    ISA_FMT_CALL_LOCAL,  /* call pc + imm + 1       dst=0 src=1 off=0      */
    ISA_FMT_CALL_KFUNC,  /* call kernel function (BTF id imm) dst=0 src=2  */
    ISA_FMT_CALLX,       /* call helper whose id is in dst  src=0 off=0 imm=0 */
    ISA_FMT_EXIT,        /* return r0               all fields 0           */
    ISA_FMT_COUNT
} isa_format;

typedef enum isa_group {
    ISA_GROUP_BASE32, ISA_GROUP_BASE64, ISA_GROUP_ATOMIC32, ISA_GROUP_ATOMIC64,
    ISA_GROUP_DIVMUL32, ISA_GROUP_DIVMUL64, ISA_GROUP_PACKET, ISA_GROUP_CALLX,
} isa_group;

typedef enum isa_id {
#define ISA_INSN(ID, MN, OP, FMT, DISC, VER, GRP) ISA_##ID,
#include "isa/isa_insns.def"
#undef ISA_INSN
    ISA_ID_COUNT
} isa_id;

/* Static facts about one row of isa_insns.def. */
typedef struct isa_info {
    const char *name;      /* "ADD64_IMM" */
    const char *mnemonic;  /* "add" */
    uint8_t opcode;
    uint8_t format;        /* isa_format */
    int32_t disc;
    uint8_t version;
    uint8_t group;         /* isa_group */
} isa_info;

extern const isa_info isa_infos[ISA_ID_COUNT];

/* A decoded instruction. For LDDW the 64-bit immediate is assembled from both slots, `imm2` holds the
 * second slot's imm (the offset for map-value pseudo kinds) and `slots` is 2; otherwise `slots` is 1. */
typedef struct isa_insn {
    uint16_t id;    /* isa_id */
    uint8_t dst;
    uint8_t src;
    int16_t off;
    uint8_t slots;
    int32_t imm;
    int32_t imm2;
    uint64_t imm64;
} isa_insn;

/* Kinds of instructions, derived from the format. */
bool isa_is_jump(const isa_insn *insn);          /* JA, JA32, conditional jumps */
bool isa_is_conditional(const isa_insn *insn);
bool isa_is_call(const isa_insn *insn);          /* any CALL format */
int64_t isa_jump_target(const isa_insn *insn, size_t pc); /* slot index a jump or local call lands on */
int isa_access_size(const isa_insn *insn);       /* bytes touched by a load/store/atomic, 0 otherwise */

/* Decodes the instruction starting at slot `pc`. Returns 0, or -EINVAL with `diag` naming the slot:
 * unknown opcode, discriminator that matches no row, truncated lddw, bad second lddw slot. Field
 * rules (reserved zeros, register range) are checked by isa_validate, not here. */
int isa_decode(const isa_slot *code, size_t count, size_t pc, isa_insn *out, ebpf_diag *diag);

/* Checks one decoded instruction's fields against its format: registers 0..10, reserved fields zero,
 * no write to r10, valid endian width. */
int isa_check_fields(const isa_insn *insn, size_t pc, ebpf_diag *diag);

/* Registers an instruction reads / writes (bit n = rn), calls excluded: their effect on r0..r5 is the
 * calling convention's, handled by the caller of these. */
uint16_t isa_regs_read(const isa_insn *insn);
uint16_t isa_regs_written(const isa_insn *insn);

typedef struct isa_validate_opts {
    bool reject_unreachable;   /* refuse code no path from slot 0 reaches */
    bool allow_kfunc_calls;    /* CALL_KFUNC (src=2) is refused unless set */
    bool allow_pseudo_lddw;    /* lddw with a pseudo source (maps, funcs) is refused unless set */
    bool check_uninit_regs;    /* refuse reads of registers not written on every path (r0 at exit too) */
    uint16_t entry_regs;       /* with check_uninit_regs: registers set at entry (bit n = rn); r10 always */
} isa_validate_opts;

/* Whole-program validation: every slot decodes and passes isa_check_fields; jumps and local calls land
 * on an instruction start inside the program (never in the middle of lddw); the last instruction is
 * an exit or an unconditional jump; optional checks as in opts. Returns 0 or -EINVAL with diag. */
int isa_validate(const isa_slot *code, size_t count, const isa_validate_opts *opts, ebpf_diag *diag);

/* The same, keeping the decoded program: insns[pc] for every instruction start; the second slot of an
 * lddw holds id ISA_SLOT_TAIL. `insns` has room for `count` entries. */
#define ISA_SLOT_TAIL UINT16_MAX
int isa_validate_decoded(const isa_slot *code, size_t count, const isa_validate_opts *opts, isa_insn *insns,
                         ebpf_diag *diag);

/* Assembler for the bpf_conformance syntax (see ../shared/bpf_conformance/PROTOCOL.md section 2), plus
 * lddw pseudo sources (`lddw %r1, map_fd 5`, `map_value 5+16`, `btf_id N`, `func +N|label`, `map_idx N`,
 * `map_idx_value N+OFF`; `+M`/`-M` is the second slot's imm) and `call runtime N[, OFF]` (kfunc with a
 * BTF object index in off). Registers %r0..%r15 are accepted, so invalid encodings can be written.
 * On success *out is malloc'd (NULL for an empty program) and holds *count slots. On error returns
 * -EINVAL (or -ENOMEM) and diag->message holds the exact conformance error text ("Invalid mnemonic: foo"),
 * diag->insn the 1-based source line of the error. More than ISA_MAX_INSNS slots are refused. */
int isa_assemble(const char *source, isa_slot **out, size_t *count, ebpf_diag *diag);

/* Disassembles one instruction into `buf` in the syntax isa_assemble reads back. Jump and call targets
 * are written as relative `+N`/`-N`. Returns the number of characters the whole text needs (like
 * snprintf; truncated to size-1 and NUL-terminated when size is too small), or -EINVAL when a field the
 * syntax cannot express is non-zero (a reserved field: isa_check_fields would refuse it too). */
int isa_disasm_insn(const isa_insn *insn, char *buf, size_t size);

/* Disassembles a whole program: one instruction per line, each line ending in '\n', no labels, so
 * that isa_assemble(*out) gives back exactly `code`. *out is malloc'd. Returns 0, or -EINVAL with diag
 * naming the slot when a slot does not decode or holds a field the syntax cannot express, -ENOMEM. */
int isa_disasm_program(const isa_slot *code, size_t count, char **out, ebpf_diag *diag);

#endif
