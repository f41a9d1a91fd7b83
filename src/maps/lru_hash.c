/*
 * lru_hash.c - BPF_MAP_TYPE_LRU_HASH and BPF_MAP_TYPE_LRU_PERCPU_HASH: the hash core with eviction
 * (htab_lru.c), so inserting into a full map removes the least recently used element instead of
 * failing. Program lookups mark elements used; user-space lookups do not (as in Linux).
 * BPF_F_NO_COMMON_LRU is accepted and behaves like the common list; BPF_F_NO_PREALLOC is refused.
 */
#include "maps/htab.h"

static int lru_hash_check(const struct map_def *def, ebpf_diag *diag)
{
    return htab_check(def, HTAB_LRU, diag);
}

static int lru_hash_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    return htab_alloc(def, HTAB_LRU, sizeof(struct htab), out, diag);
}

static void *lru_hash_lookup(struct map *map, const void *key)
{
    struct htab_elem *e = htab_find(htab_of(map), key);
    if (!e)
        return NULL;
    htab_lru_touch(e);
    return htab_value(e);
}

static long lru_hash_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return htab_update(htab_of(map), key, value, flags, false);
}

static long lru_hash_delete(struct map *map, const void *key)
{
    return htab_delete(htab_of(map), key);
}

static long lru_hash_for_each(struct map *map, map_for_each_fn fn, void *ctx)
{
    return htab_for_each(htab_of(map), fn, ctx);
}

static int lru_hash_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags)
{
    return htab_sys_lookup(htab_of(map), key, value, flags);
}

static int lru_hash_sys_update(struct map *map, const void *key, const void *value, uint64_t flags)
{
    return (int)htab_update(htab_of(map), key, value, flags, false);
}

static int lru_hash_next_key(struct map *map, const void *key, void *next_key)
{
    return htab_next_key(htab_of(map), key, next_key);
}

static int lru_hash_lookup_and_delete(struct map *map, const void *key, void *value,
                                      uint64_t flags)
{
    return htab_lookup_and_delete(htab_of(map), key, value, flags);
}

const struct map_ops map_ops_lru_hash = {
    .check = lru_hash_check,
    .alloc = lru_hash_alloc,
    .free = htab_free,
    .lookup = lru_hash_lookup,
    .update = lru_hash_update,
    .delete = lru_hash_delete,
    .for_each = lru_hash_for_each,
    .sys_lookup = lru_hash_sys_lookup,
    .sys_update = lru_hash_sys_update,
    .get_next_key = lru_hash_next_key,
    .lookup_and_delete = lru_hash_lookup_and_delete,
};

/* ---- per-CPU ---- */

static int lru_percpu_check(const struct map_def *def, ebpf_diag *diag)
{
    return htab_check(def, HTAB_LRU | HTAB_PERCPU, diag);
}

static int lru_percpu_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    return htab_alloc(def, HTAB_LRU | HTAB_PERCPU, sizeof(struct htab), out, diag);
}

static void *lru_percpu_lookup_cpu(struct map *map, const void *key, uint32_t cpu)
{
    struct htab *h = htab_of(map);
    struct htab_elem *e = htab_find(h, key);
    if (!e)
        return NULL;
    htab_lru_touch(e);
    return (unsigned char *)htab_value(e) + (size_t)cpu * h->value_stride;
}

static void *lru_percpu_lookup(struct map *map, const void *key)
{
    return lru_percpu_lookup_cpu(map, key, map_this_cpu());
}

static int lru_percpu_sys_update(struct map *map, const void *key, const void *value,
                                 uint64_t flags)
{
    return (int)htab_update(htab_of(map), key, value, flags, true);
}

const struct map_ops map_ops_lru_percpu_hash = {
    .check = lru_percpu_check,
    .alloc = lru_percpu_alloc,
    .free = htab_free,
    .lookup = lru_percpu_lookup,
    .lookup_percpu = lru_percpu_lookup_cpu,
    .update = lru_hash_update,
    .delete = lru_hash_delete,
    .for_each = lru_hash_for_each,
    .sys_lookup = lru_hash_sys_lookup,
    .sys_update = lru_percpu_sys_update,
    .get_next_key = lru_hash_next_key,
    .lookup_and_delete = lru_hash_lookup_and_delete,
};
