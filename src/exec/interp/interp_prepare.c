/*
 * interp_prepare.c - turns a validated, decoded program into the two op arrays the run functions
 * execute: one op per slot, handler bound to each mode's label (or case number), lddw's 64-bit
 * immediate folded into its second slot, `call N` resolved to its helper entry; and, for the checked
 * mode's uninitialised-read check, each slot's handler number and register sets. Also re-checks the
 * few facts the run functions rely on for memory safety (ids, registers, lddw pairing, jump and call
 * targets), so that a caller that skipped isa_validate gets an error instead of a wild jump.
 */
#include "exec/interp/interp_int.h"

#include <errno.h>
#include <stdlib.h>

static bool interp_is_target_ok(const isa_insn *insns, size_t count, int64_t target)
{
    return target >= 0 && target < (int64_t)count && insns[target].id != ISA_SLOT_TAIL;
}

/* Checks one instruction start; 0 or -EINVAL with diag. */
static int interp_check_insn(const isa_insn *insns, size_t count, size_t pc, ebpf_diag *diag)
{
    const isa_insn *in = &insns[pc];
    if (in->id >= ISA_ID_COUNT)
        return diag_fail(diag, (int64_t)pc, "instruction %zu: not a decoded instruction (id %u)", pc, in->id);
    bool lddw = isa_infos[in->id].format == ISA_FMT_LDDW;
    if (in->slots != (lddw ? 2 : 1) || pc + in->slots > count ||
        (lddw && insns[pc + 1].id != ISA_SLOT_TAIL))
        return diag_fail(diag, (int64_t)pc, "instruction %zu: inconsistent lddw slots", pc);
    if (in->dst >= ISA_REG_COUNT || in->src >= ISA_REG_COUNT)
        return diag_fail(diag, (int64_t)pc, "instruction %zu: invalid register", pc);
    if ((isa_is_jump(in) || in->id == ISA_CALL_LOCAL) &&
        !interp_is_target_ok(insns, count, isa_jump_target(in, pc)))
        return diag_fail(diag, (int64_t)pc, "instruction %zu: jump or call target outside the program", pc);
    return 0;
}

/* Fills ops[] (count + 1 entries) with handler numbers in num[]. */
static int interp_translate(const isa_insn *insns, size_t count, const exec_helper_table *helpers,
                            interp_op *ops, uint16_t *num, ebpf_diag *diag)
{
    for (size_t pc = 0; pc <= count; pc++) {
        num[pc] = INTERP_H_INVALID;
        ops[pc].u.imm64 = 0;
    }
    for (size_t pc = 0; pc < count; pc += insns[pc].slots) {
        int rc = interp_check_insn(insns, count, pc, diag);
        if (rc != 0)
            return rc;
        const isa_insn *in = &insns[pc];
        num[pc] = in->id;
        ops[pc].u.f = (interp_fields){ in->dst, in->src, in->off, in->imm };
        if (in->slots == 2)
            ops[pc + 1].u.imm64 = in->imm64;
        if (in->id == ISA_CALL) {
            const struct ebpf_helper *h = exec_helper_find(helpers, (uint32_t)in->imm);
            if (!h)
                return diag_fail(diag, (int64_t)pc, "instruction %zu: unknown helper %u", pc, (uint32_t)in->imm);
            ops[pc].u.helper = h;
            if ((uint32_t)in->imm == EXEC_HELPER_TAIL_CALL)
                num[pc] = INTERP_H_CALL_TAIL;
        }
    }
    return 0;
}

static void interp_bind(interp_op *ops, const uint16_t *num, size_t n, const interp_handler *table)
{
    for (size_t i = 0; i < n; i++) {
#if INTERP_COMPUTED_GOTO
        ops[i].handler = table[num[i]];
#else
        (void)table;
        ops[i].handler = num[i];
#endif
    }
}

interp_code *interp_prepare(const isa_insn *insns, size_t count, const exec_helper_table *helpers, ebpf_diag *diag)
{
    if (!insns || count == 0 || count > ISA_MAX_INSNS) {
        diag_fail(diag, -1, "the program has %zu instructions; 1..%u are accepted", count, ISA_MAX_INSNS);
        errno = EINVAL;
        return NULL;
    }
    interp_code *code = calloc(1, sizeof *code);
    uint16_t *num = calloc(count + 1, sizeof *num);
    if (code) {
        code->fast = calloc(count + 1, sizeof *code->fast);
        code->checked = calloc(count + 1, sizeof *code->checked);
        code->uses = calloc(count + 1, sizeof *code->uses);
    }
    if (!code || !num || !code->fast || !code->checked || !code->uses) {
        diag_fail_errno(diag, -ENOMEM, -1, "out of memory while preparing the interpreter");
        free(num);
        interp_free(code);
        errno = ENOMEM;
        return NULL;
    }
    code->count = count;
    if (helpers)
        code->helpers = *helpers;
    if (interp_translate(insns, count, helpers, code->checked, num, diag) != 0) {
        free(num);
        interp_free(code);
        errno = EINVAL;
        return NULL;
    }
    for (size_t i = 0; i <= count; i++)
        code->fast[i].u = code->checked[i].u;
    interp_bind(code->fast, num, count + 1, interp_fast_handlers());
    interp_bind(code->checked, num, count + 1, interp_checked_handlers());
    for (size_t pc = 0; pc <= count; pc++) {
        bool insn = pc < count && num[pc] < INTERP_H_INVALID;
        code->uses[pc] = (interp_slot_use){ .handler = num[pc], .read = insn ? isa_regs_read(&insns[pc]) : 0,
                                            .written = insn ? isa_regs_written(&insns[pc]) : 0 };
    }
    free(num);
    return code;
}

void interp_free(interp_code *code)
{
    if (!code)
        return;
    free(code->fast);
    free(code->checked);
    free(code->uses);
    free(code);
}
