/*
 * diff_report.c - listing a generated program: disassembly through the public ebpf_disassemble (one
 * line per instruction, lddw's two slots on one line) beside the raw bytes of every slot. If the
 * disassembler refuses the program, the bytes alone are printed with its message.
 */
#include "diff_report.h"

#include <string.h>

#include "ebpf/ebpf.h"

static void report_bytes(FILE *out, const struct ebpf_insn *insn)
{
    unsigned char b[8];
    memcpy(b, insn, sizeof(b));
    for (int i = 0; i < 8; i++)
        fprintf(out, "%s%02x", i ? " " : "", b[i]);
}

void diff_report_program(FILE *out, const diff_prog *prog, bool has_result, uint64_t result)
{
    char *listing = NULL;
    struct ebpf_diag diag;
    memset(&diag, 0, sizeof(diag));
    if (ebpf_disassemble(prog->insns, prog->count, &listing, &diag) < 0)
        fprintf(out, "# disassembler refused the program: %s (insn %lld)\n", diag.message,
                (long long)diag.insn);

    fprintf(out, "-- asm\n");
    const char *line = listing;
    for (size_t pc = 0; pc < prog->count; pc++) {
        const char *end = line ? strchr(line, '\n') : NULL;
        int len = line ? (end ? (int)(end - line) : (int)strlen(line)) : 0;
        if (line)
            fprintf(out, "%-36.*s", len, line);
        fprintf(out, "# %04zu: ", pc);
        report_bytes(out, &prog->insns[pc]);
        if (prog->insns[pc].opcode == DIFF_OP_LDDW && pc + 1 < prog->count) {
            fprintf(out, " | ");
            report_bytes(out, &prog->insns[++pc]);
        }
        fprintf(out, "\n");
        if (line)
            line = end ? end + 1 : NULL;
        if (line && !*line)
            line = NULL;
    }
    if (has_result)
        fprintf(out, "-- result\n0x%llx\n", (unsigned long long)result);
    ebpf_free(listing);
}
