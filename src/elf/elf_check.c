/*
 * elf_check.c - what a consumer asks of a loaded program: can it be loaded as it is (elf_program_check),
 * resolving calls to external functions by helper name (elf_object_resolve_externs), and the source
 * line of an instruction. Refusals name the obstacle precisely, with the instruction and its line.
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <stdio.h>

const elf_line *elf_program_line(const elf_program *prog, size_t insn)
{
    if (!prog->insn_line || insn >= prog->insn_count)
        return NULL;
    uint32_t line = prog->insn_line[insn];
    return line < prog->line_count ? &prog->lines[line] : NULL;
}

static void set_line(const elf_program *prog, size_t insn, ebpf_diag *diag)
{
    const elf_line *line = elf_program_line(prog, insn);
    if (diag && line)
        snprintf(diag->line, sizeof diag->line, "%s:%u", line->file, line->line);
}

static const elf_reloc *first_unresolved(const elf_program *prog)
{
    for (size_t i = 0; i < prog->reloc_count; i++)
        if (prog->relocs[i].kind == ELF_RELOC_EXTERN && prog->relocs[i].helper < 0)
            return &prog->relocs[i];
    return NULL;
}

static const elf_core_relo *first_unresolved_core(const elf_program *prog)
{
    for (size_t i = 0; i < prog->core_relo_count; i++)
        if (!prog->core_relos[i].resolved)
            return &prog->core_relos[i];
    return NULL;
}

int elf_program_check(const elf_program *prog, ebpf_diag *diag)
{
    const elf_core_relo *core = first_unresolved_core(prog);
    const elf_reloc *ext = first_unresolved(prog);
    if (core && (!ext || core->insn <= ext->insn)) {
        diag_fail_errno(diag, -ENOTSUP, core->insn,
                        "program '%s': instruction %u has a CO-RE relocation (%s of %s, access \"%s\"); only those on the "
                        "context structs of <linux/bpf.h> are resolved",
                        prog->name, core->insn, elf_core_relo_kind_name(core->kind), core->type_name, core->access);
        set_line(prog, core->insn, diag);
        return -ENOTSUP;
    }
    if (ext) {
        bool call = prog->insns[ext->insn].opcode == ELF_OP_CALL;
        diag_fail_errno(diag, -ENOTSUP, ext->insn,
                        "program '%s': instruction %u %s '%s' (relocation %s at section '%s' offset 0x%llx), which the object does not define",
                        prog->name, ext->insn, call ? "calls the external function" : "loads the external variable",
                        ext->symbol, call ? "R_BPF_64_32" : "R_BPF_64_64", ext->section,
                        (unsigned long long)ext->section_offset);
        set_line(prog, ext->insn, diag);
        return -ENOTSUP;
    }
    return 0;
}

size_t elf_object_resolve_externs(elf_object *obj, int (*lookup)(const char *name, void *user), void *user)
{
    size_t unresolved = 0;
    for (size_t p = 0; p < obj->prog_count; p++) {
        elf_program *prog = &obj->progs[p];
        /* The object owns these arrays (arena memory); they are const only towards consumers. */
        isa_slot *insns = (isa_slot *)prog->insns;
        elf_reloc *relocs = (elf_reloc *)prog->relocs;
        for (size_t i = 0; i < prog->reloc_count; i++) {
            elf_reloc *r = &relocs[i];
            if (r->kind != ELF_RELOC_EXTERN || r->helper >= 0)
                continue;
            int id = insns[r->insn].opcode == ELF_OP_CALL ? lookup(r->symbol, user) : -1;
            if (id < 0) {
                unresolved++;
                continue;
            }
            insns[r->insn].src = 0;
            insns[r->insn].imm = id;
            r->helper = id;
        }
    }
    return unresolved;
}
