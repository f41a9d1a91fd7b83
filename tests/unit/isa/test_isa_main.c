/*
 * test_isa_main.c - the isa unit tests that need no outside data: instruction table, assembler,
 * disassembler, validator.
 */
#include "test_isa.h"

int main(void)
{
    int failed = 0;
    failed += isa_test_table();
    failed += isa_test_asm();
    failed += isa_test_disasm();
    failed += isa_test_validate();
    return failed == 0 ? 0 : 1;
}
