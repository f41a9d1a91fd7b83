/*
 * kd_dump.c - reading every map of a loaded object after a run, on either side, into a snapshot:
 * maps with keys by get_next_key + lookup (an fd-array slot that reads -ENOENT is empty and left
 * out), queues and stacks by popping them empty, per-CPU values rotated to the running CPU, ids
 * replaced by names. Event maps are read by the sides' own readers; the kd_env map is the runner's
 * input and is not read.
 */
#include "kd_side.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>

#define KD_MAX_ENTRIES 100000  /* a map that iterates longer than this is broken */

static size_t round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* Adds one looked-up value in canonical form. */
static int add_value(const struct kd_side *side, const struct kd_map_ref *m, struct kd_map_dump *d,
                     const void *key, const uint8_t *value, uint8_t *scratch, struct kd_snapshot *snap)
{
    if (d->names) {
        uint32_t id;
        memcpy(&id, value, sizeof id);
        const char *name = side->ops->id_name(side->self, m->type, id);
        if (!name)
            return kd_fail(snap, "map %s: a value holds id %u, which names nothing of the object", m->name, id);
        return kd_map_add(d, key, name, strlen(name)) ? kd_fail(snap, "out of memory") : 0;
    }
    size_t size = m->value_size;
    if (kd_map_type_is_percpu(m->type)) {
        size = round8(m->value_size) * side->nr_cpus;
        kd_percpu_rotate(scratch, value, side->nr_cpus, round8(m->value_size), side->run_cpu);
        value = scratch;
    }
    return kd_map_add(d, key, value, size) ? kd_fail(snap, "out of memory") : 0;
}

/* Maps whose get_next_key walks every index, filled or not (an empty slot looks up -ENOENT). */
static bool slots_may_be_empty(uint32_t type)
{
    return kd_map_type_holds_ids(type) || type == BPF_MAP_TYPE_DEVMAP;
}

static int dump_keyed(const struct kd_side *side, const struct kd_map_ref *m, struct kd_map_dump *d, uint8_t *key,
                      uint8_t *next, uint8_t *value, uint8_t *scratch, struct kd_snapshot *snap)
{
    int rc = side->ops->next_key(side->self, m, NULL, next);
    for (size_t n = 0; rc == 0; n++) {
        if (n == KD_MAX_ENTRIES)
            return kd_fail(snap, "map %s: get_next_key does not end", m->name);
        memcpy(key, next, m->key_size);
        int lr = side->ops->lookup(side->self, m, key, value);
        if (lr == 0 && add_value(side, m, d, key, value, scratch, snap))
            return -1;
        if (lr && !(lr == -ENOENT && slots_may_be_empty(m->type)))
            return kd_fail(snap, "map %s: lookup of a key get_next_key gave: %s", m->name, strerror(-lr));
        rc = side->ops->next_key(side->self, m, key, next);
    }
    return rc == -ENOENT ? 0 : kd_fail(snap, "map %s: get_next_key: %s", m->name, strerror(-rc));
}

static int dump_popped(const struct kd_side *side, const struct kd_map_ref *m, struct kd_map_dump *d,
                       uint8_t *value, struct kd_snapshot *snap)
{
    int rc = side->ops->pop(side->self, m, value);
    for (size_t n = 0; rc == 0; n++) {
        if (n == KD_MAX_ENTRIES)
            return kd_fail(snap, "map %s: pops do not end", m->name);
        if (kd_map_add(d, NULL, value, m->value_size))
            return kd_fail(snap, "out of memory");
        rc = side->ops->pop(side->self, m, value);
    }
    return rc == -ENOENT ? 0 : kd_fail(snap, "map %s: pop: %s", m->name, strerror(-rc));
}

int kd_dump_maps(const struct kd_side *side, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < side->map_count; i++) {
        const struct kd_map_ref *m = &side->maps[i];
        bool queue = m->type == BPF_MAP_TYPE_QUEUE || m->type == BPF_MAP_TYPE_STACK;
        if (!strcmp(m->name, KD_ENV_MAP) || (!queue && !kd_map_type_has_keys(m->type)))
            continue;
        struct kd_map_dump *d = kd_snapshot_add_map(snap, m->name, m->type, m->key_size,
                                                    kd_map_type_holds_ids(m->type));
        size_t value_size = round8(m->value_size) * side->nr_cpus + 8;
        uint8_t *key = calloc(1, m->key_size + 1), *next = calloc(1, m->key_size + 1);
        uint8_t *value = calloc(1, value_size), *scratch = calloc(1, value_size);
        int rc = !d ? -1 : !key || !next || !value || !scratch ? kd_fail(snap, "out of memory")
                 : queue ? dump_popped(side, m, d, value, snap)
                         : dump_keyed(side, m, d, key, next, value, scratch, snap);
        free(key);
        free(next);
        free(value);
        free(scratch);
        if (rc)
            return -1;
    }
    kd_snapshot_canonicalize(snap);
    return 0;
}
