/*
 * epoch.c - the reclamation scheme of epoch.h: a global epoch, one announcement record per thread,
 * one lock-free stack of retired objects.
 *
 * Records: a thread's first map_epoch_enter claims a free record from a registry (a push-only list,
 * records are never freed, the first ones static) and keeps it in thread-local storage; the TLS
 * destructor gives it back for another thread to claim.
 * A record's `state` is 0 when quiescent, (epoch << 1) | 1 while the thread is in a section.
 *
 * Memory order (all four steps matter):
 *   reader:   r = load(G) [seq_cst]; state = r|1 [release]; fence(seq_cst); ...loads of shared pointers
 *   retirer:  unlink (store); fence(seq_cst); e = load(G) [seq_cst]; push(object tagged e)
 *   advancer: load(G) == g [seq_cst]; fence(seq_cst); every record: load(state) [acquire] is 0 or g|1;
 *             CAS(G, g, g+1) [seq_cst]
 *   reclaim:  load(G) [seq_cst] >= e + 2  =>  free
 * If a reader loaded the pointer before the unlink, its fence precedes the retirer's in the single
 * total order, so it read r <= e, and the advancer that moves e+1 to e+2 (whose fence comes after
 * the CAS to e+1, itself after the retirer's fence) sees its record and stops while it is active.
 * A reader's exit is a release store, read with acquire by the advancer, so its accesses happen
 * before the free.
 *
 * Reclaiming: every MAP_EPOCH_BATCH retirements, the retiring thread (if no other thread is already
 * reclaiming) tries to advance G and frees what has expired. Free functions run on that thread, outside
 * any lock of the epoch module, and may retire further objects.
 */
#include "maps/epoch.h"

#include "platform/sync.h"

#include <stdatomic.h>
#include <stdlib.h>

#define MAP_EPOCH_BATCH 64u

struct epoch_record {
    _Atomic uint64_t state;
    unsigned nest;                   /* owner thread only */
    atomic_bool in_use;
    struct epoch_record *next;       /* registry link, set before publication */
};

static _Atomic uint64_t epoch_global = 1;
static _Atomic(struct epoch_record *) epoch_registry;
static _Atomic(struct map_retired *) epoch_retired;
static atomic_uint epoch_retire_ops;
static atomic_flag epoch_reclaiming = ATOMIC_FLAG_INIT;

static plat_tls epoch_tls;        /* only for its destructor: gives the record back at thread exit */
static plat_once epoch_tls_once = PLAT_ONCE_INIT;
static _Thread_local struct epoch_record *epoch_mine; /* the fast path's copy */

static void epoch_record_release(void *value)
{
    struct epoch_record *rec = value;
    if (epoch_mine == rec)
        epoch_mine = NULL; /* the destructor runs on the exiting thread itself */
    atomic_store_explicit(&rec->state, 0, memory_order_release);
    rec->nest = 0;
    atomic_store_explicit(&rec->in_use, false, memory_order_release);
}

static void epoch_tls_init(void)
{
    if (plat_tls_create(&epoch_tls, epoch_record_release) != 0)
        abort(); /* no TLS key at startup: nothing sensible is left to do */
}

/* The first records come from a static pool, so entering a section never allocates for the first
 * EPOCH_STATIC_RECORDS threads alive at once; more threads get heap records. */
#define EPOCH_STATIC_RECORDS 64
static struct epoch_record epoch_static[EPOCH_STATIC_RECORDS];
static atomic_uint epoch_static_used;

static struct epoch_record *epoch_record_claim(void)
{
    for (struct epoch_record *rec = atomic_load(&epoch_registry); rec; rec = rec->next) {
        bool expected = false;
        if (!atomic_load_explicit(&rec->in_use, memory_order_relaxed) &&
            atomic_compare_exchange_strong(&rec->in_use, &expected, true))
            return rec;
    }
    struct epoch_record *rec = NULL;
    unsigned index = atomic_fetch_add(&epoch_static_used, 1);
    if (index < EPOCH_STATIC_RECORDS)
        rec = &epoch_static[index];
    else if (!(rec = calloc(1, sizeof *rec)))
        abort(); /* a reader cannot run unannounced; a few dozen bytes once per thread */
    atomic_init(&rec->state, 0);
    atomic_init(&rec->in_use, true);
    struct epoch_record *head = atomic_load(&epoch_registry);
    do
        rec->next = head;
    while (!atomic_compare_exchange_weak(&epoch_registry, &head, rec));
    return rec;
}

static struct epoch_record *epoch_self(void)
{
    struct epoch_record *rec = epoch_mine;
    if (rec)
        return rec;
    plat_call_once(&epoch_tls_once, epoch_tls_init);
    rec = epoch_record_claim();
    if (plat_tls_set(epoch_tls, rec) != 0)
        abort();
    epoch_mine = rec;
    return rec;
}

void map_epoch_enter(void)
{
    struct epoch_record *rec = epoch_self();
    if (rec->nest++ == 0) {
        uint64_t g = atomic_load(&epoch_global);
        /* release: orders this thread's earlier sections before the announcement, for the
         * advancer's acquire load (a plain x86 store); the fence orders it before our reads. */
        atomic_store_explicit(&rec->state, (g << 1) | 1u, memory_order_release);
        atomic_thread_fence(memory_order_seq_cst);
    }
}

void map_epoch_exit(void)
{
    struct epoch_record *rec = epoch_mine;
    if (rec && rec->nest > 0 && --rec->nest == 0)
        atomic_store_explicit(&rec->state, 0, memory_order_release);
}

bool map_epoch_active(void)
{
    struct epoch_record *rec = epoch_mine;
    return rec && rec->nest > 0;
}

/* Moves G one step if every active reader has announced the current epoch. Returns G afterwards. */
static uint64_t epoch_try_advance(void)
{
    uint64_t g = atomic_load(&epoch_global);
    atomic_thread_fence(memory_order_seq_cst);
    for (struct epoch_record *rec = atomic_load(&epoch_registry); rec; rec = rec->next) {
        uint64_t s = atomic_load_explicit(&rec->state, memory_order_acquire);
        if ((s & 1u) && (s >> 1) != g)
            return g;
    }
    if (atomic_compare_exchange_strong(&epoch_global, &g, g + 1))
        return g + 1;
    return g; /* another thread advanced it: g now holds the newer value */
}

/* The epoch of the last walk of the retired list (under epoch_reclaiming). Nothing new can expire
 * until G moves, so a pass that cannot advance G does not walk a list a long reader keeps growing. */
static uint64_t epoch_last_walk;

/* Frees expired objects. The caller holds epoch_reclaiming. */
static void epoch_reclaim_locked(void)
{
    uint64_t g = epoch_try_advance();
    if (g == epoch_last_walk)
        return;
    epoch_last_walk = g;
    struct map_retired *list = atomic_exchange(&epoch_retired, NULL);
    struct map_retired *keep = NULL, *keep_tail = NULL;
    while (list) {
        struct map_retired *node = list;
        list = node->next;
        if (node->epoch + 2 <= g) {
            node->free_fn(node);
        } else {
            node->next = keep;
            keep = node;
            if (!keep_tail)
                keep_tail = node;
        }
    }
    if (keep) {
        struct map_retired *head = atomic_load(&epoch_retired);
        do
            keep_tail->next = head;
        while (!atomic_compare_exchange_weak(&epoch_retired, &head, keep));
    }
}

void map_epoch_retire(struct map_retired *node, void (*free_fn)(struct map_retired *node))
{
    node->free_fn = free_fn;
    atomic_thread_fence(memory_order_seq_cst);
    node->epoch = atomic_load(&epoch_global);
    struct map_retired *head = atomic_load_explicit(&epoch_retired, memory_order_relaxed);
    do
        node->next = head;
    while (!atomic_compare_exchange_weak_explicit(&epoch_retired, &head, node, memory_order_release,
                                                  memory_order_relaxed));
    unsigned ops = atomic_fetch_add_explicit(&epoch_retire_ops, 1, memory_order_relaxed) + 1;
    if (ops % MAP_EPOCH_BATCH == 0 && !atomic_flag_test_and_set(&epoch_reclaiming)) {
        epoch_reclaim_locked();
        atomic_flag_clear(&epoch_reclaiming);
    }
}

void map_epoch_synchronize(void)
{
    uint64_t target = atomic_load(&epoch_global) + 2;
    while (epoch_try_advance() < target)
        if (atomic_load(&epoch_global) < target)
            plat_thread_yield();
}

void map_epoch_drain(void)
{
    map_epoch_synchronize();
    while (atomic_flag_test_and_set(&epoch_reclaiming))
        plat_thread_yield();
    /* Objects freed here may retire others (a map holding maps): repeat until the list is empty or
     * only holds objects retired after this call began. */
    for (int round = 0; round < 8 && atomic_load(&epoch_retired); round++) {
        epoch_reclaim_locked();
        if (atomic_load(&epoch_retired))
            map_epoch_synchronize();
    }
    atomic_flag_clear(&epoch_reclaiming);
}
