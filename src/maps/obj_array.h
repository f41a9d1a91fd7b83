/*
 * obj_array.h - private to src/maps/: an array of object references, the core of prog_array and
 * array_of_maps (Linux's "fd arrays"). Slots hold a pointer or NULL and are swapped atomically;
 * a removed object's reference is released after a grace period, so a program that fetched it in
 * its read-side section may keep using it.
 */
#ifndef EBPF_MAPS_OBJ_ARRAY_H
#define EBPF_MAPS_OBJ_ARRAY_H

#include "maps/map_int.h"

struct obj_array {
    struct map map;
    uint32_t (*id)(void *obj);      /* NULL: ids read as 0 */
    void (*release)(void *obj);     /* NULL: nothing to release */
    void *_Atomic *slots;
};

/* Linux's fd_array_map_alloc_check: value_size 4, no program access flags, then the array rules. */
int obj_array_check(const struct map_def *def, ebpf_diag *diag);
/* struct_size >= sizeof(struct obj_array): the type embeds it first. */
int obj_array_alloc(const struct map_def *def, size_t struct_size, struct map **out, ebpf_diag *diag);
void obj_array_free(struct map *map);

static inline void *obj_array_get(struct map *map, uint32_t index)
{
    struct obj_array *a = (struct obj_array *)map;
    if (index >= map->max_entries)
        return NULL;
    return atomic_load_explicit(&a->slots[index], memory_order_acquire);
}

/* Stores obj (taking over the caller's reference): -EINVAL unless flags == BPF_ANY, -E2BIG out of
 * range, -ENOMEM. */
int obj_array_set(struct map *map, const void *key, void *obj, uint64_t flags);
/* Clears a slot: -E2BIG out of range, -ENOENT if empty. */
int obj_array_clear(struct map *map, const void *key);
/* The id of the object in a slot, as a u32 value; -ENOENT if empty. */
int obj_array_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags);

#endif
