/*
 * elf_btf_sections.c - finds .BTF and .BTF.ext and hands them to the BTF parsers. Both are optional
 * (old objects have neither), but when present they must be valid: a damaged BTF is refused, never
 * half-used. BTF.ext needs the BTF its strings and types live in.
 */
#include "elf/elf_int.h"

static int unique_section(elf_ctx *ctx, uint32_t kind, uint32_t *index)
{
    *index = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        if (ctx->secs[i].kind != kind)
            continue;
        if (*index)
            return diag_fail(ctx->diag, -1, "two '%s' sections (%u and %u)", ctx->secs[i].name, *index, i);
        *index = i;
    }
    return 0;
}

int elf_read_btf(elf_ctx *ctx)
{
    uint32_t btf_sec = 0, ext_sec = 0;
    int rc = unique_section(ctx, ELF_SEC_BTF, &btf_sec);
    if (!rc)
        rc = unique_section(ctx, ELF_SEC_BTF_EXT, &ext_sec);
    if (rc)
        return rc;
    if (btf_sec) {
        const elf_sec *sec = &ctx->secs[btf_sec];
        rc = btf_parse(ctx->arena, sec->data, sec->size, &ctx->btf, ctx->diag);
        if (rc)
            return rc;
    }
    if (ext_sec) {
        if (!ctx->btf)
            return diag_fail(ctx->diag, -1, "section %u '.BTF.ext' without a '.BTF' section", ext_sec);
        const elf_sec *sec = &ctx->secs[ext_sec];
        rc = btf_ext_parse(ctx->arena, ctx->btf, sec->data, sec->size, &ctx->ext, ctx->diag);
        if (rc)
            return rc;
    }
    return 0;
}
