/*
 * test_isa.h - shared declarations of the isa unit tests: each test_*.c file exports one function that
 * runs its cmocka group and returns the number of failed tests.
 */
#ifndef EBPF_TEST_ISA_H
#define EBPF_TEST_ISA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "isa/isa.h"

int isa_test_table(void);
int isa_test_asm(void);
int isa_test_disasm(void);
int isa_test_validate(void);
int isa_test_conformance(const char *dir);

/* Assembles `source` and fails the test on error; returns the slots (free them) and their count. */
isa_slot *isa_test_assemble(const char *source, size_t *count);

#endif
