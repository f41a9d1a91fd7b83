/*
 * htab.c - the hash table core (see htab.h for the layout and the reader/writer protocol).
 *
 * Linux rules kept here: BPF_NOEXIST/BPF_EXIST give -EEXIST/-ENOENT; a full map refuses a new key
 * with -E2BIG (LRU maps evict instead, htab_lru.c); updates of an existing per-CPU element and
 * BPF_F_LOCK updates write the value in place; get_next_key walks buckets in order and starts over
 * from the first key when the given key is absent.
 *
 * Elements are allocated per insertion (BPF_F_NO_PREALLOC is validated like Linux but memory is not
 * reserved up front either way) and freed through epoch.c. Allocation happens before a bucket lock
 * is taken; eviction (which takes another bucket's lock) happens before ours is taken, so a thread
 * holds at most one bucket lock, and the LRU lock only ever inside a bucket lock.
 */
#include "maps/htab.h"

#include "platform/platform.h"

#include <limits.h>
#include <stdlib.h>

#define HTAB_CREATE_FLAG_MASK                                                                       \
    (ABI_F_NO_PREALLOC | ABI_F_NO_COMMON_LRU | ABI_F_NUMA_NODE | ABI_F_ACCESS_MASK | ABI_F_ZERO_SEED)
#define HTAB_KMALLOC_MAX (4u << 20) /* Linux's KMALLOC_MAX_SIZE on x86-64: bounds key + value */
#define HTAB_MAX_LOCKS 128u

int htab_check(const struct map_def *def, unsigned flags, ebpf_diag *diag)
{
    bool percpu = flags & HTAB_PERCPU, lru = flags & HTAB_LRU;
    bool prealloc = !(def->map_flags & ABI_F_NO_PREALLOC);
    bool percpu_lru = def->map_flags & ABI_F_NO_COMMON_LRU;
    if ((def->map_flags & ~HTAB_CREATE_FLAG_MASK) || !map_flags_access_ok(def->map_flags))
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    if (!lru && percpu_lru)
        return map_fail(diag, def, -EINVAL, "BPF_F_NO_COMMON_LRU is for LRU maps only");
    if (lru && !prealloc)
        return map_fail(diag, def, -ABI_ENOTSUPP, "LRU maps cannot use BPF_F_NO_PREALLOC");
    if ((def->map_flags & ABI_F_NUMA_NODE) && (percpu || percpu_lru))
        return map_fail(diag, def, -EINVAL, "BPF_F_NUMA_NODE not allowed for per-CPU maps");
    if (def->max_entries == 0 || def->key_size == 0 || def->value_size == 0)
        return map_fail(diag, def, -EINVAL, "max_entries, key_size and value_size must be > 0");
    if (def->key_size > ABI_MAX_STACK)
        return map_fail(diag, def, -E2BIG, "key_size %u over %u", def->key_size, ABI_MAX_STACK);
    if ((uint64_t)def->value_size >=
        HTAB_KMALLOC_MAX - ABI_MAX_STACK - sizeof(struct htab_elem))
        return map_fail(diag, def, -E2BIG, "value_size %u too large", def->value_size);
    if (percpu && map_round8(def->value_size) > ABI_PCPU_MIN_UNIT_SIZE)
        return map_fail(diag, def, -E2BIG, "per-CPU value_size %u over %u", def->value_size,
                        ABI_PCPU_MIN_UNIT_SIZE);
    if (def->max_entries > (1u << 31) || (1ull << 32) / 16 < def->max_entries)
        return map_fail(diag, def, -E2BIG, "max_entries %u too large", def->max_entries);
    return 0;
}

static uint32_t htab_round_pow2(uint32_t n)
{
    uint32_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

static uint64_t htab_new_seed(const void *salt)
{
    static atomic_uint_fast64_t counter;
    uint64_t x = plat_monotonic_ns() ^ (uint64_t)(uintptr_t)salt ^
                 (atomic_fetch_add(&counter, 1) * 0x9e3779b97f4a7c15ull);
    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 29;
    return x;
}

int htab_alloc(const struct map_def *def, unsigned flags, size_t struct_size, struct map **out,
               ebpf_diag *diag)
{
    struct htab *h = calloc(1, struct_size);
    if (!h)
        return -ENOMEM;
    h->flags = flags;
    h->n_buckets = htab_round_pow2(def->max_entries);
    uint32_t n_locks = h->n_buckets < HTAB_MAX_LOCKS ? h->n_buckets : HTAB_MAX_LOCKS;
    h->lock_mask = n_locks - 1;
    h->seed = (def->map_flags & ABI_F_ZERO_SEED) ? 0 : htab_new_seed(h);
    h->key_area = map_round8(def->key_size);
    h->value_stride = map_round8(def->value_size);
    h->cpus = map_cpu_count();
    if (flags & HTAB_MAPS)
        h->value_area = sizeof(struct map *);
    else if (flags & HTAB_PERCPU)
        h->value_area = h->value_stride * h->cpus;
    else
        h->value_area = h->value_stride;
    atomic_init(&h->count, 0);
    h->buckets = calloc(h->n_buckets, sizeof *h->buckets);
    h->locks = calloc(n_locks, sizeof *h->locks);
    if (!h->buckets || !h->locks) {
        uint32_t n_buckets = h->n_buckets;
        free(h->buckets);
        free(h->locks);
        free(h);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %u buckets", n_buckets);
    }
    for (uint32_t i = 0; i < n_locks; i++)
        plat_mutex_init(&h->locks[i]);
    if ((flags & HTAB_LRU) && htab_lru_init(h) != 0) {
        for (uint32_t i = 0; i < n_locks; i++)
            plat_mutex_destroy(&h->locks[i]);
        free(h->buckets);
        free(h->locks);
        free(h);
        return -ENOMEM;
    }
    *out = &h->map;
    return 0;
}

static void htab_elem_release(struct htab_elem *e, bool maps)
{
    if (maps) {
        struct map *inner;
        memcpy(&inner, htab_value(e), sizeof inner);
        map_put(inner);
    }
    free(e);
}

static void htab_elem_free(struct map_retired *node)
{
    htab_elem_release(MAP_CONTAINER(node, struct htab_elem, retired), false);
}

static void htab_elem_free_maps(struct map_retired *node)
{
    htab_elem_release(MAP_CONTAINER(node, struct htab_elem, retired), true);
}

static void htab_retire(struct htab *h, struct htab_elem *e)
{
    map_epoch_retire(&e->retired, (h->flags & HTAB_MAPS) ? htab_elem_free_maps : htab_elem_free);
}

void htab_free(struct map *map)
{
    struct htab *h = htab_of(map);
    for (uint32_t b = 0; b < h->n_buckets; b++) {
        struct htab_elem *e = atomic_load_explicit(&h->buckets[b], memory_order_relaxed);
        while (e) {
            struct htab_elem *next = atomic_load_explicit(&e->next, memory_order_relaxed);
            htab_elem_release(e, h->flags & HTAB_MAPS);
            e = next;
        }
    }
    if (h->flags & HTAB_LRU)
        htab_lru_destroy(h);
    for (uint32_t i = 0; i <= h->lock_mask; i++)
        plat_mutex_destroy(&h->locks[i]);
    free(h->buckets);
    free(h->locks);
    free(h);
}

/* A keyed 64-bit multiply-xorshift hash over 8-byte words, folded to 32 bits. Inlined into
 * htab_hash with n constant for the common key sizes, where the copies become plain loads; the value
 * is the same for every size whichever way it is reached. */
static inline uint32_t htab_hash_bytes(uint64_t seed, const unsigned char *p, size_t n)
{
    uint64_t x = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        x = (x ^ w) * 0xff51afd7ed558ccdull;
        x ^= x >> 32;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        x = (x ^ w) * 0xc4ceb9fe1a85ec53ull;
    }
    x ^= x >> 29;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 32;
    return (uint32_t)x;
}

static uint32_t htab_hash(const struct htab *h, const void *key)
{
    switch (h->map.key_size) {
    case 4: return htab_hash_bytes(h->seed, key, 4);
    case 8: return htab_hash_bytes(h->seed, key, 8);
    default: return htab_hash_bytes(h->seed, key, h->map.key_size);
    }
}

static inline uint32_t htab_bucket(const struct htab *h, uint32_t hash)
{
    return hash & (h->n_buckets - 1);
}

static inline plat_mutex *htab_lock_of(struct htab *h, uint32_t bucket)
{
    return &h->locks[bucket & h->lock_mask];
}

static inline bool htab_match(const struct htab *h, const struct htab_elem *e, uint32_t hash,
                              const void *key)
{
    if (e->hash != hash)
        return false;
    switch (h->map.key_size) { /* the common sizes without a call */
    case 4: return memcmp(e->data, key, 4) == 0;
    case 8: return memcmp(e->data, key, 8) == 0;
    default: return memcmp(e->data, key, h->map.key_size) == 0;
    }
}

static struct htab_elem *htab_find_hash(struct htab *h, const void *key, uint32_t hash)
{
    struct htab_elem *e =
        atomic_load_explicit(&h->buckets[htab_bucket(h, hash)], memory_order_acquire);
    for (; e; e = atomic_load_explicit(&e->next, memory_order_acquire))
        if (htab_match(h, e, hash, key))
            return e;
    return NULL;
}

/* The lookup with the key size a constant: the hash, the chain walk and the key compare in one
 * leaf function without calls (the program-side lookup of 4- and 8-byte keys). */
static inline struct htab_elem *htab_find_sized(struct htab *h, const void *key, size_t n)
{
    uint32_t hash = htab_hash_bytes(h->seed, key, n);
    struct htab_elem *e = atomic_load_explicit(&h->buckets[htab_bucket(h, hash)], memory_order_acquire);
    for (; e; e = atomic_load_explicit(&e->next, memory_order_acquire))
        if (e->hash == hash && memcmp(e->data, key, n) == 0)
            return e;
    return NULL;
}

void *htab_lookup_value_k4(struct map *map, const void *key)
{
    struct htab_elem *e = htab_find_sized(htab_of(map), key, 4);
    return e ? htab_value(e) : NULL;
}

void *htab_lookup_value_key32(struct map *map, uint32_t key)
{
    struct htab_elem *e = htab_find_sized(htab_of(map), &key, 4);
    return e ? htab_value(e) : NULL;
}

void *htab_lookup_value_k8(struct map *map, const void *key)
{
    struct htab_elem *e = htab_find_sized(htab_of(map), key, 8);
    return e ? htab_value(e) : NULL;
}

struct htab_elem *htab_find(struct htab *h, const void *key)
{
    switch (h->map.key_size) {
    case 4: return htab_find_sized(h, key, 4);
    case 8: return htab_find_sized(h, key, 8);
    default: return htab_find_hash(h, key, htab_hash(h, key));
    }
}

/* Under the bucket lock: the link that points at the element with this key (or the chain's end). */
static struct htab_elem *_Atomic *htab_link_of(struct htab *h, uint32_t bucket, uint32_t hash,
                                              const void *key)
{
    struct htab_elem *_Atomic *link = &h->buckets[bucket];
    struct htab_elem *e;
    while ((e = atomic_load_explicit(link, memory_order_relaxed)) && !htab_match(h, e, hash, key))
        link = &e->next;
    return link;
}

static struct htab_elem *htab_elem_new(struct htab *h, const void *key, uint32_t hash)
{
    size_t size = sizeof(struct htab_elem) + h->key_area + h->value_area;
    struct htab_elem *e = calloc(1, size);
    if (!e)
        return NULL;
    memcpy(e->data, key, h->map.key_size);
    e->hash = hash;
    e->value_off = (uint32_t)h->key_area;
    return e;
}

/* Writes a value into an element: a fresh one (not yet visible) or, in place, a linked one. */
static void htab_store(struct htab *h, struct htab_elem *e, const void *value, bool all_cpus,
                       bool locked)
{
    unsigned char *dst = htab_value(e);
    if (h->flags & HTAB_MAPS) {
        memcpy(dst, value, sizeof(struct map *));
    } else if (h->flags & HTAB_PERCPU) {
        if (all_cpus)
            for (uint32_t cpu = 0; cpu < h->cpus; cpu++)
                map_words_store(dst + cpu * h->value_stride,
                                (const unsigned char *)value + cpu * h->value_stride,
                                h->map.value_size);
        else
            map_words_store(dst + (size_t)map_this_cpu() * h->value_stride, value,
                            h->map.value_size);
    } else if (locked) {
        map_value_store_locked(&h->map, dst, value);
    } else {
        map_value_store(&h->map, dst, value);
    }
}

long htab_update(struct htab *h, const void *key, const void *value, uint64_t flags, bool all_cpus)
{
    bool lock_flag = flags & ABI_F_LOCK;
    if ((flags & ~(uint64_t)ABI_F_LOCK) > ABI_EXIST)
        return -EINVAL;
    if (lock_flag && ((h->flags & (HTAB_LRU | HTAB_PERCPU | HTAB_MAPS)) || h->map.spin_lock_off < 0))
        return -EINVAL;
    uint32_t hash = htab_hash(h, key);
    uint32_t bucket = htab_bucket(h, hash);
    bool in_place = h->flags & HTAB_PERCPU;
    bool reserved = false;
    struct htab_elem *fresh = NULL;
    long rc;

    if (lock_flag) {
        /* Linux: an existing element is updated under its spin lock without the bucket lock. */
        struct htab_elem *e = htab_find_hash(h, key, hash);
        rc = map_check_exist(e != NULL, flags);
        if (rc)
            return rc;
        if (e) {
            htab_store(h, e, value, all_cpus, true);
            return 0;
        }
    }
    for (;;) {
        struct htab_elem *seen = htab_find_hash(h, key, hash);
        rc = map_check_exist(seen != NULL, flags);
        if (rc)
            goto out;
        if ((!seen || !in_place) && !fresh) {
            fresh = htab_elem_new(h, key, hash);
            if (!fresh) {
                rc = -ENOMEM;
                goto out;
            }
            htab_store(h, fresh, value, all_cpus, false);
        }
        if (!seen && (h->flags & HTAB_LRU) && !reserved) {
            rc = htab_lru_reserve(h);
            if (rc)
                goto out;
            reserved = true;
        }

        plat_mutex *lock = htab_lock_of(h, bucket);
        plat_mutex_lock(lock);
        struct htab_elem *_Atomic *link = htab_link_of(h, bucket, hash, key);
        struct htab_elem *old = atomic_load_explicit(link, memory_order_relaxed);
        rc = map_check_exist(old != NULL, flags);
        if (rc) {
            plat_mutex_unlock(lock);
            goto out;
        }
        if (old && (in_place || lock_flag)) {
            htab_store(h, old, value, all_cpus, lock_flag);
            if (h->flags & HTAB_LRU)
                htab_lru_touch(old);
            plat_mutex_unlock(lock);
            goto out; /* rc == 0 */
        }
        if (!fresh || (!old && (h->flags & HTAB_LRU) && !reserved)) {
            /* The key vanished since we looked: allocate or reserve, then try again. */
            plat_mutex_unlock(lock);
            continue;
        }
        if (!old) {
            if (h->flags & HTAB_LRU) {
                reserved = false; /* the reservation becomes this element */
            } else if (atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed) >=
                       h->map.max_entries) {
                atomic_fetch_sub_explicit(&h->count, 1, memory_order_relaxed);
                plat_mutex_unlock(lock);
                rc = -E2BIG;
                goto out;
            }
            atomic_store_explicit(&fresh->next, atomic_load_explicit(link, memory_order_relaxed),
                                  memory_order_relaxed);
        } else {
            atomic_store_explicit(&fresh->next,
                                  atomic_load_explicit(&old->next, memory_order_relaxed),
                                  memory_order_relaxed);
            old->linked = false;
        }
        fresh->linked = true;
        atomic_store_explicit(link, fresh, memory_order_release);
        if (h->flags & HTAB_LRU) {
            if (old)
                htab_lru_remove(h, old);
            htab_lru_push(h, fresh);
        }
        plat_mutex_unlock(lock);
        fresh = NULL;
        if (old)
            htab_retire(h, old);
        rc = 0;
        goto out;
    }
out:
    free(fresh); /* never published */
    if (reserved)
        atomic_fetch_sub_explicit(&h->count, 1, memory_order_relaxed);
    return rc;
}

/* Under the bucket lock: takes the element at *link out of its chain, its count and the LRU. */
static struct htab_elem *htab_unlink_locked(struct htab *h, struct htab_elem *_Atomic *link)
{
    struct htab_elem *e = atomic_load_explicit(link, memory_order_relaxed);
    atomic_store_explicit(link, atomic_load_explicit(&e->next, memory_order_relaxed),
                          memory_order_release);
    e->linked = false;
    atomic_fetch_sub_explicit(&h->count, 1, memory_order_relaxed);
    if (h->flags & HTAB_LRU)
        htab_lru_remove(h, e);
    return e;
}

long htab_delete(struct htab *h, const void *key)
{
    uint32_t hash = htab_hash(h, key);
    uint32_t bucket = htab_bucket(h, hash);
    plat_mutex *lock = htab_lock_of(h, bucket);
    plat_mutex_lock(lock);
    struct htab_elem *_Atomic *link = htab_link_of(h, bucket, hash, key);
    struct htab_elem *e = atomic_load_explicit(link, memory_order_relaxed);
    if (e)
        htab_unlink_locked(h, link);
    plat_mutex_unlock(lock);
    if (!e)
        return -ENOENT;
    htab_retire(h, e);
    return 0;
}

bool htab_evict(struct htab *h, struct htab_elem *victim)
{
    uint32_t bucket = htab_bucket(h, victim->hash);
    plat_mutex *lock = htab_lock_of(h, bucket);
    plat_mutex_lock(lock);
    bool removed = false;
    if (victim->linked) {
        struct htab_elem *_Atomic *link = &h->buckets[bucket];
        while (atomic_load_explicit(link, memory_order_relaxed) != victim)
            link = &atomic_load_explicit(link, memory_order_relaxed)->next;
        htab_unlink_locked(h, link);
        removed = true;
    }
    plat_mutex_unlock(lock);
    if (removed)
        htab_retire(h, victim);
    return removed;
}

void htab_copy_out(struct htab *h, struct htab_elem *e, void *value, bool locked)
{
    const unsigned char *src = htab_value(e);
    if (h->flags & HTAB_MAPS) {
        struct map *inner;
        memcpy(&inner, src, sizeof inner);
        memcpy(value, &inner->id, sizeof(uint32_t));
    } else if (h->flags & HTAB_PERCPU) {
        for (uint32_t cpu = 0; cpu < h->cpus; cpu++)
            map_words_load((unsigned char *)value + cpu * h->value_stride,
                           src + cpu * h->value_stride, h->value_stride);
    } else {
        map_value_load(&h->map, value, src, locked);
    }
}

int htab_sys_lookup(struct htab *h, const void *key, void *value, uint64_t flags)
{
    struct htab_elem *e = htab_find(h, key);
    if (!e)
        return -ENOENT;
    htab_copy_out(h, e, value, flags & ABI_F_LOCK);
    return 0;
}

int htab_lookup_and_delete(struct htab *h, const void *key, void *value, uint64_t flags)
{
    uint32_t hash = htab_hash(h, key);
    uint32_t bucket = htab_bucket(h, hash);
    plat_mutex *lock = htab_lock_of(h, bucket);
    plat_mutex_lock(lock);
    struct htab_elem *_Atomic *link = htab_link_of(h, bucket, hash, key);
    struct htab_elem *e = atomic_load_explicit(link, memory_order_relaxed);
    if (e) {
        htab_copy_out(h, e, value, flags & ABI_F_LOCK);
        htab_unlink_locked(h, link);
    }
    plat_mutex_unlock(lock);
    if (!e)
        return -ENOENT;
    htab_retire(h, e);
    return 0;
}

static struct htab_elem *htab_first_from(struct htab *h, uint32_t bucket)
{
    for (; bucket < h->n_buckets; bucket++) {
        struct htab_elem *e = atomic_load_explicit(&h->buckets[bucket], memory_order_acquire);
        if (e)
            return e;
    }
    return NULL;
}

int htab_next_key(struct htab *h, const void *key, void *next_key)
{
    struct htab_elem *next = NULL;
    if (key) {
        uint32_t hash = htab_hash(h, key);
        struct htab_elem *e = htab_find_hash(h, key, hash);
        if (e) {
            next = atomic_load_explicit(&e->next, memory_order_acquire);
            if (!next)
                next = htab_first_from(h, htab_bucket(h, hash) + 1);
            if (!next)
                return -ENOENT;
        }
    }
    if (!next)
        next = htab_first_from(h, 0);
    if (!next)
        return -ENOENT;
    memcpy(next_key, next->data, h->map.key_size);
    return 0;
}

long htab_for_each(struct htab *h, map_for_each_fn fn, void *ctx)
{
    long visited = 0;
    size_t cpu_off = (h->flags & HTAB_PERCPU) ? (size_t)map_this_cpu() * h->value_stride : 0;
    for (uint32_t b = 0; b < h->n_buckets; b++) {
        struct htab_elem *e = atomic_load_explicit(&h->buckets[b], memory_order_acquire);
        for (; e; e = atomic_load_explicit(&e->next, memory_order_acquire)) {
            visited++;
            if (fn(&h->map, e->data, (unsigned char *)htab_value(e) + cpu_off, ctx))
                return visited;
        }
    }
    return visited;
}
