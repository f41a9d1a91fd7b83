/*
 * hash_of_maps.c - BPF_MAP_TYPE_HASH_OF_MAPS: the hash core storing a struct map * per key, with one
 * reference to the inner map that is dropped a grace period after the element is removed. Programs'
 * lookups return the inner map itself; user space stores maps with map_sys_update_obj and reads back
 * their ids.
 */
#include "maps/htab.h"
#include "maps/map_in_map.h"

#include <stdlib.h>

struct hash_of_maps {
    struct htab h;
    struct map_inner_meta meta;
};

static int hom_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->value_size != sizeof(uint32_t))
        return map_fail(diag, def, -EINVAL, "value_size must be 4 (a map fd), not %u",
                        def->value_size);
    int rc = htab_check(def, HTAB_MAPS, diag);
    return rc ? rc : map_inner_meta_init(NULL, def, diag);
}

static int hom_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    int rc = htab_alloc(def, HTAB_MAPS, sizeof(struct hash_of_maps), out, diag);
    if (rc)
        return rc;
    struct hash_of_maps *hom = (struct hash_of_maps *)*out;
    rc = map_inner_meta_init(&hom->meta, def, diag);
    if (rc)
        htab_free(*out);
    return rc;
}

static void *hom_lookup(struct map *map, const void *key)
{
    struct htab_elem *e = htab_find(htab_of(map), key);
    if (!e)
        return NULL;
    struct map *inner;
    memcpy(&inner, htab_value(e), sizeof inner);
    return inner;
}

static long hom_delete(struct map *map, const void *key)
{
    return htab_delete(htab_of(map), key);
}

static int hom_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    return htab_sys_lookup(htab_of(map), key, value, flags);
}

static int hom_next_key(struct map *map, const void *key, void *next_key)
{
    return htab_next_key(htab_of(map), key, next_key);
}

static int hom_update_obj(struct map *map, const void *key, void *obj, uint64_t flags)
{
    struct hash_of_maps *hom = (struct hash_of_maps *)map;
    struct map *inner = obj;
    if (!inner || !map_inner_meta_match(&hom->meta, inner))
        return -EINVAL;
    /* On success the element owns the caller's reference (dropped when the element is freed). */
    return (int)htab_update(&hom->h, key, &inner, flags, false);
}

const struct map_ops map_ops_hash_of_maps = {
    .check = hom_check,
    .alloc = hom_alloc,
    .free = htab_free,
    .lookup = hom_lookup,
    .delete = hom_delete,
    .sys_lookup = hom_sys_lookup,
    .get_next_key = hom_next_key,
    .update_obj = hom_update_obj,
};
