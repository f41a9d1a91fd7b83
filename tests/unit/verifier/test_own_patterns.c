/*
 * test_own_patterns.c - regression tests for the patterns of the project's own programs (tests/progs,
 * bench/progs, examples) that the Linux verifier accepts and ours once refused, each as a minimal
 * program, with a near miss that must stay refused. verifier.own_progs checks the programs themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "abi/abi_prog.h"
#include "vf_test_util.h"

#define XDP ABI_PROG_XDP

/* bench/progs/maps.bpf.c: a counter stepping by 8 that leaves the loop when it equals 2048 stays a
 * multiple of 8, so it is at most 2040 inside: the 8-byte packet reads at 16 + i stay below 2064. */
static void counter_exits_on_equality(void **state)
{
    (void)state;
#define EQ_LOOP(LIMIT)                                                                                    \
    "ldxw %r2, [%r1+4]\n" "ldxw %r6, [%r1+0]\n" "mov %r1, %r6\n" "add %r1, 2064\n" "jgt %r1, %r2, out\n" \
    "mov %r7, 0\n" "L:\n" "mov %r1, %r6\n" "add %r1, 16\n" "add %r1, %r7\n" "ldxdw %r0, [%r1+0]\n"     \
    "add %r7, 8\n" "jeq %r7, " LIMIT ", out\n" "ja L\n" "out:\n" "mov %r0, 2\n" "exit\n"
    vt_accept(EQ_LOOP("2048"), XDP, 0);
    vt_refuse(EQ_LOOP("2056"), XDP, 0, 9, "packet access");
    /* a step of 3 never equals 2048: the loop does not end */
    vt_refuse("mov %r7, 0\n" "L:\n" "add %r7, 3\n" "jeq %r7, 2048, out\n" "ja L\n" "out:\n" "mov %r0, 2\n" "exit\n",
              XDP, 0, -1, "may not terminate");
#undef EQ_LOOP
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counter_exits_on_equality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
