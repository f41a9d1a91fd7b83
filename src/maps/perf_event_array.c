/*
 * perf_event_array.c - BPF_MAP_TYPE_PERF_EVENT_ARRAY for bpf_perf_event_output with a user-space
 * reader: slot i holds a record ring (ring.h) standing for the perf event Linux would have opened on
 * CPU i. The reader attaches rings (map_perf_attach, like libbpf's perf_buffer__new storing perf
 * event fds), waits on all of them at once and consumes samples per slot; a detached ring (delete)
 * is freed after a grace period, as programs may be writing into it.
 *
 * Samples are delivered like Linux raw samples: the size is padded so that size + 4 is a multiple
 * of 8, padding zeroed. A full ring drops the sample (-ENOSPC) and counts it as lost. As with the
 * per-CPU events Linux readers open, a program may only write to the slot of the CPU it runs on (its
 * thread's CPU slot): another attached slot gives -EOPNOTSUPP, as Linux's event->oncpu check does.
 */
#include "maps/obj_array.h"
#include "maps/ring.h"

#include <stdlib.h>

struct perf_array {
    struct map map;
    struct map_ring_waiter waiter;
    struct map_ring *_Atomic *slots;
};

static inline struct perf_array *perf_of(struct map *map)
{
    return map && map->type == ABI_MAP_TYPE_PERF_EVENT_ARRAY ? (struct perf_array *)map : NULL;
}

static int perf_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    struct perf_array *p = calloc(1, sizeof *p);
    if (!p)
        return -ENOMEM;
    p->slots = calloc(def->max_entries, sizeof *p->slots);
    if (!p->slots || map_ring_waiter_init(&p->waiter) != 0) {
        free(p->slots);
        free(p);
        return map_fail(diag, def, -ENOMEM, "cannot allocate %u slots", def->max_entries);
    }
    *out = &p->map;
    return 0;
}

static void perf_free(struct map *map)
{
    struct perf_array *p = perf_of(map);
    for (uint32_t i = 0; i < map->max_entries; i++)
        map_ring_free(atomic_load_explicit(&p->slots[i], memory_order_relaxed));
    map_ring_waiter_destroy(&p->waiter);
    free(p->slots);
    free(p);
}

int map_perf_attach(struct map *map, uint32_t index, size_t size)
{
    struct perf_array *p = perf_of(map);
    if (!p)
        return -EINVAL;
    if (index >= map->max_entries)
        return -E2BIG;
    if (size == 0 || (size & (size - 1)) || size % ABI_PAGE_SIZE)
        return -EINVAL;
    struct map_ring *ring = map_ring_new(size, &p->waiter);
    if (!ring)
        return -ENOMEM;
    struct map_ring *expected = NULL;
    if (!atomic_compare_exchange_strong(&p->slots[index], &expected, ring)) {
        map_ring_free(ring);
        return -EEXIST;
    }
    return 0;
}

static void perf_ring_free(struct map_retired *node)
{
    map_ring_free(MAP_CONTAINER(node, struct map_ring, retired));
}

static int perf_sys_delete(struct map *map, const void *key)
{
    struct perf_array *p = perf_of(map);
    uint32_t index = map_key_index(key);
    if (index >= map->max_entries)
        return -E2BIG;
    struct map_ring *ring = atomic_exchange(&p->slots[index], NULL);
    if (!ring)
        return -ENOENT;
    map_epoch_retire(&ring->retired, perf_ring_free);
    return 0;
}

long map_perf_event_output(struct map *map, uint64_t flags, const void *data, uint64_t size,
                           const void *extra, uint64_t extra_size)
{
    struct perf_array *p = perf_of(map);
    if (!p || (flags & ~ABI_F_INDEX_MASK))
        return -EINVAL;
    uint64_t index = flags & ABI_F_INDEX_MASK;
    if (index == ABI_F_CURRENT_CPU)
        index = map_this_cpu();
    if (index >= map->max_entries)
        return -E2BIG;
    struct map_ring *ring = atomic_load_explicit(&p->slots[index], memory_order_acquire);
    if (!ring)
        return -ENOENT;
    if (index != map_this_cpu())
        return -EOPNOTSUPP;
    if (!extra)
        extra_size = 0;
    uint64_t total = size + extra_size;
    if (total < size || total > MAP_RING_MAX_RECORD)
        return -E2BIG;
    uint64_t raw = map_round8(total + 4) - 4;
    unsigned char *sample = map_ring_reserve(ring, raw);
    if (!sample) {
        atomic_fetch_add_explicit(&ring->lost, 1, memory_order_relaxed);
        return -ENOSPC;
    }
    memcpy(sample, data, size);
    if (extra_size)
        memcpy(sample + size, extra, extra_size);
    memset(sample + total, 0, raw - total);
    map_ring_commit(sample, false, 0);
    return 0;
}

struct perf_consume_ctx {
    map_perf_sample_fn fn;
    void *ctx;
    uint32_t index;
};

static int perf_record(void *arg, void *data, uint32_t size)
{
    struct perf_consume_ctx *c = arg;
    c->fn(c->ctx, c->index, data, size);
    return 0;
}

int map_perf_consume(struct map *map, map_perf_sample_fn sample, map_perf_lost_fn lost, void *ctx)
{
    struct perf_array *p = perf_of(map);
    if (!p || !sample)
        return -EINVAL;
    int total = 0;
    map_read_lock();
    for (uint32_t i = 0; i < map->max_entries; i++) {
        struct map_ring *ring = atomic_load_explicit(&p->slots[i], memory_order_acquire);
        if (!ring)
            continue;
        uint64_t dropped = atomic_exchange_explicit(&ring->lost, 0, memory_order_relaxed);
        if (dropped && lost)
            lost(ctx, i, dropped);
        struct perf_consume_ctx c = { sample, ctx, i };
        total += map_ring_consume(ring, perf_record, &c);
    }
    map_read_unlock();
    return total;
}

static bool perf_ready(void *arg)
{
    struct perf_array *p = arg;
    bool ready = false;
    map_read_lock();
    for (uint32_t i = 0; i < p->map.max_entries && !ready; i++) {
        struct map_ring *ring = atomic_load_explicit(&p->slots[i], memory_order_acquire);
        ready = ring && (map_ring_ready(ring) || atomic_load(&ring->lost) > 0);
    }
    map_read_unlock();
    return ready;
}

int map_perf_wait(struct map *map, int64_t timeout_ms)
{
    struct perf_array *p = perf_of(map);
    if (!p)
        return -EINVAL;
    return map_ring_wait(&p->waiter, perf_ready, p, timeout_ms);
}

const struct map_ops map_ops_perf_event_array = {
    .check = obj_array_check,
    .alloc = perf_alloc,
    .free = perf_free,
    .sys_delete = perf_sys_delete,
    .get_next_key = map_array_next_key,
};
