/*
 * jit_diff_main.c - the differential test of the JIT: `jit_diff [SEED [COUNT]]` generates COUNT random
 * well-formed programs (default 10,000, seed 1; jit_diff_gen.h), runs each in the interpreter (checked
 * and fast) and in every JIT configuration (jit_test_util.h), and requires identical r0, memory and
 * stop status. Prints each failure with its seed and program, then "N passed, M failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit_diff_gen.h"
#include "jit_test_util.h"

#define JD_DEFAULT_COUNT 10000
#define JD_MAX_REPORTED 5

static void jd_print_program(const jt_prog *p)
{
    for (size_t i = 0; i < p->n; i++) {
        isa_insn insn;
        ebpf_diag diag;
        char text[128] = "(tail of lddw)";
        if (isa_decode(p->s, p->n, i, &insn, &diag) == 0)
            isa_disasm_insn(&insn, text, sizeof text);
        fprintf(stderr, "  %4zu: %s\n", i, text);
        if (insn.slots == 2)
            i++;
    }
}

int main(int argc, char **argv)
{
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    unsigned long count = argc > 2 ? strtoul(argv[2], NULL, 0) : JD_DEFAULT_COUNT;
    if (!jit_supported()) {
        printf("SKIPPED: the JIT needs an x86-64 host\n");
        return 77;
    }
    static jt_prog prog;
    uint8_t mem[JT_MEM_SIZE];
    unsigned long passed = 0, failed = 0, stopped = 0;
    for (unsigned long i = 0; i < count; i++) {
        uint64_t s = seed + i;
        jd_generate(&prog, s);
        jd_memory(mem, s);
        jt_result fast;
        char why[600];
        if (jt_compare(prog.s, prog.n, mem, sizeof mem, false, &fast, why, sizeof why) == 0) {
            passed++;
            stopped += fast.out.status != EBPF_RUN_OK;
            continue;
        }
        failed++;
        if (failed <= JD_MAX_REPORTED) {
            fprintf(stderr, "FAIL seed %" PRIu64 " (%zu slots): %s\n", s, prog.n, why);
            jd_print_program(&prog);
        }
    }
    printf("%lu passed, %lu failed (seed %" PRIu64 ", %lu stopped early with a status)\n", passed, failed, seed,
           stopped);
    return failed ? 1 : 0;
}
