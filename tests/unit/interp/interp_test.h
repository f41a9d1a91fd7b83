/*
 * interp_test.h - what the interpreter's unit tests share: hand-encoding slots (S(ID, dst, src, off,
 * imm) is one slot of row ID of isa_insns.def) and preparing bytecode for a run (validated as the
 * runtime would, then interp_prepare). Include after <cmocka.h>.
 */
#ifndef EBPF_TEST_INTERP_TEST_H
#define EBPF_TEST_INTERP_TEST_H

#include <stdlib.h>

#include "exec/interp/interp.h"
#include "isa/isa.h"

#define S(ID, DST, SRC, OFF, IMM) ((isa_slot){ isa_infos[ISA_##ID].opcode, (DST), (SRC), (OFF), (IMM) })
#define MOVI(D, IMM) S(MOV64_IMM, D, 0, 0, IMM)
#define MOVR(D, R) S(MOV64_REG, D, R, 0, 0)
#define EXIT() S(EXIT, 0, 0, 0, 0)
#define LDDW(D, V) S(LDDW, D, 0, 0, (int32_t)(uint32_t)(uint64_t)(V)), \
                   ((isa_slot){ 0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(V) >> 32) })
#define N(A) (sizeof(A) / sizeof((A)[0]))

/* Validates and prepares n slots with the helper table `helpers`; fails the test on any error. */
static inline interp_code *interp_test_build(const isa_slot *code, size_t n, const exec_helper_table *helpers)
{
    isa_insn *insns = calloc(n, sizeof *insns);
    assert_non_null(insns);
    isa_validate_opts opts = { .allow_kfunc_calls = true, .allow_pseudo_lddw = true };
    ebpf_diag diag;
    int rc = isa_validate_decoded(code, n, &opts, insns, &diag);
    if (rc != 0)
        fail_msg("validation failed: %s", diag.message);
    interp_code *c = interp_prepare(insns, n, helpers, &diag);
    free(insns);
    if (!c)
        fail_msg("prepare failed: %s", diag.message);
    return c;
}

#endif
