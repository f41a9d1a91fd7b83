/*
 * fuzz_asm.c - libFuzzer target: arbitrary text -> isa_assemble.
 *
 * Properties: no crash, hang or sanitizer report on any text; a refusal has a message; whatever the
 * assembler produces decodes slot by slot, and disassembling and reassembling it gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_roundtrip.h"

#define FUZZ_MAX_TEXT (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_TEXT)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0;

    isa_slot *code = NULL;
    size_t count = 0;
    ebpf_diag diag;
    memset(&diag, 0, sizeof(diag));
    int rc = isa_assemble(text, &code, &count, &diag);
    if (rc != 0 && diag.message[0] == 0)
        fuzz_fail("isa_assemble refused (%d) without a message", rc);
    if (rc == 0 && count > 0)
        fuzz_roundtrip(code, count, "fuzz_asm");
    free(code);
    free(text);
    return 0;
}
