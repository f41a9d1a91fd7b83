/*
 * elf_link.c - the code of one program: its entry function followed by every function it reaches
 * through calls and callback references (transitively, each once, in the order found), the way libbpf
 * appends .text sub-programs. Then every reference is rewritten for the new layout:
 *   call            -> src 1, imm = target - (pc + 1)          (pc-relative, inside the program)
 *   lddw function   -> src 4, imm = target - (pc + 1)          (callback for bpf_loop & co.)
 *   lddw map        -> src 1 (MAP_FD), imm = map index          + elf_reloc MAP
 *   lddw global     -> src 2 (MAP_VALUE), imm = map index, second imm = offset + elf_reloc MAP_VALUE
 *   call extern     -> `call 0` (src 0; no helper has id 0)     + elf_reloc EXTERN (elf_program_check refuses
 *                                                                 it until elf_object_resolve_externs names it)
 *   lddw extern     -> left as the object has it (the value 0)  + elf_reloc EXTERN
 */
#include "elf/elf_int.h"

#include <errno.h>

typedef struct link_list {
    uint32_t *secs;
    elf_fn **fns;
    size_t count;
    size_t cap;
} link_list;

static int fail_in(elf_ctx *ctx, const elf_program *prog, uint32_t sec, uint32_t pc, const char *what)
{
    return diag_fail(ctx->diag, -1, "program '%s': section '%s' offset 0x%llx (instruction %u): %s", prog->name,
                     ctx->secs[sec].name, (unsigned long long)pc * ELF_INSN_SIZE, pc, what);
}

static int append(elf_ctx *ctx, link_list *list, uint32_t sec, elf_fn *fn, uint32_t mark)
{
    if (list->count == list->cap) {
        size_t cap = list->cap;
        if (!elf_arena_grow(&ctx->scratch, (void **)&list->secs, list->count, &cap, sizeof(uint32_t)) ||
            !elf_arena_grow(&ctx->scratch, (void **)&list->fns, list->count, &list->cap, sizeof(elf_fn *)))
            return elf_nomem(ctx, "sub-programs");
    }
    list->secs[list->count] = sec;
    list->fns[list->count] = fn;
    list->count++;
    fn->mark = mark;
    return 0;
}

/* The function a call or callback reference lands on; it must start exactly there. */
static int ref_target(elf_ctx *ctx, const elf_program *prog, uint32_t sec, uint32_t pc, const elf_ref *ref,
                      elf_fn **out)
{
    elf_fn *fn = elf_code_fn_at(ctx->secs[ref->sec].code, ref->slot);
    if (!fn || fn->start != ref->slot)
        return fail_in(ctx, prog, sec, pc, "call or callback target is not the start of a function");
    *out = fn;
    return 0;
}

static uint32_t next_pc(const elf_sec *sec, uint32_t pc)
{
    return pc + (sec->data[(size_t)pc * ELF_INSN_SIZE] == ELF_OP_LDDW ? 2 : 1);
}

/* Collects the entry and everything it reaches; gives each function its base in the program. */
static int collect(elf_ctx *ctx, const elf_program *prog, link_list *list, uint32_t mark, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < list->count; i++) {
        elf_fn *fn = list->fns[i];
        const elf_sec *sec = &ctx->secs[list->secs[i]];
        fn->base = (uint32_t)*total;
        *total += fn->end - fn->start;
        if (*total > ISA_MAX_INSNS)
            return diag_fail_errno(ctx->diag, -E2BIG, -1, "program '%s': more than %u instructions with its sub-programs",
                                   prog->name, ISA_MAX_INSNS);
        for (uint32_t pc = fn->start; pc < fn->end; pc = next_pc(sec, pc)) {
            elf_ref ref;
            elf_fn *target = NULL;
            int rc = elf_insn_ref(ctx, list->secs[i], pc, &ref);
            if (rc)
                return rc;
            if (ref.kind != ELF_REF_CALL && ref.kind != ELF_REF_FUNC_ADDR)
                continue;
            if ((rc = ref_target(ctx, prog, list->secs[i], pc, &ref, &target)))
                return rc;
            if (target->mark != mark && (rc = append(ctx, list, ref.sec, target, mark)))
                return rc;
        }
    }
    if (*total > ELF_MAX_TOTAL_INSNS - ctx->total_insns)
        return diag_fail_errno(ctx->diag, -E2BIG, -1, "more than %zu instructions over all programs (with sub-programs)",
                               ELF_MAX_TOTAL_INSNS);
    ctx->total_insns += *total;
    return 0;
}

static void copy_slots(isa_slot *dst, const uint8_t *src, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++, src += ELF_INSN_SIZE) {
        dst[i].opcode = src[0];
        dst[i].dst = src[1] & 0xf;
        dst[i].src = src[1] >> 4;
        dst[i].off = (int16_t)elf_rd16(src + 2);
        dst[i].imm = (int32_t)elf_rd32(src + 4);
    }
}

typedef struct reloc_list {
    elf_reloc *items;
    size_t count;
    size_t cap;
} reloc_list;

static int add_reloc(elf_ctx *ctx, reloc_list *list, elf_reloc reloc)
{
    if (!elf_arena_grow(ctx->arena, (void **)&list->items, list->count, &list->cap, sizeof(elf_reloc)))
        return elf_nomem(ctx, "relocations");
    list->items[list->count++] = reloc;
    return 0;
}

/* Rewrites the references of one copied function. */
static int rewrite(elf_ctx *ctx, const elf_program *prog, isa_slot *insns, uint32_t sec_index, const elf_fn *fn,
                   reloc_list *relocs)
{
    const elf_sec *sec = &ctx->secs[sec_index];
    for (uint32_t pc = fn->start; pc < fn->end; pc = next_pc(sec, pc)) {
        elf_ref ref;
        elf_fn *target = NULL;
        int rc = elf_insn_ref(ctx, sec_index, pc, &ref);
        if (rc)
            return rc;
        if (ref.kind == ELF_REF_NONE)
            continue;
        uint32_t at = fn->base + (pc - fn->start);
        bool lddw = insns[at].opcode == ELF_OP_LDDW;
        if (lddw && pc + 1 >= fn->end)
            return fail_in(ctx, prog, sec_index, pc, "lddw crosses the end of its function");
        elf_reloc reloc = {.insn = at, .map = ref.map, .offset = ref.offset, .section = sec->name,
                           .section_offset = (uint64_t)pc * ELF_INSN_SIZE, .helper = -1,
                           .symbol = ref.sym ? elf_sym_display_name(ctx, ref.sym) : ""};
        switch (ref.kind) {
        case ELF_REF_CALL:
        case ELF_REF_FUNC_ADDR:
            if ((rc = ref_target(ctx, prog, sec_index, pc, &ref, &target)))
                return rc;
            insns[at].src = ref.kind == ELF_REF_CALL ? ELF_PSEUDO_CALL : ELF_PSEUDO_FUNC;
            insns[at].imm = (int32_t)((int64_t)target->base - (int64_t)at - 1);
            if (lddw)
                insns[at + 1].imm = 0;
            continue;
        case ELF_REF_MAP:
            insns[at].src = ELF_PSEUDO_MAP_FD;
            insns[at].imm = (int32_t)ref.map;
            insns[at + 1].imm = 0;
            reloc.kind = ELF_RELOC_MAP;
            break;
        case ELF_REF_MAP_VALUE:
            insns[at].src = ELF_PSEUDO_MAP_VALUE;
            insns[at].imm = (int32_t)ref.map;
            insns[at + 1].imm = (int32_t)ref.offset;
            reloc.kind = ELF_RELOC_MAP_VALUE;
            break;
        default:
            if (!lddw) {
                insns[at].src = 0;
                insns[at].imm = 0;
            }
            reloc.kind = ELF_RELOC_EXTERN;
            break;
        }
        if ((rc = add_reloc(ctx, relocs, reloc)))
            return rc;
    }
    return 0;
}

int elf_link_program(elf_ctx *ctx, uint32_t prog_index, uint32_t sec, elf_fn *entry)
{
    elf_program *prog = &ctx->obj->progs[prog_index];
    uint32_t mark = prog_index + 1;
    link_list list = {0};
    size_t total = 0;
    int rc = append(ctx, &list, sec, entry, mark);
    if (!rc)
        rc = collect(ctx, prog, &list, mark, &total);
    if (rc)
        return rc;

    isa_slot *insns = elf_arena_alloc(ctx->arena, total, sizeof(isa_slot));
    elf_func *funcs = elf_arena_alloc(ctx->arena, list.count, sizeof(elf_func));
    if (!insns || !funcs)
        return elf_nomem(ctx, "program code");
    reloc_list relocs = {0};
    for (size_t i = 0; i < list.count; i++) {
        const elf_fn *fn = list.fns[i];
        const elf_sec *s = &ctx->secs[list.secs[i]];
        copy_slots(insns + fn->base, s->data + (size_t)fn->start * ELF_INSN_SIZE, fn->end - fn->start);
        funcs[i] = (elf_func){.insn = fn->base, .count = fn->end - fn->start, .name = fn->name ? fn->name : s->name,
                              .section = s->name};
    }
    for (size_t i = 0; i < list.count; i++)
        if ((rc = rewrite(ctx, prog, insns, list.secs[i], list.fns[i], &relocs)))
            return rc;

    prog->insns = insns;
    prog->insn_count = total;
    prog->funcs = funcs;
    prog->func_count = list.count;
    prog->relocs = relocs.items;
    prog->reloc_count = relocs.count;
    return elf_program_debug_info(ctx, prog, funcs, list.secs, list.fns);
}
