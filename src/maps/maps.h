/*
 * maps.h - the map layer as the runtime and the helpers see it: creation from a definition with
 * Linux's validation, the program-side operations helpers call, the user-space operations of the
 * bpf() command set, and the read-side section that keeps map memory alive under running programs.
 *
 * Two kinds of callers, two sets of functions:
 *  - Program side (map_lookup_elem, map_update_elem, ..., map_ringbuf_reserve): called by helpers
 *    while a program runs. The caller must be inside map_read_lock()/map_read_unlock() (the runtime
 *    brackets every program run; sections nest). Lookups take no lock and allocate nothing; a value
 *    pointer returned stays valid (it is never freed) until the section ends.
 *  - User space (map_sys_*): the bpf() commands. Thread-safe, callable from any thread outside or
 *    inside a section; keys and values are caller buffers; errors are Linux's, as negative errnos.
 *
 * Per-CPU values: programs see the slot of the current thread's CPU slot (platform/sync.h,
 * plat_cpu_slot); user space sees map_cpu_count() values, each rounded up to 8 bytes, as Linux copies
 * them (map_sys_value_size() gives the buffer size).
 *
 * Concurrency guarantees: hash and LPM elements are replaced, never rewritten, by updates that do
 * not use BPF_F_LOCK, so a value read inside a section is one that was written whole. Array slots,
 * per-CPU slots and BPF_F_LOCK updates are written in place (as in Linux); those copies move aligned
 * 8-byte words atomically, so a reader sees each word old or new, never torn.
 *
 * BPF_F_LOCK: supported for array and hash maps whose value holds a struct bpf_spin_lock
 * (map_def.has_spin_lock); any other map refuses the flag with -EINVAL, as Linux does.
 */
#ifndef EBPF_MAPS_MAPS_H
#define EBPF_MAPS_MAPS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi_maps.h"
#include "base/diag.h"
#include "maps/epoch.h"

struct map;
struct map_ops;

/* How a prog_array refers to programs, supplied by the runtime. A program stored in a slot carries
 * one reference, handed over by map_sys_update_obj and dropped with release() after a grace period
 * once the slot is cleared or the map destroyed. NULL class: no reference counting, ids read as 0. */
struct map_prog_class {
    uint32_t (*id)(void *prog);
    void (*release)(void *prog);
};

/* A map definition: BPF_MAP_CREATE's attributes. Zero-initialise, then fill. */
struct map_def {
    uint32_t type;          /* Linux BPF_MAP_TYPE_* (ABI_MAP_TYPE_*) */
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t map_flags;     /* BPF_F_* (ABI_F_*) */
    const char *name;       /* optional; Linux rules: at most 15 of [A-Za-z0-9_.] */
    struct map *inner;      /* array/hash_of_maps: the template inner map (Linux: inner_map_fd) */
    const struct map_prog_class *prog_class; /* prog_array only */
    bool has_spin_lock;     /* the value holds a struct bpf_spin_lock (from BTF) ... */
    uint32_t spin_lock_off; /* ... at this offset */
};

/* The common part of every map. Fields above the line are read-only after creation and may be read
 * by anyone; below it they belong to src/maps/. */
struct map {
    const struct map_ops *ops;
    uint32_t type, key_size, value_size, max_entries, map_flags;
    int32_t spin_lock_off;       /* -1: no spin lock in the value */
    uint32_t id;                 /* object id given by the runtime; map-in-map lookups report it */
    char name[ABI_OBJ_NAME_LEN];
    /* ---- */
    atomic_uint refcnt;
    atomic_bool frozen;
    struct map_retired retired;
};

/* ---- lifetime ---------------------------------------------------------------------------------- */

/* Creates a map. Returns 0 with *out holding one reference, or a negative errno with a message in
 * diag: -EINVAL (bad type, sizes, flags or name), -E2BIG (a size over Linux's bound), -EOPNOTSUPP
 * (spin lock in a map type that cannot hold one), ABI_ENOTSUPP (flag combination Linux refuses that
 * way), -ENOMEM. */
int map_create(const struct map_def *def, struct map **out, ebpf_diag *diag);

/* Takes / drops a reference. The last map_put frees the map after a grace period, so programs still
 * inside a read-side section may keep using it. NULL is ignored. */
void map_get(struct map *map);
void map_put(struct map *map);

/* The number of possible CPUs (per-CPU value slots). */
uint32_t map_cpu_count(void);

/* ---- read-side section ------------------------------------------------------------------------- */

/* Brackets a program run (or any code holding map value pointers). Cheap, nestable, per thread. */
void map_read_lock(void);
void map_read_unlock(void);
/* Waits until every read-side section active at the call has ended (not from inside one). */
void map_synchronize(void);
/* map_synchronize, then frees everything already deleted or released (shutdown, leak checks). */
void map_reclaim_all(void);

/* ---- program side (inside a read-side section) ------------------------------------------------- */

/* bpf_map_lookup_elem: the value (per-CPU maps: this CPU's slot), or NULL when absent or not
 * supported for the type. Map-in-map: the inner struct map *. devmap: a struct bpf_devmap_val. */
void *map_lookup_elem(struct map *map, const void *key);

/* bpf_map_lookup_percpu_elem: the value slot of CPU `cpu` of a per-CPU map (percpu_array, percpu_hash,
 * lru_percpu_hash), or NULL when absent, when cpu is not below map_cpu_count(), or for other types. */
void *map_lookup_percpu_elem(struct map *map, const void *key, uint32_t cpu);
/* bpf_map_update_elem: 0, -EINVAL (flags), -EEXIST, -ENOENT, -E2BIG (full / index out of range),
 * -ENOSPC (LPM trie full), -ENOMEM. Per-CPU maps: writes this CPU's slot. The write calls
 * (update, delete, push, pop) give -EPERM on a BPF_F_RDONLY_PROG map, which Linux's verifier would
 * not have let the program touch. */
long map_update_elem(struct map *map, const void *key, const void *value, uint64_t flags);
/* bpf_map_delete_elem: 0, -ENOENT, -EINVAL (arrays). */
long map_delete_elem(struct map *map, const void *key);
/* bpf_map_push_elem / pop / peek (queue, stack): 0, -E2BIG (full without BPF_EXIST), -ENOENT
 * (empty), -EINVAL. */
long map_push_elem(struct map *map, const void *value, uint64_t flags);
long map_pop_elem(struct map *map, void *value);
long map_peek_elem(struct map *map, void *value);

/* bpf_for_each_map_elem: calls fn for each element (per-CPU: this CPU's value) until it returns
 * non-zero; returns the number of elements visited, or -EINVAL if the type cannot be iterated. */
typedef long (*map_for_each_fn)(struct map *map, const void *key, void *value, void *ctx);
long map_for_each_elem(struct map *map, map_for_each_fn fn, void *ctx, uint64_t flags);

/* bpf_tail_call: the program in a prog_array slot, or NULL. */
void *map_prog_array_get(struct map *map, uint32_t index);

/* bpf_ringbuf_reserve: a sample of `size` bytes, or NULL (no room, flags != 0, not a ringbuf).
 * Every reserved sample must be submitted or discarded before the section ends. */
void *map_ringbuf_reserve(struct map *map, uint64_t size, uint64_t flags);
/* bpf_ringbuf_submit / discard (flags: BPF_RB_NO_WAKEUP, BPF_RB_FORCE_WAKEUP). */
void map_ringbuf_submit(void *sample, uint64_t flags);
void map_ringbuf_discard(void *sample, uint64_t flags);
/* bpf_ringbuf_output: 0, -EAGAIN (no room), -EINVAL. */
long map_ringbuf_output(struct map *map, const void *data, uint64_t size, uint64_t flags);
/* bpf_ringbuf_query: BPF_RB_AVAIL_DATA, RING_SIZE, CONS_POS, PROD_POS; 0 for anything else. */
uint64_t map_ringbuf_query(struct map *map, uint64_t flags);

/* bpf_perf_event_output into perf_event_array slot (flags & BPF_F_INDEX_MASK), or the current CPU's
 * slot for BPF_F_CURRENT_CPU. The record is data followed by extra (the helper's context bytes; may
 * be NULL). 0, -EINVAL (flags), -E2BIG (index >= max_entries), -ENOENT (no reader attached),
 * -EOPNOTSUPP (the slot is another CPU's), -ENOSPC (ring full: the reader is told how many records
 * were lost). */
long map_perf_event_output(struct map *map, uint64_t flags, const void *data, uint64_t size,
                           const void *extra, uint64_t extra_size);

/* bpf_spin_lock / bpf_spin_unlock on a struct bpf_spin_lock inside a map value. */
void map_spin_lock(void *lock);
void map_spin_unlock(void *lock);

/* ---- user space (bpf() commands) --------------------------------------------------------------- */

/* Size of the value buffer user-space calls use: value_size, or for per-CPU maps
 * map_cpu_count() * round_up(value_size, 8). */
size_t map_sys_value_size(const struct map *map);

/* BPF_MAP_LOOKUP_ELEM: copies the value out (special fields such as the spin lock read as zero;
 * prog_array and map-in-map: the u32 id). flags: 0 or BPF_F_LOCK. */
int map_sys_lookup(struct map *map, const void *key, void *value, uint64_t flags);
/* BPF_MAP_UPDATE_ELEM (queue/stack: push). Per-CPU maps take every CPU's value. */
int map_sys_update(struct map *map, const void *key, const void *value, uint64_t flags);
/* BPF_MAP_DELETE_ELEM. */
int map_sys_delete(struct map *map, const void *key);
/* BPF_MAP_GET_NEXT_KEY: key NULL or absent -> the first key; -ENOENT after the last. */
int map_sys_get_next_key(struct map *map, const void *key, void *next_key);
/* BPF_MAP_LOOKUP_AND_DELETE_ELEM: queue/stack (key NULL: pop) and the hash types. */
int map_sys_lookup_and_delete(struct map *map, const void *key, void *value, uint64_t flags);
/* BPF_MAP_FREEZE: user space may no longer write (programs still may). -EBUSY if already frozen. */
int map_sys_freeze(struct map *map);
/* Object-holding maps (prog_array, array_of_maps, hash_of_maps), where bpf() passes an fd that the
 * runtime resolves: stores obj (a program, or a struct map * matching the inner template) and takes
 * over one reference to it on success. */
int map_sys_update_obj(struct map *map, const void *key, void *obj, uint64_t flags);

/* Direct value access (global data, lddw map-value relocations): the address of byte `off` of the
 * only value of a one-entry array. -EINVAL / ABI_ENOTSUPP like Linux. */
int map_direct_value_addr(struct map *map, uint32_t off, void **addr);
/* The value area of a BPF_F_MMAPABLE array (what mmap() gives in Linux): max_entries values of
 * round_up(value_size, 8) bytes, page aligned. NULL for other maps. */
void *map_mmap_base(struct map *map, size_t *size);

/* ---- what a compiler may build into code that uses a map ------------------------------------- */

/* The value area of a BPF_MAP_TYPE_ARRAY: element i (i < max_entries) is at values + i * stride, for
 * the map's whole life, and map_lookup_elem(map, &i) returns exactly that address (NULL for
 * i >= max_entries). A JIT may compute the lookup inline. */
struct map_array_layout {
    unsigned char *values;
    size_t stride;
    uint32_t max_entries;
};
/* True and *out filled for a plain array map; false for every other type (per-CPU arrays included). */
bool map_array_direct_layout(struct map *map, struct map_array_layout *out);

/* The type's own lookup: map_direct_lookup(map)(map, key) == map_lookup_elem(map, key), without the
 * dispatch; a JIT may call it directly for a map it knows. NULL when the type has no program lookup. */
typedef void *(*map_lookup_fn)(struct map *map, const void *key);
map_lookup_fn map_direct_lookup(const struct map *map);
/* The same for a map with 4-byte keys, the key passed by value (its 32 low bits): fn(map, k) ==
 * map_lookup_elem(map, &(uint32_t){ k }). NULL when the type has none. */
typedef void *(*map_lookup_key32_fn)(struct map *map, uint32_t key);
map_lookup_key32_fn map_direct_lookup_key32(const struct map *map);

/* ---- ring buffer and perf buffer readers (user space) ----------------------------------------- */

/* Called for each record, in order; return non-zero to stop after this record. */
typedef int (*map_ringbuf_sample_fn)(void *ctx, void *data, size_t size);
/* Consumes every record submitted so far (discarded ones are skipped), stopping early at a record
 * still being written or when fn asks. Returns the number of records given to fn, or -EINVAL. */
int map_ringbuf_consume(struct map *map, map_ringbuf_sample_fn fn, void *ctx);
/* Waits until a record can be consumed: 1 when one can, 0 on timeout (ms; negative: forever). */
int map_ringbuf_wait(struct map *map, int64_t timeout_ms);

/* Attaches a reader ring of `size` bytes (a power-of-2 multiple of the page size) to perf_event_array
 * slot `index` (Linux: a perf event for CPU `index` stored in the map). -EEXIST if one is attached. */
int map_perf_attach(struct map *map, uint32_t index, size_t size);
typedef void (*map_perf_sample_fn)(void *ctx, uint32_t index, void *data, uint32_t size);
typedef void (*map_perf_lost_fn)(void *ctx, uint32_t index, uint64_t lost);
/* Consumes the records of every attached slot (sample sizes are padded like Linux raw samples, so
 * that size + 4 is a multiple of 8) and reports records lost to a full ring. Returns the number of
 * samples, or a negative errno. */
int map_perf_consume(struct map *map, map_perf_sample_fn sample, map_perf_lost_fn lost, void *ctx);
/* Waits until some slot has a record: 1, or 0 on timeout. */
int map_perf_wait(struct map *map, int64_t timeout_ms);

#endif
