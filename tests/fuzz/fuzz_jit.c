/*
 * fuzz_jit.c - libFuzzer target: the interpreter-vs-JIT differential. The fuzzer's bytes steer the
 * structure-aware program generator of the JIT's differential test (every program is well-formed and
 * terminates); each program runs in the interpreter (checked and fast) and in every JIT
 * configuration, and any difference in r0, stop status, fault position or memory aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit_diff_gen.h"
#include "jit_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jt_prog prog;
    jd_generate_bytes(&prog, data, size);
    uint8_t mem[JT_MEM_SIZE];
    jd_memory(mem, size);
    jt_result fast;
    char why[512];
    if (jt_compare(prog.s, prog.n, mem, sizeof mem, false, &fast, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_jit: engines disagree: %s\n", why);
        abort();
    }
    return 0;
}
