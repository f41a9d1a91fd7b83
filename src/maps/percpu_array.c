/*
 * percpu_array.c - BPF_MAP_TYPE_PERCPU_ARRAY: one array of max_entries values per CPU slot, laid out
 * CPU-major (each CPU's values contiguous, so CPUs do not share cache lines). Programs read and write
 * the slot of the CPU they run on; user space sees every CPU's value, round_up(value_size, 8) bytes
 * each, in CPU order - Linux's layout for bpf() on per-CPU maps.
 */
#include "maps/map_int.h"

#include <stdlib.h>

struct percpu_array {
    struct map map;
    size_t elem_size;
    uint32_t cpus;
    unsigned char *values; /* [cpu][index] */
};

static inline struct percpu_array *pcpu_of(struct map *map)
{
    return (struct percpu_array *)map;
}

static inline unsigned char *pcpu_slot(struct percpu_array *a, uint32_t cpu, uint32_t index)
{
    return a->values + ((size_t)cpu * a->map.max_entries + index) * a->elem_size;
}

static int pcpu_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    uint32_t cpus = map_cpu_count();
    size_t elem_size = map_round8(def->value_size), per_cpu, area;
    if (!checked_mul_size(elem_size, def->max_entries, &per_cpu) ||
        !checked_mul_size(per_cpu, cpus, &area))
        return map_fail(diag, def, -ENOMEM, "%u values x %u CPUs overflow", def->max_entries, cpus);
    struct percpu_array *a = calloc(1, sizeof *a);
    if (!a)
        return -ENOMEM;
    a->values = map_alloc_aligned(area, 64);
    if (!a->values) {
        free(a);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %zu bytes of values", area);
    }
    a->elem_size = elem_size;
    a->cpus = cpus;
    *out = &a->map;
    return 0;
}

static void pcpu_free(struct map *map)
{
    map_free_aligned(pcpu_of(map)->values);
    free(map);
}

static void *pcpu_lookup_cpu(struct map *map, const void *key, uint32_t cpu)
{
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return NULL;
    return pcpu_slot(pcpu_of(map), cpu, index);
}

static void *pcpu_lookup(struct map *map, const void *key)
{
    return pcpu_lookup_cpu(map, key, map_this_cpu());
}

static long pcpu_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    uint32_t index = map_key_index(key);
    if ((flags & ~(uint64_t)ABI_F_LOCK) > ABI_EXIST)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (flags & ABI_NOEXIST)
        return -EEXIST;
    if (flags & ABI_F_LOCK)
        return -EINVAL;
    map_words_store(pcpu_slot(pcpu_of(map), map_this_cpu(), index), value, map->value_size);
    return 0;
}

static long pcpu_delete(struct map *map, const void *key)
{
    (void)map;
    (void)key;
    return -EINVAL;
}

static long pcpu_for_each(struct map *map, map_for_each_fn fn, void *ctx)
{
    struct percpu_array *a = pcpu_of(map);
    uint32_t cpu = map_this_cpu();
    long visited = 0;
    for (uint32_t i = 0; i < map->max_entries; i++) {
        visited++;
        if (fn(map, &i, pcpu_slot(a, cpu, i), ctx))
            break;
    }
    return visited;
}

static int pcpu_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)flags;
    struct percpu_array *a = pcpu_of(map);
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return -ENOENT;
    for (uint32_t cpu = 0; cpu < a->cpus; cpu++)
        map_words_load((char *)value + cpu * a->elem_size, pcpu_slot(a, cpu, index), a->elem_size);
    return 0;
}

static int pcpu_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    struct percpu_array *a = pcpu_of(map);
    uint32_t index = map_key_index(key);
    if (flags > ABI_EXIST)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (flags == ABI_NOEXIST)
        return -EEXIST;
    for (uint32_t cpu = 0; cpu < a->cpus; cpu++)
        map_words_store(pcpu_slot(a, cpu, index), (const char *)value + cpu * a->elem_size,
                        map->value_size);
    return 0;
}

const struct map_ops map_ops_percpu_array = {
    .check = map_array_check,
    .alloc = pcpu_alloc,
    .free = pcpu_free,
    .lookup = pcpu_lookup,
    .lookup_percpu = pcpu_lookup_cpu,
    .update = pcpu_update,
    .delete = pcpu_delete,
    .for_each = pcpu_for_each,
    .sys_lookup = pcpu_sys_lookup,
    .sys_update = pcpu_sys_update,
    .get_next_key = map_array_next_key,
};
