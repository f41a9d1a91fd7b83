/*
 * array.c - BPF_MAP_TYPE_ARRAY: max_entries values of round_up(value_size, 8) bytes, preallocated and
 * zeroed, indexed by a u32 key. Elements always exist, so updates write in place (word-atomic, see
 * map_value.c), deletes fail with -EINVAL and BPF_NOEXIST with -EEXIST, as in Linux.
 *
 * map_array_direct_layout tells a JIT where the values are, so that it can inline lookups (the
 * address arithmetic of array_lookup, nothing else).
 *
 * Also here: the validation and next-key rules that every array-indexed type shares, and the aligned
 * allocation BPF_F_MMAPABLE needs (its value area starts on a page).
 */
#include "maps/map_int.h"

#include <limits.h>
#include <stdlib.h>

#define ARRAY_CREATE_FLAG_MASK                                                                      \
    (ABI_F_NUMA_NODE | ABI_F_MMAPABLE | ABI_F_ACCESS_MASK | ABI_F_PRESERVE_ELEMS | ABI_F_INNER_MAP)

struct array_map {
    struct map map;
    size_t elem_size;
    size_t area_size;
    unsigned char *values;
};

void *map_alloc_aligned(size_t size, size_t align)
{
    size_t total;
    if (!checked_add_size(size, align + sizeof(void *), &total))
        return NULL;
    unsigned char *raw = calloc(1, total);
    if (!raw)
        return NULL;
    uintptr_t start = ((uintptr_t)raw + sizeof(void *) + align - 1) & ~(uintptr_t)(align - 1);
    memcpy((void *)(start - sizeof(void *)), &raw, sizeof raw);
    return (void *)start;
}

void map_free_aligned(void *ptr)
{
    if (!ptr)
        return;
    void *raw;
    memcpy(&raw, (char *)ptr - sizeof(void *), sizeof raw);
    free(raw);
}

int map_array_check(const struct map_def *def, ebpf_diag *diag)
{
    bool percpu = def->type == ABI_MAP_TYPE_PERCPU_ARRAY;
    if (def->max_entries == 0)
        return map_fail(diag, def, -EINVAL, "max_entries must be > 0");
    if (def->key_size != 4)
        return map_fail(diag, def, -EINVAL, "key_size must be 4, not %u", def->key_size);
    if (def->value_size == 0)
        return map_fail(diag, def, -EINVAL, "value_size must be > 0");
    if ((def->map_flags & ~ARRAY_CREATE_FLAG_MASK) || !map_flags_access_ok(def->map_flags) ||
        (percpu && (def->map_flags & ABI_F_NUMA_NODE)))
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    if (def->type != ABI_MAP_TYPE_ARRAY && (def->map_flags & (ABI_F_MMAPABLE | ABI_F_INNER_MAP)))
        return map_fail(diag, def, -EINVAL, "BPF_F_MMAPABLE and BPF_F_INNER_MAP are for arrays only");
    if (def->type != ABI_MAP_TYPE_PERF_EVENT_ARRAY && (def->map_flags & ABI_F_PRESERVE_ELEMS))
        return map_fail(diag, def, -EINVAL, "BPF_F_PRESERVE_ELEMS is for perf_event_array only");
    if (def->value_size > INT_MAX)
        return map_fail(diag, def, -E2BIG, "value_size %u too large", def->value_size);
    if (percpu && map_round8(def->value_size) > ABI_PCPU_MIN_UNIT_SIZE)
        return map_fail(diag, def, -E2BIG, "per-CPU value_size %u over %u", def->value_size,
                        ABI_PCPU_MIN_UNIT_SIZE);
    return 0;
}

int map_array_next_key(struct map *map, const void *key, void *next_key)
{
    uint32_t index = key ? map_key_index(key) : UINT32_MAX;
    uint32_t next;
    if (!key || index >= map->max_entries)
        next = 0;
    else if (index == map->max_entries - 1)
        return -ENOENT;
    else
        next = index + 1;
    memcpy(next_key, &next, sizeof next);
    return 0;
}

static inline struct array_map *array_of(struct map *map)
{
    return (struct array_map *)map;
}

static int array_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    size_t elem_size = map_round8(def->value_size), area;
    if (!checked_mul_size(elem_size, def->max_entries, &area))
        return map_fail(diag, def, -ENOMEM, "%u values of %zu bytes overflow", def->max_entries,
                        elem_size);
    struct array_map *a = calloc(1, sizeof *a);
    if (!a)
        return -ENOMEM;
    bool mmapable = def->map_flags & ABI_F_MMAPABLE;
    if (mmapable)
        area = (area + ABI_PAGE_SIZE - 1) & ~(size_t)(ABI_PAGE_SIZE - 1);
    a->values = map_alloc_aligned(area, mmapable ? ABI_PAGE_SIZE : 64);
    if (!a->values) {
        free(a);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %zu bytes of values", area);
    }
    a->elem_size = elem_size;
    a->area_size = area;
    *out = &a->map;
    return 0;
}

static void array_free(struct map *map)
{
    struct array_map *a = array_of(map);
    map_free_aligned(a->values);
    free(a);
}

static void *array_lookup(struct map *map, const void *key)
{
    struct array_map *a = array_of(map);
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return NULL;
    return a->values + (size_t)index * a->elem_size;
}

static long array_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    struct array_map *a = array_of(map);
    uint32_t index = map_key_index(key);
    if ((flags & ~(uint64_t)ABI_F_LOCK) > ABI_EXIST)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (flags & ABI_NOEXIST)
        return -EEXIST;
    if (!map_lock_flag_ok(map, flags))
        return -EINVAL;
    void *slot = a->values + (size_t)index * a->elem_size;
    if (flags & ABI_F_LOCK)
        map_value_store_locked(map, slot, value);
    else
        map_value_store(map, slot, value);
    return 0;
}

static long array_delete(struct map *map, const void *key)
{
    (void)map;
    (void)key;
    return -EINVAL;
}

static long array_for_each(struct map *map, map_for_each_fn fn, void *ctx)
{
    struct array_map *a = array_of(map);
    long visited = 0;
    for (uint32_t i = 0; i < map->max_entries; i++) {
        visited++;
        if (fn(map, &i, a->values + (size_t)i * a->elem_size, ctx))
            break;
    }
    return visited;
}

static int array_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    void *slot = array_lookup(map, key);
    if (!slot)
        return -ENOENT;
    map_value_load(map, value, slot, flags & ABI_F_LOCK);
    return 0;
}

static int array_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return (int)array_update(map, key, value, flags);
}

static int array_direct_value_addr(struct map *map, uint32_t off, void **addr)
{
    if (map->max_entries != 1)
        return -ABI_ENOTSUPP;
    if (off >= map->value_size)
        return -EINVAL;
    *addr = array_of(map)->values + off;
    return 0;
}

static void *array_mmap_base(struct map *map, size_t *size)
{
    if (!(map->map_flags & ABI_F_MMAPABLE))
        return NULL;
    if (size)
        *size = array_of(map)->area_size;
    return array_of(map)->values;
}

const struct map_ops map_ops_array = {
    .check = map_array_check,
    .alloc = array_alloc,
    .free = array_free,
    .lookup = array_lookup,
    .update = array_update,
    .delete = array_delete,
    .for_each = array_for_each,
    .sys_lookup = array_sys_lookup,
    .sys_update = array_sys_update,
    .get_next_key = map_array_next_key,
    .direct_value_addr = array_direct_value_addr,
    .mmap_base = array_mmap_base,
};

bool map_array_direct_layout(struct map *map, struct map_array_layout *out)
{
    if (map->ops != &map_ops_array)
        return false;
    struct array_map *a = array_of(map);
    *out = (struct map_array_layout){ a->values, a->elem_size, map->max_entries };
    return true;
}
