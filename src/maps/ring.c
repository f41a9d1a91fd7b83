/*
 * ring.c - the record ring of ring.h, and the consumer's sleep/wake-up.
 *
 * Wake-ups: a consumer about to sleep increments `waiting` and re-checks readiness under the waiter
 * lock; a producer that commits checks `waiting` after its atomic commit and, if set, broadcasts
 * under the same lock. Both sides use sequentially consistent operations, so either the consumer
 * sees the record or the producer sees the sleeper.
 */
#include "maps/ring.h"

#include "platform/platform.h"

#include <stdlib.h>

#define RING_HDR 8u

int map_ring_waiter_init(struct map_ring_waiter *w)
{
    atomic_init(&w->waiting, 0);
    int rc = plat_mutex_init(&w->lock);
    if (rc)
        return rc;
    rc = plat_cond_init(&w->cond);
    if (rc)
        plat_mutex_destroy(&w->lock);
    return rc;
}

void map_ring_waiter_destroy(struct map_ring_waiter *w)
{
    plat_cond_destroy(&w->cond);
    plat_mutex_destroy(&w->lock);
}

void map_ring_waiter_wake(struct map_ring_waiter *w)
{
    if (atomic_load(&w->waiting) > 0) {
        plat_mutex_lock(&w->lock);
        plat_cond_broadcast(&w->cond);
        plat_mutex_unlock(&w->lock);
    }
}

int map_ring_wait(struct map_ring_waiter *w, bool (*ready)(void *arg), void *arg, int64_t timeout_ms)
{
    if (ready(arg))
        return 1;
    if (timeout_ms == 0)
        return 0;
    uint64_t deadline = timeout_ms > 0 ? plat_monotonic_ns() + (uint64_t)timeout_ms * 1000000u : 0;
    int result = 0;
    plat_mutex_lock(&w->lock);
    atomic_fetch_add(&w->waiting, 1);
    for (;;) {
        if (ready(arg)) {
            result = 1;
            break;
        }
        int64_t left = -1;
        if (timeout_ms > 0) {
            uint64_t now = plat_monotonic_ns();
            if (now >= deadline)
                break;
            left = (int64_t)((deadline - now + 999999u) / 1000000u);
        }
        plat_cond_wait(&w->cond, &w->lock, left);
    }
    atomic_fetch_sub(&w->waiting, 1);
    plat_mutex_unlock(&w->lock);
    return result;
}

struct map_ring *map_ring_new(uint64_t size, struct map_ring_waiter *waiter)
{
    size_t bytes;
    if (size > SIZE_MAX / 2 || !checked_add_size(sizeof(struct map_ring), (size_t)size * 2, &bytes))
        return NULL;
    struct map_ring *ring = map_alloc_aligned(bytes, 64);
    if (!ring)
        return NULL;
    if (plat_mutex_init(&ring->producer_lock) != 0) {
        map_free_aligned(ring);
        return NULL;
    }
    if (plat_mutex_init(&ring->consumer_lock) != 0) {
        plat_mutex_destroy(&ring->producer_lock);
        map_free_aligned(ring);
        return NULL;
    }
    atomic_init(&ring->cons_pos, 0);
    atomic_init(&ring->prod_pos, 0);
    atomic_init(&ring->lost, 0);
    ring->waiter = waiter;
    ring->mask = size - 1;
    return ring;
}

void map_ring_free(struct map_ring *ring)
{
    if (!ring)
        return;
    plat_mutex_destroy(&ring->producer_lock);
    plat_mutex_destroy(&ring->consumer_lock);
    map_free_aligned(ring);
}

static inline uint32_t *ring_len_word(unsigned char *hdr)
{
    return (uint32_t *)(void *)hdr;
}

void *map_ring_reserve(struct map_ring *ring, uint64_t size)
{
    if (size > MAP_RING_MAX_RECORD)
        return NULL;
    uint64_t len = map_round8(size + RING_HDR);
    if (len > ring->mask + 1)
        return NULL;
    plat_mutex_lock(&ring->producer_lock);
    uint64_t cons = atomic_load_explicit(&ring->cons_pos, memory_order_acquire);
    uint64_t prod = atomic_load_explicit(&ring->prod_pos, memory_order_relaxed);
    if (prod + len - cons > ring->mask) {
        plat_mutex_unlock(&ring->producer_lock);
        return NULL;
    }
    unsigned char *hdr = ring->data + (prod & ring->mask);
    uint32_t off8 = (uint32_t)((size_t)(hdr - (unsigned char *)ring) / 8);
    __atomic_store_n(ring_len_word(hdr), (uint32_t)size | ABI_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
    __atomic_store_n(ring_len_word(hdr + 4), off8, __ATOMIC_RELAXED);
    atomic_store_explicit(&ring->prod_pos, prod + len, memory_order_release);
    plat_mutex_unlock(&ring->producer_lock);
    return hdr + RING_HDR;
}

void map_ring_commit(void *sample, bool discard, uint64_t flags)
{
    unsigned char *hdr = (unsigned char *)sample - RING_HDR;
    uint32_t off8 = __atomic_load_n(ring_len_word(hdr + 4), __ATOMIC_RELAXED);
    struct map_ring *ring = (struct map_ring *)(void *)(hdr - (size_t)off8 * 8);
    uint32_t len = __atomic_load_n(ring_len_word(hdr), __ATOMIC_RELAXED);
    uint32_t committed = (len & ~ABI_RINGBUF_BUSY_BIT) | (discard ? ABI_RINGBUF_DISCARD_BIT : 0);
    __atomic_exchange_n(ring_len_word(hdr), committed, __ATOMIC_SEQ_CST);

    uint64_t rec_pos = (uint64_t)(hdr - ring->data);
    uint64_t cons_pos = atomic_load(&ring->cons_pos) & ring->mask;
    if ((flags & ABI_RB_FORCE_WAKEUP) || (cons_pos == rec_pos && !(flags & ABI_RB_NO_WAKEUP)))
        map_ring_waiter_wake(ring->waiter);
}

bool map_ring_ready(struct map_ring *ring)
{
    uint64_t cons = atomic_load(&ring->cons_pos);
    uint64_t prod = atomic_load(&ring->prod_pos);
    if (cons >= prod)
        return false;
    uint32_t len = __atomic_load_n(ring_len_word(ring->data + (cons & ring->mask)), __ATOMIC_SEQ_CST);
    return !(len & ABI_RINGBUF_BUSY_BIT);
}

int map_ring_consume(struct map_ring *ring, map_ring_record_fn fn, void *ctx)
{
    int count = 0;
    plat_mutex_lock(&ring->consumer_lock);
    uint64_t cons = atomic_load_explicit(&ring->cons_pos, memory_order_relaxed);
    for (;;) {
        uint64_t prod = atomic_load_explicit(&ring->prod_pos, memory_order_acquire);
        if (cons >= prod)
            break;
        unsigned char *hdr = ring->data + (cons & ring->mask);
        uint32_t len = __atomic_load_n(ring_len_word(hdr), __ATOMIC_ACQUIRE);
        if (len & ABI_RINGBUF_BUSY_BIT)
            break;
        uint32_t size = len & ~(ABI_RINGBUF_BUSY_BIT | ABI_RINGBUF_DISCARD_BIT);
        int stop = 0;
        if (!(len & ABI_RINGBUF_DISCARD_BIT)) {
            count++;
            stop = fn(ctx, hdr + RING_HDR, size);
        }
        cons += map_round8((uint64_t)size + RING_HDR);
        atomic_store_explicit(&ring->cons_pos, cons, memory_order_release);
        if (stop)
            break;
    }
    plat_mutex_unlock(&ring->consumer_lock);
    return count;
}

uint64_t map_ring_query(struct map_ring *ring, uint64_t flags)
{
    uint64_t cons = atomic_load_explicit(&ring->cons_pos, memory_order_acquire);
    uint64_t prod = atomic_load_explicit(&ring->prod_pos, memory_order_acquire);
    switch (flags) {
    case ABI_RB_AVAIL_DATA:
        return prod - cons;
    case ABI_RB_RING_SIZE:
        return ring->mask + 1;
    case ABI_RB_CONS_POS:
        return cons;
    case ABI_RB_PROD_POS:
        return prod;
    default:
        return 0;
    }
}
