/*
 * check_fields.c - per-instruction field rules, as a table indexed by format: which fields an
 * instruction uses, which must be zero, which registers it reads and which it writes. Nothing here
 * looks at other instructions; whole-program rules are in validate.c.
 */
#include "isa/isa.h"

typedef enum field_rule {
    FIELD_ZERO,  /* reserved: must be 0 */
    FIELD_ANY,   /* any value is meaningful */
    FIELD_DISC,  /* already matched by the decoder against the row's discriminator */
    FIELD_REG,   /* a register that is read: r0..r10 */
    FIELD_REG_W, /* a register that is written: r0..r9 */
} field_rule;

typedef struct format_rules {
    uint8_t dst, src, off, imm; /* field_rule each */
} format_rules;

static const format_rules rules[ISA_FMT_COUNT] = {
    /*                       dst          src         off         imm */
    [ISA_FMT_ALU_IMM]     = { FIELD_REG_W, FIELD_ZERO, FIELD_DISC, FIELD_ANY  },
    [ISA_FMT_ALU_REG]     = { FIELD_REG_W, FIELD_REG,  FIELD_DISC, FIELD_ZERO },
    [ISA_FMT_NEG]         = { FIELD_REG_W, FIELD_ZERO, FIELD_ZERO, FIELD_ZERO },
    [ISA_FMT_ENDIAN]      = { FIELD_REG_W, FIELD_ZERO, FIELD_ZERO, FIELD_DISC },
    [ISA_FMT_LDX]         = { FIELD_REG_W, FIELD_REG,  FIELD_ANY,  FIELD_ZERO },
    [ISA_FMT_ST]          = { FIELD_REG,   FIELD_ZERO, FIELD_ANY,  FIELD_ANY  },
    [ISA_FMT_STX]         = { FIELD_REG,   FIELD_REG,  FIELD_ANY,  FIELD_ZERO },
    [ISA_FMT_ATOMIC]      = { FIELD_REG,   FIELD_REG,  FIELD_ANY,  FIELD_DISC },
    [ISA_FMT_LDDW]        = { FIELD_REG_W, FIELD_DISC, FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_LD_ABS]      = { FIELD_ZERO,  FIELD_ZERO, FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_LD_IND]      = { FIELD_ZERO,  FIELD_REG,  FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_JA]          = { FIELD_ZERO,  FIELD_ZERO, FIELD_ANY,  FIELD_ZERO },
    [ISA_FMT_JA32]        = { FIELD_ZERO,  FIELD_ZERO, FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_JMP_IMM]     = { FIELD_REG,   FIELD_ZERO, FIELD_ANY,  FIELD_ANY  },
    [ISA_FMT_JMP_REG]     = { FIELD_REG,   FIELD_REG,  FIELD_ANY,  FIELD_ZERO },
    [ISA_FMT_CALL_HELPER] = { FIELD_ZERO,  FIELD_DISC, FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_CALL_LOCAL]  = { FIELD_ZERO,  FIELD_DISC, FIELD_ZERO, FIELD_ANY  },
    [ISA_FMT_CALL_KFUNC]  = { FIELD_ZERO,  FIELD_DISC, FIELD_ANY,  FIELD_ANY  },
    [ISA_FMT_CALLX]       = { FIELD_REG,   FIELD_ZERO, FIELD_ZERO, FIELD_ZERO },
    [ISA_FMT_EXIT]        = { FIELD_ZERO,  FIELD_ZERO, FIELD_ZERO, FIELD_ZERO },
};

static int check_register(const char *field, uint8_t reg, field_rule rule, size_t pc, const char *mn,
                          ebpf_diag *diag)
{
    if (rule == FIELD_ZERO && reg != 0)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): reserved %s field must be 0, not %u",
                         pc, mn, field, reg);
    if ((rule == FIELD_REG || rule == FIELD_REG_W) && reg >= ISA_REG_COUNT)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): invalid %s register r%u", pc, mn,
                         field, reg);
    if (rule == FIELD_REG_W && reg == ISA_REG_FP)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): r10 is read-only (frame pointer)", pc,
                         mn);
    return 0;
}

int isa_check_fields(const isa_insn *insn, size_t pc, ebpf_diag *diag)
{
    const isa_info *info = &isa_infos[insn->id];
    const format_rules *rule = &rules[info->format];
    const char *mn = info->mnemonic;
    int rc;

    if ((rc = check_register("dst", insn->dst, (field_rule)rule->dst, pc, mn, diag)) != 0)
        return rc;
    if ((rc = check_register("src", insn->src, (field_rule)rule->src, pc, mn, diag)) != 0)
        return rc;
    if (rule->off == FIELD_ZERO && insn->off != 0)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): reserved offset field must be 0, not %d",
                         pc, mn, insn->off);
    if (rule->imm == FIELD_ZERO && insn->imm != 0)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): reserved imm field must be 0, not %d",
                         pc, mn, insn->imm);
    /* Atomic fetch variants, xchg and cmpxchg write back into src (cmpxchg into r0). */
    if (info->format == ISA_FMT_ATOMIC && (insn->imm & 1) && insn->src == ISA_REG_FP)
        return diag_fail(diag, (int64_t)pc, "instruction %zu (%s): r10 is read-only (frame pointer)", pc, mn);
    return 0;
}

/* Register read/write sets, used by the initialisation check. Bit n = rn. */
uint16_t isa_regs_read(const isa_insn *insn)
{
    const isa_info *info = &isa_infos[insn->id];
    const format_rules *rule = &rules[info->format];
    uint16_t read = 0;
    bool dst_only_written = info->format == ISA_FMT_LDX || info->format == ISA_FMT_LDDW ||
                            ((info->format == ISA_FMT_ALU_IMM || info->format == ISA_FMT_ALU_REG) &&
                             (info->opcode & 0xf0) == 0xb0); /* mov, movsx */
    if ((rule->dst == FIELD_REG || rule->dst == FIELD_REG_W) && !dst_only_written)
        read |= (uint16_t)(1u << insn->dst);
    if (rule->src == FIELD_REG)
        read |= (uint16_t)(1u << insn->src);
    if (insn->id == ISA_ATOMIC_CMPXCHG32 || insn->id == ISA_ATOMIC_CMPXCHG64 || info->format == ISA_FMT_EXIT)
        read |= 1u;
    return read;
}

uint16_t isa_regs_written(const isa_insn *insn)
{
    const isa_info *info = &isa_infos[insn->id];
    const format_rules *rule = &rules[info->format];
    if (rule->dst == FIELD_REG_W)
        return (uint16_t)(1u << insn->dst);
    if (info->format == ISA_FMT_ATOMIC) {
        if (insn->id == ISA_ATOMIC_CMPXCHG32 || insn->id == ISA_ATOMIC_CMPXCHG64)
            return 1u;
        return (insn->imm & 1) ? (uint16_t)(1u << insn->src) : 0;
    }
    if (info->format == ISA_FMT_LD_ABS || info->format == ISA_FMT_LD_IND)
        return 1u;
    return 0;
}
