/*
 * ring.h - private to src/maps/: a multi-producer, single-consumer ring of variable-size records,
 * Linux's BPF ring buffer protocol without mmap. The core of ringbuf and of each perf_event_array
 * reader slot.
 *
 * Positions are byte counters that only grow; a record at position p lives at data[p & mask] with
 * an 8-byte header { u32 len | BUSY | DISCARD; u32 offset of the header from the ring, in 8-byte
 * units } and is padded to 8 bytes. Producers reserve under a short lock (advance prod_pos, write
 * the header busy), fill the record without a lock, and commit by clearing BUSY atomically. The
 * consumer reads records in position order, stops at the first busy one, and advances cons_pos
 * after each. Producers never pass cons_pos + size, so unconsumed records are never overwritten.
 *
 * Instead of Linux's double mapping of the data pages, the data area is allocated twice as long: a
 * record that runs past the end of the ring continues contiguously into the second half, which only
 * that record uses until it has been consumed.
 */
#ifndef EBPF_MAPS_RING_H
#define EBPF_MAPS_RING_H

#include "maps/map_int.h"
#include "platform/sync.h"

#define MAP_RING_MAX_RECORD 0x3fffffffu /* Linux's RINGBUF_MAX_RECORD_SZ: len shares its word */

/* Where a consumer sleeps; one per ringbuf, one shared by all slots of a perf_event_array. */
struct map_ring_waiter {
    plat_mutex lock;
    plat_cond cond;
    atomic_int waiting;
};

struct map_ring {
    _Alignas(64) _Atomic uint64_t cons_pos;
    _Alignas(64) _Atomic uint64_t prod_pos;
    plat_mutex producer_lock;
    plat_mutex consumer_lock;
    struct map_ring_waiter *waiter;
    uint64_t mask;                     /* size - 1 */
    atomic_uint_fast64_t lost;         /* perf: records dropped because the ring was full */
    struct map_retired retired;        /* perf: a detached ring is freed after a grace period */
    _Alignas(64) unsigned char data[]; /* 2 * size */
};

int map_ring_waiter_init(struct map_ring_waiter *w);
void map_ring_waiter_destroy(struct map_ring_waiter *w);
/* Wakes the consumers sleeping in map_ring_wait on w, if any. */
void map_ring_waiter_wake(struct map_ring_waiter *w);
/* Sleeps until ready(arg) or timeout (ms, negative: forever). 1 if ready, 0 on timeout. */
int map_ring_wait(struct map_ring_waiter *w, bool (*ready)(void *arg), void *arg, int64_t timeout_ms);

/* size: a power of 2 and a multiple of 8. NULL when out of memory. */
struct map_ring *map_ring_new(uint64_t size, struct map_ring_waiter *waiter);
void map_ring_free(struct map_ring *ring);

/* A record of `size` bytes, or NULL when it does not fit now. */
void *map_ring_reserve(struct map_ring *ring, uint64_t size);
/* Commits (or discards) a reserved record; wakes the consumer per BPF_RB_* flags (default: only if
 * it has caught up with this record). */
void map_ring_commit(void *sample, bool discard, uint64_t flags);

/* Consumer: calls fn for each committed record in order, skipping discarded ones, until a busy
 * record, the end, or fn returning non-zero. Returns the number of records given to fn. */
typedef int (*map_ring_record_fn)(void *ctx, void *data, uint32_t size);
int map_ring_consume(struct map_ring *ring, map_ring_record_fn fn, void *ctx);
/* True when the record at the consumer position is committed (consuming would make progress). */
bool map_ring_ready(struct map_ring *ring);
/* BPF_RB_AVAIL_DATA, BPF_RB_RING_SIZE, BPF_RB_CONS_POS, BPF_RB_PROD_POS; 0 otherwise. */
uint64_t map_ring_query(struct map_ring *ring, uint64_t flags);

#endif
