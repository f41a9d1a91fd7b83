/*
 * fuzz_roundtrip.c - disassemble, reassemble, compare. The listing is built in one malloc'd buffer,
 * one line per instruction (lddw's second slot has no line of its own); jump targets are relative, so
 * the text needs no labels.
 */
#include "fuzz_roundtrip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_LINE_MAX 256

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz property violated: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

static void dump_slots(const char *title, const isa_slot *code, size_t count)
{
    fprintf(stderr, "%s (%zu slots):\n", title, count);
    for (size_t i = 0; i < count; i++) {
        const unsigned char *b = (const unsigned char *)&code[i];
        fprintf(stderr, "  %04zu: %02x %02x %02x %02x %02x %02x %02x %02x\n", i, b[0], b[1], b[2], b[3],
                b[4], b[5], b[6], b[7]);
    }
}

/* Disassembles every instruction into a NUL-terminated listing (malloc'd). */
static char *listing_of(const isa_slot *code, size_t count, const char *origin)
{
    char *text = malloc(count * FUZZ_LINE_MAX + 1);
    if (!text)
        fuzz_fail("%s: out of memory", origin);
    size_t len = 0;
    for (size_t pc = 0; pc < count;) {
        isa_insn insn;
        ebpf_diag diag;
        if (isa_decode(code, count, pc, &insn, &diag) != 0) {
            dump_slots("program", code, count);
            fuzz_fail("%s: slot %zu does not decode: %s", origin, pc, diag.message);
        }
        int n = isa_disasm_insn(&insn, text + len, FUZZ_LINE_MAX);
        if (n <= 0 || n >= FUZZ_LINE_MAX - 1) {
            dump_slots("program", code, count);
            fuzz_fail("%s: isa_disasm_insn gave %d for slot %zu", origin, n, pc);
        }
        len += (size_t)n;
        text[len++] = '\n';
        pc += insn.slots;
    }
    text[len] = 0;
    return text;
}

void fuzz_roundtrip(const isa_slot *code, size_t count, const char *origin)
{
    char *text = listing_of(code, count, origin);
    isa_slot *again = NULL;
    size_t again_count = 0;
    ebpf_diag diag;
    memset(&diag, 0, sizeof(diag));
    int rc = isa_assemble(text, &again, &again_count, &diag);
    if (rc != 0 || again_count != count || (count && memcmp(again, code, count * sizeof(*code)) != 0)) {
        dump_slots("original", code, count);
        fprintf(stderr, "listing:\n%s", text);
        if (rc == 0)
            dump_slots("reassembled", again, again_count);
        else
            fprintf(stderr, "reassembly failed: %s (line %lld)\n", diag.message, (long long)diag.insn);
        fuzz_fail("%s: disassemble + reassemble does not give the same bytes", origin);
    }
    free(again);
    free(text);
}
