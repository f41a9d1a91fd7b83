/*
 * ringbuf.c - BPF_MAP_TYPE_RINGBUF: one record ring (ring.h) shared by every program and CPU, with
 * Linux's program-side API (reserve / submit / discard / output / query) and a user-space consumer
 * in place of mmap: map_ringbuf_consume and map_ringbuf_wait.
 *
 * max_entries is the data size in bytes: a power of 2 and a multiple of the page size (4096);
 * key_size and value_size must be 0.
 */
#include "maps/ring.h"

#include <stdlib.h>

#define RINGBUF_CREATE_FLAG_MASK ABI_F_NUMA_NODE

struct ringbuf_map {
    struct map map;
    struct map_ring_waiter waiter;
    struct map_ring *ring;
};

static inline struct ringbuf_map *ringbuf_of(struct map *map)
{
    return map && map->type == ABI_MAP_TYPE_RINGBUF ? (struct ringbuf_map *)map : NULL;
}

static int ringbuf_check(const struct map_def *def, ebpf_diag *diag)
{
    if (def->map_flags & ~RINGBUF_CREATE_FLAG_MASK)
        return map_fail(diag, def, -EINVAL, "map_flags 0x%x not allowed", def->map_flags);
    if (def->key_size || def->value_size)
        return map_fail(diag, def, -EINVAL, "key_size and value_size must be 0");
    uint32_t size = def->max_entries;
    if (size == 0 || (size & (size - 1)) || size % ABI_PAGE_SIZE)
        return map_fail(diag, def, -EINVAL,
                        "max_entries %u must be a power of 2 and a multiple of %u", size,
                        ABI_PAGE_SIZE);
    return 0;
}

static int ringbuf_alloc(const struct map_def *def, struct map **out, ebpf_diag *diag)
{
    struct ringbuf_map *rb = calloc(1, sizeof *rb);
    if (!rb)
        return -ENOMEM;
    if (map_ring_waiter_init(&rb->waiter) != 0) {
        free(rb);
        return -ENOMEM;
    }
    rb->ring = map_ring_new(def->max_entries, &rb->waiter);
    if (!rb->ring) {
        map_ring_waiter_destroy(&rb->waiter);
        free(rb);
        return map_fail(diag, def, -ENOMEM, "cannot allocate a %u-byte ring", def->max_entries);
    }
    *out = &rb->map;
    return 0;
}

static void ringbuf_free(struct map *map)
{
    struct ringbuf_map *rb = (struct ringbuf_map *)map;
    map_ring_free(rb->ring);
    map_ring_waiter_destroy(&rb->waiter);
    free(rb);
}

void *map_ringbuf_reserve(struct map *map, uint64_t size, uint64_t flags)
{
    struct ringbuf_map *rb = ringbuf_of(map);
    if (!rb || flags)
        return NULL;
    return map_ring_reserve(rb->ring, size);
}

void map_ringbuf_submit(void *sample, uint64_t flags)
{
    map_ring_commit(sample, false, flags);
}

void map_ringbuf_discard(void *sample, uint64_t flags)
{
    map_ring_commit(sample, true, flags);
}

long map_ringbuf_output(struct map *map, const void *data, uint64_t size, uint64_t flags)
{
    struct ringbuf_map *rb = ringbuf_of(map);
    if (!rb || (flags & ~(uint64_t)(ABI_RB_NO_WAKEUP | ABI_RB_FORCE_WAKEUP)))
        return -EINVAL;
    void *sample = map_ring_reserve(rb->ring, size);
    if (!sample)
        return -EAGAIN;
    memcpy(sample, data, size);
    map_ring_commit(sample, false, flags);
    return 0;
}

uint64_t map_ringbuf_query(struct map *map, uint64_t flags)
{
    struct ringbuf_map *rb = ringbuf_of(map);
    return rb ? map_ring_query(rb->ring, flags) : 0;
}

struct ringbuf_consume_ctx {
    map_ringbuf_sample_fn fn;
    void *ctx;
};

static int ringbuf_record(void *arg, void *data, uint32_t size)
{
    struct ringbuf_consume_ctx *c = arg;
    return c->fn(c->ctx, data, size);
}

int map_ringbuf_consume(struct map *map, map_ringbuf_sample_fn fn, void *ctx)
{
    struct ringbuf_map *rb = ringbuf_of(map);
    if (!rb || !fn)
        return -EINVAL;
    struct ringbuf_consume_ctx c = { fn, ctx };
    return map_ring_consume(rb->ring, ringbuf_record, &c);
}

static bool ringbuf_ready(void *arg)
{
    return map_ring_ready(arg);
}

int map_ringbuf_wait(struct map *map, int64_t timeout_ms)
{
    struct ringbuf_map *rb = ringbuf_of(map);
    if (!rb)
        return -EINVAL;
    return map_ring_wait(&rb->waiter, ringbuf_ready, rb->ring, timeout_ms);
}

const struct map_ops map_ops_ringbuf = {
    .check = ringbuf_check,
    .alloc = ringbuf_alloc,
    .free = ringbuf_free,
};
