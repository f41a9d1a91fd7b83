/*
 * sound_verify.h - verdicts for the soundness harness: an ELF image opened as the loader sees it
 * (externs resolved by helper name), and vf_verify on one of its programs with the original code or
 * a mutant in its place.
 */
#ifndef SOUND_VERIFY_H
#define SOUND_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "elf/elf_object.h"
#include "verifier/verifier.h"

typedef struct sound_obj {
    uint8_t *image;     /* the file's bytes (malloc'd) */
    size_t size;
    elf_object *elf;    /* opened from image, externs resolved */
} sound_obj;

/* Opens path. 0, or a negative errno with why filled. */
int sound_obj_open(const char *path, sound_obj *obj, char *why, size_t why_size);
/* Opens an image in memory (copied). */
int sound_obj_open_mem(const uint8_t *image, size_t size, sound_obj *obj, char *why, size_t why_size);
void sound_obj_close(sound_obj *obj);

/* vf_verify of program prog of obj with `code` (prog->insn_count slots; NULL: its own code).
 * Returns the verdict (VF_ERROR also when the input could not be built); res->message says why.
 * With SOUND_ACCEPT_ALL=1 in the environment, vf_verify is not asked and everything is accepted: a
 * broken verifier, which the harness must catch (ctest verifier.soundness_catches_bugs). */
vf_verdict sound_verify(const sound_obj *obj, const elf_program *prog, const isa_slot *code, vf_result *res);

#endif
