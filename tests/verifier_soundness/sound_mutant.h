/*
 * sound_mutant.h - a mutant as a whole: the mutated code (sound_mutate.h) checked to be structurally
 * valid, and a copy of the object's ELF image with it patched in (sound_patch.h), re-opened to prove
 * that a loader reading the image sees exactly the mutant. Shared by the soundness harness and the
 * kernel comparison (tests/verifier_kernel), which hand the patched image to their loaders.
 */
#ifndef SOUND_MUTANT_H
#define SOUND_MUTANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "sound_verify.h"

typedef struct sound_mutant {
    isa_slot *code;      /* prog->insn_count slots: sound_mutate writes the mutant here */
    uint64_t *offsets;   /* file offsets of the program's functions (sound_patch_locate) */
    uint8_t *image;      /* obj->size bytes: the patched image after sound_mutant_patch */
    bool patchable;      /* the functions were located */
} sound_mutant;

/* Buffers for mutants of prog (of obj). false when out of memory (free it anyway). */
bool sound_mutant_init(sound_mutant *m, const sound_obj *obj, const elf_program *prog);
void sound_mutant_free(sound_mutant *m);

/* Are the count slots of a and b the same? */
bool sound_same_code(const isa_slot *a, const isa_slot *b, size_t count);

/* Does code pass isa_validate as the verifier's contract requires (kfunc calls, pseudo lddw allowed)? */
bool sound_valid_code(const isa_slot *code, size_t count);

/* Writes m->code into m->image (program `index` of obj); false when it cannot be made exactly. */
bool sound_mutant_patch(sound_mutant *m, const sound_obj *obj, const elf_program *prog, size_t index);

#endif
