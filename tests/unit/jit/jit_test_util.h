/*
 * jit_test_util.h - running one program in every engine and comparing them: the interpreter in checked
 * and fast mode, and the JIT in several configurations (plain, constant blinding, without BMI2, the
 * Microsoft x64 convention on a System V host, all of those at once). Shared by the JIT's unit tests
 * and its differential test.
 *
 * Run environment: r1 = a private copy of a JT_MEM_SIZE-byte memory block (also the packet of LD_ABS /
 * LD_IND), r2 = its size; helpers 1..5 and 7 of jt_helpers (below) are registered, each in a System V
 * and a Microsoft x64 build.
 */
#ifndef EBPF_TESTS_JIT_TEST_UTIL_H
#define EBPF_TESTS_JIT_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "exec/jit/jit.h"
#include "isa/isa.h"

#define JT_MEM_SIZE 256

/* Test helpers, by id:
 *   1 weigh(a..e) = a + 2b + 3c + 4d + 5e           (argument order)
 *   2 mix(a, b)   = (a * 0x9e3779b97f4a7c15) ^ (b >> 7) ^ c
 *   3 user(a)     = *(uint64_t *)user + a          (the user pointer)
 *   4 swap(p, v)  = old *(uint64_t *)p, then *p = v (a helper writing memory; p must be valid)
 *   5 identity(a) = a
 *   7 (none: NULL function; callx to it must stop the run)
 * The table has JT_HELPER_COUNT entries. */
#define JT_HELPER_COUNT 9
extern const exec_helper_table jt_helpers_sysv;
extern const exec_helper_table jt_helpers_ms;

typedef enum jt_engine {
    JT_CHECKED,
    JT_FAST,
    JT_JIT,
    JT_JIT_BLIND,
    JT_JIT_NO_BMI2,
    JT_JIT_MS,
    JT_JIT_MS_ALL,   /* Microsoft x64 + blinding + no BMI2 */
    JT_ENGINE_COUNT
} jt_engine;

extern const char *const jt_engine_names[JT_ENGINE_COUNT];

typedef struct jt_result {
    exec_outcome out;
    uint8_t mem[JT_MEM_SIZE];
} jt_result;

/* Decodes and validates `code` (pseudo lddw and kfunc allowed, so that refusals can be tested).
 * Returns a calloc'd decoded program, or NULL with the message in why. */
isa_insn *jt_decode(const isa_slot *code, size_t n, char *why, size_t why_size);

/* Compiles for one JIT engine; NULL with the message in why. */
jit_code *jt_compile(const isa_insn *insns, size_t n, jt_engine engine, char *why, size_t why_size);

/* Runs in one engine on a fresh copy of mem (mem_size <= JT_MEM_SIZE, rest zero). Returns 0, or -1
 * with why when the program could not be prepared or compiled. */
int jt_run(const isa_insn *insns, size_t n, jt_engine engine, const uint8_t *mem, size_t mem_size, jt_result *res,
           char *why, size_t why_size);

/* Runs every engine (all but checked when `skip_checked`) and compares each with the fast interpreter:
 * r0, status, fault pc, message and memory. Returns 0 when all agree (*fast = the fast result),
 * -1 with a description of the first difference in why. */
int jt_compare(const isa_slot *code, size_t n, const uint8_t *mem, size_t mem_size, bool skip_checked,
               jt_result *fast, char *why, size_t why_size);

#endif
