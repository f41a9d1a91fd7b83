/*
 * kd_snapshot.h - what one side (the kernel, or one of our engines) left behind after a case: the
 * return value, the output packet, the context handed back (ctx_out, skb types), the contents of
 * every map and the records of every event map, in a canonical form that the two sides can be
 * compared in byte for byte:
 *
 *  - per-CPU values are rotated so that the CPU the run used comes first, then the next CPUs in order
 *    (the kernel runs on the CPU the runner is pinned to, ours on its CPU slot: slots, not numbers,
 *    are comparable); perf records carry the CPU the same way, relative to the running one;
 *  - entries of maps whose iteration order is an implementation detail (the hash maps) are sorted by
 *    key; arrays, LPM tries (post-order), queues and stacks keep their order;
 *  - map-in-map and prog_array values, which are object ids, are replaced by the name of the map or
 *    program with that id (ids differ between the kernel and us).
 */
#ifndef KD_SNAPSHOT_H
#define KD_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KD_NAME_LEN 64
#define KD_MAX_MAPS 24
#define KD_MAX_PACKET 4096
#define KD_MAX_CTX 256

struct kd_entry {
    uint8_t *key;
    uint8_t *value;
    size_t value_size;   /* value_size of the map, or the length of a name for id-holding maps */
};

struct kd_map_dump {
    char name[KD_NAME_LEN];
    uint32_t type;       /* Linux BPF_MAP_TYPE_* */
    uint32_t key_size;
    bool names;          /* values are names of objects (id-holding maps) */
    size_t count, cap;
    struct kd_entry *entries;
};

struct kd_record {
    uint32_t cpu;        /* perf: CPU relative to the running one (0: the running CPU); ringbuf: 0 */
    size_t size;
    uint8_t *data;
};

struct kd_stream {
    char name[KD_NAME_LEN];
    uint64_t lost;
    size_t count, cap;
    struct kd_record *records;
};

struct kd_snapshot {
    char error[512];     /* non-empty: this side could not run the case (set up, load, run) */
    char unverified[512]; /* ours: our verifier refuses the program (its message); it ran unverified
                           * (kd_ours.c says how) */
    int run_error;       /* the test run's negative errno, for a case written to fail (kd_case.h) */
    uint32_t retval;
    size_t data_size;
    uint8_t data[KD_MAX_PACKET];
    size_t ctx_size;     /* the context handed back (ctx_out), 0 when the case passes none */
    uint8_t ctx[KD_MAX_CTX];
    size_t map_count;
    struct kd_map_dump maps[KD_MAX_MAPS];
    size_t stream_count;
    struct kd_stream streams[KD_MAX_MAPS];
};

/* Frees what the snapshot holds and zeroes it. */
void kd_snapshot_clear(struct kd_snapshot *s);

/* Records why this side failed (printf style); returns -1 so callers can `return kd_fail(...)`. */
int kd_fail(struct kd_snapshot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A new empty map dump / record stream named `name`, or NULL (error set) when the table is full. */
struct kd_map_dump *kd_snapshot_add_map(struct kd_snapshot *s, const char *name, uint32_t type,
                                        uint32_t key_size, bool names);
struct kd_stream *kd_snapshot_add_stream(struct kd_snapshot *s, const char *name);

/* Copies one entry / record in. 0, or -1 out of memory. */
int kd_map_add(struct kd_map_dump *m, const void *key, const void *value, size_t value_size);
int kd_stream_add(struct kd_stream *st, uint32_t cpu, const void *data, size_t size);

/* Sorts the entries of maps whose order is not part of their semantics. */
void kd_snapshot_canonicalize(struct kd_snapshot *s);

/* Is a map of this type dumped by iterating keys (false: queue/stack pops, or an event map)? */
bool kd_map_type_has_keys(uint32_t type);
bool kd_map_type_is_percpu(uint32_t type);
bool kd_map_type_holds_ids(uint32_t type);

/* Rotates a per-CPU value as the kernel copies it (cpus slots of `slot` bytes) into `out` so that
 * run_cpu's slot comes first. */
void kd_percpu_rotate(uint8_t *out, const uint8_t *in, uint32_t cpus, size_t slot, uint32_t run_cpu);

/* The name of a map as the object declares it: libbpf's internal maps ("kd_strin.rodata") lose the
 * object-name prefix (".rodata"). Points into `name`. */
const char *kd_canonical_map_name(const char *name);

#endif
