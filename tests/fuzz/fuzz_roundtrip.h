/*
 * fuzz_roundtrip.h - the property shared by fuzz_validate and fuzz_asm: a program the tools accept,
 * disassembled instruction by instruction (isa_disasm_insn) and assembled again (isa_assemble), gives
 * back exactly the same bytes. Any difference aborts with both listings.
 */
#ifndef EBPF_FUZZ_ROUNDTRIP_H
#define EBPF_FUZZ_ROUNDTRIP_H

#include <stddef.h>

#include "isa/isa.h"

/* Checks the round trip of `count` slots. Every slot must decode (the caller made sure, or the
 * mismatch is itself a bug and aborts). `origin` names the caller in the abort message. */
void fuzz_roundtrip(const isa_slot *code, size_t count, const char *origin);

/* Aborts with a message; for properties that do not hold. */
void fuzz_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

#endif
