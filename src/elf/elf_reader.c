/*
 * elf_reader.c - the ELF64 header and the section header table: what kind of file this is, where each
 * section lies, what it is called and what the loader will do with it (elf_sec_kind).
 *
 * Invariants established here, relied upon by every later pass: each section that occupies file space
 * lies entirely inside the file; each name is a NUL-terminated string inside the section-name table;
 * code sections hold a whole number of 8-byte instruction slots.
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <string.h>

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *elf_strtab_string(const elf_sec *strtab, uint64_t off)
{
    if (!strtab->data || off >= strtab->size)
        return NULL;
    const char *s = (const char *)strtab->data + off;
    return memchr(s, '\0', strtab->size - off) ? s : NULL;
}

static int read_header(elf_ctx *ctx, uint64_t *shoff, uint32_t *shnum, uint32_t *shstrndx)
{
    const uint8_t *img = ctx->image;
    size_t size = ctx->size;
    ebpf_diag *diag = ctx->diag;

    if (size < ELF_EHDR_SIZE)
        return diag_fail(diag, -1, "file of %zu bytes is too small to be an ELF object (the header alone is 64)", size);
    if (memcmp(img, "\177ELF", 4) != 0)
        return diag_fail(diag, -1, "not an ELF file (the first bytes are not \\x7fELF)");
    if (img[ELF_EI_CLASS] != ELF_CLASS64)
        return diag_fail(diag, -1, "ELF class %u is not supported: eBPF objects are ELF64", img[ELF_EI_CLASS]);
    if (img[ELF_EI_DATA] == ELF_DATA2MSB)
        return diag_fail(diag, -1, "big-endian ELF is not supported: compile with -target bpfel");
    if (img[ELF_EI_DATA] != ELF_DATA2LSB)
        return diag_fail(diag, -1, "unknown ELF data encoding %u", img[ELF_EI_DATA]);
    if (img[ELF_EI_VERSION] != ELF_EV_CURRENT || elf_rd32(img + ELF_EHDR_VERSION) != ELF_EV_CURRENT)
        return diag_fail(diag, -1, "unknown ELF version %u", img[ELF_EI_VERSION]);
    /* Old LLVM BPF back ends wrote EM_NONE; libbpf accepts that too. */
    uint16_t machine = elf_rd16(img + ELF_EHDR_MACHINE);
    if (machine != ELF_EM_BPF && machine != ELF_EM_NONE)
        return diag_fail(diag, -1, "ELF machine %u is not eBPF (EM_BPF is 247): compile with clang -target bpf",
                         machine);
    uint16_t type = elf_rd16(img + ELF_EHDR_TYPE);
    if (type != ELF_ET_REL)
        return diag_fail(diag, -1, "ELF type %u is not a relocatable object (ET_REL, what clang -c produces)", type);

    *shoff = elf_rd64(img + ELF_EHDR_SHOFF);
    uint16_t shentsize = elf_rd16(img + ELF_EHDR_SHENTSIZE);
    *shnum = elf_rd16(img + ELF_EHDR_SHNUM);
    *shstrndx = elf_rd16(img + ELF_EHDR_SHSTRNDX);
    if (*shoff == 0)
        return diag_fail(diag, -1, "the object has no section header table");
    if (shentsize != ELF_SHDR_SIZE)
        return diag_fail(diag, -1, "section header entry size %u, expected 64", shentsize);
    if (!checked_range(*shoff, ELF_SHDR_SIZE, size))
        return diag_fail(diag, -1, "section header table at offset 0x%llx is outside the file (size 0x%zx)",
                         (unsigned long long)*shoff, size);
    /* Extended numbering: the real count and string-table index live in section 0. */
    const uint8_t *sh0 = img + *shoff;
    if (*shnum == 0) {
        uint64_t n = elf_rd64(sh0 + ELF_SHDR_SIZE_FIELD);
        if (n > ELF_MAX_SECTIONS)
            return diag_fail_errno(diag, -E2BIG, -1, "%llu sections, more than the limit of %u",
                                   (unsigned long long)n, ELF_MAX_SECTIONS);
        *shnum = (uint32_t)n;
    }
    if (*shstrndx == ELF_SHN_XINDEX)
        *shstrndx = elf_rd32(sh0 + ELF_SHDR_LINK);
    if (*shnum == 0)
        return diag_fail(diag, -1, "the object has no sections");
    size_t table;
    if (!checked_mul_size(*shnum, ELF_SHDR_SIZE, &table) || !checked_range(*shoff, table, size))
        return diag_fail(diag, -1, "section header table (%u entries at offset 0x%llx) is outside the file (size 0x%zx)",
                         *shnum, (unsigned long long)*shoff, size);
    return 0;
}

static void read_section_header(const uint8_t *sh, elf_sec *sec)
{
    sec->type = elf_rd32(sh + ELF_SHDR_TYPE);
    sec->flags = elf_rd64(sh + ELF_SHDR_FLAGS);
    sec->offset = elf_rd64(sh + ELF_SHDR_OFFSET);
    sec->size = elf_rd64(sh + ELF_SHDR_SIZE_FIELD);
    sec->link = elf_rd32(sh + ELF_SHDR_LINK);
    sec->info = elf_rd32(sh + ELF_SHDR_INFO);
    sec->entsize = elf_rd64(sh + ELF_SHDR_ENTSIZE);
    sec->map = -1;
}

static bool occupies_file(const elf_sec *sec)
{
    return sec->type != ELF_SHT_NOBITS && sec->type != ELF_SHT_NULL;
}

static bool in_file(const elf_ctx *ctx, const elf_sec *sec)
{
    return sec->offset <= SIZE_MAX && sec->size <= SIZE_MAX && checked_range(sec->offset, sec->size, ctx->size);
}

static uint32_t classify(const elf_sec *sec)
{
    const char *n = sec->name;
    bool bits = sec->type == ELF_SHT_PROGBITS;
    if (bits && (sec->flags & ELF_SHF_EXECINSTR))
        return ELF_SEC_CODE;
    if (bits && strcmp(n, ".maps") == 0)
        return ELF_SEC_MAPS_BTF;
    if (bits && (strcmp(n, "maps") == 0 || starts_with(n, "maps/")))
        return ELF_SEC_MAPS_LEGACY;
    if ((bits || sec->type == ELF_SHT_NOBITS) && (sec->flags & ELF_SHF_ALLOC) &&
        (strcmp(n, ".data") == 0 || strcmp(n, ".rodata") == 0 || strcmp(n, ".bss") == 0 ||
         starts_with(n, ".data.") || starts_with(n, ".rodata.") || starts_with(n, ".bss.")))
        return ELF_SEC_DATA;
    if (bits && strcmp(n, "license") == 0)
        return ELF_SEC_LICENSE;
    if (bits && strcmp(n, "version") == 0)
        return ELF_SEC_VERSION;
    if (bits && strcmp(n, ".BTF") == 0)
        return ELF_SEC_BTF;
    if (bits && strcmp(n, ".BTF.ext") == 0)
        return ELF_SEC_BTF_EXT;
    return ELF_SEC_OTHER;
}

int elf_read_sections(elf_ctx *ctx)
{
    uint64_t shoff = 0;
    uint32_t shnum = 0, shstrndx = 0;
    int rc = read_header(ctx, &shoff, &shnum, &shstrndx);
    if (rc)
        return rc;

    ctx->secs = elf_arena_alloc(&ctx->scratch, shnum, sizeof(elf_sec));
    if (!ctx->secs)
        return elf_nomem(ctx, "the section table");
    ctx->sec_count = shnum;
    for (uint32_t i = 0; i < shnum; i++)
        read_section_header(ctx->image + shoff + (size_t)i * ELF_SHDR_SIZE, &ctx->secs[i]);

    /* The name table first, so that every later message can name its section. */
    if (shstrndx == ELF_SHN_UNDEF || shstrndx >= shnum)
        return diag_fail(ctx->diag, -1, "section name table index %u is not a section (the object has %u)", shstrndx,
                         shnum);
    elf_sec *names = &ctx->secs[shstrndx];
    if (names->type != ELF_SHT_STRTAB)
        return diag_fail(ctx->diag, -1, "section name table (section %u) has type %u, not a string table", shstrndx,
                         names->type);
    if (!in_file(ctx, names))
        return diag_fail(ctx->diag, -1, "section name table (section %u): offset 0x%llx + size 0x%llx is outside the file (size 0x%zx)",
                         shstrndx, (unsigned long long)names->offset, (unsigned long long)names->size, ctx->size);
    names->data = ctx->image + names->offset;

    ctx->secs[0].name = "";
    for (uint32_t i = 1; i < shnum; i++) {
        elf_sec *sec = &ctx->secs[i];
        uint32_t name_off = elf_rd32(ctx->image + shoff + (size_t)i * ELF_SHDR_SIZE + ELF_SHDR_NAME);
        sec->name = elf_strtab_string(names, name_off);
        if (!sec->name)
            return diag_fail(ctx->diag, -1,
                             "section %u: name offset 0x%x is outside the section name table (size 0x%llx)", i,
                             name_off, (unsigned long long)names->size);
    }
    for (uint32_t i = 1; i < shnum; i++) {
        elf_sec *sec = &ctx->secs[i];
        if (occupies_file(sec)) {
            if (!in_file(ctx, sec))
                return diag_fail(ctx->diag, -1, "section %u '%s': offset 0x%llx + size 0x%llx is outside the file (size 0x%zx)",
                                 i, sec->name, (unsigned long long)sec->offset, (unsigned long long)sec->size, ctx->size);
            sec->data = ctx->image + sec->offset;
        }
        sec->kind = classify(sec);
        if (sec->kind == ELF_SEC_CODE && sec->size % ELF_INSN_SIZE != 0)
            return diag_fail(ctx->diag, -1, "section %u '%s': size 0x%llx is not a whole number of 8-byte instructions",
                             i, sec->name, (unsigned long long)sec->size);
        if (sec->kind == ELF_SEC_CODE && sec->size / ELF_INSN_SIZE > ISA_MAX_INSNS)
            return diag_fail_errno(ctx->diag, -E2BIG, -1, "section %u '%s': %llu instructions, more than the limit of %u",
                                   i, sec->name, (unsigned long long)(sec->size / ELF_INSN_SIZE), ISA_MAX_INSNS);
    }
    return 0;
}
