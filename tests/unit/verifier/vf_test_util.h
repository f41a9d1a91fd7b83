/*
 * vf_test_util.h - verifying a small program written in assembler text, for the verifier's unit tests.
 */
#ifndef EBPF_TEST_VF_UTIL_H
#define EBPF_TEST_VF_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "verifier/verifier.h"

/* Maps available to test programs: 0 hash (key 4, value 8), 1 array (key 4, value 16),
 * 2 read-only array (value 8), 3 ringbuf, 4 prog_array, 5 hash (key 4, value 64). */
extern const vf_map vt_maps[6];

/* Assembles src and verifies it as prog_type with flags; res must be freed with vf_result_free. */
void vt_verify(const char *src, uint32_t prog_type, uint32_t flags, vf_result *res);

/* Asserts acceptance (printing the reason otherwise). */
void vt_accept(const char *src, uint32_t prog_type, uint32_t flags);

/* Asserts refusal at insn (-1: any) with a message containing `needle`. */
void vt_refuse(const char *src, uint32_t prog_type, uint32_t flags, int64_t insn, const char *needle);

#endif
