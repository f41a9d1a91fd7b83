/*
 * array_of_maps.c - BPF_MAP_TYPE_ARRAY_OF_MAPS: slots holding references to maps that match the
 * inner template. A program's lookup returns the inner map itself; user space stores maps with
 * map_sys_update_obj and reads back their ids.
 */
#include "maps/map_in_map.h"
#include "maps/obj_array.h"

struct array_of_maps {
    struct obj_array a;
    struct map_inner_meta meta;
};

static int aom_check(const struct map_def *def, ebpf_diag *diag)
{
    int rc = obj_array_check(def, diag);
    return rc ? rc : map_inner_meta_init(NULL, def, diag);
}

static int aom_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    int rc = obj_array_alloc(def, sizeof(struct array_of_maps), out, diag);
    if (rc)
        return rc;
    struct array_of_maps *aom = (struct array_of_maps *)*out;
    aom->a.id = map_id_of_obj;
    aom->a.release = map_put_obj;
    rc = map_inner_meta_init(&aom->meta, def, diag);
    if (rc)
        obj_array_free(*out);
    return rc;
}

static void *aom_lookup(struct map *map, const void *key)
{
    return obj_array_get(map, map_key_index(key));
}

static int aom_update_obj(struct map *map, const void *key, void *obj, uint64_t flags)
{
    struct array_of_maps *aom = (struct array_of_maps *)map;
    if (flags != ABI_ANY)
        return -EINVAL;
    if (map_key_index(key) >= map->max_entries)
        return -E2BIG;
    if (!obj || !map_inner_meta_match(&aom->meta, obj))
        return -EINVAL;
    return obj_array_set(map, key, obj, flags);
}

const struct map_ops map_ops_array_of_maps = {
    .check = aom_check,
    .alloc = aom_alloc,
    .free = obj_array_free,
    .lookup = aom_lookup,
    .sys_lookup = obj_array_sys_lookup,
    .sys_delete = obj_array_clear,
    .get_next_key = map_array_next_key,
    .update_obj = aom_update_obj,
};
