/*
 * kd_kernel.c - the oracle side: a case in the Linux kernel through libbpf (open, load, map updates,
 * bpf_prog_test_run_opts) with libbpf's own readers for event maps (ring_buffer, perf_buffer, which
 * opens a BPF output event on every CPU and stores it in the map). Only the tests use libbpf; the
 * runtime never does.
 */
#include "kd_run.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kd_side.h"

#define KD_PERF_PAGES 8

struct kd_id_name {
    uint32_t id;
    uint32_t is_map;
    char name[KD_NAME_LEN];
};

struct kd_reader {
    struct kd_stream *stream;
    uint32_t run_cpu, nr_cpus;
    struct ring_buffer *ring;
    struct perf_buffer *perf;
};

struct kd_kernel {
    struct bpf_object *obj;
    struct kd_id_name ids[2 * KD_MAX_MAPS];
    size_t id_count;
    struct kd_reader readers[KD_MAX_MAPS];
    size_t reader_count;
};

static char libbpf_log[4096];
static size_t libbpf_log_len;

static int collect_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
    if (level == LIBBPF_DEBUG)
        return 0;
    char line[1024];
    int n = vsnprintf(line, sizeof line, fmt, args);
    if (n <= 0)
        return 0;
    size_t len = strlen(line);
    if (len >= sizeof libbpf_log)
        return 0;
    if (libbpf_log_len + len >= sizeof libbpf_log) { /* keep the tail: the verifier's reason is last */
        size_t drop = libbpf_log_len + len - sizeof libbpf_log + 1;
        memmove(libbpf_log, libbpf_log + drop, libbpf_log_len - drop);
        libbpf_log_len -= drop;
    }
    memcpy(libbpf_log + libbpf_log_len, line, len + 1);
    libbpf_log_len += len;
    return 0;
}

static const char *log_tail(size_t max)
{
    return libbpf_log_len > max ? libbpf_log + libbpf_log_len - max : libbpf_log;
}

int kd_kernel_cpu_count(void)
{
    return libbpf_num_possible_cpus();
}

/* ---- map calls (kd_side_ops) ---- */

static int result(int rc)
{
    return rc < 0 ? -errno : 0;
}

static int k_update(void *self, const struct kd_map_ref *m, const void *key, const void *value, uint64_t flags)
{
    (void)self;
    return result(bpf_map_update_elem((int)m->handle, key, value, flags));
}

static int k_next_key(void *self, const struct kd_map_ref *m, const void *key, void *next)
{
    (void)self;
    return result(bpf_map_get_next_key((int)m->handle, key, next));
}

static int k_lookup(void *self, const struct kd_map_ref *m, const void *key, void *value)
{
    (void)self;
    return result(bpf_map_lookup_elem((int)m->handle, key, value));
}

static int k_pop(void *self, const struct kd_map_ref *m, void *value)
{
    (void)self;
    return result(bpf_map_lookup_and_delete_elem((int)m->handle, NULL, value));
}

static const char *k_id_name(void *self, uint32_t map_type, uint32_t id)
{
    const struct kd_kernel *k = self;
    uint32_t want_map = map_type != BPF_MAP_TYPE_PROG_ARRAY;
    for (size_t i = 0; i < k->id_count; i++)
        if (k->ids[i].id == id && k->ids[i].is_map == want_map)
            return k->ids[i].name;
    return NULL;
}

static const struct kd_side_ops kernel_ops = {
    .update = k_update, .next_key = k_next_key, .lookup = k_lookup, .pop = k_pop, .id_name = k_id_name,
};

/* ---- event readers ---- */

static int ring_sample(void *ctx, void *data, size_t size)
{
    struct kd_reader *r = ctx;
    return kd_stream_add(r->stream, 0, data, size);
}

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
    struct kd_reader *r = ctx;
    uint32_t relative = ((uint32_t)cpu + r->nr_cpus - r->run_cpu) % r->nr_cpus;
    kd_stream_add(r->stream, relative, data, size);
}

static void perf_lost(void *ctx, int cpu, __u64 count)
{
    (void)cpu;
    struct kd_reader *r = ctx;
    r->stream->lost += count;
}

static int open_readers(struct kd_kernel *k, const struct kd_side *side, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < side->map_count; i++) {
        const struct kd_map_ref *m = &side->maps[i];
        if (m->type != BPF_MAP_TYPE_RINGBUF && m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
            continue;
        struct kd_reader *r = &k->readers[k->reader_count++];
        r->stream = kd_snapshot_add_stream(snap, m->name);
        r->run_cpu = side->run_cpu;
        r->nr_cpus = side->nr_cpus;
        if (!r->stream)
            return -1;
        if (m->type == BPF_MAP_TYPE_RINGBUF)
            r->ring = ring_buffer__new((int)m->handle, ring_sample, r, NULL);
        else
            r->perf = perf_buffer__new((int)m->handle, KD_PERF_PAGES, perf_sample, perf_lost, r, NULL);
        if (!r->ring && !r->perf)
            return kd_fail(snap, "cannot open a reader on %s: %s", m->name, strerror(errno));
    }
    return 0;
}

static int consume_readers(struct kd_kernel *k, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < k->reader_count; i++) {
        struct kd_reader *r = &k->readers[i];
        int rc = r->ring ? ring_buffer__consume(r->ring) : perf_buffer__consume(r->perf);
        if (rc < 0)
            return kd_fail(snap, "reading %s: %s", r->stream->name, strerror(-rc));
    }
    return 0;
}

/* ---- the object ---- */

static int record_id(struct kd_kernel *k, int fd, bool is_map, const char *name)
{
    struct bpf_map_info map_info;
    struct bpf_prog_info prog_info;
    void *info = is_map ? (void *)&map_info : (void *)&prog_info;
    __u32 len = is_map ? sizeof map_info : sizeof prog_info;
    memset(info, 0, len);
    if (bpf_obj_get_info_by_fd(fd, info, &len) < 0)
        return -errno;
    struct kd_id_name *e = &k->ids[k->id_count++];
    e->id = is_map ? map_info.id : prog_info.id;
    e->is_map = is_map;
    snprintf(e->name, sizeof e->name, "%s", name);
    return 0;
}

static int describe(struct kd_kernel *k, struct kd_side *side, struct kd_snapshot *snap)
{
    struct bpf_map *map;
    bpf_object__for_each_map(map, k->obj) {
        if (side->map_count == KD_MAX_MAPS)
            return kd_fail(snap, "more than %d maps", KD_MAX_MAPS);
        struct kd_map_ref *m = &side->maps[side->map_count++];
        const char *name = bpf_map__name(map);
        snprintf(m->name, sizeof m->name, "%s", bpf_map__is_internal(map) ? kd_canonical_map_name(name) : name);
        m->type = bpf_map__type(map);
        m->key_size = bpf_map__key_size(map);
        m->value_size = bpf_map__value_size(map);
        m->handle = bpf_map__fd(map);
        if (record_id(k, (int)m->handle, true, m->name))
            return kd_fail(snap, "map %s: no info: %s", m->name, strerror(errno));
    }
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, k->obj) {
        if (k->id_count == sizeof k->ids / sizeof k->ids[0])
            return kd_fail(snap, "too many programs");
        if (record_id(k, bpf_program__fd(prog), false, bpf_program__name(prog)))
            return kd_fail(snap, "program %s: no info: %s", bpf_program__name(prog), strerror(errno));
    }
    return 0;
}

static int run(struct kd_kernel *k, const struct kd_case *c, const struct kd_config *cfg, struct kd_snapshot *snap)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.bpf.o", cfg->objdir, c->object);
    libbpf_log_len = 0;
    libbpf_log[0] = '\0';
    k->obj = bpf_object__open_file(path, NULL);
    if (!k->obj)
        return kd_fail(snap, "kernel: cannot open %s: %s", path, strerror(errno));
    int err = bpf_object__load(k->obj);
    if (err) {
        kd_fail(snap, "kernel: load of %s failed: %s; libbpf: %s", c->object, strerror(-err), log_tail(300));
        return err;
    }
    struct bpf_program *prog = bpf_object__find_program_by_name(k->obj, c->program);
    if (!prog)
        return kd_fail(snap, "kernel: no program %s in %s", c->program, c->object);
    struct kd_side side = { .ops = &kernel_ops, .self = k, .nr_cpus = cfg->nr_cpus, .run_cpu = cfg->kernel_cpu };
    if (describe(k, &side, snap) || kd_setup_maps(&side, c, snap) || open_readers(k, &side, snap) ||
        kd_setup_env(&side, snap))
        return -1;
    uint8_t packet[KD_MAX_PACKET];
    size_t packet_size = kd_case_packet(c, packet, sizeof packet);
    if (!packet_size)
        return kd_fail(snap, "the packet is larger than %d bytes", KD_MAX_PACKET);
    LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = packet, .data_size_in = (__u32)packet_size,
                .data_out = snap->data, .data_size_out = sizeof snap->data, .repeat = c->repeat);
    if (c->ctx) {
        t.ctx_in = c->ctx_in.size ? c->ctx_in.data : NULL;
        t.ctx_size_in = (__u32)c->ctx_in.size;
        t.ctx_out = snap->ctx;
        t.ctx_size_out = sizeof snap->ctx;
    }
    if (bpf_prog_test_run_opts(bpf_program__fd(prog), &t) < 0) {
        if (!c->error)
            return kd_fail(snap, "kernel: BPF_PROG_TEST_RUN failed: %s", strerror(errno));
        snap->run_error = -errno;
    } else {
        snap->retval = t.retval;
        snap->data_size = t.data_size_out;
        snap->ctx_size = c->ctx ? t.ctx_size_out : 0;
    }
    if (consume_readers(k, snap) || kd_dump_maps(&side, snap))
        return -1;
    return 0;
}

int kd_kernel_run(const struct kd_case *c, const struct kd_config *cfg, struct kd_snapshot *snap)
{
    struct kd_kernel k = { 0 };
    libbpf_set_print(collect_log);
    int rc = run(&k, c, cfg, snap);
    for (size_t i = 0; i < k.reader_count; i++) {
        ring_buffer__free(k.readers[i].ring);
        perf_buffer__free(k.readers[i].perf);
    }
    bpf_object__close(k.obj);
    return rc;
}
