/*
 * devmap.c - BPF_MAP_TYPE_DEVMAP: interface slots for bpf_redirect_map. A slot holds a struct
 * bpf_devmap_val { u32 ifindex; u32 prog id } in one 8-byte word (ifindex 0: empty), written
 * atomically, so a program's lookup returns a stable pointer to it (the map is read-only for
 * programs: Linux adds BPF_F_RDONLY_PROG). value_size is 4 (ifindex) or 8 (ifindex + program fd).
 *
 * Interfaces are not checked against the host here (the hooks layer owns interfaces). Programs
 * attached to entries (a program fd > 0 in an 8-byte value) are not supported: -EOPNOTSUPP.
 */
#include "maps/map_int.h"

#include <stdlib.h>

#define DEV_CREATE_FLAG_MASK (ABI_F_NUMA_NODE | ABI_F_RDONLY | ABI_F_WRONLY)

struct devmap {
    struct map map;
    _Atomic uint64_t *slots; /* ifindex in the low half, program id in the high half (little end.) */
};

static inline struct devmap *devmap_of(struct map *map)
{
    return (struct devmap *)map;
}

static int devmap_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->max_entries == 0 || def->key_size != 4)
        return map_fail(diag, def, -EINVAL, "key_size must be 4 and max_entries > 0");
    if (def->value_size != 4 && def->value_size != 8)
        return map_fail(diag, def, -EINVAL, "value_size must be 4 or 8, not %u", def->value_size);
    if (def->map_flags & ~DEV_CREATE_FLAG_MASK)
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    return 0;
}

static int devmap_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    struct devmap *d = calloc(1, sizeof *d);
    if (!d)
        return -ENOMEM;
    d->slots = calloc(def->max_entries, sizeof *d->slots);
    if (!d->slots) {
        free(d);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %u slots", def->max_entries);
    }
    d->map.map_flags = ABI_F_RDONLY_PROG; /* map.c adds the definition's flags */
    *out = &d->map;
    return 0;
}

static void devmap_free(struct map *map)
{
    free(devmap_of(map)->slots);
    free(map);
}

/* The slot word as struct bpf_devmap_val bytes, independent of host byte order. */
static uint64_t devmap_pack(uint32_t ifindex, uint32_t prog_id)
{
    unsigned char bytes[8];
    uint64_t word;
    memcpy(bytes, &ifindex, 4);
    memcpy(bytes + 4, &prog_id, 4);
    memcpy(&word, bytes, 8);
    return word;
}

static void *devmap_lookup(struct map *map, const void *key)
{
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return NULL;
    _Atomic uint64_t *slot = &devmap_of(map)->slots[index];
    uint64_t word = atomic_load_explicit(slot, memory_order_acquire);
    uint32_t ifindex;
    memcpy(&ifindex, &word, 4);
    return ifindex ? (void *)slot : NULL;
}

static int devmap_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    (void)flags;
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return -ENOENT;
    uint64_t word = atomic_load_explicit(&devmap_of(map)->slots[index], memory_order_acquire);
    uint32_t ifindex;
    memcpy(&ifindex, &word, 4);
    if (!ifindex)
        return -ENOENT;
    memcpy(value, &word, map->value_size);
    return 0;
}

static int devmap_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    uint32_t index = map_key_index(key);
    if (flags > ABI_EXIST)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (flags == ABI_NOEXIST)
        return -EEXIST;
    uint32_t ifindex;
    int32_t prog_fd = -1;
    memcpy(&ifindex, value, 4);
    if (map->value_size == 8)
        memcpy(&prog_fd, (const char *)value + 4, 4);
    if (!ifindex && prog_fd > -1)
        return -EINVAL;
    if (prog_fd > 0)
        return -EOPNOTSUPP;
    atomic_store_explicit(&devmap_of(map)->slots[index], devmap_pack(ifindex, 0),
                          memory_order_release);
    return 0;
}

static int devmap_sys_delete(struct map *map, const void *key)
{
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return -EINVAL;
    atomic_store_explicit(&devmap_of(map)->slots[index], 0, memory_order_release);
    return 0;
}

const struct map_ops map_ops_devmap = {
    .check = devmap_check,
    .alloc = devmap_alloc,
    .free = devmap_free,
    .lookup = devmap_lookup,
    .sys_lookup = devmap_sys_lookup,
    .sys_update = devmap_sys_update,
    .sys_delete = devmap_sys_delete,
    .get_next_key = map_array_next_key,
};
