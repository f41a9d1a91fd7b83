/*
 * sound_patch.c - locating a program's functions in an ELF64 little-endian image (section header
 * table, section names, symbol table) and patching instruction slots there (sound_patch.h). Every
 * read is bounds-checked: the image is a corpus file, not a trusted one.
 */
#include "sound_patch.h"

#include <errno.h>
#include <string.h>

static uint64_t rd(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool span_ok(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

typedef struct elf_view {
    const uint8_t *image;
    size_t size;
    uint64_t shoff;
    unsigned shnum, shstrndx;
} elf_view;

static const uint8_t *section(const elf_view *v, unsigned index)
{
    if (index >= v->shnum || !span_ok(v->size, v->shoff + (uint64_t)index * 64, 64))
        return NULL;
    return v->image + v->shoff + (uint64_t)index * 64;
}

/* The NUL-terminated string at off of string section strtab, or NULL. */
static const char *str_at(const elf_view *v, unsigned strtab, uint64_t off)
{
    const uint8_t *sh = section(v, strtab);
    if (!sh)
        return NULL;
    uint64_t base = rd(sh + 24, 8), len = rd(sh + 32, 8);
    if (!span_ok(v->size, base, len) || off >= len || !memchr(v->image + base + off, 0, len - off))
        return NULL;
    return (const char *)v->image + base + off;
}

static int find_section(const elf_view *v, const char *name)
{
    for (unsigned i = 1; i < v->shnum; i++) {
        const uint8_t *sh = section(v, i);
        const char *s = sh ? str_at(v, v->shstrndx, rd(sh, 4)) : NULL;
        if (s && strcmp(s, name) == 0)
            return (int)i;
    }
    return -1;
}

/* Value of the symbol `name` defined in section shndx, or -1. */
static int64_t find_symbol(const elf_view *v, const char *name, unsigned shndx)
{
    for (unsigned i = 1; i < v->shnum; i++) {
        const uint8_t *sh = section(v, i);
        if (!sh || rd(sh + 4, 4) != 2 /* SHT_SYMTAB */)
            continue;
        uint64_t off = rd(sh + 24, 8), len = rd(sh + 32, 8);
        unsigned strtab = (unsigned)rd(sh + 40, 4);
        if (!span_ok(v->size, off, len))
            return -1;
        for (uint64_t s = 0; s + 24 <= len; s += 24) {
            const uint8_t *sym = v->image + off + s;
            const char *n = str_at(v, strtab, rd(sym, 4));
            if (n && rd(sym + 6, 2) == shndx && strcmp(n, name) == 0)
                return (int64_t)rd(sym + 8, 8);
        }
    }
    return -1;
}

int sound_patch_locate(const uint8_t *image, size_t size, const elf_program *prog, uint64_t *offsets)
{
    if (size < 64 || memcmp(image, "\177ELF", 4) != 0 || image[4] != 2 || image[5] != 1)
        return -EINVAL;
    elf_view v = { image, size, rd(image + 0x28, 8), (unsigned)rd(image + 0x3c, 2), (unsigned)rd(image + 0x3e, 2) };
    for (size_t f = 0; f < prog->func_count; f++) {
        const elf_func *fn = &prog->funcs[f];
        int sec = find_section(&v, fn->section);
        const uint8_t *sh = sec > 0 ? section(&v, (unsigned)sec) : NULL;
        if (!sh)
            return -ENOENT;
        int64_t value = find_symbol(&v, fn->name, (unsigned)sec);
        if (value < 0 && strcmp(fn->name, fn->section) == 0)
            value = 0; /* a section without function symbols: the program is the whole section */
        if (value < 0 || (uint64_t)value + (uint64_t)fn->count * 8 > rd(sh + 32, 8))
            return -ENOENT;
        offsets[f] = rd(sh + 24, 8) + (uint64_t)value;
        if (!span_ok(size, offsets[f], (uint64_t)fn->count * 8))
            return -EINVAL;
    }
    return 0;
}

int sound_patch_apply(uint8_t *image, size_t size, const elf_program *prog, const uint64_t *offsets,
                      const isa_slot *code)
{
    for (size_t i = 0; i < prog->insn_count; i++) {
        if (memcmp(&code[i], &prog->insns[i], sizeof code[i]) == 0)
            continue;
        size_t f = 0;
        while (f < prog->func_count && !(i >= prog->funcs[f].insn && i < prog->funcs[f].insn + prog->funcs[f].count))
            f++;
        if (f == prog->func_count)
            return -EINVAL;
        uint64_t at = offsets[f] + (uint64_t)(i - prog->funcs[f].insn) * 8;
        if (!span_ok(size, at, 8))
            return -EINVAL;
        uint8_t *p = image + at;
        p[0] = code[i].opcode;
        p[1] = (uint8_t)(code[i].dst | (code[i].src << 4));
        uint16_t off = (uint16_t)code[i].off;
        uint32_t imm = (uint32_t)code[i].imm;
        p[2] = (uint8_t)off, p[3] = (uint8_t)(off >> 8);
        for (int b = 0; b < 4; b++)
            p[4 + b] = (uint8_t)(imm >> (8 * b));
    }
    return 0;
}
