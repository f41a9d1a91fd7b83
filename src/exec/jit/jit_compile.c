/*
 * jit_compile.c - the compiler driver: checks the decoded program for what the translators rely on,
 * plans the cold stubs, emits the whole program in passes until every label offset is the same as in
 * the pass before (jumps take their short form once the previous pass shows they reach), then copies
 * the code into W^X memory and seals it.
 *
 * Convergence: the first pass uses long jumps everywhere; later passes only shorten jumps whose
 * distance, measured on the previous pass, fits a signed byte. Distances only shrink from pass to pass,
 * so sizes only shrink and the passes settle; JIT_MAX_PASSES bounds them anyway, and the code kept is
 * that of a pass whose offsets equal those its jumps were computed from (so every displacement is exact).
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/exec_mem.h"

#define JIT_MAX_PASSES 32

const uint8_t jit_reg[ISA_REG_COUNT] = {
    JIT_RAX, JIT_RDI, JIT_RSI, JIT_RDX, JIT_RCX, JIT_R8, JIT_RBX, JIT_R13, JIT_R14, JIT_R15, JIT_RBP,
};

bool jit_supported(void)
{
#if defined(__x86_64__) || defined(_M_X64)
    return true;
#else
    return false;
#endif
}

void jit_fail(jit_state *st, int err, int64_t pc, const char *fmt, ...)
{
    if (st->err)
        return;
    st->err = err;
    char text[sizeof ((ebpf_diag *)0)->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_fail_errno(st->diag, err, pc, "%s", text);
}

void jit_label_here(jit_state *st, size_t label)
{
    st->label[label] = (uint32_t)st->size;
    st->unit = label;
}

static bool jit_target_ok(const jit_state *st, int64_t target)
{
    return target >= 0 && target < (int64_t)st->count && st->insns[target].id != ISA_SLOT_TAIL;
}

/* Refuses what the translators do not handle, re-checks what they rely on, and counts cold stubs. */
static void jit_check(jit_state *st)
{
    for (size_t pc = 0; pc < st->count && !st->err; pc += st->insns[pc].slots ? st->insns[pc].slots : 1) {
        const isa_insn *in = &st->insns[pc];
        if (in->id >= ISA_ID_COUNT) {
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: not a decoded instruction (id %u)", pc, in->id);
            break;
        }
        const isa_info *info = &isa_infos[in->id];
        bool lddw = info->format == ISA_FMT_LDDW;
        if (in->slots != (lddw ? 2 : 1) || pc + in->slots > st->count ||
            (lddw && st->insns[pc + 1].id != ISA_SLOT_TAIL))
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: inconsistent lddw slots", pc);
        else if (in->dst >= ISA_REG_COUNT || in->src >= ISA_REG_COUNT)
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: invalid register", pc);
        else if (isa_regs_written(in) & (1u << ISA_REG_FP))
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: writes the read-only frame pointer r10", pc);
        else if ((isa_is_jump(in) || in->id == ISA_CALL_LOCAL) && !jit_target_ok(st, isa_jump_target(in, pc)))
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: jump or call target outside the program", pc);
        else if (lddw && in->id != ISA_LDDW)
            jit_fail(st, -ENOTSUP, (int64_t)pc,
                     "instruction %zu: lddw with pseudo source %u (map or function reference) was not resolved "
                     "by a loader; the JIT does not translate it", pc, in->src);
        else if (in->id == ISA_CALL_KFUNC)
            jit_fail(st, -ENOTSUP, (int64_t)pc,
                     "instruction %zu: kernel function calls (call src=2) are not translated by the JIT", pc);
        else if (in->id == ISA_CALL && !exec_helper_find(st->helpers, (uint32_t)in->imm))
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: unknown helper %u", pc, (uint32_t)in->imm);
        else if (in->id == ISA_CALLX && st->helpers && st->helpers->count > INT32_MAX)
            jit_fail(st, -ENOTSUP, (int64_t)pc, "instruction %zu: callx with a helper table of %u entries", pc,
                     st->helpers->count);
        else if (in->id == ISA_CALL_LOCAL || in->id == ISA_CALLX || jit_is_tail_call(in))
            st->stub_count++;
        st->has_local_calls |= in->id == ISA_CALL_LOCAL;
        st->has_calls |= isa_is_call(in);
        st->regs_read |= isa_regs_read(in);
        st->regs_written |= isa_regs_written(in);
        st->can_stop_early |= in->id == ISA_CALL_LOCAL || in->id == ISA_CALLX || info->format == ISA_FMT_LD_ABS ||
                              info->format == ISA_FMT_LD_IND || jit_is_tail_call(in);
    }
}

static void jit_plan_stubs(jit_state *st)
{
    size_t k = 0;
    for (size_t pc = 0; pc < st->count; pc += st->insns[pc].slots) {
        const isa_insn *in = &st->insns[pc];
        if (in->id != ISA_CALL_LOCAL && in->id != ISA_CALLX && !jit_is_tail_call(in))
            continue;
        jit_stub_kind kind = in->id == ISA_CALL_LOCAL ? JIT_STUB_DEPTH
                             : in->id == ISA_CALLX    ? JIT_STUB_CALLX
                                                      : JIT_STUB_TAIL_CALL;
        st->stubs[k] = (jit_stub){ kind, in->dst, pc };
        st->stub_of_pc[pc] = k++;
    }
}

static void jit_emit_insn(jit_state *st, size_t pc, const isa_insn *in)
{
    switch ((isa_format)isa_infos[in->id].format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
    case ISA_FMT_NEG: jit_emit_alu(st, pc, in); break;
    case ISA_FMT_ENDIAN: jit_emit_endian(st, pc, in); break;
    case ISA_FMT_LDX:
    case ISA_FMT_ST:
    case ISA_FMT_STX:
    case ISA_FMT_LDDW: jit_emit_mem(st, pc, in); break;
    case ISA_FMT_ATOMIC: jit_emit_atomic(st, pc, in); break;
    case ISA_FMT_LD_ABS:
    case ISA_FMT_LD_IND: jit_emit_packet(st, pc, in); break;
    case ISA_FMT_JA:
    case ISA_FMT_JA32:
    case ISA_FMT_JMP_IMM:
    case ISA_FMT_JMP_REG: jit_emit_jump(st, pc, in); break;
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
    case ISA_FMT_CALLX:
    case ISA_FMT_EXIT: jit_emit_call(st, pc, in); break;
    case ISA_FMT_COUNT: break;
    }
}

static void jit_emit_program(jit_state *st)
{
    st->size = 0;
    jit_label_here(st, JIT_L_ENTRY);
    jit_abi_entry(st, 0);
    jit_label_here(st, JIT_L_EPILOGUE);
    jit_abi_epilogue(st);
    for (size_t pc = 0; pc < st->count; pc++) {
        jit_label_here(st, JIT_L_INSN(pc));
        if (st->insns[pc].id != ISA_SLOT_TAIL && !jit_emit_fused(st, pc))
            jit_emit_insn(st, pc, &st->insns[pc]);
    }
    jit_emit_stubs(st);
    for (size_t k = 0; k < st->entry_count; k++) {
        jit_label_here(st, JIT_L_XENTRY(st, k));
        jit_abi_entry(st, st->entries[k]);
        jit_jmp(st, JIT_L_EPILOGUE);
    }
    jit_label_here(st, JIT_L_END(st));
}

/* Emits passes until the label offsets settle. */
static void jit_converge(jit_state *st)
{
    for (int pass = 0; pass < JIT_MAX_PASSES && !st->err; pass++) {
        jit_emit_program(st);
        if (st->err)
            return;
        bool settled = st->have_prev && memcmp(st->label, st->prev, st->label_count * sizeof *st->label) == 0;
        uint32_t *t = st->prev;
        st->prev = st->label;
        st->label = t;
        st->have_prev = true;
        if (settled)
            return;
    }
    jit_fail(st, -ENOTSUP, -1, "the code size did not settle after %d passes", JIT_MAX_PASSES);
}

static bool jit_cpu_has_bmi2(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
    return __builtin_cpu_supports("bmi2"); /* libgcc's constructor has run: no __builtin_cpu_init needed */
#else
    return false;
#endif
}

/* Copies the code into fresh read-write pages, then makes them read-only and executable. */
static jit_code *jit_install(jit_state *st)
{
    jit_code *code = calloc(1, sizeof *code);
    if (!code) {
        jit_fail(st, -ENOMEM, -1, "out of memory");
        return NULL;
    }
    code->mem = plat_exec_alloc(st->size, &code->mapped);
    if (!code->mem) {
        jit_fail(st, errno ? -errno : -ENOMEM, -1, "cannot allocate %zu bytes of code memory", st->size);
        free(code);
        return NULL;
    }
    memcpy(code->mem, st->code, st->size);
    memset(code->mem + st->size, 0xcc, code->mapped - st->size); /* int3 after the code */
    int rc = plat_exec_seal(code->mem, code->mapped);
    if (rc != 0) {
        jit_fail(st, rc, -1, "cannot make the code memory executable (error %d)", -rc);
        plat_exec_free(code->mem, code->mapped);
        free(code);
        return NULL;
    }
    code->size = st->size;
    code->abi = st->abi;
    code->entry_count = st->entry_count;
    if (st->entry_count) {
        code->entry_pcs = malloc(st->entry_count * sizeof *code->entry_pcs);
        code->entry_offsets = malloc(st->entry_count * sizeof *code->entry_offsets);
        if (!code->entry_pcs || !code->entry_offsets) {
            jit_fail(st, -ENOMEM, -1, "out of memory");
            jit_free(code);
            return NULL;
        }
        for (size_t k = 0; k < st->entry_count; k++) {
            code->entry_pcs[k] = st->entries[k];
            code->entry_offsets[k] = st->prev[JIT_L_XENTRY(st, k)]; /* the settled pass's offsets */
        }
    }
    return code;
}

static void jit_state_free(jit_state *st)
{
    free(st->code);
    free(st->label);
    free(st->prev);
    free(st->stubs);
    free(st->stub_of_pc);
    free(st->is_target);
    free(st->fuse);
    free(st->live_in);
    jit_maps_free(st);
}

static int jit_setup(jit_state *st, const jit_options *opts)
{
    st->abi = opts->abi == JIT_ABI_HOST ? jit_abi_host() : opts->abi;
    if (!jit_abi_usable(st->abi)) {
        jit_fail(st, -ENOTSUP, -1, "this build cannot run code for the %s calling convention",
                 st->abi == JIT_ABI_MS ? "Microsoft x64" : "System V");
        return st->err;
    }
    st->blind = opts->blind_constants;
    st->bmi2 = !opts->no_bmi2 && jit_cpu_has_bmi2();
    if (st->blind) {
        int rc = plat_random_bytes(&st->blind_seed, sizeof st->blind_seed);
        if (rc != 0) {
            jit_fail(st, rc, -1, "constant blinding needs random bytes, and the OS gave none (error %d)", -rc);
            return st->err;
        }
    }
    st->entries = opts->entries;
    st->entry_count = opts->entries ? opts->entry_count : 0;
    for (size_t k = 0; k < st->entry_count; k++)
        if (!jit_target_ok(st, (int64_t)st->entries[k]))
            jit_fail(st, -EINVAL, -1, "entry %zu (instruction %zu) is no instruction of the program", k,
                     st->entries[k]);
    jit_check(st);
    if (st->err)
        return st->err;
    st->label_count = JIT_L_END(st) + 1;
    st->label = calloc(st->label_count, sizeof *st->label);
    st->prev = calloc(st->label_count, sizeof *st->prev);
    st->stubs = calloc(st->stub_count ? st->stub_count : 1, sizeof *st->stubs);
    st->stub_of_pc = calloc(st->count, sizeof *st->stub_of_pc);
    if (!st->label || !st->prev || !st->stubs || !st->stub_of_pc) {
        jit_fail(st, -ENOMEM, -1, "out of memory");
        return st->err;
    }
    jit_plan_stubs(st);
    if (jit_plan_targets(st) != 0 || jit_plan_maps(st) != 0 || jit_plan_liveness(st) != 0)
        return st->err;
    jit_plan_fusions(st);
    return 0;
}

jit_code *jit_compile(const isa_insn *insns, size_t count, const exec_helper_table *helpers,
                      const jit_options *opts, ebpf_diag *diag)
{
    static const jit_options defaults = { 0 };
    jit_state st = { .insns = insns, .count = count, .helpers = helpers, .diag = diag };
    jit_code *code = NULL;
    if (!jit_supported())
        jit_fail(&st, -ENOTSUP, -1, "the JIT generates x86-64 code and this host is not x86-64");
    else if (!insns || count == 0 || count > ISA_MAX_INSNS)
        jit_fail(&st, -EINVAL, -1, "the program has %zu instructions; 1..%u are accepted", count, ISA_MAX_INSNS);
    else if (st.opts = opts ? opts : &defaults, jit_setup(&st, st.opts) == 0)
        jit_converge(&st);
    if (!st.err)
        code = jit_install(&st);
    int err = st.err;
    jit_state_free(&st);
    if (!code)
        errno = -err;
    return code;
}

const uint8_t *jit_code_bytes(const jit_code *code, size_t *size)
{
    *size = code ? code->size : 0;
    return code ? code->mem : NULL;
}

void jit_free(jit_code *code)
{
    if (!code)
        return;
    plat_exec_free(code->mem, code->mapped);
    free(code->entry_pcs);
    free(code->entry_offsets);
    free(code);
}
