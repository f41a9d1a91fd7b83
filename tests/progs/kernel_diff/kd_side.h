/*
 * kd_side.h - one side of the comparison (the kernel through libbpf, or our runtime through
 * include/ebpf/ebpf.h) as the shared parts of the runner see it: the object's maps, and the bpf()-like
 * map calls that the set-up (kd_setup.c) and the dump (kd_dump.c) are written against once, so that
 * both sides are filled and read by the same code.
 */
#ifndef KD_SIDE_H
#define KD_SIDE_H

#include <stdint.h>

#include "kd_case.h"
#include "kd_snapshot.h"

/* One map of the loaded object. */
struct kd_map_ref {
    char name[KD_NAME_LEN];  /* as the object declares it (global data: ".bss", ".rodata", ...) */
    uint32_t type;           /* Linux BPF_MAP_TYPE_* */
    uint32_t key_size;
    uint32_t value_size;
    long handle;             /* the side's own: a map fd, or an object map index */
};

/* The map calls; each returns 0 or a negative errno, as bpf() does. Per-CPU values are nr_cpus slots
 * of round_up(value_size, 8) bytes. */
struct kd_side_ops {
    int (*update)(void *self, const struct kd_map_ref *m, const void *key, const void *value, uint64_t flags);
    int (*next_key)(void *self, const struct kd_map_ref *m, const void *key, void *next); /* key NULL: first */
    int (*lookup)(void *self, const struct kd_map_ref *m, const void *key, void *value);
    int (*pop)(void *self, const struct kd_map_ref *m, void *value);                       /* queue, stack */
    /* The name of the program (prog_array) or map (map-in-map) with this id, or NULL. */
    const char *(*id_name)(void *self, uint32_t map_type, uint32_t id);
};

struct kd_side {
    const struct kd_side_ops *ops;
    void *self;
    uint32_t nr_cpus;
    uint32_t run_cpu;        /* the CPU (ours: CPU slot) its runs use */
    size_t map_count;
    struct kd_map_ref maps[KD_MAX_MAPS];
};

/* The map named `name`, or NULL. */
const struct kd_map_ref *kd_side_map(const struct kd_side *side, const char *name);

/* The map the runner fills with struct kd_env before each run (tests/progs/kd_env.h); not compared. */
#define KD_ENV_MAP "kd_env"

/* kd_setup.c: applies the case's initial map updates. 0, or -1 with the reason in snap->error. */
int kd_setup_maps(const struct kd_side *side, const struct kd_case *c, struct kd_snapshot *snap);
/* kd_setup.c: writes the running task's facts into the kd_env map, if the object has one; call right
 * before the run. 0, or -1 with snap->error. */
int kd_setup_env(const struct kd_side *side, struct kd_snapshot *snap);

/* kd_dump.c: records every map with keys (and queue/stack contents, popped) into snap, in the
 * canonical form of kd_snapshot.h. 0, or -1 with snap->error. */
int kd_dump_maps(const struct kd_side *side, struct kd_snapshot *snap);

#endif
