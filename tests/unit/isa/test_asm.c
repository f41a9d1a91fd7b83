/*
 * test_asm.c - isa_assemble: encodings of every operand form, labels and targets, number ranges, the
 * exact conformance error texts with their source line, limits, and the public ebpf_assemble wrapper.
 * Opcodes are written out here on purpose: an independent check of isa_insns.def and the assembler.
 */
#include "test_isa.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct expect {
    uint8_t opcode, dst, src;
    int16_t off;
    int32_t imm;
} expect;

/* Assembles `source` and compares with up to 4 expected slots. */
static void check(const char *source, const expect *want, size_t want_count)
{
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    if (count != want_count)
        fail_msg("`%s`: %zu slots, expected %zu", source, count, want_count);
    for (size_t i = 0; i < count; i++) {
        if (s[i].opcode != want[i].opcode || s[i].dst != want[i].dst || s[i].src != want[i].src ||
            s[i].off != want[i].off || s[i].imm != want[i].imm)
            fail_msg("`%s` slot %zu: got {0x%02x dst %u src %u off %d imm %d}, expected {0x%02x dst %u src %u off %d imm %d}",
                     source, i, s[i].opcode, s[i].dst, s[i].src, s[i].off, s[i].imm, want[i].opcode, want[i].dst,
                     want[i].src, want[i].off, want[i].imm);
    }
    free(s);
}

#define CHECK(source, ...)                                                   \
    do {                                                                     \
        const expect want_[] = { __VA_ARGS__ };                              \
        check(source, want_, sizeof want_ / sizeof want_[0]);                \
    } while (0)

static void expect_error(const char *source, const char *message, int64_t line)
{
    isa_slot *slots = (isa_slot *)&slots; /* must be reset to NULL */
    size_t count = 99;
    ebpf_diag diag;
    int rc = isa_assemble(source, &slots, &count, &diag);
    if (rc != -EINVAL)
        fail_msg("`%s`: expected -EINVAL (\"%s\"), got %d", source, message, rc);
    assert_null(slots);
    assert_int_equal(count, 0);
    if (strcmp(diag.message, message) != 0)
        fail_msg("`%s`: message \"%s\", expected \"%s\"", source, diag.message, message);
    if (diag.insn != line)
        fail_msg("`%s`: error on line %lld, expected %lld", source, (long long)diag.insn, (long long)line);
}

static void alu_forms(void **state)
{
    (void)state;
    CHECK("mov %r0, 1", { 0xb7, 0, 0, 0, 1 });
    CHECK("mov64 %r0, 1", { 0xb7, 0, 0, 0, 1 });
    CHECK("mov32 %r1, %r2", { 0xbc, 1, 2, 0, 0 });
    CHECK("add %r3, -4", { 0x07, 3, 0, 0, -4 });
    CHECK("add64 %r3, %r4", { 0x0f, 3, 4, 0, 0 });
    CHECK("add32 %r3, %r4", { 0x0c, 3, 4, 0, 0 });
    CHECK("sdiv %r1, 3", { 0x37, 1, 0, 1, 3 });
    CHECK("smod32 %r1, %r2", { 0x9c, 1, 2, 1, 0 });
    CHECK("movsx832 %r1, %r2", { 0xbc, 1, 2, 8, 0 });
    CHECK("movsx1664 %r1, %r2", { 0xbf, 1, 2, 16, 0 });
    CHECK("movsx3264 %r1, %r2", { 0xbf, 1, 2, 32, 0 });
    CHECK("neg %r3", { 0x87, 3, 0, 0, 0 });
    CHECK("neg32 %r3", { 0x84, 3, 0, 0, 0 });
    CHECK("arsh32 %r1, 5", { 0xc4, 1, 0, 0, 5 });
    CHECK("be16 %r1", { 0xdc, 1, 0, 0, 16 });
    CHECK("le64 %r1", { 0xd4, 1, 0, 0, 64 });
    CHECK("bswap32 %r1", { 0xd7, 1, 0, 0, 32 });
    CHECK("swap32 %r1", { 0xd7, 1, 0, 0, 32 });
    CHECK("mov %r11, %r15", { 0xbf, 11, 15, 0, 0 }); /* invalid registers on purpose */
}

static void memory_forms(void **state)
{
    (void)state;
    CHECK("ldxw %r0, [%r1+2]", { 0x61, 0, 1, 2, 0 });
    CHECK("ldxdw %r0, [%r1]", { 0x79, 0, 1, 0, 0 });
    CHECK("ldxsb %r0, [%r1-4]", { 0x91, 0, 1, -4, 0 });
    CHECK("ldxh %r0, [%r1+0x10]", { 0x69, 0, 1, 16, 0 });
    CHECK("stb [%r1+2], 0x11", { 0x72, 1, 0, 2, 0x11 });
    CHECK("stxdw [%r10-8], %r1", { 0x7b, 10, 1, -8, 0 });
    CHECK("lock add [%r10-8], %r1", { 0xdb, 10, 1, -8, 0x00 });
    CHECK("lock add64 [%r10-8], %r1", { 0xdb, 10, 1, -8, 0x00 });
    CHECK("lock fetch add32 [%r1+0], %r2", { 0xc3, 1, 2, 0, 0x01 });
    CHECK("lock or32 [%r1], %r2", { 0xc3, 1, 2, 0, 0x40 });
    CHECK("lock fetch or [%r1], %r2", { 0xdb, 1, 2, 0, 0x41 });
    CHECK("lock fetch and [%r1], %r2", { 0xdb, 1, 2, 0, 0x51 });
    CHECK("lock xor [%r1], %r2", { 0xdb, 1, 2, 0, 0xa0 });
    CHECK("lock fetch xor32 [%r1], %r2", { 0xc3, 1, 2, 0, 0xa1 });
    CHECK("lock xchg [%r1], %r2", { 0xdb, 1, 2, 0, 0xe1 });
    CHECK("lock cmpxchg32 [%r1-4], %r2", { 0xc3, 1, 2, -4, 0xf1 });
    CHECK("ldabsw 4", { 0x20, 0, 0, 0, 4 });
    CHECK("ldindb %r1, 8", { 0x50, 0, 1, 0, 8 });
}

static void lddw_forms(void **state)
{
    (void)state;
    CHECK("lddw %r0, 0x1122334455667788", { 0x18, 0, 0, 0, 0x55667788 }, { 0, 0, 0, 0, 0x11223344 });
    CHECK("lddw %r1, -1", { 0x18, 1, 0, 0, -1 }, { 0, 0, 0, 0, -1 });
    CHECK("lddw %r1, 18446744073709551615", { 0x18, 1, 0, 0, -1 }, { 0, 0, 0, 0, -1 });
    CHECK("lddw %r1, 2147483648", { 0x18, 1, 0, 0, INT32_MIN }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, -9223372036854775808", { 0x18, 1, 0, 0, 0 }, { 0, 0, 0, 0, INT32_MIN });
    CHECK("lddw %r1, map_fd 5", { 0x18, 1, 1, 0, 5 }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, MAP_FD 5", { 0x18, 1, 1, 0, 5 }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, map_value 5+16", { 0x18, 1, 2, 0, 5 }, { 0, 0, 0, 0, 16 });
    CHECK("lddw %r1, btf_id 0x80000000", { 0x18, 1, 3, 0, INT32_MIN }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, func +2", { 0x18, 1, 4, 0, 2 }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, map_idx 3", { 0x18, 1, 5, 0, 3 }, { 0, 0, 0, 0, 0 });
    CHECK("lddw %r1, map_idx_value 3-8", { 0x18, 1, 6, 0, 3 }, { 0, 0, 0, 0, -8 });
    /* lddw func with a label: relative like call local, counted from the first slot. */
    CHECK("lddw %r1, func f\nexit\nf:\nexit",
          { 0x18, 1, 4, 0, 2 }, { 0, 0, 0, 0, 0 }, { 0x95, 0, 0, 0, 0 }, { 0x95, 0, 0, 0, 0 });
}

static void jumps_and_calls(void **state)
{
    (void)state;
    CHECK("jeq %r1, 5, +3", { 0x15, 1, 0, 3, 5 });
    CHECK("jeq64 %r1, %r2, -1", { 0x1d, 1, 2, -1, 0 });
    CHECK("jeq32 %r1, %r2, -1", { 0x1e, 1, 2, -1, 0 });
    CHECK("jlt %r1, 1, +0", { 0xa5, 1, 0, 0, 1 });
    CHECK("jsle32 %r1, -1, +0", { 0xd6, 1, 0, 0, -1 });
    CHECK("ja -2", { 0x05, 0, 0, -2, 0 });
    CHECK("ja32 +7", { 0x06, 0, 0, 0, 7 });
    CHECK("call 5", { 0x85, 0, 0, 0, 5 });
    CHECK("call helper 5", { 0x85, 0, 0, 0, 5 });
    CHECK("call %r2", { 0x8d, 2, 0, 0, 0 });
    CHECK("call helper %r2", { 0x8d, 2, 0, 0, 0 });
    CHECK("callx %r3", { 0x8d, 3, 0, 0, 0 });
    CHECK("call local +3", { 0x85, 0, 1, 0, 3 });
    CHECK("call runtime 7", { 0x85, 0, 2, 0, 7 });
    CHECK("call runtime 7, 2", { 0x85, 0, 2, 2, 7 });
    CHECK("exit", { 0x95, 0, 0, 0, 0 });
}

static void labels(void **state)
{
    (void)state;
    CHECK("mov %r0, 0\n"        /* 0 */
          "jeq %r1, 0, exit\n"  /* 1: first exit is slot 6 */
          "lddw %r2, 1\n"       /* 2, 3 */
          "L:\n"
          "ja32 L\n"            /* 4: L is slot 4 */
          "call local f\n"      /* 5 */
          "exit\n"              /* 6 */
          "f: # rest ignored\n"
          "ja L\n",             /* 7 */
          { 0xb7, 0, 0, 0, 0 }, { 0x15, 1, 0, 4, 0 }, { 0x18, 2, 0, 0, 1 }, { 0, 0, 0, 0, 0 },
          { 0x06, 0, 0, 0, -1 }, { 0x85, 0, 1, 0, 1 }, { 0x95, 0, 0, 0, 0 }, { 0x05, 0, 0, -4, 0 });
    /* An explicit `exit:` label wins over the implicit one. */
    CHECK("ja exit\nexit\nexit:\nexit", { 0x05, 0, 0, 1, 0 }, { 0x95, 0, 0, 0, 0 }, { 0x95, 0, 0, 0, 0 });
    /* Label at the end of the program: the assembler encodes it; the validator refuses it. */
    CHECK("ja end\nend:", { 0x05, 0, 0, 0, 0 });
}

static void number_ranges(void **state)
{
    (void)state;
    CHECK("mov %r0, 0xffffffff", { 0xb7, 0, 0, 0, -1 });
    CHECK("mov %r0, 0XFFFFFFFF", { 0xb7, 0, 0, 0, -1 });
    CHECK("mov %r0, -2147483648", { 0xb7, 0, 0, 0, INT32_MIN });
    CHECK("mov %r0, 2147483647", { 0xb7, 0, 0, 0, INT32_MAX });
    CHECK("mov %r0, +5", { 0xb7, 0, 0, 0, 5 });
    CHECK("mov %r0, -0x80000000", { 0xb7, 0, 0, 0, INT32_MIN });
    CHECK("ldxb %r0, [%r1+0xffff]", { 0x71, 0, 1, -1, 0 });
    CHECK("ldxb %r0, [%r1+32767]", { 0x71, 0, 1, 32767, 0 });
    CHECK("ldxb %r0, [%r1-32768]", { 0x71, 0, 1, -32768, 0 });
    CHECK("ldxb %r0, [%r1-0x8000]", { 0x71, 0, 1, -32768, 0 });
    CHECK("ja +32767", { 0x05, 0, 0, 32767, 0 });
    CHECK("ja -32768", { 0x05, 0, 0, -32768, 0 });
    CHECK("ja32 -2147483648", { 0x06, 0, 0, 0, INT32_MIN });
}

static void comments_and_blanks(void **state)
{
    (void)state;
    CHECK("  mov\t%r0,   1  # a comment\r\n\r\n# only a comment\n\nexit\r\n", { 0xb7, 0, 0, 0, 1 },
          { 0x95, 0, 0, 0, 0 });
    CHECK("exit#glued comment", { 0x95, 0, 0, 0, 0 });
    size_t count = 7;
    isa_slot *s = isa_test_assemble("# nothing\n\n   \n", &count);
    assert_null(s);
    assert_int_equal(count, 0);
}

static void conformance_errors(void **state)
{
    (void)state;
    expect_error("mov32 %r0, 2147483648", "Immediate out of 32-bit range: 2147483648", 1);
    expect_error("mov32 %r0, -2147483649", "Immediate out of 32-bit range: -2147483649", 1);
    expect_error("mov32 %r0, 0x100000000", "Immediate out of 32-bit range: 0x100000000", 1);
    expect_error("jeq %r0, 99999999999999999999999, +1", "Immediate out of 32-bit range: 99999999999999999999999", 1);
    expect_error("ldxb %r0, [%r1+0x10000]", "Offset out of 16-bit range: 0x10000", 1);
    expect_error("ldxb %r0, [%r1+32768]", "Offset out of 16-bit range: 32768", 1);
    expect_error("ldxb %r0, [%r1-32769]", "Offset out of 16-bit range: -32769", 1);
    expect_error("ja +32768", "Offset out of 16-bit range: 32768", 1);
    expect_error("or %r0, %r50", "Invalid register: r50", 1);
    expect_error("mov %r16, 1", "Invalid register: r16", 1);
    expect_error("ldxb %r0, [%rx+1]", "Invalid register: rx", 1);
    expect_error("ldxb %r0, %r1", "Failed to decode register and offset: r1", 1);
    expect_error("ldxb %r0, [%r1+]", "Failed to decode register and offset: [%r1+]", 1);
    expect_error("ldxq %r0, %r1", "Invalid mnemonic: ldxq", 1);
    expect_error("lddw %r0", "Invalid number of operands for mnemonic: lddw", 1);
    expect_error("add32 %r1", "Invalid number of operands for mnemonic: add32", 1);
    expect_error("exit %r0", "Invalid number of operands for mnemonic: exit", 1);
    expect_error("mov %r0, 1, 2, 3, 4, 5, 6, 7, 8", "Invalid number of operands for mnemonic: mov", 1);
    expect_error("lock or [%r10-8]", "Invalid number of operands for lock", 1);
    expect_error("lock", "Invalid number of operands for lock", 1);
    expect_error("lock fetch add32 [%r1]", "Invalid number of operands for lock", 1);
    expect_error("lock foo [%r1], %r2", "Invalid mnemonic: lock foo", 1);
    expect_error("ja NOT_A_LABEL\nexit", "Invalid label: NOT_A_LABEL", 1);
    expect_error("call foo 5", "Invalid call mode", 1);
    expect_error("call", "Invalid number of operands for mnemonic: call", 1);
}

static void other_errors_and_lines(void **state)
{
    (void)state;
    expect_error("mov %r0, 1\n\n# comment\nfoo %r1\n", "Invalid mnemonic: foo", 4);
    expect_error("exit\n\nja nowhere\n", "Invalid label: nowhere", 3);
    expect_error("ja exit\n", "Invalid label: exit", 1); /* no exit instruction: no implicit label */
    expect_error("L:\nexit\nL:\n", "Duplicate label: L", 3);
    expect_error("mov %r0, abc", "Invalid immediate: abc", 1);
    expect_error("mov %r0, 12x", "Invalid immediate: 12x", 1);
    expect_error("lddw %r1, 0x10000000000000000", "Immediate out of 64-bit range: 0x10000000000000000", 1);
    expect_error("lddw %r1, -9223372036854775809", "Immediate out of 64-bit range: -9223372036854775809", 1);
    expect_error("lddw %r1, map_foo 5", "Invalid lddw source: map_foo", 1);
    expect_error("lddw %r1, map_value 5+0x100000000", "Immediate out of 32-bit range: +0x100000000", 1);
    /* A label too far for a 16-bit jump offset (but fine for ja32). */
    size_t n = 40000;
    char *source = malloc(n * 11 + 64);
    assert_non_null(source);
    size_t len = (size_t)sprintf(source, "ja L\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(source + len, "mov %%r0, 0\n");
    sprintf(source + len, "L:\nexit\n");
    expect_error(source, "Offset out of 16-bit range: 40000", 1);
    len = (size_t)sprintf(source, "ja32 L\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(source + len, "mov %%r0, 0\n");
    sprintf(source + len, "L:\nexit\n");
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    assert_int_equal(count, n + 2);
    assert_int_equal(s[0].imm, (int32_t)n);
    free(s);
    free(source);
}

static void program_size_limit(void **state)
{
    (void)state;
    size_t n = ISA_MAX_INSNS + 1;
    char *source = malloc(n * 5 + 1);
    assert_non_null(source);
    for (size_t i = 0; i < n; i++)
        memcpy(source + i * 5, "exit\n", 5);
    source[n * 5] = '\0';
    char message[128];
    snprintf(message, sizeof message, "Program too large: more than %u instructions", (unsigned)ISA_MAX_INSNS);
    expect_error(source, message, (int64_t)n);
    source[(n - 1) * 5] = '\0'; /* exactly ISA_MAX_INSNS */
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    assert_int_equal(count, ISA_MAX_INSNS);
    free(s);
    free(source);
}

static void bad_arguments(void **state)
{
    (void)state;
    isa_slot *s;
    size_t count;
    ebpf_diag diag;
    assert_int_equal(isa_assemble(NULL, &s, &count, &diag), -EINVAL);
    assert_int_equal(isa_assemble("exit", NULL, &count, NULL), -EINVAL);
    assert_int_equal(isa_assemble("exit", &s, NULL, NULL), -EINVAL);
    assert_int_equal(isa_assemble("foo", &s, &count, NULL), -EINVAL); /* NULL diag is allowed */
}

static void public_wrappers(void **state)
{
    (void)state;
    struct ebpf_insn *insns;
    struct ebpf_diag diag;
    int n = ebpf_assemble("mov %r0, 3\nlddw %r1, 0x100000000\nexit\n", &insns, &diag);
    assert_int_equal(n, 4);
    assert_int_equal(insns[0].opcode, 0xb7);
    assert_int_equal(insns[0].imm, 3);
    assert_int_equal(insns[2].imm, 1);
    char *text;
    assert_int_equal(ebpf_disassemble(insns, (size_t)n, &text, &diag), 0);
    assert_string_equal(text, "mov %r0, 3\nlddw %r1, 0x100000000\nexit\n");
    ebpf_free(text);
    ebpf_free(insns);

    errno = 0;
    assert_int_equal(ebpf_assemble("mov %r0, %r99", &insns, &diag), -EINVAL);
    assert_int_equal(errno, EINVAL);
    assert_null(insns);
    assert_string_equal(diag.message, "Invalid register: r99");
    assert_int_equal(diag.insn, 1);

    const struct ebpf_insn bad[] = { { .opcode = 0xb7 }, { .opcode = 0xff }, { .opcode = 0x95 } };
    errno = 0;
    text = (char *)bad;
    assert_int_equal(ebpf_disassemble(bad, 3, &text, &diag), -EINVAL);
    assert_int_equal(errno, EINVAL);
    assert_null(text);
    assert_int_equal(diag.insn, 1);
    assert_non_null(strstr(diag.message, "instruction 1"));
}

int isa_test_asm(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alu_forms),
        cmocka_unit_test(memory_forms),
        cmocka_unit_test(lddw_forms),
        cmocka_unit_test(jumps_and_calls),
        cmocka_unit_test(labels),
        cmocka_unit_test(number_ranges),
        cmocka_unit_test(comments_and_blanks),
        cmocka_unit_test(conformance_errors),
        cmocka_unit_test(other_errors_and_lines),
        cmocka_unit_test(program_size_limit),
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(public_wrappers),
    };
    return cmocka_run_group_tests_name("isa_asm", tests, NULL, NULL);
}
