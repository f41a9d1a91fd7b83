/*
 * diff_report.h - printing a generated program for a human and for the regression suite: one block
 * in the bpf_conformance .data format (`-- asm` listing with each slot's bytes as a comment, and the
 * kernel's `-- result`), ready to be saved as a test file.
 */
#ifndef EBPF_DIFF_REPORT_H
#define EBPF_DIFF_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diff_prog.h"

/* Prints the program as a .data block; the `-- result` section only when has_result. */
void diff_report_program(FILE *out, const diff_prog *prog, bool has_result, uint64_t result);

#endif
