/*
 * elf_maps_slots.c - initial elements of BTF-defined map-in-map and prog_array maps:
 *   .values = { [2] = &inner_map, ... }   or   .values = { [0] = &some_program }
 * clang emits them as relocations on `.maps`, one per 8-byte pointer of the `values` array. Each must
 * fall on a pointer of a map's values array, within max_entries, and name a map defined in `.maps`
 * (map-in-map) or a program's entry function (prog_array).
 */
#include "elf/elf_int.h"

static int slot_target(elf_ctx *ctx, const elf_map_loc *loc, const elf_map *map, const elf_rel *rel,
                       uint32_t *kind, uint32_t *target)
{
    const elf_sym *sym = &ctx->syms[rel->sym];
    const char *name = elf_sym_display_name(ctx, rel->sym);
    if (loc->values_kind == ELF_VALUES_MAPS) {
        int64_t index = sym->shndx == ctx->maps_btf_sec ? elf_map_at(ctx, sym->shndx, sym->value) : -1;
        if (index < 0 || (uint32_t)index == loc->map)
            return diag_fail(ctx->diag, -1, "map '%s': initial value '%s' is not another map defined in '.maps'", map->name,
                             name);
        *kind = ELF_SLOT_MAP;
        *target = (uint32_t)index;
        return 0;
    }
    const elf_fn *fn = NULL;
    if (sym->type == ELF_STT_FUNC && sym->shndx < ctx->sec_count && ctx->secs[sym->shndx].code)
        fn = elf_code_fn_at(ctx->secs[sym->shndx].code, (uint32_t)(sym->value / ELF_INSN_SIZE));
    if (!fn || fn->program < 0 || (uint64_t)fn->start * ELF_INSN_SIZE != sym->value)
        return diag_fail(ctx->diag, -1, "map '%s': initial value '%s' is not a program", map->name, name);
    *kind = ELF_SLOT_PROGRAM;
    *target = (uint32_t)fn->program;
    return 0;
}

int elf_maps_slots(elf_ctx *ctx)
{
    if (!ctx->maps_btf_sec)
        return 0;
    const elf_sec *sec = &ctx->secs[ctx->maps_btf_sec];
    elf_map_slot *slots = elf_arena_alloc(ctx->arena, sec->rel_count, sizeof(elf_map_slot));
    if (!slots)
        return elf_nomem(ctx, "map initial values");
    for (uint32_t r = 0; r < sec->rel_count; r++) {
        const elf_rel *rel = &sec->rels[r];
        if (rel->type == ELF_R_BPF_NONE)
            continue;
        const elf_map_loc *loc = elf_map_loc_containing(ctx, ctx->maps_btf_sec, rel->offset);
        if (!loc)
            return diag_fail(ctx->diag, -1, "section '.maps': relocation at offset 0x%llx against '%s' is not inside a map definition",
                             (unsigned long long)rel->offset, elf_sym_display_name(ctx, rel->sym));
        elf_map *map = &ctx->obj->maps[loc->map];
        if (loc->values_kind == ELF_VALUES_NONE || rel->offset < loc->values_offset ||
            (rel->offset - loc->values_offset) % 8 != 0)
            return diag_fail(ctx->diag, -1, "map '%s': relocation at offset 0x%llx of '.maps' against '%s' is not an element of its 'values' array",
                             map->name, (unsigned long long)rel->offset, elf_sym_display_name(ctx, rel->sym));
        if (rel->type != ELF_R_BPF_64_64 && rel->type != ELF_R_BPF_64_ABS64)
            return diag_fail(ctx->diag, -1, "map '%s': initial value relocation of type %s (expected R_BPF_64_64 or R_BPF_64_ABS64)",
                             map->name, elf_rel_type_name(rel->type));
        uint64_t index = (rel->offset - loc->values_offset) / 8;
        if (index >= map->max_entries)
            return diag_fail(ctx->diag, -1, "map '%s': initial value for element %llu, but max_entries is %u", map->name,
                             (unsigned long long)index, map->max_entries);
        elf_map_slot slot = {.index = (uint32_t)index};
        int rc = slot_target(ctx, loc, map, rel, &slot.kind, &slot.target);
        if (rc)
            return rc;
        /* Relocations are sorted by offset and each map's values array is contiguous, so a map's
         * slots are consecutive here and sorted by index. */
        elf_map_slot *mine = &slots[r];
        if (!map->slots) {
            map->slots = mine;
        } else if (map->slots + map->slot_count != mine) {
            return diag_fail(ctx->diag, -1, "map '%s': initial values are interleaved with another map's", map->name);
        }
        *mine = slot;
        map->slot_count++;
    }
    return 0;
}
