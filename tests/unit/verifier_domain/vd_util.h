/*
 * vd_util.h - shared helpers of the verifier domain tests: a seeded random generator (splitmix64),
 * interesting-value generation, the concrete eBPF ALU and branch semantics used as the oracle, and
 * a check macro that prints the seed on failure.
 */
#ifndef VD_UTIL_H
#define VD_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "verifier/domain/ops.h"

extern uint64_t vd_seed;
extern unsigned long vd_cases; /* cases checked by the current test */

void vd_seed_init(void);   /* from VF_TEST_SEED or a fixed default; resets vd_cases */
void vd_report(const char *what);
uint64_t vd_rand(void);
uint64_t vd_below(uint64_t n); /* 0..n-1, n > 0 */
uint64_t vd_value(void);        /* an interesting 64-bit value (small, boundary, random, sparse) */

uint64_t vd_alu(vf_alu_op op, uint64_t a, uint64_t b, bool is64);
bool vd_cmp(vf_cmp_op op, uint64_t a, uint64_t b, bool is64);
extern const char *const vd_alu_names[VF_ALU_COUNT];
extern const char *const vd_cmp_names[VF_CMP_COUNT];

#define VD_CHECK(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAILED (VF_TEST_SEED=%llu) %s:%d: %s\n  ",                           \
                    (unsigned long long)vd_seed, __FILE__, __LINE__, #cond);                       \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
            fail_msg("domain check failed");                                                       \
        }                                                                                          \
    } while (0)

#endif
