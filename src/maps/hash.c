/*
 * hash.c - BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH on the core in htab.c. A full map refuses
 * new keys with -E2BIG. Only the plain hash may hold a bpf_spin_lock and take BPF_F_LOCK.
 */
#include "maps/htab.h"

static int hash_check(const struct map_def *def, ebpf_diag *diag)
{
    return htab_check(def, 0, diag);
}

static int hash_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    return htab_alloc(def, 0, sizeof(struct htab), out, diag);
}

static void *hash_lookup(struct map *map, const void *key)
{
    struct htab_elem *e = htab_find(htab_of(map), key);
    return e ? htab_value(e) : NULL;
}

/* The plain hash map's lookup for the common key sizes: one leaf function each, no dispatch. */
static map_lookup_fn hash_lookup_for(const struct map *map)
{
    switch (map->key_size) {
    case 4: return htab_lookup_value_k4;
    case 8: return htab_lookup_value_k8;
    default: return hash_lookup;
    }
}

static long hash_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return htab_update(htab_of(map), key, value, flags, false);
}

static long hash_delete(struct map *map, const void *key)
{
    return htab_delete(htab_of(map), key);
}

static long hash_for_each(struct map *map, map_for_each_fn fn, void *ctx)
{
    return htab_for_each(htab_of(map), fn, ctx);
}

static int hash_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    return htab_sys_lookup(htab_of(map), key, value, flags);
}

static int hash_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return (int)htab_update(htab_of(map), key, value, flags, false);
}

static int hash_next_key(struct map *map, const void *key, void *next_key)
{
    return htab_next_key(htab_of(map), key, next_key);
}

static int hash_lookup_and_delete(struct map *map, const void *key, void *value, uint64_t flags)
{
    return htab_lookup_and_delete(htab_of(map), key, value, flags);
}

const struct map_ops map_ops_hash = {
    .check = hash_check,
    .alloc = hash_alloc,
    .free = htab_free,
    .lookup = hash_lookup,
    .lookup_for = hash_lookup_for,
    .lookup_key32 = htab_lookup_value_key32,
    .update = hash_update,
    .delete = hash_delete,
    .for_each = hash_for_each,
    .sys_lookup = hash_sys_lookup,
    .sys_update = hash_sys_update,
    .get_next_key = hash_next_key,
    .lookup_and_delete = hash_lookup_and_delete,
};

/* ---- per-CPU ---- */

static int percpu_hash_check(const struct map_def *def, ebpf_diag *diag)
{
    return htab_check(def, HTAB_PERCPU, diag);
}

static int percpu_hash_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    return htab_alloc(def, HTAB_PERCPU, sizeof(struct htab), out, diag);
}

static void *percpu_hash_lookup_cpu(struct map *map, const void *key, uint32_t cpu)
{
    struct htab *h = htab_of(map);
    struct htab_elem *e = htab_find(h, key);
    return e ? (unsigned char *)htab_value(e) + (size_t)cpu * h->value_stride : NULL;
}

static void *percpu_hash_lookup(struct map *map, const void *key)
{
    return percpu_hash_lookup_cpu(map, key, map_this_cpu());
}

static int percpu_hash_sys_update(struct map *map, const void *key, const void *value,
                                  uint64_t flags)
{
    return (int)htab_update(htab_of(map), key, value, flags, true);
}

const struct map_ops map_ops_percpu_hash = {
    .check = percpu_hash_check,
    .alloc = percpu_hash_alloc,
    .free = htab_free,
    .lookup = percpu_hash_lookup,
    .lookup_percpu = percpu_hash_lookup_cpu,
    .update = hash_update,
    .delete = hash_delete,
    .for_each = hash_for_each,
    .sys_lookup = hash_sys_lookup,
    .sys_update = percpu_hash_sys_update,
    .get_next_key = hash_next_key,
    .lookup_and_delete = hash_lookup_and_delete,
};
