/*
 * test_validate.c - isa_validate: each refusal (encoding, fields, control flow, optional reachability
 * and initialisation checks, kfunc and pseudo lddw gates) names the offending instruction index, and
 * valid programs pass. Programs are written in assembly where the syntax can express them.
 */
#include "test_isa.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R(n) (uint16_t)(1u << (n))

static void expect_invalid_slots(const isa_slot *s, size_t count, const isa_validate_opts *opts, int64_t pc,
                                 const char *what)
{
    ebpf_diag diag;
    int rc = isa_validate(s, count, opts, &diag);
    if (rc != -EINVAL)
        fail_msg("expected a refusal at instruction %lld (%s), got %d", (long long)pc, what, rc);
    char index[40];
    snprintf(index, sizeof index, "instruction %lld", (long long)pc);
    if (diag.insn != pc || !strstr(diag.message, index) || !strstr(diag.message, what))
        fail_msg("refusal \"%s\" at %lld; expected instruction %lld and \"%s\"", diag.message,
                 (long long)diag.insn, (long long)pc, what);
}

static void expect_invalid(const char *source, const isa_validate_opts *opts, int64_t pc, const char *what)
{
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    expect_invalid_slots(s, count, opts, pc, what);
    free(s);
}

static void expect_valid(const char *source, const isa_validate_opts *opts)
{
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    ebpf_diag diag;
    if (isa_validate(s, count, opts, &diag) != 0)
        fail_msg("`%s` refused: %s", source, diag.message);
    free(s);
}

static void encodings(void **state)
{
    (void)state;
    isa_slot s[3] = { { .opcode = 0xb7 }, { .opcode = 0xff }, { .opcode = 0x95 } };
    expect_invalid_slots(s, 3, NULL, 1, "unknown opcode");
    s[1] = (isa_slot){ .opcode = 0x37, .off = 2 }; /* div with offset 2: no such row */
    expect_invalid_slots(s, 3, NULL, 1, "invalid offset 2");
    s[1] = (isa_slot){ .opcode = 0xd4, .imm = 8 }; /* le8 does not exist */
    expect_invalid_slots(s, 3, NULL, 1, "invalid imm 8");
    /* Truncated lddw: its second slot is missing. */
    isa_slot t[2] = { { .opcode = 0x95 }, { .opcode = 0x18 } };
    expect_invalid_slots(t, 2, NULL, 1, "truncated lddw");
    /* The second lddw slot must have opcode, registers and offset 0. */
    isa_slot u[3] = { { .opcode = 0x18 }, { .opcode = 0x95 }, { .opcode = 0x95 } };
    expect_invalid_slots(u, 3, NULL, 0, "second slot of lddw");
    assert_int_equal(isa_validate(s, 0, NULL, NULL), -EINVAL);
}

static void reserved_fields_and_registers(void **state)
{
    (void)state;
    isa_slot s[3] = { { .opcode = 0xb7 }, { .opcode = 0x95 }, { .opcode = 0x95, .imm = 1 } };
    expect_invalid_slots(s, 3, NULL, 2, "reserved imm");
    s[2] = (isa_slot){ .opcode = 0x95, .dst = 1 };
    expect_invalid_slots(s, 3, NULL, 2, "reserved dst");
    s[2] = (isa_slot){ .opcode = 0x05, .src = 1 }; /* ja with src */
    expect_invalid_slots(s, 3, NULL, 2, "reserved src");
    s[2] = (isa_slot){ .opcode = 0x61, .dst = 0, .src = 1, .imm = 1 }; /* ldxw with imm */
    expect_invalid_slots(s, 3, NULL, 2, "reserved imm");
    expect_invalid("mov %r0, 0\nmov %r11, 1\nexit", NULL, 1, "invalid dst register r11");
    expect_invalid("mov %r0, 0\nadd %r1, %r15\nexit", NULL, 1, "invalid src register r15");
    expect_invalid("mov %r0, 0\nmov %r1, 1\nmov %r10, 1\nexit", NULL, 2, "r10 is read-only");
    expect_invalid("mov %r0, 0\nlddw %r10, 1\nexit", NULL, 1, "r10 is read-only");
    expect_invalid("mov %r0, 0\nlock fetch add [%r1+0], %r10\nexit", NULL, 1, "r10 is read-only");
    expect_valid("mov %r0, 0\nstxdw [%r10-8], %r10\nmov %r1, %r10\nexit", NULL);
}

static void control_flow(void **state)
{
    (void)state;
    expect_invalid("mov %r0, 0\nja +5\nexit", NULL, 1, "outside the program");
    expect_invalid("mov %r0, 0\njeq %r0, 0, -3\nexit", NULL, 1, "outside the program");
    expect_invalid("mov %r0, 0\nexit\nja32 +1", NULL, 2, "outside the program");
    expect_invalid("mov %r0, 0\ncall local +7\nexit", NULL, 1, "call target 9 is outside");
    expect_invalid("mov %r0, 0\nja +1\nlddw %r1, 1\nexit", NULL, 1, "second half of an lddw");
    expect_invalid("mov %r0, 0\ncall local +1\nlddw %r1, 1\nexit", NULL, 1, "second half of an lddw");
    expect_invalid("mov %r0, 0", NULL, 0, "last instruction must be exit");
    expect_invalid("mov %r0, 0\nexit\njeq %r0, 0, -2", NULL, 2, "last instruction must be exit");
    expect_valid("mov %r0, 0\nexit\nja -2", NULL);
    expect_valid("mov %r0, 0\njeq %r0, 1, +2\nlddw %r1, 1\nexit", NULL);
}

static void unreachable_code(void **state)
{
    (void)state;
    isa_validate_opts opts = { .reject_unreachable = true };
    const char *source = "mov %r0, 0\nexit\nmov %r0, 1\nexit";
    expect_valid(source, NULL);
    expect_invalid(source, &opts, 2, "unreachable");
    expect_invalid("mov %r0, 0\nja +2\nmov %r0, 1\nmov %r0, 2\nexit", &opts, 2, "unreachable");
    expect_valid("mov %r0, 0\njeq %r1, 0, +1\nmov %r0, 1\nexit", &opts);
    /* A function reached only through a local call is reachable. */
    expect_valid("call local f\nexit\nf:\nmov %r0, 0\nexit", &opts);
}

static void uninitialised_registers(void **state)
{
    (void)state;
    isa_validate_opts opts = { .check_uninit_regs = true, .entry_regs = R(1) | R(2) };
    expect_valid("mov %r0, %r3\nexit", NULL); /* only checked when asked */
    expect_invalid("mov %r0, %r3\nexit", &opts, 0, "r3 is read before");
    expect_invalid("mov %r1, 1\nexit", &opts, 1, "r0 is read before"); /* exit reads r0 */
    expect_invalid("add %r4, 1\nmov %r0, 0\nexit", &opts, 0, "r4 is read before");
    expect_valid("mov %r0, %r1\nadd %r0, %r2\nstxdw [%r10-8], %r0\nexit", &opts);
    /* Only on some paths: the join of both branches has r3 unset. */
    expect_invalid("jeq %r1, 0, +1\nmov %r3, 1\nmov %r0, %r3\nexit", &opts, 2, "r3 is read before");
    /* Through a loop: r4 is written inside the loop only and read after it. */
    expect_invalid("mov %r1, 3\n"
                   "L:\n"
                   "jeq %r1, 0, done\n"
                   "mov %r4, 1\n"
                   "sub %r1, 1\n"
                   "ja L\n"
                   "done:\n"
                   "mov %r0, %r4\n"
                   "exit",
                   &opts, 5, "r4 is read before");
    expect_valid("mov %r1, 3\nmov %r4, 0\nL:\njeq %r1, 0, +3\nadd %r4, 1\nsub %r1, 1\nja L\nmov %r0, %r4\nexit",
                 &opts);
    /* Local calls: the callee sees r1..r5 of the caller and r10 only; r0 is set by the call; r6..r9
     * survive it; r1..r5 do not. */
    expect_valid("mov %r6, 1\nmov %r1, 2\ncall local f\nadd %r0, %r6\nexit\nf:\nmov %r0, %r1\nexit", &opts);
    expect_invalid("mov %r6, 1\ncall local f\nmov %r0, 0\nexit\nf:\nmov %r0, %r6\nexit", &opts, 4,
                   "r6 is read before");
    expect_invalid("mov %r0, 0\ncall local f\nexit\nf:\nexit", &opts, 3, "r0 is read before");
    expect_invalid("mov %r3, 1\ncall local f\nmov %r0, %r3\nexit\nf:\nmov %r0, 0\nexit", &opts, 2,
                   "r3 is read before");
    /* Helper calls clobber r1..r5 too. */
    expect_invalid("mov %r1, 1\ncall 5\nmov %r0, %r1\nexit", &opts, 2, "r1 is read before");
    /* Atomic cmpxchg reads r0; fetch writes src back. */
    expect_invalid("stdw [%r10-8], 0\nmov %r1, 1\nlock cmpxchg [%r10-8], %r1\nmov %r0, 0\nexit", &opts, 2,
                   "r0 is read before");
    expect_valid("stdw [%r10-8], 0\nmov %r3, 1\nlock fetch add [%r10-8], %r3\nmov %r0, %r3\nexit", &opts);
}

static void kfunc_and_pseudo_lddw(void **state)
{
    (void)state;
    const char *kfunc = "mov %r0, 0\ncall runtime 7\nexit";
    expect_invalid(kfunc, NULL, 1, "kernel function calls");
    isa_validate_opts opts = { .allow_kfunc_calls = true };
    expect_valid(kfunc, &opts);

    static const char *const pseudo[] = {
        "mov %r0, 0\nlddw %r1, map_fd 5\nexit",       "mov %r0, 0\nlddw %r1, map_value 5+8\nexit",
        "mov %r0, 0\nlddw %r1, btf_id 3\nexit",       "mov %r0, 0\nlddw %r1, func +1\nexit\nexit",
        "mov %r0, 0\nlddw %r1, map_idx 0\nexit",      "mov %r0, 0\nlddw %r1, map_idx_value 0+4\nexit",
    };
    opts = (isa_validate_opts){ .allow_pseudo_lddw = true };
    for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++) {
        expect_invalid(pseudo[i], NULL, 1, "pseudo source");
        expect_valid(pseudo[i], &opts);
    }
}

int isa_test_validate(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodings),
        cmocka_unit_test(reserved_fields_and_registers),
        cmocka_unit_test(control_flow),
        cmocka_unit_test(unreachable_code),
        cmocka_unit_test(uninitialised_registers),
        cmocka_unit_test(kfunc_and_pseudo_lddw),
    };
    return cmocka_run_group_tests_name("isa_validate", tests, NULL, NULL);
}
