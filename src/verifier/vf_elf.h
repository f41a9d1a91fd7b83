/*
 * vf_elf.h - building a vf_input from a program of an opened ELF object (vf_elf.c).
 */
#ifndef EBPF_VF_ELF_H
#define EBPF_VF_ELF_H

#include "elf/elf_object.h"
#include "verifier/verifier.h"

typedef struct vf_elf_input {
    vf_input input;     /* points into prog's code and the arrays below */
    vf_map *maps;       /* one row per map of the object (index = lddw imm) */
    vf_func *funcs;     /* global functions of the program other than its entry */
} vf_elf_input;

/* Fills out for prog (of obj). 0 or -ENOMEM. out borrows prog's code: keep obj open while using it. */
int vf_input_from_elf(const elf_object *obj, const elf_program *prog, vf_elf_input *out);
void vf_elf_input_free(vf_elf_input *in);

#endif
