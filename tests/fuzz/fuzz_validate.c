/*
 * fuzz_validate.c - libFuzzer target: arbitrary bytes -> isa_validate.
 *
 * Input: byte 0 selects the options (bit 0 reject_unreachable, bit 1 allow_kfunc_calls, bit 2
 * allow_pseudo_lddw, bit 3 check_uninit_regs, bits 4-5 entry_regs pattern, bit 6 no diag), the rest is
 * the program (trailing bytes short of a slot are ignored).
 * Properties: no crash or sanitizer report; isa_validate and isa_validate_decoded agree; a refusal
 * has a message; an accepted program disassembles and reassembles to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_roundtrip.h"

#define FUZZ_MAX_SLOTS 4096

static const uint16_t entry_patterns[4] = {0x0000, 0x0002, 0x003e, 0x03ff};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t flags = data[0];
    size_t count = (size - 1) / sizeof(isa_slot);
    if (count > FUZZ_MAX_SLOTS)
        return 0;
    isa_validate_opts opts = {
        .reject_unreachable = flags & 1,
        .allow_kfunc_calls = (flags >> 1) & 1,
        .allow_pseudo_lddw = (flags >> 2) & 1,
        .check_uninit_regs = (flags >> 3) & 1,
        .entry_regs = entry_patterns[(flags >> 4) & 3],
    };
    bool with_diag = !((flags >> 6) & 1);

    /* Exactly-sized copies, so that any read past the end is an ASan report. */
    isa_slot *code = malloc(count ? count * sizeof(isa_slot) : 1);
    isa_insn *insns = malloc(count ? count * sizeof(isa_insn) : 1);
    if (!code || !insns)
        abort();
    if (count)
        memcpy(code, data + 1, count * sizeof(isa_slot));

    ebpf_diag diag_a, diag_b;
    memset(&diag_a, 0, sizeof(diag_a));
    memset(&diag_b, 0, sizeof(diag_b));
    int a = isa_validate(code, count, &opts, with_diag ? &diag_a : NULL);
    int b = isa_validate_decoded(code, count, &opts, insns, with_diag ? &diag_b : NULL);
    if (a != b)
        fuzz_fail("isa_validate %d but isa_validate_decoded %d", a, b);
    if (a != 0 && with_diag && diag_a.message[0] == 0)
        fuzz_fail("isa_validate refused (%d) without a message", a);
    if (a == 0) {
        if (count == 0)
            fuzz_fail("isa_validate accepted an empty program");
        fuzz_roundtrip(code, count, "fuzz_validate");
    }
    free(insns);
    free(code);
    return 0;
}
