/*
 * test_jit.h - shared declarations of the JIT unit tests: each test_jit_*.c file exports one function
 * that runs its cmocka group and returns the number of failed tests; test_jit_case.c holds what they
 * share (programs that dump their registers, operand values, the comparison against the interpreter).
 */
#ifndef EBPF_TESTS_TEST_JIT_H
#define EBPF_TESTS_TEST_JIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "jit_test_prog.h"
#include "jit_test_util.h"

#define N(A) (sizeof(A) / sizeof((A)[0]))

int jit_test_alu(void);
int jit_test_mem(void);
int jit_test_flow(void);
int jit_test_system(void);
int jit_test_maps(void);
int jit_test_fuse(void);

extern jt_prog jt_case; /* the program under test */

/* Runs `p` in every engine (jt_compare) and fails the test, naming it with fmt, when they differ. */
void jt_check(const jt_prog *p, const uint8_t *mem, size_t mem_size, jt_result *res, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* jt_check of jt_case without memory. */
#define jt_check_case(RES, ...) jt_check(&jt_case, NULL, 0, (RES), __VA_ARGS__)
/* jt_check on jt_pattern; returns r0. */
uint64_t jt_run_r0(const jt_prog *p, jt_result *r);
uint64_t jt_mem_u64(const jt_result *r, size_t off);

/* Stack slots of a dumped program. */
#define JT_SLOT_MEM (-8)                 /* the memory pointer (r1 at entry) */
#define JT_SLOT_REG(r) (-16 - 8 * (int)(r))   /* dump of r0..r9 */
#define JT_SLOT_MARK (-96)               /* a value the program sets, dumped with the registers */
#define JT_SLOT_SCRATCH (-104)

extern const uint64_t jt_fill[10]; /* start values of r0..r9 */
void jt_emit_start(jt_prog *p);    /* save r1, clear the marker, fill r0..r9 */
void jt_emit_dump(jt_prog *p);     /* r0..r9 and the marker into mem[0..88), r0 = 0, exit */

extern const uint64_t jt_vals[];   /* 64-bit operands: zero, signs, widths, shift counts */
extern const size_t jt_val_count;
extern const int32_t jt_imms[];    /* immediates: the same edges in 32 bits */
extern const size_t jt_imm_count;

extern uint8_t jt_pattern[JT_MEM_SIZE]; /* initial memory of the memory tests */
void jt_init_pattern(void);

/* f(n) = n ? n + f(n - 1) : 0 called with n from the entry (n + 1 frames); r0 = f(n) + 1234. The
 * call that exceeds the depth limit is instruction 10. */
void jt_recursion_prog(int32_t n);

#endif
