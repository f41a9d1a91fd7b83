/*
 * data_file.h - reads bpf_conformance `.data` test files as PROTOCOL.md section 1 describes (sections
 * chosen by substring, `#` comments cut, blank lines dropped), for the isa unit tests.
 */
#ifndef EBPF_TEST_ISA_DATA_FILE_H
#define EBPF_TEST_ISA_DATA_FILE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct data_file {
    char *asm_text;          /* the `-- asm` lines, each ending in '\n'; NULL without that section */
    char *error;             /* last non-empty `-- error` line, or NULL */
    char *result;            /* last non-empty `-- result` line, or NULL */
    char **raw;              /* whitespace tokens of `-- raw` */
    size_t raw_count;
    bool has_raw;
    bool unknown_directive;  /* a `--` line naming no known section: the file yields no program */
} data_file;

/* Returns 0, or -1 if the file cannot be read. */
int data_file_read(const char *path, data_file *df);
void data_file_free(data_file *df);

/* Sorted names of the files in `dir` that start with `prefix` and end in ".data". Returns the count,
 * or -1 if the folder cannot be opened. Free with data_names_free. */
int data_names(const char *dir, const char *prefix, char ***names);
void data_names_free(char **names, int count);

/* "dir/name" in a malloc'd string. */
char *data_path(const char *dir, const char *name);

#endif
