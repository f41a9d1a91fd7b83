/*
 * validate.c - whole-program rules on raw bytecode: every slot decodes and passes its field rules,
 * control flow stays on instruction starts inside the program, the program ends in exit or an
 * unconditional jump, and (optionally) every instruction is reachable and every register read was
 * written on every path. The initialisation check is a small forward must-be-written dataflow.
 */
#include "isa/isa.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>



static int decode_all(const isa_slot *code, size_t count, const isa_validate_opts *opts, isa_insn *insns,
                      ebpf_diag *diag)
{
    for (size_t pc = 0; pc < count;) {
        int rc = isa_decode(code, count, pc, &insns[pc], diag);
        if (rc == 0)
            rc = isa_check_fields(&insns[pc], pc, diag);
        if (rc != 0)
            return rc;
        isa_format f = (isa_format)isa_infos[insns[pc].id].format;
        if (f == ISA_FMT_CALL_KFUNC && !opts->allow_kfunc_calls)
            return diag_fail(diag, (int64_t)pc, "instruction %zu: kernel function calls (call src=2) are not supported",
                             pc);
        if (f == ISA_FMT_LDDW && insns[pc].src != 0 && !opts->allow_pseudo_lddw)
            return diag_fail(diag, (int64_t)pc,
                             "instruction %zu: lddw with pseudo source %u (map or function reference) needs a loader",
                             pc, insns[pc].src);
        if (insns[pc].slots == 2)
            insns[pc + 1].id = ISA_SLOT_TAIL;
        pc += insns[pc].slots;
    }
    return 0;
}

static int check_targets(const isa_insn *insns, size_t count, ebpf_diag *diag)
{
    size_t last = 0;
    for (size_t pc = 0; pc < count; pc += insns[pc].slots) {
        last = pc;
        const isa_insn *insn = &insns[pc];
        bool local_call = insn->id == ISA_CALL_LOCAL;
        if (!isa_is_jump(insn) && !local_call)
            continue;
        int64_t target = isa_jump_target(insn, pc);
        const char *what = local_call ? "call" : "jump";
        if (target < 0 || target >= (int64_t)count)
            return diag_fail(diag, (int64_t)pc,
                             "instruction %zu: %s target %lld is outside the program (0..%zu)", pc, what,
                             (long long)target, count - 1);
        if (insns[target].id == ISA_SLOT_TAIL)
            return diag_fail(diag, (int64_t)pc,
                             "instruction %zu: %s target %lld is the second half of an lddw", pc, what,
                             (long long)target);
    }
    const isa_insn *end = &insns[last];
    if (end->id != ISA_EXIT && end->id != ISA_JA && end->id != ISA_JA32)
        return diag_fail(diag, (int64_t)last,
                         "instruction %zu: the last instruction must be exit or an unconditional jump, not %s",
                         last, isa_infos[end->id].mnemonic);
    return 0;
}

/* Successors of the instruction at pc inside its function (local calls continue after the call). */
static size_t successors(const isa_insn *insn, size_t pc, size_t out[2])
{
    if (insn->id == ISA_EXIT)
        return 0;
    if (insn->id == ISA_JA || insn->id == ISA_JA32) {
        out[0] = (size_t)isa_jump_target(insn, pc);
        return 1;
    }
    out[0] = pc + insn->slots;
    if (isa_is_conditional(insn)) {
        out[1] = (size_t)isa_jump_target(insn, pc);
        return 2;
    }
    return 1;
}

#define REGS_ALL 0x7ffu
#define REGS_ARGS 0x3eu      /* r1..r5 */
#define REGS_CALLEE 0x3c0u   /* r6..r9 */
#define REG_BIT(n) (1u << (n))

typedef struct flow {
    const isa_insn *insns;
    size_t count;
    uint16_t *state;  /* registers written on every path into pc */
    bool *seen;
    size_t *work;
    size_t work_len;
    bool *queued;
} flow;

static void flow_push(flow *f, size_t pc, uint16_t regs)
{
    uint16_t merged = f->seen[pc] ? (uint16_t)(f->state[pc] & regs) : regs;
    if (f->seen[pc] && merged == f->state[pc])
        return;
    f->seen[pc] = true;
    f->state[pc] = merged;
    if (!f->queued[pc]) {
        f->queued[pc] = true;
        f->work[f->work_len++] = pc;
    }
}

/* State after the instruction at pc (for calls: what the caller sees after the return). */
static uint16_t transfer(const isa_insn *insn, uint16_t in)
{
    if (isa_is_call(insn))
        return (uint16_t)((in & (REGS_CALLEE | REG_BIT(ISA_REG_FP))) | REG_BIT(0));
    uint16_t out = in | isa_regs_written(insn);
    if (insn->id >= ISA_ID_COUNT)
        return out;
    isa_format f = (isa_format)isa_infos[insn->id].format;
    if (f == ISA_FMT_LD_ABS || f == ISA_FMT_LD_IND) /* legacy packet loads clobber r1..r5 like a call */
        out = (uint16_t)((out & ~REGS_ARGS) | REG_BIT(0));
    return out;
}

static int check_initialised(const isa_insn *insns, size_t count, uint16_t entry, ebpf_diag *diag)
{
    flow f = { insns, count, calloc(count, sizeof(uint16_t)), calloc(count, sizeof(bool)),
               calloc(count, sizeof(size_t)), 0, calloc(count, sizeof(bool)) };
    int rc = 0;
    if (!f.state || !f.seen || !f.work || !f.queued) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory while validating");
        goto out;
    }
    flow_push(&f, 0, (uint16_t)(entry | REG_BIT(ISA_REG_FP)));
    while (f.work_len > 0) {
        size_t pc = f.work[--f.work_len];
        f.queued[pc] = false;
        const isa_insn *insn = &insns[pc];
        uint16_t in = f.state[pc];
        if (insn->id == ISA_CALL_LOCAL)
            flow_push(&f, (size_t)isa_jump_target(insn, pc),
                      (uint16_t)((in & REGS_ARGS) | REG_BIT(ISA_REG_FP)));
        uint16_t out = transfer(insn, in);
        size_t next[2];
        size_t n = successors(insn, pc, next);
        for (size_t i = 0; i < n; i++)
            flow_push(&f, next[i], out);
    }
    for (size_t pc = 0; pc < count; pc += insns[pc].slots) {
        if (!f.seen[pc])
            continue;
        uint16_t missing = (uint16_t)(isa_regs_read(&insns[pc]) & ~f.state[pc]);
        if (missing) {
            unsigned reg = (unsigned)__builtin_ctz(missing);
            rc = diag_fail(diag, (int64_t)pc, "instruction %zu (%s): r%u is read before any value is written to it",
                           pc, isa_infos[insns[pc].id].mnemonic, reg);
            goto out;
        }
    }
out:
    free(f.state);
    free(f.seen);
    free(f.work);
    free(f.queued);
    return rc;
}

static int check_reachable(const isa_insn *insns, size_t count, ebpf_diag *diag)
{
    bool *seen = calloc(count, sizeof(bool));
    size_t *work = calloc(count, sizeof(size_t));
    size_t len = 0;
    int rc = 0;
    if (!seen || !work) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory while validating");
        goto out;
    }
    seen[0] = true;
    work[len++] = 0;
    while (len > 0) {
        size_t pc = work[--len];
        size_t next[3];
        size_t n = successors(&insns[pc], pc, next);
        if (insns[pc].id == ISA_CALL_LOCAL)
            next[n++] = (size_t)isa_jump_target(&insns[pc], pc);
        for (size_t i = 0; i < n; i++) {
            if (!seen[next[i]]) {
                seen[next[i]] = true;
                work[len++] = next[i];
            }
        }
    }
    for (size_t pc = 0; pc < count; pc += insns[pc].slots) {
        if (!seen[pc]) {
            rc = diag_fail(diag, (int64_t)pc, "instruction %zu: unreachable instruction", pc);
            break;
        }
    }
out:
    free(seen);
    free(work);
    return rc;
}

int isa_validate_decoded(const isa_slot *code, size_t count, const isa_validate_opts *opts, isa_insn *insns,
                         ebpf_diag *diag)
{
    static const isa_validate_opts defaults = { 0 };
    if (!opts)
        opts = &defaults;
    if (count == 0)
        return diag_fail(diag, -1, "the program has no instructions");
    if (count > ISA_MAX_INSNS)
        return diag_fail_errno(diag, -E2BIG, -1, "the program has %zu instructions; at most %u are accepted",
                               count, ISA_MAX_INSNS);
    int rc = decode_all(code, count, opts, insns, diag);
    if (rc == 0)
        rc = check_targets(insns, count, diag);
    if (rc == 0 && opts->reject_unreachable)
        rc = check_reachable(insns, count, diag);
    if (rc == 0 && opts->check_uninit_regs)
        rc = check_initialised(insns, count, opts->entry_regs, diag);
    return rc;
}

int isa_validate(const isa_slot *code, size_t count, const isa_validate_opts *opts, ebpf_diag *diag)
{
    if (count == 0 || count > ISA_MAX_INSNS)
        return isa_validate_decoded(code, count, opts, NULL, diag);
    isa_insn *insns = calloc(count, sizeof *insns);
    if (!insns)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory while validating");
    int rc = isa_validate_decoded(code, count, opts, insns, diag);
    free(insns);
    return rc;
}
