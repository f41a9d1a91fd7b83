/*
 * elf_test_util.c - file reading and the invariant checker of elf_test_util.h. The checker walks
 * every program's code like a consumer would: each local call and callback lands on a function start
 * inside the program, each pseudo lddw has its relocation and a map index in range, every index into
 * lines, maps and programs is in range, and every string and data pointer can be read.
 */
#include "elf_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *elf_test_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    void *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            buf = malloc(n ? (size_t)n : 1);
            if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            }
            *size = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

static uint64_t rd(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

bool elf_test_find_section(const uint8_t *data, size_t size, const char *name, size_t *offset, size_t *length)
{
    if (size < 64)
        return false;
    uint64_t shoff = rd(data + 40, 8), shnum = rd(data + 60, 2), shstrndx = rd(data + 62, 2);
    if (shoff + shnum * 64 > size || shstrndx >= shnum)
        return false;
    const uint8_t *names = data + shoff + shstrndx * 64;
    uint64_t names_off = rd(names + 24, 8);
    for (uint64_t i = 1; i < shnum; i++) {
        const uint8_t *sh = data + shoff + i * 64;
        uint64_t name_off = names_off + rd(sh, 4);
        if (name_off < size && strncmp((const char *)data + name_off, name, size - name_off) == 0) {
            *offset = (size_t)rd(sh + 24, 8);
            *length = (size_t)rd(sh + 32, 8);
            return *offset + *length <= size;
        }
    }
    return false;
}

static char problem[256];

#define FAIL(...) do { snprintf(problem, sizeof problem, __VA_ARGS__); return problem; } while (0)

static volatile size_t sink;

static void touch(const char *s)
{
    sink += strlen(s);
}

static bool is_func_start(const elf_program *p, int64_t insn)
{
    for (size_t k = 0; k < p->func_count; k++)
        if (p->funcs[k].insn == insn)
            return true;
    return false;
}

static const elf_reloc *reloc_at(const elf_program *p, size_t insn)
{
    for (size_t r = 0; r < p->reloc_count; r++)
        if (p->relocs[r].insn == insn)
            return &p->relocs[r];
    return NULL;
}

static const char *check_code(const elf_object *obj, const elf_program *p)
{
    size_t maps = elf_object_map_count(obj);
    for (size_t k = 0; k < p->func_count; k++) {
        const elf_func *f = &p->funcs[k];
        for (size_t i = f->insn; i < (size_t)f->insn + f->count; i++) {
            const isa_slot *s = &p->insns[i];
            if (s->opcode == 0x85 && s->src == 1 && !is_func_start(p, (int64_t)i + s->imm + 1))
                FAIL("program '%s': call at %zu lands on %lld, not a function start", p->name, i, (long long)i + s->imm + 1);
            if (s->opcode != 0x18 || i + 1 >= (size_t)f->insn + f->count)
                continue;
            const elf_reloc *r = reloc_at(p, i);
            if (s->src == 4 && !is_func_start(p, (int64_t)i + s->imm + 1))
                FAIL("program '%s': callback at %zu lands on %lld, not a function start", p->name, i, (long long)i + s->imm + 1);
            if (s->src == 1 || s->src == 2) {
                if (!r || r->kind != (s->src == 1 ? ELF_RELOC_MAP : ELF_RELOC_MAP_VALUE))
                    FAIL("program '%s': pseudo lddw at %zu without its relocation", p->name, i);
                if ((size_t)s->imm != r->map || r->map >= maps)
                    FAIL("program '%s': lddw at %zu names map %d (relocation %u, %zu maps)", p->name, i, s->imm, r->map, maps);
                if (s->src == 2 && ((uint32_t)p->insns[i + 1].imm != r->offset ||
                                    r->offset >= elf_object_map(obj, r->map)->value_size))
                    FAIL("program '%s': map value offset at %zu is wrong", p->name, i);
            } else if (s->src != 0 && s->src != 4) {
                FAIL("program '%s': lddw at %zu has pseudo source %u", p->name, i, s->src);
            }
            i++;
        }
    }
    return NULL;
}

static const char *check_program(const elf_object *obj, size_t index)
{
    const elf_program *p = elf_object_program(obj, index);
    touch(p->section);
    touch(p->name);
    touch(p->attach_target);
    if (p->insn_count == 0 || p->func_count == 0 || p->funcs[0].insn != 0)
        FAIL("program '%s': empty, or the entry function does not come first", p->name);
    size_t next = 0;
    for (size_t k = 0; k < p->func_count; k++) {
        if (p->funcs[k].insn != next || p->funcs[k].count == 0)
            FAIL("program '%s': function %zu is not contiguous", p->name, k);
        next += p->funcs[k].count;
        touch(p->funcs[k].name);
        touch(p->funcs[k].section);
    }
    if (next != p->insn_count)
        FAIL("program '%s': functions cover %zu of %zu instructions", p->name, next, p->insn_count);
    for (size_t r = 0; r < p->reloc_count; r++) {
        const elf_reloc *rel = &p->relocs[r];
        if (rel->insn >= p->insn_count || (r > 0 && rel->insn <= p->relocs[r - 1].insn))
            FAIL("program '%s': relocation %zu out of order or range", p->name, r);
        if (rel->kind < ELF_RELOC_MAP || rel->kind > ELF_RELOC_EXTERN)
            FAIL("program '%s': relocation %zu has kind %u", p->name, r, rel->kind);
        touch(rel->symbol);
        touch(rel->section);
    }
    if (p->insn_line) {
        for (size_t i = 0; i < p->insn_count; i++) {
            uint32_t l = p->insn_line[i];
            if (l != ELF_NO_LINE && l >= p->line_count)
                FAIL("program '%s': line index %u of %zu", p->name, l, p->line_count);
            if (l != ELF_NO_LINE) {
                touch(p->lines[l].file);
                touch(p->lines[l].text);
            }
        }
    }
    for (size_t c = 0; c < p->core_relo_count; c++) {
        if (p->core_relos[c].insn >= p->insn_count)
            FAIL("program '%s': CO-RE relocation %zu out of range", p->name, c);
        touch(p->core_relos[c].type_name);
        touch(p->core_relos[c].access);
    }
    ebpf_diag diag;
    if (elf_program_check(p, &diag) != 0 && diag.message[0] == '\0')
        FAIL("program '%s': refused without a message", p->name);
    return check_code(obj, p);
}

static const char *check_map(const elf_object *obj, size_t index)
{
    const elf_map *m = elf_object_map(obj, index);
    touch(m->name);
    touch(m->section);
    if (m->inner != -1 && (m->inner < 0 || (size_t)m->inner >= elf_object_map_count(obj) || (size_t)m->inner == index))
        FAIL("map '%s': inner %d", m->name, m->inner);
    for (size_t s = 0; s < m->slot_count; s++) {
        const elf_map_slot *slot = &m->slots[s];
        size_t limit = slot->kind == ELF_SLOT_MAP ? elf_object_map_count(obj) : elf_object_program_count(obj);
        if (slot->index >= m->max_entries || slot->target >= limit || (s > 0 && slot->index <= m->slots[s - 1].index))
            FAIL("map '%s': slot %zu out of range or order", m->name, s);
    }
    if (m->data) {
        size_t sum = 0;
        for (size_t b = 0; b < m->value_size; b++)
            sum += m->data[b];
        sink += sum;
    }
    return NULL;
}

const char *elf_test_check_invariants(const elf_object *obj)
{
    touch(elf_object_license(obj));
    for (size_t i = 0; i < elf_object_program_count(obj); i++) {
        const char *why = check_program(obj, i);
        if (why)
            return why;
    }
    for (size_t i = 0; i < elf_object_map_count(obj); i++) {
        const char *why = check_map(obj, i);
        if (why)
            return why;
    }
    return NULL;
}
