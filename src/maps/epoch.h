/*
 * epoch.h - epoch-based reclamation for everything a running program may still point into.
 *
 * Readers (a program run, a user-space map call) bracket their accesses with map_epoch_enter/exit;
 * both are cheap (no lock, no allocation after a thread's first call) and nest. Writers unlink an
 * object so that no new reader can reach it, then map_epoch_retire() it; it is freed only after every
 * reader that could have seen it has left its section.
 *
 * Invariant (Fraser's scheme): a global epoch G advances from g to g+1 only when every active reader
 * announced g. An object retired while G == e was unlinked before any reader that entered at e+1;
 * readers that entered earlier announced <= e and block G from passing e+1, so the object is free
 * once G >= e + 2. See epoch.c for the memory-order argument.
 */
#ifndef EBPF_MAPS_EPOCH_H
#define EBPF_MAPS_EPOCH_H

#include <stdbool.h>
#include <stdint.h>

/* Embedded in every object that can be retired. */
struct map_retired {
    struct map_retired *next;
    uint64_t epoch;
    void (*free_fn)(struct map_retired *node);
};

/* Enters / leaves a read-side section of the calling thread (nestable). */
void map_epoch_enter(void);
void map_epoch_exit(void);
/* True when the calling thread is inside a read-side section. */
bool map_epoch_active(void);

/* Hands an unlinked object over for freeing by free_fn(node) after a grace period. Callable inside
 * or outside a read-side section; must not be called while holding a lock free_fn might take. */
void map_epoch_retire(struct map_retired *node, void (*free_fn)(struct map_retired *node));

/* Waits until every reader that was inside a section at the call has left it. Must not be called
 * inside a read-side section (it would wait for itself). */
void map_epoch_synchronize(void);

/* map_epoch_synchronize, then frees every object retired before the call. */
void map_epoch_drain(void);

#endif
