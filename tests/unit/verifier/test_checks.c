/*
 * test_checks.c - each check of the verifier with a minimal program it must accept and a minimal one
 * it must refuse (at the right instruction, for the right reason): NULL dereference, packet bounds,
 * stack initialisation and bounds, map value bounds, helper arguments, pointer leaks in the
 * unprivileged profile, reference leaks and use after release, return ranges, pointer arithmetic,
 * packet invalidation, context and read-only map writes, helpers by program type, tail calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "abi/abi_prog.h"
#include "vf_test_util.h"

#define XDP ABI_PROG_XDP
#define UNPRIV VF_UNPRIVILEGED

/* r0 = lookup(map 0, key 0 on the stack); the next instruction is 7. */
#define LOOKUP0 \
    "mov %r1, 0\n" "stxw [%r10-4], %r1\n" "mov %r2, %r10\n" "add %r2, -4\n" "lddw %r1, map_fd 0\n" "call 1\n"

static void null_check(void **state)
{
    (void)state;
    vt_accept(LOOKUP0 "jeq %r0, 0, +1\n" "ldxdw %r0, [%r0+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse(LOOKUP0 "ldxdw %r0, [%r0+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 7,
              "r0 may be NULL here: check the result of bpf_map_lookup_elem");
    /* a copy made before the check is checked too */
    vt_accept(LOOKUP0 "mov %r6, %r0\n" "jeq %r0, 0, +1\n" "ldxdw %r0, [%r6+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
}

#define PKT_FROM(R) "ldxw %r2, [%r" #R "+0]\n" "ldxw %r3, [%r" #R "+4]\n" "mov %r4, %r2\n" "add %r4, 14\n" \
    "jgt %r4, %r3, +1\n"
#define PKT "ldxw %r2, [%r1+0]\n" "ldxw %r3, [%r1+4]\n" "mov %r4, %r2\n" "add %r4, 14\n" "jgt %r4, %r3, +1\n"

static void packet_bounds(void **state)
{
    (void)state;
    vt_accept(PKT "ldxb %r0, [%r2+13]\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV);
    vt_refuse(PKT "ldxb %r0, [%r2+14]\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 5, "not proven within data_end");
    vt_refuse("ldxw %r2, [%r1+0]\n" "ldxb %r0, [%r2+0]\n" "exit\n", XDP, UNPRIV, 1, "not proven within data_end");
    /* a variable offset checked through the pointer itself (the zone relates it to the packet size) */
#define VAR(OFF) "ldxw %r2, [%r1+0]\n" "ldxw %r3, [%r1+4]\n" "mov %r4, %r2\n" "add %r4, 14\n" \
                 "jgt %r4, %r3, out\n" "ldxb %r5, [%r2+0]\n" "mov %r6, %r2\n" "add %r6, %r5\n" "mov %r7, %r6\n" \
                 "add %r7, 4\n" "jgt %r7, %r3, out\n" "ldxw %r0, [%r6+" OFF "]\n" "out:\n" "mov %r0, 2\n" "exit\n"
    vt_accept(VAR("0"), XDP, UNPRIV);
    vt_refuse(VAR("1"), XDP, UNPRIV, 11, "not proven within data_end");
}

static void stack_init(void **state)
{
    (void)state;
    vt_accept("stdw [%r10-8], 1\n" "ldxdw %r0, [%r10-8]\n" "exit\n", XDP, UNPRIV);
    vt_refuse("stdw [%r10-8], 1\n" "ldxdw %r0, [%r10-16]\n" "exit\n", XDP, UNPRIV, 1, "not initialised");
    vt_refuse("stw [%r10-8], 1\n" "ldxdw %r0, [%r10-8]\n" "exit\n", XDP, UNPRIV, 1, "not initialised");
    vt_refuse("stdw [%r10+0], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 0, "outside r10-512..r10");
    vt_refuse("stdw [%r10-520], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 0, "outside r10-512..r10");
    /* a spilled pointer comes back whole, not in parts */
    vt_accept("stxdw [%r10-8], %r1\n" "ldxdw %r1, [%r10-8]\n" "ldxw %r0, [%r1+12]\n" "exit\n", XDP, UNPRIV);
    vt_refuse("stxdw [%r10-8], %r1\n" "ldxw %r0, [%r10-8]\n" "exit\n", XDP, UNPRIV, 1, "part of a pointer");
    vt_refuse("mov %r0, %r5\n" "exit\n", XDP, UNPRIV, -1, "r5");
}

static void map_value_bounds(void **state)
{
    (void)state;
    vt_accept(LOOKUP0 "jeq %r0, 0, +1\n" "ldxdw %r0, [%r0+0]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse(LOOKUP0 "jeq %r0, 0, +1\n" "ldxdw %r0, [%r0+4]\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 8,
              "outside the map value of 8 bytes");
    vt_refuse("lddw %r1, map_value 2+0\n" "stdw [%r1+0], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 2, "read-only");
    vt_accept("lddw %r1, map_value 2+0\n" "ldxdw %r0, [%r1+0]\n" "exit\n", XDP, UNPRIV);
}

static void helper_args(void **state)
{
    (void)state;
    vt_refuse("mov %r2, %r10\n" "add %r2, -4\n" "lddw %r1, map_fd 0\n" "call 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV,
              4, "not initialised");
    vt_refuse("mov %r1, 0\n" "stxw [%r10-4], %r1\n" "mov %r2, %r10\n" "add %r2, -4\n" "mov %r1, %r10\n" "call 1\n"
              "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 5, "must be a map handle");
    vt_refuse("mov %r2, 7\n" "lddw %r1, map_fd 0\n" "call 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 3,
              "is a number, not a pointer");
    vt_refuse("lddw %r1, map_fd 0\n" "add %r1, 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 2, "map handle");
    /* a helper writing 20 bytes into a 4-byte stack buffer */
    vt_refuse("mov %r1, %r10\n" "add %r1, -4\n" "mov %r2, 20\n" "call 16\n" "mov %r0, 0\n" "exit\n",
              ABI_PROG_KPROBE, UNPRIV, 3, "outside r10-512..r10");
    vt_accept("mov %r1, %r10\n" "add %r1, -16\n" "mov %r2, 16\n" "call 16\n" "ldxdw %r0, [%r10-16]\n" "exit\n",
              ABI_PROG_KPROBE, UNPRIV);
    vt_refuse("call 44\n" "mov %r0, 0\n" "exit\n", ABI_PROG_SOCKET_FILTER, UNPRIV, 0, "may not call helper");
    vt_refuse("call 52\n" "mov %r0, 0\n" "exit\n", ABI_PROG_SCHED_CLS, UNPRIV, 0, "not supported");
    /* NULL memory only with a size of 0 (bpf_csum_diff(NULL, 4, ...) would read address 0) */
#define CSUM(FROM_SIZE) "stdw [%r10-8], 0\n" "mov %r1, 0\n" "mov %r2, " FROM_SIZE "\n" "mov %r3, %r10\n" \
                        "add %r3, -8\n" "mov %r4, 8\n" "mov %r5, 0\n" "call 28\n" "mov %r0, 2\n" "exit\n"
    vt_accept(CSUM("0"), XDP, UNPRIV);
    vt_refuse(CSUM("4"), XDP, UNPRIV, 7, "is NULL but its size r2 may be non-zero");
    /* bpf_strtol's result pointer must be 8-byte aligned */
#define STRTOL(RES) "stdw [%r10-8], 0\n" "stdw [%r10-24], 0\n" "stdw [%r10-16], 0\n" "mov %r1, %r10\n" \
                    "add %r1, -8\n" "mov %r2, 8\n" "mov %r3, 0\n" "mov %r4, %r10\n" "add %r4, " RES "\n" \
                    "call 105\n" "mov %r0, 2\n" "exit\n"
    vt_accept(STRTOL("-16"), XDP, UNPRIV);
    vt_refuse(STRTOL("-20"), XDP, UNPRIV, 9, "8-byte aligned");
}

static void pointer_leaks(void **state)
{
    (void)state;
    const char *leak = "mov %r6, %r1\n" LOOKUP0 "jeq %r0, 0, +1\n" "stxdw [%r0+0], %r6\n" "mov %r0, 0\n" "exit\n";
    vt_refuse(leak, XDP, UNPRIV, 9, "leaks an address");
    vt_accept(leak, XDP, 0);
    vt_refuse("mov %r0, %r10\n" "exit\n", XDP, 0, 1, "r0 must be a number at exit");
    vt_refuse("mov %r0, %r1\n" "exit\n", XDP, UNPRIV, 1, "r0 must be a number at exit");
    /* comparing an address with a number reveals it bit by bit */
    const char *cmp = "mov %r0, 0\n" "jgt %r10, 4096, +1\n" "mov %r0, 1\n" "exit\n";
    vt_refuse(cmp, XDP, UNPRIV, 1, "would reveal an address");
    vt_accept(cmp, XDP, 0);
}

#define RESERVE "lddw %r1, map_fd 3\n" "mov %r2, 8\n" "mov %r3, 0\n" "call 131\n"

static void references(void **state)
{
    (void)state;
    vt_accept(RESERVE "jeq %r0, 0, +4\n" "stdw [%r0+0], 1\n" "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n"
                      "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse(RESERVE "jeq %r0, 0, +1\n" "stdw [%r0+0], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, -1, "not released");
    vt_refuse(RESERVE "jeq %r0, 0, +5\n" "mov %r6, %r0\n" "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n"
                      "stdw [%r6+0], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 10, "was released");
    vt_refuse(RESERVE "jeq %r0, 0, +2\n" "stdw [%r0+8], 1\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 6, "outside");
    vt_refuse(RESERVE "mov %r1, %r0\n" "mov %r2, 0\n" "call 132\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 7,
              "ringbuf record");
}

static void return_range(void **state)
{
    (void)state;
    vt_accept("mov %r0, 1\n" "exit\n", ABI_PROG_CGROUP_SKB, UNPRIV);
    vt_refuse("mov %r0, 5\n" "exit\n", ABI_PROG_CGROUP_SKB, UNPRIV, 1, "outside [0, 3]");
    vt_refuse("call 7\n" "exit\n", ABI_PROG_CGROUP_SKB, UNPRIV, 1, "outside [0, 3]");
    vt_accept("call 7\n" "and %r0, 3\n" "exit\n", ABI_PROG_CGROUP_SKB, UNPRIV);
}

static void pointer_arith(void **state)
{
    (void)state;
    vt_refuse("ldxw %r2, [%r1+0]\n" "ldxw %r3, [%r1+0]\n" "add %r2, %r3\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 2,
              "adds two pointers");
    vt_refuse("mov %r2, %r10\n" "and %r2, 7\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 1, "only adding or subtracting");
    vt_accept("mov %r2, %r10\n" "add %r2, -8\n" "stdw [%r2+0], 3\n" "ldxdw %r0, [%r10-8]\n" "exit\n", XDP, UNPRIV);
    vt_refuse("ldxw %r2, [%r1+4]\n" "add %r2, 1\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 1, "packet end");
}

static void packet_invalidation(void **state)
{
    (void)state;
    vt_refuse("mov %r6, %r1\n" "ldxw %r7, [%r1+0]\n" "mov %r1, %r6\n" "mov %r2, 0\n" "call 44\n"
              "ldxb %r0, [%r7+0]\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 5, "invalidated this packet pointer");
    /* reloading after the helper and checking again is fine */
    vt_accept("mov %r6, %r1\n" "mov %r2, 0\n" "call 44\n" PKT_FROM(6) "ldxb %r0, [%r2+13]\n" "mov %r0, 2\n"
              "exit\n", XDP, UNPRIV);
}

static void context_access(void **state)
{
    (void)state;
    vt_refuse("stw [%r1+0], 0\n" "mov %r0, 2\n" "exit\n", XDP, UNPRIV, 0, "context write");
    vt_refuse("ldxw %r0, [%r1+2]\n" "exit\n", XDP, UNPRIV, 0, "context read");
    vt_accept("ldxw %r0, [%r1+12]\n" "exit\n", XDP, UNPRIV);
    vt_accept("stw [%r1+8], 1\n" "mov %r0, 0\n" "exit\n", ABI_PROG_SCHED_CLS, UNPRIV);
    vt_refuse("stw [%r1+8], 1\n" "mov %r0, 0\n" "exit\n", ABI_PROG_SOCKET_FILTER, UNPRIV, 0, "read-only");
    /* struct bpf_sock_ops: reply is writable, op is not, skb_data (a packet pointer) is not modelled */
    vt_accept("ldxw %r2, [%r1+0]\n" "stxw [%r1+4], %r2\n" "mov %r0, 1\n" "exit\n", ABI_PROG_SOCK_OPS, UNPRIV);
    vt_refuse("stw [%r1+0], 1\n" "mov %r0, 1\n" "exit\n", ABI_PROG_SOCK_OPS, UNPRIV, 0, "read-only");
    vt_refuse("ldxdw %r0, [%r1+192]\n" "exit\n", ABI_PROG_SOCK_OPS, UNPRIV, 0, "context read");
    /* bpf_setsockopt(ctx, level, optname, &val, 4) on sock_ops; the value must be initialised */
    vt_accept("stw [%r10-4], 7\n" "mov %r2, 6\n" "mov %r3, 13\n" "mov %r4, %r10\n" "add %r4, -4\n" "mov %r5, 4\n"
              "call 49\n" "mov %r0, 1\n" "exit\n", ABI_PROG_SOCK_OPS, UNPRIV);
    vt_refuse("mov %r2, 6\n" "mov %r3, 13\n" "mov %r4, %r10\n" "add %r4, -4\n" "mov %r5, 4\n"
              "call 49\n" "mov %r0, 1\n" "exit\n", ABI_PROG_SOCK_OPS, UNPRIV, 5, "initialised");
    vt_refuse("stw [%r10-4], 7\n" "mov %r2, 6\n" "mov %r3, 13\n" "mov %r4, %r10\n" "add %r4, -4\n" "mov %r5, 4\n"
              "call 49\n" "mov %r0, 1\n" "exit\n", ABI_PROG_SCHED_CLS, UNPRIV, 6, "may not call helper");
}

static void tail_calls(void **state)
{
    (void)state;
    vt_accept("lddw %r2, map_fd 4\n" "mov %r3, 0\n" "call 12\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV);
    vt_refuse("lddw %r2, map_fd 1\n" "mov %r3, 0\n" "call 12\n" "mov %r0, 0\n" "exit\n", XDP, UNPRIV, 3, "prog_array");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_check),      cmocka_unit_test(packet_bounds),    cmocka_unit_test(stack_init),
        cmocka_unit_test(map_value_bounds), cmocka_unit_test(helper_args),     cmocka_unit_test(pointer_leaks),
        cmocka_unit_test(references),      cmocka_unit_test(return_range),     cmocka_unit_test(pointer_arith),
        cmocka_unit_test(packet_invalidation), cmocka_unit_test(context_access), cmocka_unit_test(tail_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
