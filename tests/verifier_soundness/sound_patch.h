/*
 * sound_patch.h - writing a mutated program back into its ELF file image, so that a mutant loads
 * through the public API exactly like the original (maps, relocations, BTF untouched). The harness
 * re-opens the patched image and checks that the loader sees exactly the mutant before trusting it.
 */
#ifndef SOUND_PATCH_H
#define SOUND_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "elf/elf_object.h"

/* File offsets of each function of prog (prog->func_count entries) in the ELF image. 0, or -ENOENT
 * when a function's section or symbol cannot be found, -EINVAL for an image that is not ELF64 LE. */
int sound_patch_locate(const uint8_t *image, size_t size, const elf_program *prog, uint64_t *offsets);

/* Writes every slot of code (prog->insn_count slots) that differs from prog->insns into image.
 * 0, or -EINVAL when a slot falls outside its function or the image. */
int sound_patch_apply(uint8_t *image, size_t size, const elf_program *prog, const uint64_t *offsets,
                      const isa_slot *code);

#endif
