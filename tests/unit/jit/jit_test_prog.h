/*
 * jit_test_prog.h - building test programs slot by slot: an encoder that fills each row's
 * discriminating field from isa_insns.def (signed div's off = 1, movsx's width, an atomic's operation,
 * a local call's src = 1), and a growable slot buffer.
 */
#ifndef EBPF_TESTS_JIT_TEST_PROG_H
#define EBPF_TESTS_JIT_TEST_PROG_H

#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"

#define JT_PROG_MAX 8192

typedef struct jt_prog {
    isa_slot s[JT_PROG_MAX];
    size_t n;
} jt_prog;

/* One slot of row `id`, with its discriminator filled in. */
isa_slot jt_enc(uint16_t id, unsigned dst, unsigned src, int16_t off, int32_t imm);

void jt_emit(jt_prog *p, isa_slot s);
void jt_emit_insn(jt_prog *p, uint16_t id, unsigned dst, unsigned src, int16_t off, int32_t imm);
void jt_emit_lddw(jt_prog *p, unsigned dst, uint64_t value);

#endif
