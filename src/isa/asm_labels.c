/*
 * asm_labels.c - the assembler's label table: label name -> slot, open addressing with linear probing,
 * grown at 50% load. Names point into the source text; nothing is copied.
 */
#include "isa/asm_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked.h"

static size_t hash_word(isa_word w)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < w.n; i++)
        h = (h ^ (unsigned char)w.p[i]) * 1099511628211ull;
    return (size_t)h;
}

static bool same(isa_word a, isa_word b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static isa_label *probe(isa_label *table, size_t cap, isa_word name)
{
    size_t i = hash_word(name) & (cap - 1);
    while (table[i].name.p && !same(table[i].name, name))
        i = (i + 1) & (cap - 1);
    return &table[i];
}

static int grow(isa_labels *labels)
{
    size_t cap = labels->cap ? labels->cap * 2 : 64;
    size_t bytes;
    if (!checked_mul_size(cap, sizeof(isa_label), &bytes))
        return -ENOMEM;
    isa_label *table = calloc(1, bytes);
    if (!table)
        return -ENOMEM;
    for (size_t i = 0; i < labels->cap; i++)
        if (labels->table[i].name.p)
            *probe(table, cap, labels->table[i].name) = labels->table[i];
    free(labels->table);
    labels->table = table;
    labels->cap = cap;
    return 0;
}

int isa_labels_add(isa_labels *labels, isa_word name, size_t slot)
{
    if (labels->cap && isa_labels_find(labels, name))
        return -EEXIST;
    if (labels->count >= ISA_ASM_MAX_LABELS)
        return -E2BIG;
    if ((labels->count + 1) * 2 > labels->cap) {
        int rc = grow(labels);
        if (rc != 0)
            return rc;
    }
    isa_label *entry = probe(labels->table, labels->cap, name);
    entry->name = name;
    entry->slot = slot;
    labels->count++;
    return 0;
}

const isa_label *isa_labels_find(const isa_labels *labels, isa_word name)
{
    if (!labels->cap)
        return NULL;
    const isa_label *entry = probe(labels->table, labels->cap, name);
    return entry->name.p ? entry : NULL;
}

void isa_labels_free(isa_labels *labels)
{
    free(labels->table);
    *labels = (isa_labels){ 0 };
}
