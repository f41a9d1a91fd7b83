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

/* bench/progs/branchy.bpf.c and hash.bpf.c: clang turns `for (i = 0; i < 256; i++)` into a counter
 * going down from 256, zero-extended (lsh 32; rsh 32) and compared with 0. The iterations are bounded
 * through the negated loop counter, which the zone keeps at a constant distance from the register. */
static void counter_counts_down(void **state)
{
    (void)state;
    vt_accept("mov %r0, 0\n" "mov %r2, 256\n" "ja head\n" "L:\n" "add %r2, -1\n" "mov %r7, %r2\n" "lsh %r7, 32\n"
              "rsh %r7, 32\n" "jeq %r7, 0, out\n" "head:\n" "add %r0, 3\n" "ja L\n" "out:\n" "mov %r0, 2\n" "exit\n",
              XDP, 0);
    vt_accept("mov %r2, 100\n" "L:\n" "add %r2, -1\n" "jsgt %r2, 0, L\n" "mov %r0, 2\n" "exit\n", XDP, 0);
    /* a loop counting up and then one counting down, at the same depth */
    vt_accept("mov %r1, 0\n" "U:\n" "add %r1, 1\n" "jlt %r1, 10, U\n" "mov %r2, 10\n" "D:\n" "add %r2, -1\n"
              "jne %r2, 0, D\n" "mov %r0, 2\n" "exit\n", XDP, 0);
    /* stepping by 2 from 255 skips 0: no bound */
    vt_refuse("mov %r2, 255\n" "L:\n" "add %r2, -2\n" "jne %r2, 0, L\n" "mov %r0, 2\n" "exit\n", XDP, 0, -1,
              "may not terminate");
    /* counting down from an unknown start has no bound either */
    vt_refuse("call 7\n" "mov %r2, %r0\n" "L:\n" "add %r2, -1\n" "jne %r2, 0, L\n" "mov %r0, 2\n" "exit\n", XDP, 0,
              -1, "may not terminate");
}

/* tests/progs/kd_prog.h: commands are copied to a stack array up to a count (the copy loop unrolled:
 * one path per count), then a loop reads the first `count` of them. A join of the copy's paths keeps
 * only the first command initialised; the states entering the loop are kept apart by the stack bytes
 * they initialise differently, so each count keeps its commands. */
static void stack_array_filled_to_count(void **state)
{
    (void)state;
#define FILL_THEN_READ(CMP)                                                                               \
    "call 7\n" "mov %r9, 1\n" "stdw [%r10-24], 1\n" "jeq %r0, 0, L\n" "stdw [%r10-16], 2\n" "mov %r9, 2\n"        \
    "jeq %r0, 1, L\n" "stdw [%r10-8], 3\n" "mov %r9, 3\n" "L:\n" "mov %r7, 0\n" "H:\n" "mov %r1, %r7\n"            \
    "lsh %r1, 3\n" "mov %r2, %r10\n" "add %r2, -24\n" "add %r2, %r1\n" "ldxdw %r0, [%r2+0]\n" "add %r7, 1\n"      \
    CMP " %r9, %r7, H\n" "mov %r0, 2\n" "exit\n"
    vt_accept(FILL_THEN_READ("jgt"), XDP, 0);
    vt_refuse(FILL_THEN_READ("jge"), XDP, 0, -1, "");
#undef FILL_THEN_READ
}

/* tests/progs/kd_ringbuf.bpf.c: bpf_ringbuf_reserve of 0 bytes (Linux: a constant size or zero); the
 * record may be submitted but not accessed. */
static void ringbuf_record_of_zero_bytes(void **state)
{
    (void)state;
#define RESERVE0 "lddw %r1, map_fd 3\n" "mov %r2, 0\n" "mov %r3, 0\n" "call 131\n" "jeq %r0, 0, out\n"
    vt_accept(RESERVE0 "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n" "out:\n" "mov %r0, 2\n" "exit\n", XDP, 0);
    vt_refuse(RESERVE0 "stb [%r0+0], 1\n" "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n" "out:\n" "mov %r0, 2\n" "exit\n",
              XDP, 0, 6, "outside");
    vt_refuse("call 7\n" "lddw %r1, map_fd 3\n" "mov %r2, %r0\n" "mov %r3, 0\n" "call 131\n" "mov %r0, 2\n" "exit\n",
              XDP, 0, 5, "must be a constant");
#undef RESERVE0
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counter_exits_on_equality),
        cmocka_unit_test(counter_counts_down),
        cmocka_unit_test(stack_array_filled_to_count),
        cmocka_unit_test(ringbuf_record_of_zero_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
