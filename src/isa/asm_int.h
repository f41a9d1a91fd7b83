/*
 * asm_int.h - private to the assembler (asm.c, asm_lex.c, asm_mnemonic.c, asm_labels.c): the state of
 * one isa_assemble call and the pieces it is built from. Words always point into the caller's source
 * text, which outlives the call; nothing here copies it.
 */
#ifndef EBPF_ISA_ASM_INT_H
#define EBPF_ISA_ASM_INT_H

#include "isa/syntax.h"

/* One whitespace-separated word of a source line (one trailing ',' already removed). */
typedef struct isa_word {
    const char *p;
    size_t n;
} isa_word;

/* For messages: at most this many characters of a word are quoted. */
#define ISA_WORD_QUOTE 96
#define ISA_WORD_ARG(w) (int)((w).n < ISA_WORD_QUOTE ? (w).n : ISA_WORD_QUOTE), (w).p

bool isa_word_is(isa_word w, const char *text);

/* ---- mnemonic index (asm_mnemonic.c) ---- */

#define ISA_MN_KEY 24                       /* longest spelling, NUL included */
#define ISA_MN_ENTRIES (2 * ISA_ID_COUNT + 8) /* every row, plus aliases */
#define ISA_MN_BUCKETS 512
#define ISA_MN_MAX_ROWS 8                   /* rows sharing one spelling (lddw has 7) */

typedef struct isa_mn_entry {
    char key[ISA_MN_KEY];
    uint16_t id;
    int16_t next;
} isa_mn_entry;

/* Spelling -> rows, including the aliases of the syntax: `swap16` for `bswap16`, an explicit `64`
 * suffix on 64-bit ALU/jump/atomic mnemonics, `call helper` for `call`, `call` + register for callx. */
typedef struct isa_mn_index {
    int16_t head[ISA_MN_BUCKETS];
    isa_mn_entry entries[ISA_MN_ENTRIES];
    size_t count;
} isa_mn_index;

void isa_mn_index_init(isa_mn_index *ix);

/* Rows spelled exactly `key` (len bytes), in row order. Returns how many were stored in rows[]. */
size_t isa_mn_lookup(const isa_mn_index *ix, const char *key, size_t len, uint16_t rows[ISA_MN_MAX_ROWS]);

/* ---- labels (asm_labels.c) ---- */

typedef struct isa_label {
    isa_word name;
    size_t slot;
} isa_label;

/* Open-addressing table of label names (empty slot: name.p == NULL). */
typedef struct isa_labels {
    isa_label *table;
    size_t cap;   /* power of two, or 0 */
    size_t count;
} isa_labels;

#define ISA_ASM_MAX_LABELS ISA_MAX_INSNS /* named sanity limit */

/* Adds name -> slot. Returns 0, -EEXIST for a duplicate, -ENOMEM. */
int isa_labels_add(isa_labels *labels, isa_word name, size_t slot);
const isa_label *isa_labels_find(const isa_labels *labels, isa_word name);
void isa_labels_free(isa_labels *labels);

/* ---- assembler state (asm.c) ---- */

/* A jump or call written with a label, patched once every label is known. */
typedef struct isa_fixup {
    isa_word label;
    size_t slot;   /* the instruction's first slot */
    size_t line;   /* for messages */
    bool in_imm;   /* the target goes into imm (ja32, call local, lddw func), else into off */
} isa_fixup;

typedef struct isa_asm {
    ebpf_diag *diag;
    size_t line;              /* 1-based source line being assembled */
    isa_slot *slots;
    size_t count, cap;
    isa_fixup *fixups;
    size_t fixup_count, fixup_cap;
    isa_labels labels;
    bool have_exit;
    size_t first_exit;        /* slot of the first exit: the implicit label `exit` */
    isa_mn_index mnemonics;
} isa_asm;

/* Fails with a message about the current line (diag->insn = line number). Returns -EINVAL. */
int isa_asm_fail(isa_asm *as, const char *fmt, ...) BASE_PRINTF(2, 3);

/* ---- operand parsing (asm_lex.c); each reports the conformance message on failure ---- */

int isa_lex_register(isa_asm *as, isa_word w, uint8_t *reg);
int isa_lex_imm32(isa_asm *as, isa_word w, int32_t *out);
int isa_lex_off16(isa_asm *as, isa_word w, int16_t *out);
int isa_lex_imm64(isa_asm *as, isa_word w, uint64_t *out);
/* `[%rN]`, `[%rN+off]`, `[%rN-off]`. */
int isa_lex_memory(isa_asm *as, isa_word w, uint8_t *reg, int16_t *off);
/* True when the word starts like a relative target (`+N`, `-N`) rather than a label. */
bool isa_lex_is_relative(isa_word w);
/* True when a word is a register operand (starts with '%'). */
bool isa_lex_is_register(isa_word w);

#endif
