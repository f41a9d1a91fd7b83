/*
 * vk_mutants.h - the mutants of one program compared on both verifiers (vk_compare.h), with stable
 * keys object:program:mN: mutant N comes from a fixed seed, the object's file name and the program's
 * name, so the same build of a program always gets the same mutants. Two draws that make the same
 * change at the same slot are one mutant: it is compared once, under the first key, and mN of the
 * second is not used.
 */
#ifndef VK_MUTANTS_H
#define VK_MUTANTS_H

#include <stddef.h>

#include "vk_compare.h"

/* Mutants 0..count-1 of program `index` of obj. prefix: its key (object:program); seed_name: the
 * object's file name. */
void vk_mutants(vk_run *run, const char *prefix, const char *seed_name, const sound_obj *obj, size_t index,
                unsigned count);

#endif
