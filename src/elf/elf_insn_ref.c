/*
 * elf_insn_ref.c - what an instruction of a code section refers to, the single place where the
 * loader interprets relocations and pc-relative references of code:
 *   call   + R_BPF_64_32 to a function symbol or section symbol: sub-program at value/8 + imm + 1
 *   call   (no relocation, src 1): sub-program at pc + imm + 1 in the same section
 *   call   + R_BPF_64_32 to an undefined symbol: external function
 *   lddw   + R_BPF_64_64 to code: address of the function at (value + imm)/8 (callback)
 *   lddw   (no relocation, src 4): callback at pc + imm + 1 in the same section
 *   lddw   + R_BPF_64_64 to `.maps` or `maps`: the map defined at value + imm
 *   lddw   + R_BPF_64_64 to global data: byte value + imm of that section's map
 *   lddw   + R_BPF_64_64 to an undefined symbol: external variable
 * Anything else carrying a relocation, and any lddw with a pseudo source but no relocation, is refused
 * with the section, offset, symbol and relocation type. Objects of LLVM before 3.9 mark their lddw
 * relocations R_BPF_NONE (in SHT_RELA sections): on lddw and call that type is taken as the usual one.
 */
#include "elf/elf_int.h"

#include <stdarg.h>
#include <stdio.h>

static int fail_at(const elf_ctx *ctx, uint32_t sec, uint32_t pc, const char *fmt, ...) BASE_PRINTF(4, 5);

static int fail_at(const elf_ctx *ctx, uint32_t sec, uint32_t pc, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return diag_fail(ctx->diag, -1, "section '%s' offset 0x%llx (instruction %u): %s", ctx->secs[sec].name,
                     (unsigned long long)pc * ELF_INSN_SIZE, pc, what);
}

/* Target slot `target` of code section `tsec`, which must exist. */
static int code_target(const elf_ctx *ctx, uint32_t sec, uint32_t pc, uint32_t tsec, int64_t target, elf_ref *ref,
                       uint32_t kind)
{
    const elf_code *code = ctx->secs[tsec].code;
    if (!code || target < 0 || target >= code->slots)
        return fail_at(ctx, sec, pc, "%s target instruction %lld is outside section '%s' (%u instructions)",
                       kind == ELF_REF_CALL ? "call" : "function address", (long long)target, ctx->secs[tsec].name,
                       code ? code->slots : 0);
    ref->kind = kind;
    ref->sec = tsec;
    ref->slot = (uint32_t)target;
    return 0;
}

static int call_ref(const elf_ctx *ctx, uint32_t sec, uint32_t pc, const elf_rel *rel, uint8_t src, int32_t imm,
                    elf_ref *ref)
{
    if (!rel) {
        if (src != ELF_PSEUDO_CALL)
            return 0;
        return code_target(ctx, sec, pc, sec, (int64_t)pc + imm + 1, ref, ELF_REF_CALL);
    }
    const elf_sym *sym = &ctx->syms[rel->sym];
    const char *name = elf_sym_display_name(ctx, rel->sym);
    if (rel->type != ELF_R_BPF_64_32 && rel->type != ELF_R_BPF_NONE)
        return fail_at(ctx, sec, pc, "relocation %s against '%s' on a call (expected R_BPF_64_32)",
                       elf_rel_type_name(rel->type), name);
    ref->sym = rel->sym;
    if (sym->shndx == ELF_SHN_UNDEF) {
        ref->kind = ELF_REF_EXTERN;
        return 0;
    }
    if (sym->shndx >= ctx->sec_count || ctx->secs[sym->shndx].kind != ELF_SEC_CODE)
        return fail_at(ctx, sec, pc, "call relocation against '%s', which is not in a code section", name);
    uint64_t value = sym->value + (uint64_t)rel->addend;
    if (value % ELF_INSN_SIZE != 0 || value > (uint64_t)INT64_MAX / 2)
        return fail_at(ctx, sec, pc, "call relocation against '%s' at offset 0x%llx, not an instruction", name,
                       (unsigned long long)value);
    return code_target(ctx, sec, pc, sym->shndx, (int64_t)(value / ELF_INSN_SIZE) + imm + 1, ref, ELF_REF_CALL);
}

static int lddw_ref(const elf_ctx *ctx, uint32_t sec, uint32_t pc, const elf_rel *rel, uint8_t src, uint64_t imm64,
                    elf_ref *ref)
{
    if (!rel) {
        if (src == ELF_PSEUDO_FUNC)
            return code_target(ctx, sec, pc, sec, (int64_t)pc + (int32_t)(uint32_t)imm64 + 1, ref, ELF_REF_FUNC_ADDR);
        if (src != 0)
            return fail_at(ctx, sec, pc, "lddw with pseudo source %u but no relocation", src);
        return 0;
    }
    const elf_sym *sym = &ctx->syms[rel->sym];
    const char *name = elf_sym_display_name(ctx, rel->sym);
    if (rel->type != ELF_R_BPF_64_64 && rel->type != ELF_R_BPF_NONE)
        return fail_at(ctx, sec, pc, "relocation %s against '%s' on lddw (expected R_BPF_64_64)",
                       elf_rel_type_name(rel->type), name);
    if (src != 0)
        return fail_at(ctx, sec, pc, "lddw relocated against '%s' already has pseudo source %u", name, src);
    ref->sym = rel->sym;
    if (sym->shndx == ELF_SHN_UNDEF) {
        ref->kind = ELF_REF_EXTERN;
        return 0;
    }
    if (sym->shndx >= ctx->sec_count)
        return fail_at(ctx, sec, pc, "relocation against '%s', a symbol with no section (index 0x%x)", name, sym->shndx);
    const elf_sec *target = &ctx->secs[sym->shndx];
    uint64_t off;
    if (__builtin_add_overflow(sym->value, imm64, &off) || __builtin_add_overflow(off, (uint64_t)rel->addend, &off))
        return fail_at(ctx, sec, pc, "relocation against '%s': offset overflows", name);
    switch (target->kind) {
    case ELF_SEC_CODE:
        if (off % ELF_INSN_SIZE != 0 || off / ELF_INSN_SIZE > INT32_MAX)
            return fail_at(ctx, sec, pc, "function address of '%s' + 0x%llx is not an instruction", name,
                           (unsigned long long)off);
        return code_target(ctx, sec, pc, sym->shndx, (int64_t)(off / ELF_INSN_SIZE), ref, ELF_REF_FUNC_ADDR);
    case ELF_SEC_MAPS_BTF:
    case ELF_SEC_MAPS_LEGACY: {
        int64_t map = elf_map_at(ctx, sym->shndx, off);
        if (map < 0)
            return fail_at(ctx, sec, pc, "relocation against '%s': offset 0x%llx of section '%s' is not the start of a map definition",
                           name, (unsigned long long)off, target->name);
        ref->kind = ELF_REF_MAP;
        ref->map = (uint32_t)map;
        return 0;
    }
    case ELF_SEC_DATA:
        if (target->map < 0 || off >= target->size)
            return fail_at(ctx, sec, pc, "relocation against '%s': offset 0x%llx is outside section '%s' (size 0x%llx)",
                           name, (unsigned long long)off, target->name, (unsigned long long)target->size);
        ref->kind = ELF_REF_MAP_VALUE;
        ref->map = (uint32_t)target->map;
        ref->offset = (uint32_t)off;
        return 0;
    default:
        return fail_at(ctx, sec, pc, "relocation against '%s' in section '%s', which is neither a map, global data nor code",
                       name, target->name);
    }
}

int elf_insn_ref(const elf_ctx *ctx, uint32_t sec, uint32_t pc, elf_ref *ref)
{
    const elf_sec *s = &ctx->secs[sec];
    const elf_code *code = s->code;
    const uint8_t *insn = s->data + (size_t)pc * ELF_INSN_SIZE;
    uint8_t op = insn[0], src = insn[1] >> 4;
    int32_t imm = (int32_t)elf_rd32(insn + 4);
    int32_t ri = code->rel_at[pc];
    const elf_rel *rel = ri >= 0 ? &s->rels[ri] : NULL;
    *ref = (elf_ref){.kind = ELF_REF_NONE};

    if (op == ELF_OP_CALL)
        return call_ref(ctx, sec, pc, rel, src, imm, ref);
    if (op == ELF_OP_LDDW) {
        if (pc + 1 >= code->slots) {
            if (rel || src != 0)
                return fail_at(ctx, sec, pc, "lddw cut off by the end of the section");
            return 0; /* a truncated plain lddw: the instruction validator reports it */
        }
        if (code->rel_at[pc + 1] >= 0)
            return fail_at(ctx, sec, pc, "relocation on the second half of an lddw");
        uint64_t imm64 = (uint64_t)(uint32_t)imm | (uint64_t)elf_rd32(insn + ELF_INSN_SIZE + 4) << 32;
        return lddw_ref(ctx, sec, pc, rel, src, imm64, ref);
    }
    if (rel)
        return fail_at(ctx, sec, pc, "relocation %s against '%s' on an instruction that is neither lddw nor call (opcode 0x%02x)",
                       elf_rel_type_name(rel->type), elf_sym_display_name(ctx, rel->sym), op);
    return 0;
}
