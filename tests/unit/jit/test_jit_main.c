/*
 * test_jit_main.c - the JIT unit tests (src/exec/jit): each program is run in the interpreter (checked
 * and fast) and in every JIT configuration (plain, blinded, without BMI2, Microsoft x64 convention)
 * and compared on r0, memory and stop status. Skipped (exit 77) on hosts that are not x86-64.
 */
#include <stdio.h>

#include "exec/jit/jit.h"
#include "test_jit.h"

int main(void)
{
    if (!jit_supported()) {
        printf("SKIPPED: the JIT needs an x86-64 host\n");
        return 77;
    }
    int failed = 0;
    failed += jit_test_alu();
    failed += jit_test_mem();
    failed += jit_test_flow();
    failed += jit_test_system();
    failed += jit_test_maps();
    failed += jit_test_fuse();
    return failed == 0 ? 0 : 1;
}
