/*
 * elf_symtab.c - the symbol table: exactly one SHT_SYMTAB of 24-byte entries whose string table is a
 * real string table. Every symbol's name is checked to be a NUL-terminated string of that table and its
 * section index to be a section of this object (or UNDEF / ABS / COMMON). Values and sizes are checked
 * by whoever uses them (functions, maps), against the section they claim.
 */
#include "elf/elf_int.h"

#include <errno.h>

static int find_symtab(elf_ctx *ctx, uint32_t *index)
{
    *index = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        if (ctx->secs[i].type != ELF_SHT_SYMTAB)
            continue;
        if (*index)
            return diag_fail(ctx->diag, -1, "more than one symbol table (sections %u and %u)", *index, i);
        *index = i;
    }
    if (!*index)
        return diag_fail(ctx->diag, -1, "the object has no symbol table");
    return 0;
}

const char *elf_sym_display_name(const elf_ctx *ctx, uint32_t sym)
{
    const elf_sym *s = &ctx->syms[sym];
    if (s->type == ELF_STT_SECTION && s->name[0] == '\0' && s->shndx < ctx->sec_count)
        return ctx->secs[s->shndx].name;
    return s->name;
}

int elf_read_symbols(elf_ctx *ctx)
{
    uint32_t index = 0;
    int rc = find_symtab(ctx, &index);
    if (rc)
        return rc;
    const elf_sec *symtab = &ctx->secs[index];
    if (symtab->entsize != ELF_SYM_SIZE)
        return diag_fail(ctx->diag, -1, "symbol table (section %u '%s'): entry size %llu, expected 24", index,
                         symtab->name, (unsigned long long)symtab->entsize);
    if (symtab->size % ELF_SYM_SIZE != 0)
        return diag_fail(ctx->diag, -1, "symbol table (section %u '%s'): size 0x%llx is not a multiple of 24", index,
                         symtab->name, (unsigned long long)symtab->size);
    uint64_t count = symtab->size / ELF_SYM_SIZE;
    if (count > ELF_MAX_SYMBOLS)
        return diag_fail_errno(ctx->diag, -E2BIG, -1, "symbol table: %llu symbols, more than the limit of %u",
                               (unsigned long long)count, ELF_MAX_SYMBOLS);
    if (count == 0)
        return diag_fail(ctx->diag, -1, "symbol table (section %u '%s') is empty", index, symtab->name);
    if (symtab->link == 0 || symtab->link >= ctx->sec_count || ctx->secs[symtab->link].type != ELF_SHT_STRTAB)
        return diag_fail(ctx->diag, -1, "symbol table (section %u '%s'): linked string table %u is not a string table",
                         index, symtab->name, symtab->link);
    const elf_sec *strtab = &ctx->secs[symtab->link];

    ctx->symtab = index;
    ctx->sym_count = (uint32_t)count;
    ctx->syms = elf_arena_alloc(&ctx->scratch, count, sizeof(elf_sym));
    if (!ctx->syms)
        return elf_nomem(ctx, "the symbol table");
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *raw = symtab->data + (size_t)i * ELF_SYM_SIZE;
        elf_sym *sym = &ctx->syms[i];
        uint32_t name_off = elf_rd32(raw + ELF_SYM_NAME);
        sym->name = elf_strtab_string(strtab, name_off);
        if (!sym->name)
            return diag_fail(ctx->diag, -1, "symbol %u: name offset 0x%x is outside the string table (size 0x%llx)", i,
                             name_off, (unsigned long long)strtab->size);
        uint8_t info = raw[ELF_SYM_INFO];
        sym->type = info & 0xf;
        sym->bind = info >> 4;
        sym->shndx = elf_rd16(raw + ELF_SYM_SHNDX);
        sym->value = elf_rd64(raw + ELF_SYM_VALUE);
        sym->size = elf_rd64(raw + ELF_SYM_SIZE_FIELD);
        if (sym->shndx == ELF_SHN_XINDEX)
            return diag_fail(ctx->diag, -1, "symbol %u '%s': extended section indexes (SHN_XINDEX) are not supported", i,
                             sym->name);
        bool special = sym->shndx == ELF_SHN_ABS || sym->shndx == ELF_SHN_COMMON;
        if (sym->shndx >= ctx->sec_count && !special)
            return diag_fail(ctx->diag, -1, "symbol %u '%s': section index %u is not a section (the object has %u)", i,
                             sym->name, sym->shndx, ctx->sec_count);
    }
    return 0;
}
