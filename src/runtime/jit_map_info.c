/*
 * jit_map_info.c - what the runtime tells the JIT about the maps of an object (jit_options.map_info): a
 * constant that is one of the object's maps (not an inner-map template) may have its
 * bpf_map_lookup_elem computed inline (plain arrays: map_array_direct_layout) or called directly
 * (every other type with a program lookup: map_direct_lookup), skipping the helper, its runtime
 * wrapper and the map layer's dispatch.
 *
 * Only unchecked engines run JIT code, and for them the wrapped lookup (test_run.c) does nothing but
 * call the map layer; so both forms return exactly what the helper would.
 */
#include "elf/elf_object.h"
#include "maps/maps.h"
#include "runtime/runtime_int.h"

bool runtime_jit_map_info(void *user, uint64_t value, jit_map_info *info)
{
    const ebpf_object *obj = user;
    size_t count = elf_object_map_count(obj->elf);
    for (size_t i = 0; i < count; i++) {
        struct map *map = obj->maps[i];
        if (!map || (uint64_t)(uintptr_t)map != value || elf_object_map(obj->elf, i)->kind == ELF_MAP_INNER)
            continue;
        struct map_array_layout layout;
        *info = (jit_map_info){ .lookup = (uint64_t)(uintptr_t)map_direct_lookup(map),
                                .lookup_key32 = (uint64_t)(uintptr_t)map_direct_lookup_key32(map) };
        if (map_array_direct_layout(map, &layout)) {
            info->array = true;
            info->values = (uint64_t)(uintptr_t)layout.values;
            info->stride = layout.stride;
            info->max_entries = layout.max_entries;
        }
        return info->array || info->lookup;
    }
    return false;
}
