/*
 * test_table.c - the instruction list itself: isa_insns.def sorted by (opcode, discriminator) with no
 * pair twice, every row decodes back to itself, and every row survives disassembly and reassembly,
 * with the syntax accepting exactly the fields isa_check_fields accepts.
 */
#include "test_isa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which field carries the discriminator, written here independently of decode.c and syntax.c. */
enum { DISC_NONE, DISC_OFF, DISC_IMM, DISC_SRC };

static int disc_field(unsigned id)
{
    switch (isa_infos[id].format) {
    case ISA_FMT_ALU_IMM:
    case ISA_FMT_ALU_REG:
        return DISC_OFF;
    case ISA_FMT_ENDIAN:
    case ISA_FMT_ATOMIC:
        return DISC_IMM;
    case ISA_FMT_LDDW:
    case ISA_FMT_CALL_HELPER:
    case ISA_FMT_CALL_LOCAL:
    case ISA_FMT_CALL_KFUNC:
        return DISC_SRC;
    default:
        return DISC_NONE;
    }
}

/* The smallest encoding of a row: opcode, discriminator, everything else 0. Returns the slot count. */
static size_t encode_row(unsigned id, isa_slot s[2])
{
    memset(s, 0, 2 * sizeof *s);
    s[0].opcode = isa_infos[id].opcode;
    switch (disc_field(id)) {
    case DISC_OFF:
        s[0].off = (int16_t)isa_infos[id].disc;
        break;
    case DISC_IMM:
        s[0].imm = isa_infos[id].disc;
        break;
    case DISC_SRC:
        s[0].src = (uint8_t)isa_infos[id].disc;
        break;
    }
    return isa_infos[id].format == ISA_FMT_LDDW ? 2 : 1;
}

static void rows_sorted_and_unique(void **state)
{
    (void)state;
    for (unsigned id = 1; id < ISA_ID_COUNT; id++) {
        const isa_info *a = &isa_infos[id - 1], *b = &isa_infos[id];
        bool increasing = a->opcode < b->opcode || (a->opcode == b->opcode && a->disc < b->disc);
        if (!increasing)
            fail_msg("isa_insns.def: %s (0x%02x, %d) must come after %s (0x%02x, %d)", a->name, a->opcode,
                     a->disc, b->name, b->opcode, b->disc);
    }
}

static void rows_decode_to_themselves(void **state)
{
    (void)state;
    for (unsigned id = 0; id < ISA_ID_COUNT; id++) {
        isa_slot s[2];
        size_t count = encode_row(id, s);
        isa_insn insn;
        ebpf_diag diag;
        if (isa_decode(s, count, 0, &insn, &diag) != 0)
            fail_msg("%s does not decode: %s", isa_infos[id].name, diag.message);
        if (insn.id != id)
            fail_msg("%s decodes as %s", isa_infos[id].name, isa_infos[insn.id].name);
        assert_int_equal(insn.slots, count);
        assert_int_equal(isa_check_fields(&insn, 0, &diag), 0);
    }
}

/* Disassembles slots, reassembles the text and expects the same bytes. Returns false when the
 * disassembler refuses the instruction. */
static bool round_trip(const isa_slot *s, size_t count)
{
    isa_insn insn;
    ebpf_diag diag;
    assert_int_equal(isa_decode(s, count, 0, &insn, &diag), 0);
    char text[128];
    int n = isa_disasm_insn(&insn, text, sizeof text);
    if (n < 0)
        return false;
    assert_true((size_t)n < sizeof text);
    assert_int_equal(strlen(text), (size_t)n);
    isa_slot *back;
    size_t back_count;
    if (isa_assemble(text, &back, &back_count, &diag) != 0)
        fail_msg("`%s` (%s) does not reassemble: %s", text, isa_infos[insn.id].name, diag.message);
    if (back_count != count || memcmp(back, s, count * sizeof *s) != 0)
        fail_msg("`%s` (%s) reassembles to different bytes", text, isa_infos[insn.id].name);
    free(back);
    return true;
}

static void rows_round_trip_through_text(void **state)
{
    (void)state;
    for (unsigned id = 0; id < ISA_ID_COUNT; id++) {
        isa_slot base[2];
        size_t count = encode_row(id, base);
        if (!round_trip(base, count))
            fail_msg("%s: the disassembler refuses its plain encoding", isa_infos[id].name);
        /* Each field set in turn (never the discriminator): the syntax must express it exactly when
         * isa_check_fields allows a non-zero value there. */
        for (int field = 0; field < 5; field++) {
            isa_slot s[2];
            memcpy(s, base, sizeof s);
            int disc = disc_field(id);
            if ((field == 1 && disc == DISC_SRC) || (field == 2 && disc == DISC_OFF) ||
                (field == 3 && disc == DISC_IMM) || (field == 4 && count == 1))
                continue;
            switch (field) {
            case 0: s[0].dst = 3; break;
            case 1: s[0].src = 4; break;
            case 2: s[0].off = -7; break;
            case 3: s[0].imm = 100000; break;
            case 4: s[1].imm = 0x1234; break;
            }
            isa_insn insn;
            ebpf_diag diag;
            assert_int_equal(isa_decode(s, count, 0, &insn, &diag), 0);
            bool fields_ok = isa_check_fields(&insn, 0, &diag) == 0;
            bool printed = round_trip(s, count);
            if (printed != fields_ok)
                fail_msg("%s with field %d set: disassembler %s it but isa_check_fields %s it",
                         isa_infos[id].name, field, printed ? "prints" : "refuses", fields_ok ? "accepts" : "refuses");
        }
    }
}

static void registers_up_to_r15_round_trip(void **state)
{
    (void)state;
    isa_slot s = { .opcode = isa_infos[ISA_MOV64_REG].opcode, .dst = 15, .src = 11 };
    assert_true(round_trip(&s, 1));
    s = (isa_slot){ .opcode = isa_infos[ISA_STXDW].opcode, .dst = 12, .src = 13, .off = -32768 };
    assert_true(round_trip(&s, 1));
}

int isa_test_table(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_sorted_and_unique),
        cmocka_unit_test(rows_decode_to_themselves),
        cmocka_unit_test(rows_round_trip_through_text),
        cmocka_unit_test(registers_up_to_r15_round_trip),
    };
    return cmocka_run_group_tests_name("isa_table", tests, NULL, NULL);
}
