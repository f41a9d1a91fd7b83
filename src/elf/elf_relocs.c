/*
 * elf_relocs.c - relocation sections. The loader acts on the relocations of code sections (map
 * references, global data, sub-program calls, callbacks, external calls) and of `.maps` (initial values
 * of map-in-map and prog_array); relocations of anything else (debug info, BTF, global data) are not
 * needed to run a program and are skipped, as libbpf does.
 *
 * For the sections it keeps: one relocation section per target, entries naming a real symbol, offsets
 * inside the target (instruction-aligned for code), sorted by offset, no two at the same offset.
 * clang writes SHT_REL; objects of LLVM before 3.9 carry SHT_RELA (explicit addends), accepted too.
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <stdlib.h>

static int compare_rel(const void *a, const void *b)
{
    const elf_rel *x = a, *y = b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

const char *elf_rel_type_name(uint32_t type)
{
    switch (type) {
    case ELF_R_BPF_NONE: return "R_BPF_NONE";
    case ELF_R_BPF_64_64: return "R_BPF_64_64";
    case ELF_R_BPF_64_ABS64: return "R_BPF_64_ABS64";
    case ELF_R_BPF_64_ABS32: return "R_BPF_64_ABS32";
    case ELF_R_BPF_64_NODYLD32: return "R_BPF_64_NODYLD32";
    case ELF_R_BPF_64_32: return "R_BPF_64_32";
    default: return "unknown relocation type";
    }
}

static bool wanted(const elf_sec *target)
{
    return target->kind == ELF_SEC_CODE || target->kind == ELF_SEC_MAPS_BTF;
}

static int read_rel_section(elf_ctx *ctx, uint32_t index)
{
    const elf_sec *rel = &ctx->secs[index];
    if (rel->info == 0 || rel->info >= ctx->sec_count)
        return diag_fail(ctx->diag, -1, "relocation section %u '%s': target section %u is not a section", index,
                         rel->name, rel->info);
    elf_sec *target = &ctx->secs[rel->info];
    if (!wanted(target))
        return 0;
    if (rel->link != ctx->symtab)
        return diag_fail(ctx->diag, -1, "relocation section %u '%s': linked to section %u, not the symbol table (%u)",
                         index, rel->name, rel->link, ctx->symtab);
    uint64_t entsize = rel->type == ELF_SHT_RELA ? ELF_RELA_SIZE : ELF_REL_SIZE;
    if (rel->entsize != entsize || rel->size % entsize != 0)
        return diag_fail(ctx->diag, -1, "relocation section %u '%s': entry size %llu and size 0x%llx, expected %llu-byte entries",
                         index, rel->name, (unsigned long long)rel->entsize, (unsigned long long)rel->size,
                         (unsigned long long)entsize);
    if (target->rel_sec)
        return diag_fail(ctx->diag, -1, "section %u '%s' has two relocation sections (%u and %u)", rel->info,
                         target->name, target->rel_sec, index);
    target->rel_sec = index;

    uint64_t count = rel->size / entsize;
    if (count > ELF_MAX_RELOCS)
        return diag_fail_errno(ctx->diag, -E2BIG, -1, "relocation section %u '%s': %llu entries, more than the limit of %u",
                               index, rel->name, (unsigned long long)count, ELF_MAX_RELOCS);
    target->rels = elf_arena_alloc(&ctx->scratch, count, sizeof(elf_rel));
    if (count && !target->rels)
        return elf_nomem(ctx, "relocations");
    target->rel_count = (uint32_t)count;
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *raw = rel->data + (size_t)i * entsize;
        elf_rel *r = &target->rels[i];
        r->offset = elf_rd64(raw);
        uint64_t info = elf_rd64(raw + 8);
        r->addend = entsize == ELF_RELA_SIZE ? (int64_t)elf_rd64(raw + 16) : 0;
        r->sym = (uint32_t)(info >> 32);
        r->type = (uint32_t)info;
        if (r->sym >= ctx->sym_count)
            return diag_fail(ctx->diag, -1, "relocation %u of section '%s': symbol index %u is not a symbol (the table has %u)",
                             i, target->name, r->sym, ctx->sym_count);
        if (r->offset >= target->size)
            return diag_fail(ctx->diag, -1, "relocation %u of section '%s' (symbol '%s'): offset 0x%llx is outside the section (size 0x%llx)",
                             i, target->name, elf_sym_display_name(ctx, r->sym), (unsigned long long)r->offset,
                             (unsigned long long)target->size);
        if (target->kind == ELF_SEC_CODE && r->offset % ELF_INSN_SIZE != 0)
            return diag_fail(ctx->diag, -1, "relocation %u of section '%s' (symbol '%s'): offset 0x%llx is not at an instruction",
                             i, target->name, elf_sym_display_name(ctx, r->sym), (unsigned long long)r->offset);
    }
    if (target->rel_count > 1)
        qsort(target->rels, target->rel_count, sizeof(elf_rel), compare_rel);
    for (uint32_t i = 1; i < target->rel_count; i++)
        if (target->rels[i].offset == target->rels[i - 1].offset)
            return diag_fail(ctx->diag, -1, "section '%s': two relocations at offset 0x%llx", target->name,
                             (unsigned long long)target->rels[i].offset);
    return 0;
}

int elf_read_relocs(elf_ctx *ctx)
{
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        uint32_t type = ctx->secs[i].type;
        if (type != ELF_SHT_REL && type != ELF_SHT_RELA)
            continue;
        int rc = read_rel_section(ctx, i);
        if (rc)
            return rc;
    }
    return 0;
}
