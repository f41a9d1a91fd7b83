/*
 * asm.c - isa_assemble: bpf_conformance assembly text (PROTOCOL.md section 2) to instruction slots.
 *
 * One pass over the lines, then one pass over the label fix-ups. Per line: cut the `#` comment, split on
 * whitespace (each word loses one trailing ','), then either define a label (`name:`; the rest of the
 * line is ignored) or find the mnemonic: the longest run of up to three leading words that the
 * mnemonic index knows ("lock fetch add32", "call local", "mov"). Among the rows spelled that way, the
 * operand count and kinds pick one (a `%` register where the row wants src or an immediate tells
 * add from add-immediate, call from callx); syntax.c says which fields each operand fills, and the
 * row's discriminator and opcode complete the slot.
 *
 * Targets: `+N`/`-N` are taken as written; a label becomes (label slot - own slot - 1), into `off` for
 * jumps and into `imm` for ja32, call local and lddw func. The first exit instruction defines the label
 * `exit` unless a label of that name is written explicitly.
 *
 * Errors stop at the first one found (line errors in line order, then unknown labels in line order);
 * diag->insn is the 1-based source line, diag->message the conformance text.
 */
#include "isa/asm_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"

#define MAX_WORDS 8 /* words of a line kept; longer lines can only be operand-count errors */

int isa_asm_fail(isa_asm *as, const char *fmt, ...)
{
    char text[sizeof(((ebpf_diag *)0)->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return diag_fail(as->diag, (int64_t)as->line, "%s", text);
}

static int out_of_memory(isa_asm *as)
{
    return diag_fail_errno(as->diag, -ENOMEM, (int64_t)as->line, "out of memory while assembling");
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits [p, end) into words; returns the number of words (only the first MAX_WORDS are stored). */
static size_t split_words(const char *p, const char *end, isa_word words[MAX_WORDS])
{
    const char *hash = memchr(p, '#', (size_t)(end - p));
    if (hash)
        end = hash;
    size_t total = 0;
    while (p < end) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        const char *start = p;
        while (p < end && !is_space(*p))
            p++;
        isa_word w = { start, (size_t)(p - start) };
        if (w.n > 0 && w.p[w.n - 1] == ',')
            w.n--;
        if (total < MAX_WORDS)
            words[total] = w;
        total++;
    }
    return total;
}

/* The first word of a multi-word mnemonic ("lock" of "lock add", "call" of "call local"). */
static bool is_first_word_of(isa_word w, unsigned id)
{
    const char *mn = isa_infos[id].mnemonic;
    const char *space = strchr(mn, ' ');
    size_t len = space ? (size_t)(space - mn) : strlen(mn);
    return w.n == len && memcmp(w.p, mn, len) == 0;
}

static bool word_is_keyword(isa_word w, const char *keyword)
{
    if (strlen(keyword) != w.n)
        return false;
    for (size_t i = 0; i < w.n; i++) {
        char c = w.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        char k = keyword[i];
        if (k >= 'A' && k <= 'Z')
            k = (char)(k - 'A' + 'a');
        if (c != k)
            return false;
    }
    return true;
}

/* Does the row accept these operand words by count and by kind? `by_kind` false checks the count only. */
static bool row_fits(unsigned id, const isa_word *opd, size_t n, bool by_kind)
{
    const isa_shape *shape = isa_shape_of(id);
    if (n < shape->min_words || n > shape->max_words)
        return false;
    if (!by_kind)
        return true;
    for (size_t j = 0, i = 0; j < shape->nopd && i < n; j++, i++) {
        switch ((isa_opd)shape->opd[j]) {
        case ISA_OPD_SRC:
            if (!isa_lex_is_register(opd[i]))
                return false;
            break;
        case ISA_OPD_IMM:
            if (isa_lex_is_register(opd[i]))
                return false;
            break;
        case ISA_OPD_IMM64: {
            const char *keyword = isa_lddw_keyword(id);
            if (n - i == 2 ? !(keyword && word_is_keyword(opd[i], keyword)) : keyword != NULL)
                return false;
            break;
        }
        default:
            break;
        }
    }
    return true;
}

static int record_fixup(isa_asm *as, isa_word label, bool in_imm)
{
    if (as->fixup_count == as->fixup_cap) {
        size_t cap = as->fixup_cap ? as->fixup_cap * 2 : 64, bytes;
        if (!checked_mul_size(cap, sizeof *as->fixups, &bytes))
            return out_of_memory(as);
        isa_fixup *grown = realloc(as->fixups, bytes);
        if (!grown)
            return out_of_memory(as);
        as->fixups = grown;
        as->fixup_cap = cap;
    }
    as->fixups[as->fixup_count++] = (isa_fixup){ label, as->count, as->line, in_imm };
    return 0;
}

/* A jump or call target: `+N`, `-N` or a label (patched later). */
static int parse_target(isa_asm *as, isa_word w, bool in_imm, isa_insn *insn)
{
    if (!isa_lex_is_relative(w))
        return record_fixup(as, w, in_imm);
    return in_imm ? isa_lex_imm32(as, w, &insn->imm) : isa_lex_off16(as, w, &insn->off);
}

/* The lddw value: a 64-bit number, or `kind N[+M]` / `kind N[-M]` for a pseudo source (M: second-slot
 * imm; N of `func` is a target like call local's). */
static int parse_lddw_value(isa_asm *as, unsigned id, const isa_word *w, size_t n, isa_insn *insn)
{
    if (n == 1) {
        uint64_t value;
        int rc = isa_lex_imm64(as, w[0], &value);
        insn->imm = isa_i32((uint32_t)value);
        insn->imm2 = isa_i32((uint32_t)(value >> 32));
        return rc;
    }
    if (!isa_lddw_keyword(id))
        return isa_asm_fail(as, "Invalid lddw source: %.*s", ISA_WORD_ARG(w[0]));
    isa_word value = w[1];
    size_t split = 1;
    while (split < value.n && value.p[split] != '+' && value.p[split] != '-')
        split++;
    isa_word extra = { value.p + split, value.n - split };
    value.n = split;
    int rc = id == ISA_LDDW_FUNC ? parse_target(as, value, true, insn) : isa_lex_imm32(as, value, &insn->imm);
    if (rc == 0 && extra.n > 0)
        rc = isa_lex_imm32(as, extra, &insn->imm2);
    return rc;
}

static int parse_operands(isa_asm *as, unsigned id, const isa_word *opd, size_t n, isa_insn *insn)
{
    const isa_shape *shape = isa_shape_of(id);
    int rc = 0;
    for (size_t j = 0, i = 0; rc == 0 && j < shape->nopd && i < n; j++, i++) {
        switch ((isa_opd)shape->opd[j]) {
        case ISA_OPD_DST:
            rc = isa_lex_register(as, opd[i], &insn->dst);
            break;
        case ISA_OPD_SRC:
            rc = isa_lex_register(as, opd[i], &insn->src);
            break;
        case ISA_OPD_IMM:
            rc = isa_lex_imm32(as, opd[i], &insn->imm);
            break;
        case ISA_OPD_MEM_SRC:
            rc = isa_lex_memory(as, opd[i], &insn->src, &insn->off);
            break;
        case ISA_OPD_MEM_DST:
            rc = isa_lex_memory(as, opd[i], &insn->dst, &insn->off);
            break;
        case ISA_OPD_OFF_TARGET:
            rc = parse_target(as, opd[i], false, insn);
            break;
        case ISA_OPD_IMM_TARGET:
            rc = parse_target(as, opd[i], true, insn);
            break;
        case ISA_OPD_IMM64:
            rc = parse_lddw_value(as, id, &opd[i], n - i, insn);
            i = n;
            break;
        case ISA_OPD_OFF:
            rc = isa_lex_off16(as, opd[i], &insn->off);
            break;
        }
    }
    return rc;
}

static int emit(isa_asm *as, const isa_insn *insn)
{
    const isa_info *info = &isa_infos[insn->id];
    size_t slots = info->format == ISA_FMT_LDDW ? 2 : 1;
    if (as->count + slots > ISA_MAX_INSNS)
        return isa_asm_fail(as, "Program too large: more than %u instructions", (unsigned)ISA_MAX_INSNS);
    if (as->count + slots > as->cap) {
        size_t cap = as->cap ? as->cap * 2 : 256, bytes;
        if (!checked_mul_size(cap, sizeof *as->slots, &bytes))
            return out_of_memory(as);
        isa_slot *grown = realloc(as->slots, bytes);
        if (!grown)
            return out_of_memory(as);
        as->slots = grown;
        as->cap = cap;
    }
    isa_slot *slot = &as->slots[as->count];
    memset(slot, 0, slots * sizeof *slot);
    slot->opcode = info->opcode;
    slot->dst = insn->dst & 0xf;
    slot->src = insn->src & 0xf;
    slot->off = insn->off;
    slot->imm = insn->imm;
    switch (isa_shape_of(insn->id)->disc_field) {
    case ISA_F_OFF:
        slot->off = (int16_t)info->disc;
        break;
    case ISA_F_IMM:
        slot->imm = info->disc;
        break;
    case ISA_F_SRC:
        slot->src = (uint8_t)(info->disc & 0xf);
        break;
    }
    if (slots == 2)
        slot[1].imm = insn->imm2;
    if (insn->id == ISA_EXIT && !as->have_exit) {
        as->have_exit = true;
        as->first_exit = as->count;
    }
    as->count += slots;
    return 0;
}

static int define_label(isa_asm *as, isa_word w)
{
    isa_word name = { w.p, w.n - 1 };
    int rc = isa_labels_add(&as->labels, name, as->count);
    if (rc == -EEXIST)
        return isa_asm_fail(as, "Duplicate label: %.*s", ISA_WORD_ARG(name));
    if (rc == -E2BIG)
        return isa_asm_fail(as, "Too many labels: at most %u", (unsigned)ISA_ASM_MAX_LABELS);
    return rc == 0 ? 0 : out_of_memory(as);
}

/* No mnemonic matched any leading words. */
static int unknown_mnemonic(isa_asm *as, const isa_word *w, size_t total)
{
    if (is_first_word_of(w[0], ISA_ATOMIC_ADD64)) {
        if (total < 4) /* lock op [dst+off], src */
            return isa_asm_fail(as, "Invalid number of operands for lock");
        const isa_word *last = &w[(total - 2 < MAX_WORDS ? total - 2 : MAX_WORDS) - 1];
        isa_word text = { w[0].p, (size_t)(last->p + last->n - w[0].p) };
        return isa_asm_fail(as, "Invalid mnemonic: %.*s", ISA_WORD_ARG(text));
    }
    return isa_asm_fail(as, "Invalid mnemonic: %.*s", ISA_WORD_ARG(w[0]));
}

/* Rows matched, but none takes this many operands. */
static int wrong_operand_count(isa_asm *as, unsigned id, isa_word mnemonic, size_t n)
{
    isa_format f = (isa_format)isa_infos[id].format;
    if (f == ISA_FMT_ATOMIC)
        return isa_asm_fail(as, "Invalid number of operands for lock");
    if ((f == ISA_FMT_CALL_HELPER || f == ISA_FMT_CALLX) && n >= 2)
        return isa_asm_fail(as, "Invalid call mode");
    return isa_asm_fail(as, "Invalid number of operands for mnemonic: %.*s", ISA_WORD_ARG(mnemonic));
}

/* Finds the mnemonic: the longest run of up to three leading words the index knows. Returns how many
 * words it took (0: none), with its rows and its text as written. */
static size_t find_mnemonic(isa_asm *as, const isa_word *w, size_t total, uint16_t rows[ISA_MN_MAX_ROWS],
                            size_t *nrows, isa_word *text)
{
    for (size_t k = total < 3 ? total : 3; k > 0; k--) {
        char key[ISA_MN_KEY];
        size_t len = 0;
        bool fits = true;
        for (size_t i = 0; i < k && fits; i++) {
            fits = len + (i > 0) + w[i].n < sizeof key;
            if (fits) {
                if (i > 0)
                    key[len++] = ' ';
                memcpy(key + len, w[i].p, w[i].n);
                len += w[i].n;
            }
        }
        *nrows = fits ? isa_mn_lookup(&as->mnemonics, key, len, rows) : 0;
        if (*nrows > 0) {
            *text = (isa_word){ w[0].p, (size_t)(w[k - 1].p + w[k - 1].n - w[0].p) };
            return k;
        }
    }
    return 0;
}

static int assemble_line(isa_asm *as, const char *p, const char *end)
{
    isa_word w[MAX_WORDS];
    size_t total = split_words(p, end, w);
    if (total == 0)
        return 0;
    if (w[0].n > 0 && w[0].p[w[0].n - 1] == ':')
        return define_label(as, w[0]);

    uint16_t rows[ISA_MN_MAX_ROWS];
    size_t nrows;
    isa_word mnemonic;
    size_t k = find_mnemonic(as, w, total, rows, &nrows, &mnemonic);
    if (k == 0)
        return unknown_mnemonic(as, w, total);

    const isa_word *opd = &w[k];
    size_t n = total - k;
    size_t chosen = nrows;
    if (n <= MAX_WORDS - k) { /* otherwise too many operands for any row */
        for (size_t r = 0; r < nrows && chosen == nrows; r++)
            if (row_fits(rows[r], opd, n, true))
                chosen = r;
        for (size_t r = 0; r < nrows && chosen == nrows; r++)
            if (row_fits(rows[r], opd, n, false))
                chosen = r;
    }
    if (chosen == nrows)
        return wrong_operand_count(as, rows[0], mnemonic, n);

    isa_insn insn = { .id = rows[chosen] };
    int rc = parse_operands(as, insn.id, opd, n, &insn);
    return rc == 0 ? emit(as, &insn) : rc;
}

static int resolve_fixups(isa_asm *as)
{
    for (size_t i = 0; i < as->fixup_count; i++) {
        const isa_fixup *fix = &as->fixups[i];
        as->line = fix->line;
        const isa_label *label = isa_labels_find(&as->labels, fix->label);
        size_t target;
        if (label)
            target = label->slot;
        else if (as->have_exit && isa_word_is(fix->label, isa_infos[ISA_EXIT].mnemonic))
            target = as->first_exit;
        else
            return isa_asm_fail(as, "Invalid label: %.*s", ISA_WORD_ARG(fix->label));
        int64_t delta = (int64_t)target - (int64_t)fix->slot - 1; /* both <= ISA_MAX_INSNS */
        if (fix->in_imm) {
            as->slots[fix->slot].imm = (int32_t)delta;
        } else {
            if (delta < INT16_MIN || delta > INT16_MAX)
                return isa_asm_fail(as, "Offset out of 16-bit range: %lld", (long long)delta);
            as->slots[fix->slot].off = (int16_t)delta;
        }
    }
    return 0;
}

int isa_assemble(const char *source, isa_slot **out, size_t *count, ebpf_diag *diag)
{
    diag_clear(diag);
    if (!source || !out || !count)
        return diag_fail(diag, -1, "isa_assemble: source, out and count are required");
    *out = NULL;
    *count = 0;
    isa_asm *as = calloc(1, sizeof *as);
    if (!as)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory while assembling");
    as->diag = diag;
    isa_mn_index_init(&as->mnemonics);

    int rc = 0;
    for (const char *p = source; rc == 0 && *p;) {
        const char *end = strchr(p, '\n');
        if (!end)
            end = p + strlen(p);
        as->line++;
        rc = assemble_line(as, p, end);
        p = *end ? end + 1 : end;
    }
    if (rc == 0)
        rc = resolve_fixups(as);
    if (rc == 0) {
        *out = as->slots;
        *count = as->count;
        as->slots = NULL;
    }
    free(as->slots);
    free(as->fixups);
    isa_labels_free(&as->labels);
    free(as);
    return rc;
}
