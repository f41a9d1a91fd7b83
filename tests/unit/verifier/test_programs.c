/*
 * test_programs.c - the verifier on control flow: bounded loops accepted (and their bound used),
 * unbounded loops refused unless VF_NO_TERMINATION, local calls with a per-frame stack and a pointer
 * into the caller's frame, callbacks of bpf_loop with their return range, joins of NULL and pointers,
 * cases a careless analysis gets wrong, and malformed input (VF_ERROR).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "abi/abi_prog.h"
#include "vf_test_util.h"

#define XDP ABI_PROG_XDP
#define UNPRIV VF_UNPRIVILEGED

static void loops(void **state)
{
    (void)state;
    const char *bounded = "mov %r0, 0\n" "mov %r1, 0\n" "L:\n" "add %r0, %r1\n" "add %r1, 1\n" "jlt %r1, 10, L\n"
                          "exit\n";
    vt_accept(bounded, XDP, UNPRIV);
    /* the loop's bound makes a stack index provably in range */
    vt_accept("mov %r1, 0\n" "L:\n" "mov %r2, %r10\n" "add %r2, -64\n" "mov %r3, %r1\n" "lsh %r3, 3\n"
              "add %r2, %r3\n" "stdw [%r2+0], 0\n" "add %r1, 1\n" "jlt %r1, 8, L\n" "mov %r0, 0\n" "exit\n",
              XDP, UNPRIV);
    vt_refuse("mov %r1, 0\n" "L:\n" "mov %r2, %r10\n" "add %r2, -64\n" "mov %r3, %r1\n" "lsh %r3, 3\n"
              "add %r2, %r3\n" "stdw [%r2+0], 0\n" "add %r1, 1\n" "jle %r1, 8, L\n" "mov %r0, 0\n" "exit\n",
              XDP, UNPRIV, 6, "outside r10-512..r10");
    const char *forever = "mov %r0, 0\n" "L:\n" "add %r0, 1\n" "ja L\n";
    vt_refuse(forever, XDP, UNPRIV, 1, "may not terminate");
    vt_accept(forever, XDP, UNPRIV | VF_NO_TERMINATION);
    const char *unknown = "L:\n" "call 7\n" "jne %r0, 5, L\n" "exit\n";
    vt_refuse(unknown, XDP, UNPRIV, 0, "may not terminate");
    vt_accept(unknown, XDP, UNPRIV | VF_NO_TERMINATION);
}

static void local_calls(void **state)
{
    (void)state;
    /* the callee writes through a pointer into the caller's frame */
    vt_accept("mov %r1, %r10\n" "add %r1, -8\n" "call local f\n" "ldxdw %r0, [%r10-8]\n" "exit\n"
              "f:\n" "stdw [%r1+0], 7\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    /* without the write the caller reads uninitialised stack */
    vt_refuse("mov %r1, %r10\n" "add %r1, -8\n" "call local f\n" "ldxdw %r0, [%r10-8]\n" "exit\n"
              "f:\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 3, "not initialised");
    /* callee-saved registers survive; argument registers do not */
    vt_accept("mov %r6, 3\n" "call local f\n" "mov %r0, %r6\n" "exit\n" "f:\n" "mov %r6, 9\n" "mov %r0, 0\n" "exit\n",
              XDP, UNPRIV);
    vt_refuse("mov %r1, 3\n" "call local f\n" "mov %r0, %r1\n" "exit\n" "f:\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 2,
              "r1 is not initialised");
    /* a callee returning a pointer into its own frame */
    vt_refuse("call local f\n" "exit\n" "f:\n" "mov %r0, %r10\n" "exit\n", XDP, UNPRIV, 3, "own stack frame");
    /* recursion runs out of frames */
    vt_refuse("call local f\n" "exit\n" "f:\n" "call local f\n" "exit\n", XDP, UNPRIV, -1, "call depth");
}

static void callbacks(void **state)
{
    (void)state;
    vt_accept("mov %r1, 10\n" "lddw %r2, func cb\n" "mov %r3, 0\n" "mov %r4, 0\n" "call 181\n" "mov %r0, 0\n" "exit\n"
              "cb:\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse("mov %r1, 10\n" "lddw %r2, func cb\n" "mov %r3, 0\n" "mov %r4, 0\n" "call 181\n" "mov %r0, 0\n" "exit\n"
              "cb:\n" "mov %r0, 5\n" "exit\n", XDP, UNPRIV, 9, "callback");
    /* the callback's context is the caller's stack */
    vt_accept("stdw [%r10-8], 0\n" "mov %r1, 10\n" "lddw %r2, func cb\n" "mov %r3, %r10\n" "add %r3, -8\n"
              "mov %r4, 0\n" "call 181\n" "ldxdw %r0, [%r10-8]\n" "exit\n"
              "cb:\n" "ldxdw %r3, [%r2+0]\n" "add %r3, 1\n" "stxdw [%r2+0], %r3\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse("mov %r1, 10\n" "lddw %r2, func cb\n" "mov %r3, %r10\n" "add %r3, -8\n"
              "mov %r4, 0\n" "call 181\n" "mov %r0, 0\n" "exit\n"
              "cb:\n" "ldxdw %r3, [%r2+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 9, "not initialised");
}

static void joins(void **state)
{
    (void)state;
    /* NULL on one path, a map value on the other: a NULL check still makes it usable */
    vt_accept("mov %r1, 0\n" "stxw [%r10-4], %r1\n" "mov %r2, %r10\n" "add %r2, -4\n" "lddw %r1, map_fd 0\n"
              "call 1\n" "mov %r6, %r0\n" "call 7\n" "jeq %r0, 0, +1\n" "mov %r6, 0\n" "jeq %r6, 0, +1\n"
              "stdw [%r6+0], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    /* a stack pointer or a number: refused when used */
    vt_refuse("call 7\n" "mov %r1, %r10\n" "jeq %r0, 0, +1\n" "mov %r1, 5\n" "jeq %r0, 0, +0\n" "ja +0\n"
              "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n" "ja +0\n"
              "stdw [%r1-8], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, -1, "");
}

#define LOOKUP0 \
    "mov %r1, 0\n" "stxw [%r10-4], %r1\n" "mov %r2, %r10\n" "add %r2, -4\n" "lddw %r1, map_fd 0\n" "call 1\n"
#define RESERVE "lddw %r1, map_fd 3\n" "mov %r2, 8\n" "mov %r3, 0\n" "call 131\n"

/* Cases where a careless analysis goes wrong. */
static void tricky(void **state)
{
    (void)state;
    /* a 32-bit compare with 0 does not prove a pointer non-NULL */
    vt_refuse(LOOKUP0 "jeq32 %r0, 0, +1\n" "ldxdw %r0, [%r0+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 8, "may be NULL");
    /* a map value index bounded by a mask */
    vt_accept(LOOKUP0 "jeq %r0, 0, +4\n" "call 7\n" "and %r0, 7\n" "lddw %r1, map_value 1+0\n" "ja +0\n"
              "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_accept("call 7\n" "and %r0, 7\n" "lddw %r1, map_value 1+0\n" "add %r1, %r0\n" "ldxdw %r0, [%r1+0]\n" "exit\n",
              XDP, UNPRIV);
    vt_refuse("call 7\n" "and %r0, 15\n" "lddw %r1, map_value 1+0\n" "add %r1, %r0\n" "ldxdw %r0, [%r1+0]\n" "exit\n",
              XDP, UNPRIV, 5, "outside the map value of 16 bytes");
    /* a signed compare of packet pointers proves nothing */
    vt_refuse("ldxw %r2, [%r1+0]\n" "ldxw %r3, [%r1+4]\n" "mov %r4, %r2\n" "add %r4, 14\n" "jsgt %r4, %r3, +1\n"
              "ldxb %r0, [%r2+13]\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 5, "not proven within data_end");
    /* the length computed by subtraction bounds the packet too */
    vt_accept("ldxw %r2, [%r1+0]\n" "ldxw %r3, [%r1+4]\n" "mov %r4, %r3\n" "sub %r4, %r2\n" "jlt %r4, 14, +1\n"
              "ldxb %r0, [%r2+13]\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV);
    /* double release, and a leak on one path only */
    vt_refuse(RESERVE "jeq %r0, 0, +6\n" "mov %r6, %r0\n" "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n" "mov %r1, %r6\n"
              "call 132\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 10, "released");
    vt_refuse(RESERVE "jeq %r0, 0, +6\n" "mov %r6, %r0\n" "call 7\n" "jeq %r0, 0, +3\n" "mov %r1, %r6\n" "mov %r2, 0\n"
              "call 132\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, -1, "not released");
    /* a spilled pointer partly overwritten cannot come back */
    vt_refuse("stxdw [%r10-8], %r1\n" "stw [%r10-8], 0\n" "ldxdw %r1, [%r10-8]\n" "ldxw %r0, [%r1+0]\n" "exit\n", XDP,
              UNPRIV, 2, "not initialised");
    /* nested bounded loops, and a bounded loop in a called function */
    vt_accept("mov %r0, 0\n" "mov %r1, 0\n" "A:\n" "mov %r2, 0\n" "B:\n" "add %r0, 1\n" "add %r2, 1\n" "jlt %r2, 4, B\n"
              "add %r1, 1\n" "jlt %r1, 4, A\n" "exit\n", XDP, UNPRIV);
    vt_accept("call local f\n" "exit\n" "f:\n" "mov %r0, 0\n" "L:\n" "add %r0, 1\n" "jlt %r0, 100, L\n" "exit\n", XDP,
              UNPRIV);
    vt_refuse("call local f\n" "exit\n" "f:\n" "mov %r0, 0\n" "L:\n" "add %r0, 1\n" "jgt %r0, 100, L\n" "ja L\n", XDP,
              UNPRIV, -1, "may not terminate");
}

static void keep_state(void **state)
{
    (void)state;
    vf_result res;
    vt_verify("ldxw %r2, [%r1+0]\n" "ldxb %r0, [%r2+0]\n" "exit\n", XDP, VF_KEEP_STATE, &res);
    assert_int_equal(res.verdict, VF_REJECT);
    assert_non_null(res.state);
    assert_non_null(strstr(res.state, "r2: packet pointer"));
    vf_result_free(&res);
    assert_null(res.state);
    vt_verify("mov %r0, 0\n" "exit\n", XDP, VF_KEEP_STATE, &res);
    assert_int_equal(res.verdict, VF_ACCEPT);
    assert_null(res.state);
    vf_result_free(&res);
}

static void malformed_input(void **state)
{
    (void)state;
    vf_result res;
    vt_verify("lddw %r1, map_fd 9\n" "mov %r0, 0\n" "exit\n", XDP, 0, &res);
    assert_int_equal(res.verdict, VF_ERROR);
    vf_result_free(&res);
    vf_input in = {.prog_type = XDP, .count = 0};
    assert_int_equal(vf_verify(&in, &res), 0);
    assert_int_equal(res.verdict, VF_ERROR);
    isa_slot bad[2] = {{.opcode = 0xff}, {.opcode = 0x95}};
    vf_input in2 = {.prog_type = XDP, .code = bad, .count = 2};
    assert_int_equal(vf_verify(&in2, &res), 0);
    assert_int_equal(res.verdict, VF_ERROR);
    assert_int_equal(res.insn, 0);
    vf_input in3 = {.prog_type = 0x7777, .code = bad + 1, .count = 1};
    assert_int_equal(vf_verify(&in3, &res), 0);
    assert_int_equal(res.verdict, VF_ERROR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loops), cmocka_unit_test(local_calls), cmocka_unit_test(callbacks), cmocka_unit_test(joins),
        cmocka_unit_test(tricky), cmocka_unit_test(keep_state), cmocka_unit_test(malformed_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
