/*
 * elf_maps_legacy.c - map definitions of old objects: `struct bpf_map_def` records in a section named
 * `maps` (or `maps/<name>`), one per symbol in it. The record size is not fixed (samples, iproute2 and
 * other loaders each added fields), so it is the section size divided by the number of map symbols, as
 * libbpf computes it. Fields read: type, key_size, value_size, max_entries, map_flags, then
 * inner_map_idx (only for map-in-map types, as the index of another legacy map in file order) and
 * numa_node (only with BPF_F_NUMA_NODE); anything after that has no meaning here and is ignored.
 * Maps are numbered in file order: by section, then by offset.
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <stdlib.h>

#define LEGACY_MIN_RECORD 16             /* type, key_size, value_size, max_entries */
#define LINUX_MAP_ARRAY_OF_MAPS 12
#define LINUX_MAP_HASH_OF_MAPS 13
#define LINUX_F_NUMA_NODE (1u << 2)

typedef struct map_sym {
    uint32_t section;
    uint64_t value;
    uint32_t sym;
} map_sym;

static int compare_map_sym(const void *a, const void *b)
{
    const map_sym *x = a, *y = b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    return x->value < y->value ? -1 : x->value > y->value;
}

static bool is_map_symbol(const elf_ctx *ctx, const elf_sym *sym)
{
    return sym->shndx < ctx->sec_count && ctx->secs[sym->shndx].kind == ELF_SEC_MAPS_LEGACY &&
           sym->type != ELF_STT_SECTION && sym->type != ELF_STT_FILE;
}

static uint32_t field(const uint8_t *rec, uint64_t rec_size, unsigned index)
{
    return (uint64_t)(index + 1) * 4 <= rec_size ? elf_rd32(rec + index * 4) : 0;
}

/* The map symbols syms[0..count) of one section, sorted by offset. */
static int read_section(elf_ctx *ctx, uint32_t sec_index, const map_sym *syms, uint32_t count, uint32_t *inner_idx)
{
    const elf_sec *sec = &ctx->secs[sec_index];
    uint64_t rec_size = sec->size / count;
    if (sec->size % count != 0 || rec_size < LEGACY_MIN_RECORD)
        return diag_fail(ctx->diag, -1, "section %u '%s': size 0x%llx does not divide into %u map definitions of at least %d bytes",
                         sec_index, sec->name, (unsigned long long)sec->size, count, LEGACY_MIN_RECORD);
    for (uint32_t k = 0; k < count; k++) {
        const elf_sym *sym = &ctx->syms[syms[k].sym];
        if (sym->value % rec_size != 0 || sym->value >= sec->size)
            return diag_fail(ctx->diag, -1, "section %u '%s': map symbol '%s' at offset 0x%llx is not the start of a %llu-byte definition",
                             sec_index, sec->name, sym->name, (unsigned long long)sym->value, (unsigned long long)rec_size);
        if (k > 0 && sym->value == syms[k - 1].value)
            return diag_fail(ctx->diag, -1, "section %u '%s': map symbols '%s' and '%s' share offset 0x%llx", sec_index,
                             sec->name, ctx->syms[syms[k - 1].sym].name, sym->name, (unsigned long long)sym->value);
        if (!sym->name[0])
            return diag_fail(ctx->diag, -1, "section %u '%s': map at offset 0x%llx has no name", sec_index, sec->name,
                             (unsigned long long)sym->value);
        const uint8_t *rec = sec->data + sym->value;
        elf_map *map;
        int64_t index = elf_add_map(ctx, &map);
        if (index < 0)
            return (int)index;
        map->name = sym->name;
        map->section = sec->name;
        map->kind = ELF_MAP_LEGACY;
        map->type = field(rec, rec_size, 0);
        map->key_size = field(rec, rec_size, 1);
        map->value_size = field(rec, rec_size, 2);
        map->max_entries = field(rec, rec_size, 3);
        map->map_flags = field(rec, rec_size, 4);
        inner_idx[index] = field(rec, rec_size, 5);
        if (map->map_flags & LINUX_F_NUMA_NODE)
            map->numa_node = field(rec, rec_size, 6);
        if (!elf_add_map_loc(ctx, sec_index, sym->value, rec_size, (uint32_t)index))
            return -ENOMEM;
    }
    return 0;
}

static int check_empty_sections(elf_ctx *ctx, const map_sym *syms, uint32_t count)
{
    uint32_t k = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        if (ctx->secs[i].kind != ELF_SEC_MAPS_LEGACY)
            continue;
        while (k < count && syms[k].section < i)
            k++;
        if ((k == count || syms[k].section != i) && ctx->secs[i].size != 0)
            return diag_fail(ctx->diag, -1, "section %u '%s': map definitions without map symbols", i, ctx->secs[i].name);
    }
    return 0;
}

int elf_maps_legacy(elf_ctx *ctx)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < ctx->sym_count; i++)
        count += is_map_symbol(ctx, &ctx->syms[i]);
    map_sym *syms = elf_arena_alloc(&ctx->scratch, count, sizeof(map_sym));
    uint32_t *inner_idx = elf_arena_alloc(&ctx->scratch, ELF_MAX_MAPS, sizeof(uint32_t));
    if (!syms || !inner_idx)
        return elf_nomem(ctx, "legacy maps");
    count = 0;
    for (uint32_t i = 0; i < ctx->sym_count; i++)
        if (is_map_symbol(ctx, &ctx->syms[i]))
            syms[count++] = (map_sym){.section = ctx->syms[i].shndx, .value = ctx->syms[i].value, .sym = i};
    if (count > 1)
        qsort(syms, count, sizeof(map_sym), compare_map_sym);
    int rc = check_empty_sections(ctx, syms, count);
    if (rc)
        return rc;

    size_t first = ctx->obj->map_count;
    for (uint32_t k = 0; k < count;) {
        uint32_t end = k;
        while (end < count && syms[end].section == syms[k].section)
            end++;
        if ((rc = read_section(ctx, syms[k].section, syms + k, end - k, inner_idx)))
            return rc;
        k = end;
    }

    size_t legacy = ctx->obj->map_count - first;
    for (size_t i = first; i < ctx->obj->map_count; i++) {
        elf_map *map = &ctx->obj->maps[i];
        if (map->type != LINUX_MAP_ARRAY_OF_MAPS && map->type != LINUX_MAP_HASH_OF_MAPS)
            continue;
        uint32_t idx = inner_idx[i];
        if (idx >= legacy || first + idx == i)
            return diag_fail(ctx->diag, -1, "map '%s': inner map index %u is not another legacy map (the object has %zu)",
                             map->name, idx, legacy);
        map->inner = (int32_t)(first + idx);
    }
    return 0;
}
