/*
 * events.c - the user-space readers of a loaded object's event maps (include/ebpf/ebpf.h, "event
 * maps"): ring buffer records and perf samples, handed to the caller's callbacks. The rings and their
 * consumers are the map layer's (maps.h); this file checks arguments and adapts the callbacks.
 */
#include "ebpf/ebpf.h"

#include <errno.h>
#include <stdint.h>

#include "abi/abi_maps.h"
#include "maps/maps.h"
#include "runtime/runtime_int.h"

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

static struct map *event_map(ebpf_object *obj, size_t index, uint32_t type, int *err)
{
    struct map *map = runtime_object_map(obj, index, err);
    if (map && map->type != type) {
        *err = EINVAL;
        return NULL;
    }
    return map;
}

struct ringbuf_reader {
    ebpf_ringbuf_fn fn;
    void *ctx;
};

static int ringbuf_record(void *arg, void *data, size_t size)
{
    const struct ringbuf_reader *r = arg;
    return r->fn(r->ctx, data, size);
}

int ebpf_object_ringbuf_consume(ebpf_object *obj, size_t index, ebpf_ringbuf_fn fn, void *ctx)
{
    int err;
    struct map *map = event_map(obj, index, ABI_MAP_TYPE_RINGBUF, &err);
    if (!map || !fn)
        return fail_errno(map ? EINVAL : err);
    struct ringbuf_reader r = { fn, ctx };
    int rc = map_ringbuf_consume(map, ringbuf_record, &r);
    return rc < 0 ? fail_errno(-rc) : rc;
}

int ebpf_object_perf_open(ebpf_object *obj, size_t index, size_t pages)
{
    int err;
    struct map *map = event_map(obj, index, ABI_MAP_TYPE_PERF_EVENT_ARRAY, &err);
    if (!map)
        return fail_errno(err);
    if (pages == 0 || (pages & (pages - 1)) || pages > SIZE_MAX / ABI_PAGE_SIZE)
        return fail_errno(EINVAL);
    uint32_t slots = map_cpu_count() < map->max_entries ? map_cpu_count() : map->max_entries;
    for (uint32_t cpu = 0; cpu < slots; cpu++) {
        int rc = map_perf_attach(map, cpu, pages * ABI_PAGE_SIZE);
        if (rc) {
            for (uint32_t undo = 0; undo < cpu; undo++)
                map_sys_delete(map, &undo);
            return fail_errno(-rc);
        }
    }
    return 0;
}

struct perf_reader {
    ebpf_perf_sample_fn sample;
    ebpf_perf_lost_fn lost;
    void *ctx;
};

static void perf_sample(void *arg, uint32_t index, void *data, uint32_t size)
{
    const struct perf_reader *r = arg;
    r->sample(r->ctx, index, data, size);
}

static void perf_lost(void *arg, uint32_t index, uint64_t lost)
{
    const struct perf_reader *r = arg;
    if (r->lost)
        r->lost(r->ctx, index, lost);
}

int ebpf_object_perf_consume(ebpf_object *obj, size_t index, ebpf_perf_sample_fn sample, ebpf_perf_lost_fn lost,
                             void *ctx)
{
    int err;
    struct map *map = event_map(obj, index, ABI_MAP_TYPE_PERF_EVENT_ARRAY, &err);
    if (!map || !sample)
        return fail_errno(map ? EINVAL : err);
    struct perf_reader r = { sample, lost, ctx };
    int rc = map_perf_consume(map, perf_sample, perf_lost, &r);
    return rc < 0 ? fail_errno(-rc) : rc;
}
