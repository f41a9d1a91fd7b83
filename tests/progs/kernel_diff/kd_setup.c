/*
 * kd_setup.c - preparing a case on either side: its input packet, the initial map updates of the case
 * table (a per-CPU value goes to every CPU), and the kd_env facts programs measure helper results
 * against (tests/progs/kd_env.h), taken right before the run.
 */
#define _GNU_SOURCE
#include "kd_side.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "kd_env.h"

const struct kd_map_ref *kd_side_map(const struct kd_side *side, const char *name)
{
    for (size_t i = 0; i < side->map_count; i++)
        if (!strcmp(side->maps[i].name, name))
            return &side->maps[i];
    return NULL;
}

size_t kd_case_packet(const struct kd_case *c, uint8_t *buf, size_t size)
{
    if (c->packet.size > size || c->tail.size > size - c->packet.size)
        return 0;
    memcpy(buf, c->packet.data, c->packet.size);
    if (c->tail.size)
        memcpy(buf + c->packet.size, c->tail.data, c->tail.size);
    return c->packet.size + c->tail.size;
}

static size_t round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

int kd_setup_maps(const struct kd_side *side, const struct kd_case *c, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < KD_MAX_INITS && c->init[i].map; i++) {
        const struct kd_init *in = &c->init[i];
        const struct kd_map_ref *m = kd_side_map(side, in->map);
        if (!m)
            return kd_fail(snap, "initial update %zu: no map named '%s'", i, in->map);
        if (in->key.size != m->key_size || in->value.size != m->value_size)
            return kd_fail(snap, "initial update %zu of '%s': key/value of %zu/%zu bytes, the map has %u/%u", i,
                           in->map, in->key.size, in->value.size, m->key_size, m->value_size);
        bool percpu = kd_map_type_is_percpu(m->type);
        size_t slot = round8(m->value_size), size = percpu ? slot * side->nr_cpus : m->value_size;
        uint8_t *value = calloc(1, size ? size : 1);
        if (!value)
            return kd_fail(snap, "out of memory");
        for (uint32_t cpu = 0; cpu < (percpu ? side->nr_cpus : 1); cpu++)
            memcpy(value + cpu * slot, in->value.data, in->value.size);
        int rc = side->ops->update(side->self, m, in->key.size ? in->key.data : NULL, value, in->flags);
        free(value);
        if (rc)
            return kd_fail(snap, "initial update %zu of '%s' failed: %s", i, in->map, strerror(-rc));
    }
    return 0;
}

static uint64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int kd_setup_env(const struct kd_side *side, struct kd_snapshot *snap)
{
    const struct kd_map_ref *m = kd_side_map(side, KD_ENV_MAP);
    if (!m)
        return 0;
    if (m->key_size != sizeof(uint32_t) || m->value_size != sizeof(struct kd_env))
        return kd_fail(snap, "map %s: key/value must be u32/struct kd_env", KD_ENV_MAP);
    struct kd_env env = {
        .pid_tgid = (uint64_t)getpid() << 32 | (uint32_t)gettid(),
        .uid_gid = (uint64_t)getgid() << 32 | getuid(),
        .nr_cpus = side->nr_cpus,
        .run_cpu = side->run_cpu,
    };
    prctl(PR_GET_NAME, env.comm);
    env.coarse_before = clock_ns(CLOCK_MONOTONIC_COARSE);
    env.tai_before = clock_ns(CLOCK_TAI);
    env.mono_before = clock_ns(CLOCK_MONOTONIC);
    env.boot_before = clock_ns(CLOCK_BOOTTIME);
    uint32_t zero = 0;
    int rc = side->ops->update(side->self, m, &zero, &env, 0);
    return rc ? kd_fail(snap, "cannot fill %s: %s", KD_ENV_MAP, strerror(-rc)) : 0;
}
