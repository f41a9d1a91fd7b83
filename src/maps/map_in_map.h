/*
 * map_in_map.h - private to src/maps/: what array_of_maps and hash_of_maps remember of their inner
 * map template, and Linux's rule for which maps may be stored (bpf_map_meta_equal: same type, key
 * and value sizes, flags and spin lock; arrays also the same max_entries unless the template has
 * BPF_F_INNER_MAP).
 */
#ifndef EBPF_MAPS_MAP_IN_MAP_H
#define EBPF_MAPS_MAP_IN_MAP_H

#include "maps/map_int.h"

struct map_inner_meta {
    uint32_t type, key_size, value_size, max_entries, map_flags;
    int32_t spin_lock_off;
};

/* Validates def->inner as a template (-EBADF: none; -EINVAL: itself a map-in-map; ENOTSUPP: a
 * prog_array) and, when meta is not NULL, records it. */
int map_inner_meta_init(struct map_inner_meta *meta, const struct map_def *def, ebpf_diag *diag);
bool map_inner_meta_match(const struct map_inner_meta *meta, const struct map *inner);

static inline void map_put_obj(void *map)
{
    map_put(map);
}

static inline uint32_t map_id_of_obj(void *map)
{
    return ((struct map *)map)->id;
}

#endif
