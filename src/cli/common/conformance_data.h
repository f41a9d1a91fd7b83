/*
 * conformance_data.h - one bpf_conformance test file (.data): its sections parsed exactly as the
 * upstream runner reads them (../shared/bpf_conformance/PROTOCOL.md, section 1), and the bytecode it
 * yields. Used by `ebpf conformance` (in-process) and by the plugin-protocol runner in tests/.
 */
#ifndef EBPF_CONFORMANCE_DATA_H
#define EBPF_CONFORMANCE_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/ebpf.h"

typedef struct conf_test {
    char *asm_source;        /* the `-- asm` lines, newline-joined, or NULL */
    uint8_t *raw;            /* the `-- raw` section as little-endian slots, or NULL */
    size_t raw_size;         /* bytes */
    bool raw_is_bytes;       /* the section listed bytes ("07 00 01 ..."), not 64-bit words */
    uint8_t *mem;            /* input memory, or NULL */
    size_t mem_size;
    bool has_result;
    uint64_t result;
    char *error;             /* expected error text (last non-empty `-- error` line), or NULL */
    bool unknown_directive;  /* a `--` line naming no known section: the upstream runner skips the file */
} conf_test;

/* Reads and parses a test file. Returns 0, or -errno when the file cannot be read. */
int conf_test_load(const char *path, conf_test *test);
void conf_test_free(conf_test *test);

/* Why the upstream runner would skip this file (no program to run), or NULL. */
const char *conf_test_skip_reason(const conf_test *test);

/* The test's bytecode: the raw section if present, else the assembled asm section. *insns is
 * malloc'd. Returns the instruction count (> 0), 0 for an empty program, or -EINVAL with the
 * assembler's message in diag. */
int conf_test_program(const conf_test *test, struct ebpf_insn **insns, struct ebpf_diag *diag);

/* Lists the *.data files of a folder, sorted by name, as malloc'd full paths. Returns the count or
 * -errno. */
int conf_list_dir(const char *dir, char ***paths);
void conf_free_list(char **paths, int count);

/* Helper id 5 of the suite: returns its first argument. */
uint64_t conf_helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user);

#endif
