/*
 * vf_elf.c - a verifier input from a program of an opened ELF object: its code as the loader left it,
 * the object's maps as vf_map rows, and the signatures of the global functions it calls (from BTF).
 * Used by the runtime before a load, by `ebpf verify` and by the corpus tests.
 */
#include "verifier/vf_elf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int vf_input_from_elf(const elf_object *obj, const elf_program *prog, vf_elf_input *out)
{
    memset(out, 0, sizeof *out);
    size_t map_count = elf_object_map_count(obj);
    out->maps = calloc(map_count ? map_count : 1, sizeof *out->maps);
    out->funcs = calloc(prog->func_count ? prog->func_count : 1, sizeof *out->funcs);
    if (!out->maps || !out->funcs) {
        vf_elf_input_free(out);
        return -ENOMEM;
    }
    for (size_t i = 0; i < map_count; i++) {
        const elf_map *m = elf_object_map(obj, i);
        out->maps[i] = (vf_map){.type = m->type, .key_size = m->key_size, .value_size = m->value_size,
                                .max_entries = m->max_entries, .flags = m->map_flags, .inner = m->inner,
                                .read_only = m->read_only};
    }
    size_t funcs = 0;
    for (size_t i = 1; i < prog->func_count; i++) { /* funcs[0] is the entry itself */
        const elf_func *f = &prog->funcs[i];
        if (!f->global || !f->sig_known)
            continue; /* static functions are analysed inline, at each call */
        vf_func *v = &out->funcs[funcs++];
        v->entry = f->insn;
        v->name = f->name;
        v->arg_count = f->arg_count;
        for (uint8_t a = 0; a < f->arg_count; a++) {
            v->args[a].size = f->args[a].size;
            switch (f->args[a].kind) {
            case ELF_ARG_SCALAR: v->args[a].kind = VF_ARG_SCALAR; break;
            case ELF_ARG_CTX: v->args[a].kind = VF_ARG_CTX; break;
            case ELF_ARG_MEM: v->args[a].kind = VF_ARG_MEM_OR_NULL; break;
            default: v->args[a].kind = VF_ARG_UNSUPPORTED; break;
            }
        }
    }
    out->input = (vf_input){.prog_type = prog->type, .code = prog->insns, .count = prog->insn_count,
                            .maps = out->maps, .map_count = map_count, .funcs = out->funcs, .func_count = funcs};
    return 0;
}

void vf_elf_input_free(vf_elf_input *in)
{
    free(in->maps);
    free(in->funcs);
    memset(in, 0, sizeof *in);
}
