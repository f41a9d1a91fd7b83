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

/* Zeroes the 96 stack bytes r10-96..r10-1. */
#define ZERO96                                                                                              \
    "mov %r1, 0\n" "stxdw [%r10-8], %r1\n" "stxdw [%r10-16], %r1\n" "stxdw [%r10-24], %r1\n"             \
    "stxdw [%r10-32], %r1\n" "stxdw [%r10-40], %r1\n" "stxdw [%r10-48], %r1\n" "stxdw [%r10-56], %r1\n"  \
    "stxdw [%r10-64], %r1\n" "stxdw [%r10-72], %r1\n" "stxdw [%r10-80], %r1\n" "stxdw [%r10-88], %r1\n"  \
    "stxdw [%r10-96], %r1\n"

/* tests/progs/kd_prog.h: the command loop walks a stack array of 12-byte structs with a pointer that
 * steps by 12 while a counter bounds the loop; the zone relates the two through the loop's stride
 * variable (pointer = base + 12 * counter). */
static void pointer_stepping_by_a_stride(void **state)
{
    (void)state;
#define STRIDE_LOOP(LIMIT)                                                                                 \
    ZERO96 "mov %r7, %r10\n" "add %r7, -96\n" "mov %r8, 0\n" "L:\n" "ldxw %r0, [%r7+8]\n" "add %r7, 12\n" \
    "add %r8, 1\n" "jlt %r8, " LIMIT ", L\n" "mov %r0, 2\n" "exit\n"
    vt_accept(STRIDE_LOOP("8"), XDP, 0);
    vt_refuse(STRIDE_LOOP("9"), XDP, 0, -1, "outside");
#undef STRIDE_LOOP
}

/* tests/progs/kd_prog.h: a spilled count is checked in its register, then reloaded from the stack;
 * the reload keeps the bound (the spill and the register share a scalar id). */
static void spilled_number_keeps_its_bound(void **state)
{
    (void)state;
#define SPILL_CHECK_RELOAD(LIMIT)                                                                         \
    ZERO96 "call 7\n" "stxdw [%r10-8], %r0\n" "jgt %r0, " LIMIT ", out\n" "ldxdw %r1, [%r10-8]\n"          \
    "lsh %r1, 3\n" "mov %r2, %r10\n" "add %r2, -72\n" "add %r2, %r1\n" "ldxdw %r0, [%r2+0]\n" "out:\n"     \
    "mov %r0, 2\n" "exit\n"
    vt_accept(SPILL_CHECK_RELOAD("7"), XDP, 0);
    vt_refuse(SPILL_CHECK_RELOAD("9"), XDP, 0, -1, "outside");
    /* a second spill at the same place ends the first value's id: its check does not bound the new one */
    vt_refuse(ZERO96 "call 7\n" "stxdw [%r10-8], %r0\n" "mov %r6, %r0\n" "call 7\n" "stxdw [%r10-8], %r0\n"
              "jgt %r6, 7, out\n" "ldxdw %r1, [%r10-8]\n" "lsh %r1, 3\n" "mov %r2, %r10\n" "add %r2, -72\n"
              "add %r2, %r1\n" "ldxdw %r0, [%r2+0]\n" "out:\n" "mov %r0, 2\n" "exit\n",
              XDP, 0, -1, "outside");
}

/* tests/progs/kd_packet.bpf.c: an inner loop inside the command loop reads at the outer index, which
 * must stay bounded at the inner loop's head (in kd_packet itself that takes the descending passes'
 * second iteration of inner loops; this minimal form is a regression test of the nesting). */
static void outer_index_bounded_in_inner_loop(void **state)
{
    (void)state;
#define NESTED(LIMIT)                                                                                     \
    ZERO96 "mov %r6, 0\n" "O:\n" "mov %r7, 0\n" "I:\n" "mov %r1, %r6\n" "lsh %r1, 3\n" "mov %r2, %r10\n"  \
    "add %r2, -64\n" "add %r2, %r1\n" "ldxdw %r0, [%r2+0]\n" "add %r7, 1\n" "jlt %r7, 3, I\n"              \
    "add %r6, 1\n" "jlt %r6, " LIMIT ", O\n" "mov %r0, 2\n" "exit\n"
    vt_accept(NESTED("8"), XDP, 0);
    vt_refuse(NESTED("9"), XDP, 0, -1, "outside");
#undef NESTED
}

/* tests/progs/kd_prog.h: bpf_loop's callback is one of two functions on different paths; each one is
 * analysed (the second one's return value outside [0, 1] is found). */
static void callback_one_of_two(void **state)
{
    (void)state;
#define TWO_CALLBACKS(RET2)                                                                               \
    "call 7\n" "lddw %r2, func cb1\n" "jeq %r0, 0, C\n" "lddw %r2, func cb2\n" "C:\n" "mov %r1, 10\n"       \
    "mov %r3, 0\n" "mov %r4, 0\n" "call 181\n" "mov %r0, 2\n" "exit\n" "cb1:\n" "mov %r0, 0\n" "exit\n"     \
    "cb2:\n" "mov %r0, " RET2 "\n" "exit\n"
    vt_accept(TWO_CALLBACKS("1"), XDP, 0);
    vt_refuse(TWO_CALLBACKS("5"), XDP, 0, -1, "callback");
#undef TWO_CALLBACKS
}
#undef ZERO96

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counter_exits_on_equality),
        cmocka_unit_test(counter_counts_down),
        cmocka_unit_test(stack_array_filled_to_count),
        cmocka_unit_test(ringbuf_record_of_zero_bytes),
        cmocka_unit_test(pointer_stepping_by_a_stride),
        cmocka_unit_test(spilled_number_keeps_its_bound),
        cmocka_unit_test(outer_index_bounded_in_inner_loop),
        cmocka_unit_test(callback_one_of_two),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
