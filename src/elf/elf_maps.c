/*
 * elf_maps.c - the object's map list while it is being built, and where each map definition sits
 * (section, offset) so that relocations naming a map symbol find it. Maps are appended by the BTF,
 * legacy and global-data passes; indices are stable once given. elf_maps_index then sorts the
 * locations (refusing overlapping definitions) for the binary searches of the later passes.
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <stdlib.h>

int64_t elf_add_map(elf_ctx *ctx, elf_map **out)
{
    elf_object *obj = ctx->obj;
    if (obj->map_count >= ELF_MAX_MAPS)
        return diag_fail_errno(ctx->diag, -E2BIG, -1, "more than %u maps", ELF_MAX_MAPS);
    if (!elf_arena_grow(ctx->arena, (void **)&obj->maps, obj->map_count, &ctx->map_cap, sizeof(elf_map)))
        return elf_nomem(ctx, "the map list");
    elf_map *map = &obj->maps[obj->map_count];
    map->inner = -1;
    map->name = "";
    map->section = "";
    *out = map;
    return (int64_t)obj->map_count++;
}

elf_map_loc *elf_add_map_loc(elf_ctx *ctx, uint32_t section, uint64_t offset, uint64_t size, uint32_t map)
{
    if (!elf_arena_grow(&ctx->scratch, (void **)&ctx->locs, ctx->loc_count, &ctx->loc_cap, sizeof(elf_map_loc))) {
        elf_nomem(ctx, "map locations");
        return NULL;
    }
    elf_map_loc *loc = &ctx->locs[ctx->loc_count++];
    *loc = (elf_map_loc){.section = section, .offset = offset, .size = size, .map = map};
    return loc;
}

static int compare_loc(const void *a, const void *b)
{
    const elf_map_loc *x = a, *y = b;
    if (x->section != y->section)
        return x->section < y->section ? -1 : 1;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int elf_maps_index(elf_ctx *ctx)
{
    if (ctx->loc_count > 1)
        qsort(ctx->locs, ctx->loc_count, sizeof(elf_map_loc), compare_loc);
    for (size_t i = 1; i < ctx->loc_count; i++) {
        const elf_map_loc *a = &ctx->locs[i - 1], *b = &ctx->locs[i];
        if (a->section == b->section && b->offset - a->offset < a->size)
            return diag_fail(ctx->diag, -1, "maps '%s' and '%s' overlap in section '%s' (offsets 0x%llx and 0x%llx)",
                             ctx->obj->maps[a->map].name, ctx->obj->maps[b->map].name, ctx->secs[a->section].name,
                             (unsigned long long)a->offset, (unsigned long long)b->offset);
    }
    return 0;
}

/* Last location at or before (section, offset), NULL if none. */
static const elf_map_loc *loc_floor(const elf_ctx *ctx, uint32_t section, uint64_t offset)
{
    size_t lo = 0, hi = ctx->loc_count;
    elf_map_loc key = {.section = section, .offset = offset};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_loc(&ctx->locs[mid], &key) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &ctx->locs[lo - 1] : NULL;
}

int64_t elf_map_at(const elf_ctx *ctx, uint32_t section, uint64_t offset)
{
    const elf_map_loc *loc = loc_floor(ctx, section, offset);
    return loc && loc->section == section && loc->offset == offset ? (int64_t)loc->map : -1;
}

const elf_map_loc *elf_map_loc_containing(const elf_ctx *ctx, uint32_t section, uint64_t offset)
{
    const elf_map_loc *loc = loc_floor(ctx, section, offset);
    return loc && loc->section == section && offset - loc->offset < loc->size ? loc : NULL;
}

int elf_nomem(elf_ctx *ctx, const char *what)
{
    return diag_fail_errno(ctx->diag, -ENOMEM, -1, "out of memory reading %s", what);
}
