/*
 * elf_test_util.h - helpers shared by the loader's tests: reading files, and checking that an opened
 * object keeps every promise elf_object.h makes (used on every object any test manages to open,
 * including corrupted ones that happen to load).
 */
#ifndef EBPF_ELF_TEST_UTIL_H
#define EBPF_ELF_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf/elf_object.h"

/* Whole file in a malloc'd buffer (free it), NULL if it cannot be read. */
void *elf_test_read_file(const char *path, size_t *size);

/* Offset and size in the file of the section named `name` of a well-formed little-endian ELF64 object
 * (for tests that damage one precisely); false if there is none. */
bool elf_test_find_section(const uint8_t *data, size_t size, const char *name, size_t *offset, size_t *length);

/* NULL when the object is consistent, else a description of the first broken invariant. */
const char *elf_test_check_invariants(const elf_object *obj);

#endif
