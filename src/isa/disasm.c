/*
 * disasm.c - decoded instructions to the assembly syntax isa_assemble reads back, byte for byte.
 *
 * The operands of each format come from syntax.c's table, the mnemonic from isa_infos. Numbers:
 * immediates within +-65535 print in decimal, others as the hex of their bit pattern (0x80000000,
 * 0xffffffffffff0000), which the assembler reads back to the same bits; offsets and relative targets
 * print signed decimal (`[%r10-8]`, `+3`). An instruction with a non-zero field that its syntax has no
 * place for (a reserved field) is refused rather than printed without it.
 */
#include "isa/syntax.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"

#define SMALL 65535 /* largest magnitude printed in decimal */

/* Bounded text writer that keeps counting past the end, like snprintf. */
typedef struct writer {
    char *buf;
    size_t size;
    size_t len;
} writer;

static void put(writer *w, const char *fmt, ...) BASE_PRINTF(2, 3);
static void put(writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = w->len < w->size ? w->buf + w->len : NULL;
    int n = vsnprintf(at, at ? w->size - w->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->len += (size_t)n;
}

static void put_imm32(writer *w, int32_t v)
{
    if (v >= -SMALL && v <= SMALL)
        put(w, "%" PRId32, v);
    else
        put(w, "0x%" PRIx32, (uint32_t)v);
}

static void put_lowercase(writer *w, const char *text)
{
    for (; *text; text++)
        put(w, "%c", (*text >= 'A' && *text <= 'Z') ? *text - 'A' + 'a' : *text);
}

/* `N`, `N+M`, `N-M`: the pseudo-source operand of lddw (N relative for func). */
static void put_lddw_value(writer *w, const isa_insn *insn)
{
    const char *keyword = isa_lddw_keyword(insn->id);
    if (!keyword) {
        int64_t v = (int64_t)insn->imm64;
        if (v >= -SMALL && v <= SMALL)
            put(w, "%" PRId64, v);
        else
            put(w, "0x%" PRIx64, insn->imm64);
        return;
    }
    put_lowercase(w, keyword);
    put(w, " ");
    if (insn->id == ISA_LDDW_FUNC)
        put(w, "%+" PRId32, insn->imm);
    else
        put_imm32(w, insn->imm);
    if (insn->imm2 < 0 && insn->imm2 >= -SMALL) {
        put(w, "%" PRId32, insn->imm2);
    } else if (insn->imm2 != 0) {
        put(w, "+");
        put_imm32(w, insn->imm2);
    }
}

static void put_operand(writer *w, isa_opd opd, const isa_insn *insn)
{
    switch (opd) {
    case ISA_OPD_DST:
        put(w, "%%r%u", insn->dst);
        break;
    case ISA_OPD_SRC:
        put(w, "%%r%u", insn->src);
        break;
    case ISA_OPD_IMM:
        put_imm32(w, insn->imm);
        break;
    case ISA_OPD_MEM_SRC:
        put(w, "[%%r%u%+d]", insn->src, insn->off);
        break;
    case ISA_OPD_MEM_DST:
        put(w, "[%%r%u%+d]", insn->dst, insn->off);
        break;
    case ISA_OPD_OFF_TARGET:
        put(w, "%+d", insn->off);
        break;
    case ISA_OPD_IMM_TARGET:
        put(w, "%+" PRId32, insn->imm);
        break;
    case ISA_OPD_IMM64:
        put_lddw_value(w, insn);
        break;
    case ISA_OPD_OFF:
        put(w, "%d", insn->off);
        break;
    }
}

int isa_disasm_insn(const isa_insn *insn, char *buf, size_t size)
{
    if (!insn || insn->id >= ISA_ID_COUNT || isa_syntax_unexpressed(insn))
        return -EINVAL;
    writer w = { buf, buf ? size : 0, 0 };
    if (w.size > 0)
        buf[0] = '\0';
    put(&w, "%s", isa_syntax_mnemonic(insn->id));
    const isa_shape *shape = isa_shape_of(insn->id);
    for (size_t i = 0; i < shape->nopd; i++) {
        /* An optional trailing offset (kfunc BTF object index) is written only when set. */
        if (shape->opd[i] == ISA_OPD_OFF && i >= shape->min_words && insn->off == 0)
            break;
        put(&w, i == 0 ? " " : ", ");
        put_operand(&w, (isa_opd)shape->opd[i], insn);
    }
    return w.len > INT32_MAX ? -EOVERFLOW : (int)w.len;
}

int isa_disasm_program(const isa_slot *code, size_t count, char **out, ebpf_diag *diag)
{
    diag_clear(diag);
    if (!out || (!code && count > 0))
        return diag_fail(diag, -1, "isa_disasm_program: code and out are required");
    *out = NULL;
    if (count > ISA_MAX_INSNS)
        return diag_fail_errno(diag, -E2BIG, -1, "the program has %zu instructions; at most %u are accepted",
                               count, (unsigned)ISA_MAX_INSNS);
    size_t cap = 32 * count + 64, len = 0; /* most lines are shorter than 32 characters; grown if not */
    char *text = malloc(cap);
    if (!text)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory while disassembling");
    text[0] = '\0';
    for (size_t pc = 0; pc < count;) {
        isa_insn insn;
        int rc = isa_decode(code, count, pc, &insn, diag);
        const char *field = rc == 0 ? isa_syntax_unexpressed(&insn) : NULL;
        if (field)
            rc = diag_fail(diag, (int64_t)pc,
                           "instruction %zu (%s): its %s field is not zero, which the assembly syntax cannot express",
                           pc, isa_infos[insn.id].mnemonic, field);
        char line[160];
        int n = rc == 0 ? isa_disasm_insn(&insn, line, sizeof line) : 0;
        if (rc == 0 && (n < 0 || (size_t)n >= sizeof line))
            rc = diag_fail(diag, (int64_t)pc, "instruction %zu: cannot be disassembled", pc);
        if (rc == 0 && len + (size_t)n + 2 > cap) {
            size_t grown_cap;
            char *grown = NULL;
            if (checked_mul_size(cap, 2, &grown_cap))
                grown = realloc(text, grown_cap);
            if (!grown)
                rc = diag_fail_errno(diag, -ENOMEM, (int64_t)pc, "out of memory while disassembling");
            else
                text = grown, cap = grown_cap;
        }
        if (rc != 0) {
            free(text);
            return rc;
        }
        memcpy(text + len, line, (size_t)n);
        len += (size_t)n;
        text[len++] = '\n';
        text[len] = '\0';
        pc += insn.slots;
    }
    *out = text;
    return 0;
}
