/*
 * elf_license.c - the `license` section (a string; the runtime decides what a non-GPL license may call)
 * and the `version` section (the u32 kernel version old kprobe objects carry).
 */
#include "elf/elf_int.h"

#include <string.h>

#define ELF_MAX_LICENSE_LEN 127

int elf_read_license_version(elf_ctx *ctx)
{
    ctx->obj->license = "";
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        const elf_sec *sec = &ctx->secs[i];
        if (sec->kind == ELF_SEC_LICENSE) {
            const char *text = (const char *)sec->data;
            const char *nul = memchr(text, '\0', sec->size);
            size_t len = nul ? (size_t)(nul - text) : sec->size;
            if (len > ELF_MAX_LICENSE_LEN)
                return diag_fail(ctx->diag, -1, "section %u 'license': %zu characters, more than the limit of %d", i,
                                 len, ELF_MAX_LICENSE_LEN);
            char *copy = elf_arena_strndup(ctx->arena, text, len);
            if (!copy)
                return elf_nomem(ctx, "the license");
            ctx->obj->license = copy;
        } else if (sec->kind == ELF_SEC_VERSION) {
            if (sec->size != 4)
                return diag_fail(ctx->diag, -1, "section %u 'version': size %llu, expected 4", i,
                                 (unsigned long long)sec->size);
            ctx->obj->has_version = true;
            ctx->obj->version = elf_rd32(sec->data);
        }
    }
    return 0;
}
