/*
 * asm_mnemonic.c - the assembler's spelling -> rows index, built from isa_infos at the start of each
 * isa_assemble call (a few hundred entries; no global state, so calls may run on several threads).
 *
 * Besides each row's own mnemonic it holds the aliases PROTOCOL.md section 2 allows, all derived from
 * the table rather than spelled again:
 *   - `swap16/32/64` for `bswap16/32/64` (the table spelling without its first letter);
 *   - an explicit `64` suffix on 64-bit ALU, jump and atomic mnemonics (`add64`, `jeq64`, `lock add64`);
 *   - `call helper` for `call`, and `call` for callx (told apart by the register operand).
 */
#include "isa/asm_int.h"

#include <stdio.h>
#include <string.h>

static uint32_t hash_key(const char *key, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 16777619u;
    return h;
}

static void add(isa_mn_index *ix, unsigned id, const char *fmt, const char *mnemonic, const char *suffix)
{
    if (ix->count >= ISA_MN_ENTRIES)
        return;
    isa_mn_entry *e = &ix->entries[ix->count];
    int n = snprintf(e->key, sizeof e->key, fmt, mnemonic, suffix);
    if (n < 0 || (size_t)n >= sizeof e->key)
        return; /* longer than any spelling the syntax has: never matched */
    e->id = (uint16_t)id;
    ix->count++;
}

static bool is_bswap(unsigned id)
{
    return isa_infos[id].opcode == isa_infos[ISA_BSWAP16].opcode;
}

/* 64-bit rows whose 32-bit twin carries a `32` suffix: these may also be written with `64`. */
static bool takes_64_suffix(unsigned id)
{
    const isa_info *info = &isa_infos[id];
    size_t len = strlen(info->mnemonic);
    bool wide = info->group == ISA_GROUP_BASE64 || info->group == ISA_GROUP_DIVMUL64 ||
                info->group == ISA_GROUP_ATOMIC64;
    bool family = info->format == ISA_FMT_ALU_IMM || info->format == ISA_FMT_ALU_REG ||
                  info->format == ISA_FMT_NEG || info->format == ISA_FMT_JMP_IMM ||
                  info->format == ISA_FMT_JMP_REG || info->format == ISA_FMT_ATOMIC;
    return wide && family && !(len >= 2 && strcmp(info->mnemonic + len - 2, "64") == 0);
}

void isa_mn_index_init(isa_mn_index *ix)
{
    ix->count = 0;
    for (unsigned id = 0; id < ISA_ID_COUNT; id++) {
        const char *mn = isa_infos[id].mnemonic;
        add(ix, id, "%s%s", mn, "");
        if (isa_syntax_mnemonic(id) != mn)
            add(ix, id, "%s%s", isa_syntax_mnemonic(id), "");
        if (is_bswap(id))
            add(ix, id, "%s%s", mn + 1, "");
        if (takes_64_suffix(id))
            add(ix, id, "%s%s", mn, "64");
        if (isa_infos[id].format == ISA_FMT_CALL_HELPER || isa_infos[id].format == ISA_FMT_CALLX)
            add(ix, id, "%s %s", isa_syntax_mnemonic(id), "helper");
    }
    for (size_t b = 0; b < ISA_MN_BUCKETS; b++)
        ix->head[b] = -1;
    /* Push in reverse so that each chain lists its rows in row order. */
    for (size_t i = ix->count; i-- > 0;) {
        isa_mn_entry *e = &ix->entries[i];
        uint32_t b = hash_key(e->key, strlen(e->key)) & (ISA_MN_BUCKETS - 1);
        e->next = ix->head[b];
        ix->head[b] = (int16_t)i;
    }
}

size_t isa_mn_lookup(const isa_mn_index *ix, const char *key, size_t len, uint16_t rows[ISA_MN_MAX_ROWS])
{
    size_t found = 0;
    if (len >= ISA_MN_KEY)
        return 0;
    uint32_t b = hash_key(key, len) & (ISA_MN_BUCKETS - 1);
    for (int16_t i = ix->head[b]; i >= 0 && found < ISA_MN_MAX_ROWS; i = ix->entries[i].next) {
        const isa_mn_entry *e = &ix->entries[i];
        if (strncmp(e->key, key, len) == 0 && e->key[len] == '\0')
            rows[found++] = e->id;
    }
    return found;
}
