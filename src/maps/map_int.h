/*
 * map_int.h - private to src/maps/: the ops table every map type fills, and the helpers the type
 * files share (validation messages, value copies that respect spin locks and word atomicity, per-CPU
 * layout). Other modules use maps.h only.
 *
 * An ops table is one const struct per map type, named map_ops_<impl> after the impl column of
 * abi/map_types.def; registry.c indexes them by Linux type id. A NULL operation means "not supported
 * for this type": map.c answers it the way Linux does (NULL lookup, ENOTSUPP from bpf()).
 */
#ifndef EBPF_MAPS_MAP_INT_H
#define EBPF_MAPS_MAP_INT_H

#include "maps/maps.h"
#include "base/checked.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

struct map_ops {
    /* Linux's map_alloc_check: sizes and flags, before anything is allocated. */
    int (*check)(const struct map_def *def, ebpf_diag *diag);
    /* Allocates the type's structure (map.c fills the common fields afterwards). 0 or -errno. */
    int (*alloc)(const struct map_def *def, struct map **out, ebpf_diag *diag);
    /* Frees everything; no reader can reach the map any more. */
    void (*free)(struct map *map);

    /* Program side, inside a read-side section. */
    void *(*lookup)(struct map *map, const void *key);
    /* Optional: a lookup equivalent to `lookup` specialised for this map (its key size), for
     * map_direct_lookup; NULL: `lookup` itself. */
    map_lookup_fn (*lookup_for)(const struct map *map);
    /* Optional: for a map with 4-byte keys, a lookup taking the key by value (map_direct_lookup_key32). */
    map_lookup_key32_fn lookup_key32;
    /* Per-CPU maps only: the value slot of `cpu` (< map_cpu_count(), checked by map.c). */
    void *(*lookup_percpu)(struct map *map, const void *key, uint32_t cpu);
    long (*update)(struct map *map, const void *key, const void *value, uint64_t flags);
    long (*delete)(struct map *map, const void *key);
    long (*push)(struct map *map, const void *value, uint64_t flags);
    long (*pop)(struct map *map, void *value);
    long (*peek)(struct map *map, void *value);
    long (*for_each)(struct map *map, map_for_each_fn fn, void *ctx);

    /* User space, called by map.c inside a read-side section after the generic permission and flag
     * checks. sys_delete defaults to delete. */
    int (*sys_lookup)(struct map *map, const void *key, void *value, uint64_t flags);
    int (*sys_update)(struct map *map, const void *key, const void *value, uint64_t flags);
    int (*sys_delete)(struct map *map, const void *key);
    int (*get_next_key)(struct map *map, const void *key, void *next_key);
    int (*lookup_and_delete)(struct map *map, const void *key, void *value, uint64_t flags);
    int (*update_obj)(struct map *map, const void *key, void *obj, uint64_t flags);

    int (*direct_value_addr)(struct map *map, uint32_t off, void **addr);
    void *(*mmap_base)(struct map *map, size_t *size);
};

/* The ops of a Linux map type id (map_ops_unsupported for types listed but not implemented), or
 * NULL for an id Linux does not have. */
const struct map_ops *map_ops_for_type(uint32_t type);
extern const struct map_ops map_ops_unsupported;

#define MAP_CONTAINER(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---- validation ---- */

/* Writes "map '<name>': <message>" into diag and returns err (negative). */
int map_fail(ebpf_diag *diag, const struct map_def *def, int err, const char *fmt, ...)
    BASE_PRINTF(4, 5);
/* Linux's bpf_map_flags_access_ok: not both BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG. */
static inline bool map_flags_access_ok(uint32_t flags)
{
    return (flags & (ABI_F_RDONLY_PROG | ABI_F_WRONLY_PROG)) !=
           (ABI_F_RDONLY_PROG | ABI_F_WRONLY_PROG);
}

/* The checks of Linux's array_map_alloc_check, shared by every array-backed type. */
int map_array_check(const struct map_def *def, ebpf_diag *diag);

/* Linux's get_next_key for every array-indexed type: NULL or out-of-range key -> 0, the last index
 * -> -ENOENT, otherwise index + 1. */
int map_array_next_key(struct map *map, const void *key, void *next_key);

/* The u32 index of an array-indexed key (any alignment). */
static inline uint32_t map_key_index(const void *key)
{
    uint32_t index;
    memcpy(&index, key, sizeof index);
    return index;
}

/* Linux's check_flags for element updates: -EEXIST / -ENOENT from BPF_NOEXIST / BPF_EXIST. */
static inline int map_check_exist(bool exists, uint64_t flags)
{
    uint64_t mode = flags & ~(uint64_t)ABI_F_LOCK;
    if (exists && mode == ABI_NOEXIST)
        return -EEXIST;
    if (!exists && mode == ABI_EXIST)
        return -ENOENT;
    return 0;
}

/* ---- values ---- */

static inline size_t map_round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Copies n bytes into map memory dst (8-byte aligned) from any buffer, and out of map memory src
 * (8-byte aligned) into any buffer. Map memory is accessed with relaxed atomics, 8 bytes at a time
 * where alignment allows, so that concurrent readers and writers never see a torn word. */
void map_words_store(void *dst, const void *src, size_t n);
void map_words_load(void *dst, const void *src, size_t n);
void map_words_zero(void *dst, size_t n);

/* Linux's copy_map_value: the value without its spin lock field (the lock in dst is kept). */
void map_value_store(const struct map *map, void *dst, const void *src);
/* The same while holding dst's spin lock (BPF_F_LOCK update). */
void map_value_store_locked(const struct map *map, void *dst, const void *src);
/* Copies a value out to user space, the spin lock field reading as zero; with `locked`, under the
 * value's spin lock (BPF_F_LOCK lookup). */
void map_value_load(const struct map *map, void *dst, const void *src, bool locked);

/* User-space lookup/update flag rules shared by the types that accept BPF_F_LOCK. */
static inline bool map_lock_flag_ok(const struct map *map, uint64_t flags)
{
    return !(flags & ABI_F_LOCK) || map->spin_lock_off >= 0;
}

/* Zeroed memory whose start is aligned to `align` (a power of 2); free with map_free_aligned. */
void *map_alloc_aligned(size_t size, size_t align);
void map_free_aligned(void *ptr);

/* ---- per-CPU ---- */

/* The calling thread's CPU slot. */
uint32_t map_this_cpu(void);

#endif
