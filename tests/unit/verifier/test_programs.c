/*
 * test_programs.c - the verifier on control flow: bounded loops accepted (and their bound used),
 * unbounded loops refused unless VF_NO_TERMINATION, local calls with a per-frame stack and a pointer
 * into the caller's frame, callbacks of bpf_loop with their return range, joins of NULL and pointers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loops), cmocka_unit_test(local_calls), cmocka_unit_test(callbacks), cmocka_unit_test(joins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
