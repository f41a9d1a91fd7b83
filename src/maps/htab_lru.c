/*
 * htab_lru.c - the eviction order of lru_hash and lru_percpu_hash: one list per map, most recently
 * inserted at the head, with a "referenced" bit per element that program lookups set without a lock.
 * Eviction is second-chance (CLOCK): from the tail, a referenced element loses its bit and moves to
 * the head, the first unreferenced one is evicted; after LRU_SCAN_MAX steps the tail goes regardless.
 * This approximates least-recently-used the way Linux's active/inactive lists do.
 *
 * Locking: the list lock is taken inside a bucket lock (push/remove) or alone (picking a victim);
 * the victim is unlinked from its bucket only after the list lock is dropped (htab_evict). Whoever
 * unlinks an element from its bucket retires it; an element popped for eviction but deleted
 * meanwhile is simply skipped.
 */
#include "maps/htab.h"

#define LRU_SCAN_MAX 128
#define LRU_RESERVE_ATTEMPTS 1000

static inline struct htab_elem *lru_elem(struct htab_lru_node *node)
{
    return MAP_CONTAINER(node, struct htab_elem, lru);
}

int htab_lru_init(struct htab *h)
{
    h->lru.head.next = h->lru.head.prev = &h->lru.head;
    return plat_mutex_init(&h->lru.lock);
}

void htab_lru_destroy(struct htab *h)
{
    plat_mutex_destroy(&h->lru.lock);
}

static void lru_link_head(struct htab_lru *lru, struct htab_lru_node *node)
{
    node->prev = &lru->head;
    node->next = lru->head.next;
    lru->head.next->prev = node;
    lru->head.next = node;
}

static void lru_unlink(struct htab_lru_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = NULL;
}

void htab_lru_push(struct htab *h, struct htab_elem *e)
{
    plat_mutex_lock(&h->lru.lock);
    lru_link_head(&h->lru, &e->lru);
    e->on_lru = true;
    plat_mutex_unlock(&h->lru.lock);
}

void htab_lru_remove(struct htab *h, struct htab_elem *e)
{
    plat_mutex_lock(&h->lru.lock);
    if (e->on_lru) {
        lru_unlink(&e->lru);
        e->on_lru = false;
    }
    plat_mutex_unlock(&h->lru.lock);
}

/* Takes the eviction victim off the list, or returns NULL if the list is empty. */
static struct htab_elem *lru_pick(struct htab *h)
{
    struct htab_lru *lru = &h->lru;
    struct htab_elem *victim = NULL;
    plat_mutex_lock(&lru->lock);
    for (int scanned = 0; lru->head.prev != &lru->head; scanned++) {
        struct htab_lru_node *tail = lru->head.prev;
        struct htab_elem *e = lru_elem(tail);
        if (scanned < LRU_SCAN_MAX && atomic_exchange_explicit(&e->ref, 0, memory_order_relaxed)) {
            lru_unlink(tail);
            lru_link_head(lru, tail);
            continue;
        }
        victim = e;
        lru_unlink(tail);
        e->on_lru = false;
        break;
    }
    plat_mutex_unlock(&lru->lock);
    return victim;
}

int htab_lru_reserve(struct htab *h)
{
    for (int attempt = 0; attempt < LRU_RESERVE_ATTEMPTS; attempt++) {
        unsigned count = atomic_load_explicit(&h->count, memory_order_relaxed);
        while (count < h->map.max_entries)
            if (atomic_compare_exchange_weak_explicit(&h->count, &count, count + 1,
                                                      memory_order_relaxed, memory_order_relaxed))
                return 0;
        struct htab_elem *victim = lru_pick(h);
        if (victim)
            htab_evict(h, victim); /* false: deleted meanwhile, which freed a slot too */
        else
            plat_thread_yield();   /* every element is being inserted right now */
    }
    return -ENOMEM;
}
