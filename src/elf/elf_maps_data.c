/*
 * elf_maps_data.c - global variables: each non-empty .data*, .rodata* and .bss* section becomes an array
 * map with one element the size of the section, initialised with the section's bytes (zeroes for .bss).
 * Read-only data is marked so (BPF_F_RDONLY_PROG; the runtime freezes it after initialisation).
 * Programs reach it through lddw map-value relocations (elf_link.c).
 */
#include "elf/elf_int.h"

#include <stdlib.h>
#include <string.h>

#define LINUX_MAP_ARRAY 2
#define LINUX_F_RDONLY_PROG (1u << 7)

typedef struct datasec {
    const char *name;
    uint32_t id;
} datasec;

static int compare_datasec(const void *a, const void *b)
{
    return strcmp(((const datasec *)a)->name, ((const datasec *)b)->name);
}

/* The BTF DATASECs sorted by name (one pass over the types, however many data sections there are). */
static int index_datasecs(elf_ctx *ctx, datasec **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!ctx->btf)
        return 0;
    size_t n = 0;
    for (uint32_t id = 1; id < ctx->btf->count; id++)
        n += btf_kind(ctx->btf, id) == BTF_K_DATASEC;
    datasec *list = elf_arena_alloc(&ctx->scratch, n, sizeof(datasec));
    if (!list)
        return elf_nomem(ctx, "global data");
    n = 0;
    for (uint32_t id = 1; id < ctx->btf->count; id++)
        if (btf_kind(ctx->btf, id) == BTF_K_DATASEC)
            list[n++] = (datasec){.name = btf_name(ctx->btf, id), .id = id};
    if (n > 1)
        qsort(list, n, sizeof(datasec), compare_datasec);
    *out = list;
    *count = n;
    return 0;
}

int elf_maps_data(elf_ctx *ctx)
{
    datasec *datasecs = NULL;
    size_t datasec_count = 0;
    int rc = index_datasecs(ctx, &datasecs, &datasec_count);
    if (rc)
        return rc;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        elf_sec *sec = &ctx->secs[i];
        if (sec->kind != ELF_SEC_DATA || sec->size == 0)
            continue;
        if (sec->size > UINT32_MAX)
            return diag_fail(ctx->diag, -1, "section %u '%s': 0x%llx bytes of global data is too large", i, sec->name,
                             (unsigned long long)sec->size);
        elf_map *map;
        int64_t index = elf_add_map(ctx, &map);
        if (index < 0)
            return (int)index;
        bool rodata = strncmp(sec->name, ".rodata", 7) == 0;
        map->name = sec->name;
        map->section = sec->name;
        map->kind = ELF_MAP_DATA;
        map->type = LINUX_MAP_ARRAY;
        map->key_size = 4;
        map->value_size = (uint32_t)sec->size;
        map->max_entries = 1;
        map->map_flags = rodata ? LINUX_F_RDONLY_PROG : 0;
        map->read_only = rodata;
        map->data = sec->data;
        datasec key = {.name = sec->name};
        const datasec *found =
            datasec_count ? bsearch(&key, datasecs, datasec_count, sizeof(datasec), compare_datasec) : NULL;
        map->btf_value_type = found ? found->id : 0;
        sec->map = (int32_t)index;
    }
    return 0;
}
