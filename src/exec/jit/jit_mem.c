/*
 * jit_mem.c - loads, stores and lddw. One x86 move per instruction: [base + off] addresses the eBPF
 * base register directly with a signed 8- or 32-bit displacement, exactly the eBPF address
 * base + (int64)off. Loads narrower than 64 bits zero-extend (movzx, or a 32-bit mov) or sign-extend
 * (movsx, movsxd); x86 needs no alignment. `st` with an immediate sign-extends it to 64 bits for stdw,
 * as x86's `mov r/m64, imm32` does.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

typedef struct jit_mem_row {
    uint32_t opcode;  /* 0: not a row of this family */
    uint8_t flags;
    uint8_t size;
} jit_mem_row;

static const jit_mem_row jit_mem_rows[ISA_ID_COUNT] = {
    [ISA_LDXB] = { 0x0fb6, 0, 1 },       /* movzx r32, r/m8 */
    [ISA_LDXH] = { 0x0fb7, 0, 2 },       /* movzx r32, r/m16 */
    [ISA_LDXW] = { 0x8b, 0, 4 },         /* mov r32, r/m32 */
    [ISA_LDXDW] = { 0x8b, JIT_W, 8 },
    [ISA_LDXSB] = { 0x0fbe, JIT_W, 1 },  /* movsx r64, r/m8 */
    [ISA_LDXSH] = { 0x0fbf, JIT_W, 2 },  /* movsx r64, r/m16 */
    [ISA_LDXSW] = { 0x63, JIT_W, 4 },    /* movsxd r64, r/m32 */
    [ISA_STXB] = { 0x88, JIT_BYTE, 1 },  /* mov r/m8, r8 */
    [ISA_STXH] = { 0x89, JIT_16, 2 },
    [ISA_STXW] = { 0x89, 0, 4 },
    [ISA_STXDW] = { 0x89, JIT_W, 8 },
    [ISA_STB] = { 0xc6, 0, 1 },          /* mov r/m8, imm8 */
    [ISA_STH] = { 0xc7, JIT_16, 2 },     /* mov r/m16, imm16 */
    [ISA_STW] = { 0xc7, 0, 4 },          /* mov r/m32, imm32 */
    [ISA_STDW] = { 0xc7, JIT_W, 8 },     /* mov r/m64, sign-extended imm32 */
};

/* The register-source store of the same size as an immediate store (used when blinding). */
static const uint16_t jit_st_as_stx[] = { [1] = ISA_STXB, [2] = ISA_STXH, [4] = ISA_STXW, [8] = ISA_STXDW };

static void jit_store_imm(jit_state *st, size_t pc, const isa_insn *in, const jit_mem_row *row)
{
    unsigned base = jit_reg[in->dst];
    if (st->blind) {
        const jit_mem_row *stx = &jit_mem_rows[jit_st_as_stx[row->size]];
        jit_load_imm32(st, pc, JIT_TMP, in->imm);
        jit_op_rm(st, stx->flags, stx->opcode, JIT_TMP, base, in->off);
        return;
    }
    jit_op_rm(st, row->flags, row->opcode, 0, base, in->off);
    switch (row->size) {
    case 1: jit_byte(st, (uint8_t)in->imm); break;
    case 2: jit_u16(st, (uint16_t)in->imm); break;
    default: jit_u32(st, (uint32_t)in->imm); break;
    }
}

void jit_emit_mem(jit_state *st, size_t pc, const isa_insn *in)
{
    if (isa_infos[in->id].format == ISA_FMT_LDDW) {
        if (in->id != ISA_LDDW)
            jit_fail(st, -ENOTSUP, (int64_t)pc, "instruction %zu: lddw with a pseudo source is not resolved", pc);
        else
            jit_load_imm64(st, pc, jit_reg[in->dst], in->imm64);
        return;
    }
    const jit_mem_row *row = &jit_mem_rows[in->id];
    switch (isa_infos[in->id].format) {
    case ISA_FMT_LDX:
        jit_op_rm(st, row->flags, row->opcode, jit_reg[in->dst], jit_reg[in->src], in->off);
        break;
    case ISA_FMT_STX:
        jit_op_rm(st, row->flags, row->opcode, jit_reg[in->src], jit_reg[in->dst], in->off);
        break;
    case ISA_FMT_ST:
        jit_store_imm(st, pc, in, row);
        break;
    default:
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not a load or store", pc, isa_infos[in->id].name);
        break;
    }
}
