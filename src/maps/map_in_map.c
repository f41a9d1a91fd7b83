/*
 * map_in_map.c - inner map templates of array_of_maps and hash_of_maps (see map_in_map.h).
 */
#include "maps/map_in_map.h"

static bool map_is_map_in_map(uint32_t type)
{
    return type == ABI_MAP_TYPE_ARRAY_OF_MAPS || type == ABI_MAP_TYPE_HASH_OF_MAPS;
}

int map_inner_meta_init(struct map_inner_meta *meta, const struct map_def *def, ebpf_diag *diag)
{
    const struct map *inner = def->inner;
    if (!inner)
        return map_fail(diag, def, -EBADF, "a map of maps needs an inner map template");
    if (map_is_map_in_map(inner->type))
        return map_fail(diag, def, -EINVAL, "the inner map cannot itself hold maps");
    if (inner->type == ABI_MAP_TYPE_PROG_ARRAY)
        return map_fail(diag, def, -ABI_ENOTSUPP, "a prog_array cannot be an inner map");
    if (meta) {
        meta->type = inner->type;
        meta->key_size = inner->key_size;
        meta->value_size = inner->value_size;
        meta->max_entries = inner->max_entries;
        meta->map_flags = inner->map_flags;
        meta->spin_lock_off = inner->spin_lock_off;
    }
    return 0;
}

bool map_inner_meta_match(const struct map_inner_meta *meta, const struct map *inner)
{
    if (meta->type != inner->type || meta->key_size != inner->key_size ||
        meta->value_size != inner->value_size || meta->map_flags != inner->map_flags ||
        meta->spin_lock_off != inner->spin_lock_off)
        return false;
    bool array = meta->type == ABI_MAP_TYPE_ARRAY || meta->type == ABI_MAP_TYPE_PERCPU_ARRAY;
    if (array && !(meta->map_flags & ABI_F_INNER_MAP))
        return meta->max_entries == inner->max_entries;
    return true;
}
