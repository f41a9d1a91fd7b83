/*
 * jit_diff_gen.h - random, well-formed eBPF programs for the interpreter-vs-JIT differential test.
 *
 * Every program terminates and touches only memory it may: the JT_MEM_SIZE-byte block (r9 holds its
 * address for the whole run, r1 at entry) and the first 64 bytes of each stack frame, which every
 * function initialises before reading. No address ever flows into a value the run leaves behind (r0,
 * memory), so engines with different copies of the memory block must produce identical results.
 *
 * Shape: a main function and up to three callees (a function only calls later ones, so call depth is
 * bounded), each a block of items: ALU of every kind and width with random and edge operands, lddw,
 * loads/stores of every size on the memory block (fixed and data-dependent offsets) and on the stack,
 * atomics, helper calls (r1..r5 re-initialised after them, as their values are then unspecified),
 * callx (now and then to an id with no helper), LD_ABS/LD_IND (in and out of the packet), local calls,
 * forward jumps of every condition, and counted loops (r6 as counter, 1..6 iterations). Rarely, main
 * calls an endlessly recursive function (the run must stop with the call-depth status). At the end,
 * main stores r1..r8 into the last 64 bytes of the memory block.
 */
#ifndef EBPF_TESTS_JIT_DIFF_GEN_H
#define EBPF_TESTS_JIT_DIFF_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "jit_test_prog.h"

/* Fills p with the program of this seed (deterministic). */
void jd_generate(jt_prog *p, uint64_t seed);

/* The same, with every random choice read from `data` (8 bytes per choice) until it runs out, then
 * from a generator seeded by its length: a structure-aware entry for a fuzzer. */
void jd_generate_bytes(jt_prog *p, const uint8_t *data, size_t size);

/* Fills mem (JT_MEM_SIZE bytes) with the initial memory of this seed. */
void jd_memory(uint8_t *mem, uint64_t seed);

#endif
