/*
 * htab.h - private to src/maps/: the hash table core shared by hash, percpu_hash, lru_hash,
 * lru_percpu_hash and hash_of_maps (the type files choose the variant with HTAB_* flags and keep
 * only their ops tables and type-specific rules).
 *
 * Layout: a power-of-2 array of buckets, each a singly linked chain of elements; a small power-of-2
 * set of writer locks, bucket b guarded by lock b & lock_mask. An element is immutable once linked,
 * except its value where Linux writes in place (per-CPU slots, BPF_F_LOCK), its `linked` flag
 * (under its bucket lock) and its LRU state (htab_lru.c).
 *
 * Readers walk chains with acquire loads and no lock. Writers publish a fully built element with a
 * release store; an update of an existing key (non per-CPU, no BPF_F_LOCK) links a new element in the
 * old one's place and retires the old one (epoch.h), so readers see either value whole and an unlinked
 * element's `next` still leads to the rest of its chain.
 */
#ifndef EBPF_MAPS_HTAB_H
#define EBPF_MAPS_HTAB_H

#include "maps/map_int.h"
#include "platform/sync.h"

#define HTAB_PERCPU 1u /* one value per CPU slot in each element */
#define HTAB_LRU 2u    /* full map evicts instead of failing */
#define HTAB_MAPS 4u   /* values are struct map * references (hash_of_maps) */

/* Doubly linked LRU list links; a sentinel in struct htab_lru closes the ring. */
struct htab_lru_node {
    struct htab_lru_node *prev, *next;
};

struct htab_elem {
    struct htab_elem *_Atomic next;
    uint32_t hash;
    uint32_t value_off;          /* from data: round_up(key_size, 8) */
    bool linked;                 /* in its bucket chain; changed under the bucket lock */
    bool on_lru;                 /* in the LRU list; changed under the LRU lock */
    atomic_uchar ref;            /* LRU: looked up by a program since the last eviction scan */
    struct htab_lru_node lru;
    struct map_retired retired;
    _Alignas(8) unsigned char data[]; /* key, zero-padded to 8, then the value area */
};

struct htab_lru {
    plat_mutex lock;
    struct htab_lru_node head;   /* head.next: most recent; head.prev: least recent */
};

struct htab {
    struct map map;
    unsigned flags;
    uint32_t n_buckets, lock_mask;
    uint64_t seed;
    size_t key_area;             /* round_up(key_size, 8) */
    size_t value_stride;         /* round_up(value_size, 8): one CPU's value */
    size_t value_area;           /* bytes after the key in an element */
    uint32_t cpus;
    atomic_uint count;           /* linked elements (+ LRU reservations in flight) */
    struct htab_elem *_Atomic *buckets;
    plat_mutex *locks;
    struct htab_lru lru;         /* HTAB_LRU only */
};

static inline struct htab *htab_of(struct map *map)
{
    return (struct htab *)map;
}

static inline void *htab_value(struct htab_elem *e)
{
    return e->data + e->value_off;
}

/* Linux's htab_map_alloc_check for the variant. */
int htab_check(const struct map_def *def, unsigned flags, ebpf_diag *diag);
/* struct_size: sizeof(struct htab), or more for a type that embeds it first. */
int htab_alloc(const struct map_def *def, unsigned flags, size_t struct_size, struct map **out,
               ebpf_diag *diag);
void htab_free(struct map *map);

/* Lock-free lookup (inside a read-side section). */
struct htab_elem *htab_find(struct htab *h, const void *key);
/* The same for a map whose key size is 4 / 8 (the caller knows), returning the element's value (the
 * first value slot: not for per-CPU maps) or NULL: leaf functions with no call, for a JIT calling a
 * plain hash map directly (map_ops.lookup_for). */
void *htab_lookup_value_k4(struct map *map, const void *key);
void *htab_lookup_value_k8(struct map *map, const void *key);
/* htab_lookup_value_k4 with the key by value (map_ops.lookup_key32). */
void *htab_lookup_value_key32(struct map *map, uint32_t key);
/* Insert or update. value: one value (per-CPU maps: written to this CPU's slot), or with all_cpus the
 * user-space per-CPU layout; HTAB_MAPS: a pointer to the struct map * to store. */
long htab_update(struct htab *h, const void *key, const void *value, uint64_t flags, bool all_cpus);
long htab_delete(struct htab *h, const void *key);
int htab_next_key(struct htab *h, const void *key, void *next_key);
/* Copies an element's value out in the user-space layout. */
void htab_copy_out(struct htab *h, struct htab_elem *e, void *value, bool locked);
int htab_lookup_and_delete(struct htab *h, const void *key, void *value, uint64_t flags);
long htab_for_each(struct htab *h, map_for_each_fn fn, void *ctx);
int htab_sys_lookup(struct htab *h, const void *key, void *value, uint64_t flags);

/* Unlinks an element the LRU chose, if it is still linked (under its bucket lock), and retires it.
 * Returns true if this call removed it. Caller: inside a read-side section, holding no lock. */
bool htab_evict(struct htab *h, struct htab_elem *victim);

/* htab_lru.c: the LRU list. push/remove are called with the element's bucket lock held. */
int htab_lru_init(struct htab *h);
void htab_lru_destroy(struct htab *h);
void htab_lru_push(struct htab *h, struct htab_elem *e);
void htab_lru_remove(struct htab *h, struct htab_elem *e);
/* Marks an element recently used (program lookups). */
static inline void htab_lru_touch(struct htab_elem *e)
{
    if (!atomic_load_explicit(&e->ref, memory_order_relaxed))
        atomic_store_explicit(&e->ref, 1, memory_order_relaxed);
}
/* Makes room for one more element: count++ , evicting the least recently used elements while the
 * map is full. 0, or -ENOMEM when nothing can be evicted (every element is being inserted). Caller:
 * inside a read-side section, holding no lock. */
int htab_lru_reserve(struct htab *h);

#endif
