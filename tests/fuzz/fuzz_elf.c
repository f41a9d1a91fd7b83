/*
 * fuzz_elf.c - libFuzzer target: arbitrary bytes -> elf_object_open -> (when accepted) every accessor
 * a consumer uses -> elf_object_free. Seed it with ../shared/corpus objects.
 * Properties: no crash, hang, leak or sanitizer report; a refusal carries a negative errno and a
 * message; an accepted object's programs and maps can be walked completely.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elf/elf_object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static void walk(const elf_object *obj)
{
    sink += strlen(elf_object_license(obj));
    for (size_t i = 0; i < elf_object_program_count(obj); i++) {
        const elf_program *p = elf_object_program(obj, i);
        ebpf_diag diag;
        if (elf_program_check(p, &diag) != 0 && diag.message[0] == '\0')
            abort();
        sink += strlen(p->section) + strlen(p->name) + strlen(p->attach_target);
        for (size_t k = 0; k < p->insn_count; k++) {
            sink += p->insns[k].opcode;
            const elf_line *line = elf_program_line(p, k);
            if (line)
                sink += strlen(line->file) + strlen(line->text);
        }
        for (size_t k = 0; k < p->func_count; k++)
            sink += strlen(p->funcs[k].name) + p->funcs[k].count;
        for (size_t k = 0; k < p->reloc_count; k++)
            sink += strlen(p->relocs[k].symbol) + p->relocs[k].map;
        for (size_t k = 0; k < p->core_relo_count; k++)
            sink += strlen(p->core_relos[k].type_name) + strlen(p->core_relos[k].access);
    }
    for (size_t i = 0; i < elf_object_map_count(obj); i++) {
        const elf_map *m = elf_object_map(obj, i);
        sink += strlen(m->name) + m->slot_count;
        if (m->data)
            for (size_t b = 0; b < m->value_size; b++)
                sink += m->data[b];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exactly-sized copy, so that any read past the end is an ASan report. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    elf_object *obj = NULL;
    ebpf_diag diag;
    int rc = elf_object_open(copy, size, &obj, &diag);
    free(copy);
    if (rc == 0) {
        walk(obj);
        elf_object_free(obj);
    } else if (rc > 0 || diag.message[0] == '\0' || obj) {
        abort();
    }
    return 0;
}
