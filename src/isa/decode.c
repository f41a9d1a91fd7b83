/*
 * decode.c - raw slots to isa_insn. Finds the one row of isa_insns.def whose opcode and discriminator
 * match; rows are sorted by opcode, so a binary search finds the first candidate and a short scan the
 * match. Field rules are isa_check_fields' business.
 */
#include "isa/isa.h"

#include <errno.h>

static const uint8_t row_opcode[ISA_ID_COUNT] = {
#define ISA_INSN(ID, MN, OP, FMT, DISC, VER, GRP) [ISA_##ID] = OP,
#include "isa/isa_insns.def"
#undef ISA_INSN
};

/* First row with this opcode, or ISA_ID_COUNT. */
static size_t first_row(uint8_t opcode)
{
    size_t lo = 0, hi = ISA_ID_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row_opcode[mid] < opcode)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < ISA_ID_COUNT && row_opcode[lo] == opcode) ? lo : ISA_ID_COUNT;
}

/* The field whose value selects among the rows of one opcode. */
static int32_t discriminator(isa_format format, const isa_slot *slot)
{
    switch (format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
        return slot->off;
    case ISA_FMT_ENDIAN:
    case ISA_FMT_ATOMIC:
        return slot->imm;
    case ISA_FMT_LDDW:
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
        return slot->src;
    default:
        return 0;
    }
}

static bool has_discriminator(isa_format format)
{
    switch (format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
    case ISA_FMT_ENDIAN:
    case ISA_FMT_ATOMIC:
    case ISA_FMT_LDDW:
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
        return true;
    default:
        return false;
    }
}

static const char *discriminator_name(isa_format format)
{
    switch (format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
        return "offset";
    case ISA_FMT_ENDIAN:
    case ISA_FMT_ATOMIC:
        return "imm";
    default:
        return "src";
    }
}

int isa_decode(const isa_slot *code, size_t count, size_t pc, isa_insn *out, ebpf_diag *diag)
{
    if (pc >= count)
        return diag_fail(diag, (int64_t)pc, "instruction %zu is past the end of the program", pc);
    const isa_slot *slot = &code[pc];
    size_t row = first_row(slot->opcode);
    if (row == ISA_ID_COUNT)
        return diag_fail(diag, (int64_t)pc, "unknown opcode 0x%02x at instruction %zu", slot->opcode, pc);

    isa_format format = (isa_format)isa_infos[row].format;
    if (has_discriminator(format)) {
        int32_t want = discriminator(format, slot);
        while (row < ISA_ID_COUNT && row_opcode[row] == slot->opcode && isa_infos[row].disc != want)
            row++;
        if (row == ISA_ID_COUNT || row_opcode[row] != slot->opcode)
            return diag_fail(diag, (int64_t)pc, "invalid %s %d for opcode 0x%02x at instruction %zu",
                             discriminator_name(format), want, slot->opcode, pc);
    }

    out->id = (uint16_t)row;
    out->dst = slot->dst;
    out->src = slot->src;
    out->off = slot->off;
    out->imm = slot->imm;
    out->imm2 = 0;
    out->slots = 1;
    out->imm64 = (uint64_t)(int64_t)slot->imm;
    if (format == ISA_FMT_LDDW) {
        if (pc + 1 >= count)
            return diag_fail(diag, (int64_t)pc, "truncated lddw at instruction %zu: its second slot is missing", pc);
        const isa_slot *hi = &code[pc + 1];
        if (hi->opcode != 0 || hi->dst != 0 || hi->src != 0 || hi->off != 0)
            return diag_fail(diag, (int64_t)pc,
                             "invalid second slot of lddw at instruction %zu: opcode, registers and offset must be 0", pc);
        out->slots = 2;
        out->imm2 = hi->imm;
        out->imm64 = (uint64_t)(uint32_t)slot->imm | ((uint64_t)(uint32_t)hi->imm << 32);
    }
    return 0;
}
