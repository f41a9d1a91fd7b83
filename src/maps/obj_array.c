/*
 * obj_array.c - arrays of object references (see obj_array.h). A replaced or cleared reference goes
 * to epoch.c in a small node allocated before the slot changes, so that a failed allocation leaves
 * the map untouched.
 */
#include "maps/obj_array.h"

#include <stdlib.h>

struct obj_drop {
    struct map_retired retired;
    void *obj;
    void (*release)(void *obj);
};

int obj_array_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->value_size != sizeof(uint32_t))
        return map_fail(diag, def, -EINVAL, "value_size must be 4 (an fd), not %u",
                        def->value_size);
    if (def->map_flags & (ABI_F_RDONLY_PROG | ABI_F_WRONLY_PROG))
        return map_fail(diag, def, -EINVAL, "BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG not allowed");
    return map_array_check(def, diag);
}

int obj_array_alloc(const struct map_def *def, size_t struct_size, struct map **out, ebpf_diag *diag)
{
    struct obj_array *a = calloc(1, struct_size);
    if (!a)
        return -ENOMEM;
    a->slots = calloc(def->max_entries, sizeof *a->slots);
    if (!a->slots) {
        free(a);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %u slots", def->max_entries);
    }
    *out = &a->map;
    return 0;
}

void obj_array_free(struct map *map)
{
    struct obj_array *a = (struct obj_array *)map;
    for (uint32_t i = 0; i < map->max_entries; i++) {
        void *obj = atomic_load_explicit(&a->slots[i], memory_order_relaxed);
        if (obj && a->release)
            a->release(obj);
    }
    free(a->slots);
    free(a);
}

static void obj_drop_free(struct map_retired *node)
{
    struct obj_drop *drop = MAP_CONTAINER(node, struct obj_drop, retired);
    if (drop->release)
        drop->release(drop->obj);
    free(drop);
}

/* Swaps a slot and retires what was there. `drop` is preallocated and consumed or freed. */
static void *obj_array_swap(struct obj_array *a, uint32_t index, void *obj, struct obj_drop *drop)
{
    void *old = atomic_exchange_explicit(&a->slots[index], obj, memory_order_acq_rel);
    if (old && a->release) {
        drop->obj = old;
        drop->release = a->release;
        map_epoch_retire(&drop->retired, obj_drop_free);
    } else {
        free(drop);
    }
    return old;
}

int obj_array_set(struct map *map, const void *key, void *obj, uint64_t flags)
{
    uint32_t index = map_key_index(key);
    if (flags != ABI_ANY)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (!obj)
        return -EINVAL;
    struct obj_drop *drop = malloc(sizeof *drop);
    if (!drop)
        return -ENOMEM;
    obj_array_swap((struct obj_array *)map, index, obj, drop);
    return 0;
}

int obj_array_clear(struct map *map, const void *key)
{
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return -E2BIG;
    struct obj_drop *drop = malloc(sizeof *drop);
    if (!drop)
        return -ENOMEM;
    return obj_array_swap((struct obj_array *)map, index, NULL, drop) ? 0 : -ENOENT;
}

int obj_array_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)flags;
    struct obj_array *a = (struct obj_array *)map;
    void *obj = obj_array_get(map, map_key_index(key));
    if (!obj)
        return -ENOENT;
    uint32_t id = a->id ? a->id(obj) : 0;
    memcpy(value, &id, sizeof id);
    return 0;
}
