/*
 * test_disasm.c - isa_disasm_insn and isa_disasm_program: the exact text of each operand form, the
 * snprintf-like buffer contract, and refusal of what the syntax cannot express or the decoder refuses.
 */
#include "test_isa.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Assembles `source` (one instruction) and expects its disassembly to be `text`. */
static void expect_text(const char *source, const char *text)
{
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    isa_insn insn;
    ebpf_diag diag;
    assert_int_equal(isa_decode(s, count, 0, &insn, &diag), 0);
    char buf[128];
    int n = isa_disasm_insn(&insn, buf, sizeof buf);
    if (n < 0 || strcmp(buf, text) != 0)
        fail_msg("`%s` disassembles to `%s` (%d), expected `%s`", source, n < 0 ? "" : buf, n, text);
    assert_int_equal((size_t)n, strlen(text));
    free(s);
}

static void operand_forms(void **state)
{
    (void)state;
    static const char *const same[] = {
        "add32 %r0, 1", "mov %r1, %r2", "ldxw %r0, [%r1+2]", "ldxdw %r0, [%r10-8]", "stdw [%r10-8], 5",
        "stxb [%r1+0], %r2", "lock fetch add32 [%r1+0], %r2", "lock cmpxchg [%r10-8], %r1",
        "lddw %r0, 0x1122334455667788", "lddw %r0, -1", "lddw %r0, 0xffffffff", "lddw %r0, 65535",
        "lddw %r0, 0x10000", "lddw %r0, -65535", "lddw %r0, 0xfffffffffffeffff",
        "jeq %r1, 5, +3", "jsgt32 %r1, -1, +0", "jne %r1, %r2, -5", "ja -2", "ja32 +7", "call 5",
        "call %r2", "call local +3", "call local -4", "call runtime 7", "call runtime 7, 2", "exit",
        "mov32 %r0, 0x80000000", "mov %r0, -65535", "mov %r0, 0xffff0000", "neg %r1", "neg32 %r9",
        "be16 %r1", "le32 %r2", "bswap64 %r3", "sdiv32 %r1, %r2", "smod %r1, -3", "movsx832 %r1, %r2",
        "movsx3264 %r1, %r2", "ldxsh %r1, [%r2-2]", "ldabsh 12", "ldindw %r3, 4",
        "lddw %r1, map_fd 5", "lddw %r1, map_value 5+16", "lddw %r1, map_value 5-16", "lddw %r1, btf_id 9",
        "lddw %r1, func -3", "lddw %r1, map_idx 0", "lddw %r1, map_idx_value 1+0x80000000",
        "lddw %r1, map_fd 0xffff0000+0x10000", "mov %r11, %r15",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        expect_text(same[i], same[i]);
    expect_text("mov64 %r1, %r2", "mov %r1, %r2");
    expect_text("ldxw %r0, [%r1]", "ldxw %r0, [%r1+0]");
    expect_text("mov %r0, -100000", "mov %r0, 0xfffe7960");
    expect_text("mov %r0, 0x10", "mov %r0, 16");
    expect_text("swap16 %r1", "bswap16 %r1");
    expect_text("call helper %r2", "call %r2");
    expect_text("callx %r2", "call %r2");
    expect_text("call helper 1", "call 1");
    expect_text("lddw %r1, MAP_VALUE 5+0", "lddw %r1, map_value 5");
    expect_text("lddw %r1, 18446744073709551615", "lddw %r1, -1");
    expect_text("ja +0x10", "ja +16");
}

static void buffer_contract(void **state)
{
    (void)state;
    isa_insn insn = { .id = ISA_ADD32_IMM, .dst = 0, .imm = 1, .slots = 1 };
    char buf[5];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(isa_disasm_insn(&insn, buf, sizeof buf), 12); /* "add32 %r0, 1" */
    assert_string_equal(buf, "add3");
    assert_int_equal(isa_disasm_insn(&insn, NULL, 0), 12);
    insn = (isa_insn){ .id = ISA_EXIT, .dst = 1, .slots = 1 };
    assert_int_equal(isa_disasm_insn(&insn, buf, sizeof buf), -EINVAL); /* reserved dst */
    insn = (isa_insn){ .id = ISA_SLOT_TAIL };
    assert_int_equal(isa_disasm_insn(&insn, buf, sizeof buf), -EINVAL);
    assert_int_equal(isa_disasm_insn(NULL, buf, sizeof buf), -EINVAL);
}

static void whole_programs(void **state)
{
    (void)state;
    const char *source = "mov %r0, 0\nL:\nlddw %r1, 0x100000000\njne %r1, 0, L\ncall local f\nexit\nf:\nexit\n";
    size_t count;
    isa_slot *s = isa_test_assemble(source, &count);
    char *text;
    ebpf_diag diag;
    assert_int_equal(isa_disasm_program(s, count, &text, &diag), 0);
    assert_string_equal(text, "mov %r0, 0\nlddw %r1, 0x100000000\njne %r1, 0, -3\ncall local +1\nexit\nexit\n");
    size_t again_count;
    isa_slot *again = isa_test_assemble(text, &again_count);
    assert_int_equal(again_count, count);
    assert_memory_equal(again, s, count * sizeof *s);
    free(again);
    free(text);

    assert_int_equal(isa_disasm_program(s, 0, &text, &diag), 0);
    assert_string_equal(text, "");
    free(text);

    /* A reserved field the syntax cannot write: refused, naming the slot. */
    s[5].dst = 1; /* the first exit */
    text = (char *)s;
    assert_int_equal(isa_disasm_program(s, count, &text, &diag), -EINVAL);
    assert_null(text);
    assert_int_equal(diag.insn, 5);
    assert_non_null(strstr(diag.message, "instruction 5"));
    s[5].dst = 0;

    /* Decoder errors: unknown opcode, truncated lddw. */
    s[4].opcode = 0xff;
    assert_int_equal(isa_disasm_program(s, count, &text, &diag), -EINVAL);
    assert_int_equal(diag.insn, 4);
    assert_non_null(strstr(diag.message, "instruction 4"));
    assert_int_equal(isa_disasm_program(s, 2, &text, &diag), -EINVAL);
    assert_int_equal(diag.insn, 1);
    assert_non_null(strstr(diag.message, "instruction 1"));
    free(s);
}

int isa_test_disasm(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operand_forms),
        cmocka_unit_test(buffer_contract),
        cmocka_unit_test(whole_programs),
    };
    return cmocka_run_group_tests_name("isa_disasm", tests, NULL, NULL);
}
