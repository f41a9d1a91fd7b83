/*
 * kd_ours.c - our side: a case in ebpf-anywhere through its public API only (include/ebpf/ebpf.h):
 * ebpf_object_open_file/load, the map calls, ebpf_prog_test_run on the chosen engine, and the event
 * map readers (ebpf_object_ringbuf_consume, ebpf_object_perf_open/consume).
 */
#include "kd_run.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kd_side.h"
#include "runtime/runtime_int.h"

#define KD_PERF_PAGES 8

struct kd_ours {
    ebpf_object *obj;
};

/* ---- map calls (kd_side_ops) ---- */

static size_t sys_value_size(const struct kd_ours *o, const struct kd_map_ref *m)
{
    return ebpf_object_map_value_size(o->obj, (size_t)m->handle);
}

static int o_update(void *self, const struct kd_map_ref *m, const void *key, const void *value, uint64_t flags)
{
    struct kd_ours *o = self;
    return ebpf_object_map_update(o->obj, (size_t)m->handle, key, key ? m->key_size : 0, value,
                                  sys_value_size(o, m), flags);
}

static int o_next_key(void *self, const struct kd_map_ref *m, const void *key, void *next)
{
    struct kd_ours *o = self;
    return ebpf_object_map_next_key(o->obj, (size_t)m->handle, key, next, m->key_size);
}

static int o_lookup(void *self, const struct kd_map_ref *m, const void *key, void *value)
{
    struct kd_ours *o = self;
    return ebpf_object_map_lookup(o->obj, (size_t)m->handle, key, m->key_size, value, sys_value_size(o, m));
}

static int o_pop(void *self, const struct kd_map_ref *m, void *value)
{
    struct kd_ours *o = self;
    return ebpf_object_map_lookup_and_delete(o->obj, (size_t)m->handle, NULL, 0, value, sys_value_size(o, m));
}

static const char *o_id_name(void *self, uint32_t map_type, uint32_t id)
{
    struct kd_ours *o = self;
    if (id == 0)
        return NULL;
    if (map_type == BPF_MAP_TYPE_PROG_ARRAY) {
        for (size_t i = 0; i < ebpf_object_program_count(o->obj); i++) {
            EBPF_OPTS(ebpf_program_info, info);
            if (ebpf_object_program_info(o->obj, i, &info) == 0 && info.id == id)
                return info.name;
        }
        return NULL;
    }
    for (size_t i = 0; i < ebpf_object_map_count(o->obj); i++) {
        EBPF_OPTS(ebpf_map_info, info);
        if (ebpf_object_map_info(o->obj, i, &info) == 0 && info.id == id)
            return info.name;
    }
    return NULL;
}

static const struct kd_side_ops ours_ops = {
    .update = o_update, .next_key = o_next_key, .lookup = o_lookup, .pop = o_pop, .id_name = o_id_name,
};

/* ---- event readers ---- */

struct perf_reader {
    struct kd_stream *stream;
    uint32_t run_cpu, nr_cpus;
};

static int ring_sample(void *ctx, const void *data, size_t size)
{
    return kd_stream_add(ctx, 0, data, size);
}

static void perf_sample(void *ctx, uint32_t cpu, const void *data, uint32_t size)
{
    struct perf_reader *r = ctx;
    kd_stream_add(r->stream, (cpu + r->nr_cpus - r->run_cpu) % r->nr_cpus, data, size);
}

static void perf_lost(void *ctx, uint32_t cpu, uint64_t lost)
{
    (void)cpu;
    struct perf_reader *r = ctx;
    r->stream->lost += lost;
}

static int open_readers(struct kd_ours *o, const struct kd_side *side, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < side->map_count; i++) {
        const struct kd_map_ref *m = &side->maps[i];
        if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
            int rc = ebpf_object_perf_open(o->obj, (size_t)m->handle, KD_PERF_PAGES);
            if (rc)
                return kd_fail(snap, "cannot open a reader on %s: %s", m->name, strerror(-rc));
        }
    }
    return 0;
}

static int consume_readers(struct kd_ours *o, const struct kd_side *side, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < side->map_count; i++) {
        const struct kd_map_ref *m = &side->maps[i];
        if (m->type != BPF_MAP_TYPE_RINGBUF && m->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
            continue;
        struct kd_stream *st = kd_snapshot_add_stream(snap, m->name);
        if (!st)
            return -1;
        struct perf_reader r = { st, side->run_cpu, side->nr_cpus };
        int rc = m->type == BPF_MAP_TYPE_RINGBUF
                     ? ebpf_object_ringbuf_consume(o->obj, (size_t)m->handle, ring_sample, st)
                     : ebpf_object_perf_consume(o->obj, (size_t)m->handle, perf_sample, perf_lost, &r);
        if (rc < 0)
            return kd_fail(snap, "reading %s: %s", m->name, strerror(-rc));
    }
    return 0;
}

/* ---- the object ---- */

static int describe(struct kd_ours *o, struct kd_side *side, struct kd_snapshot *snap)
{
    for (size_t i = 0; i < ebpf_object_map_count(o->obj); i++) {
        EBPF_OPTS(ebpf_map_info, info);
        if (ebpf_object_map_info(o->obj, i, &info))
            return kd_fail(snap, "ours: no info on map %zu", i);
        if (!strcmp(info.kind, "inner")) /* a template, not a map of the object (libbpf has none) */
            continue;
        if (side->map_count == KD_MAX_MAPS)
            return kd_fail(snap, "more than %d maps", KD_MAX_MAPS);
        struct kd_map_ref *m = &side->maps[side->map_count++];
        snprintf(m->name, sizeof m->name, "%s", info.name);
        m->type = info.type_id;
        m->key_size = info.key_size;
        m->value_size = info.value_size;
        m->handle = (long)i;
        size_t slot = (info.value_size + 7) & ~(size_t)7;
        if (kd_map_type_is_percpu(m->type) && ebpf_object_map_value_size(o->obj, i) != slot * side->nr_cpus)
            return kd_fail(snap, "ours: map %s holds %zu bytes per key, not %u CPUs of %zu", m->name,
                           ebpf_object_map_value_size(o->obj, i), side->nr_cpus, slot);
    }
    return 0;
}

static int run(struct kd_ours *o, const struct kd_case *c, const struct kd_config *cfg, enum ebpf_exec_mode mode,
               struct kd_snapshot *snap)
{
    char path[4096];
    struct ebpf_diag diag;
    snprintf(path, sizeof path, "%s/%s.bpf.o", cfg->objdir, c->object);
    o->obj = ebpf_object_open_file(path, NULL, &diag);
    if (!o->obj)
        return kd_fail(snap, "ours: cannot open %s: %s", path, diag.message);
    if (ebpf_object_load(o->obj, &diag))
        return kd_fail(snap, "ours: load of %s failed: %s%s%s", c->object, diag.message, diag.line[0] ? " at " : "",
                       diag.line);
    ebpf_program *prog = ebpf_object_find_program(o->obj, c->program, &diag);
    if (!prog && errno == EACCES) {
        /* A kernel-accepted program our verifier refuses (verifier.own_progs lists them). The library
         * runs such a program only unverified in the checked interpreter; so that the fast interpreter
         * and the JIT are still compared with the kernel on it, this test (and only this test) marks it
         * trusted through the runtime's internal setter, as the kernel's verdict vouches for it. */
        snprintf(snap->unverified, sizeof snap->unverified, "%s", diag.message);
        ebpf_object_close(o->obj);
        o->obj = ebpf_object_open_file(path, NULL, &diag);
        EBPF_OPTS(ebpf_object_load_opts, lo, .verify = { .mode = EBPF_VERIFY_NONE });
        if (!o->obj || ebpf_object_load_with_opts(o->obj, &lo, &diag))
            return kd_fail(snap, "ours: unverified load of %s failed: %s", c->object, diag.message);
        prog = ebpf_object_find_program(o->obj, c->program, &diag);
        if (prog && mode != EBPF_EXEC_CHECKED)
            runtime_program_set_trust(prog, EBPF_TRUST_TRUSTED);
    }
    if (!prog)
        return kd_fail(snap, "ours: %s", diag.message);
    struct kd_side side = { .ops = &ours_ops, .self = o, .nr_cpus = cfg->nr_cpus, .run_cpu = cfg->our_cpu };
    if (describe(o, &side, snap) || kd_setup_maps(&side, c, snap) || open_readers(o, &side, snap) ||
        kd_setup_env(&side, snap))
        return -1;
    uint8_t packet[KD_MAX_PACKET];
    size_t packet_size = kd_case_packet(c, packet, sizeof packet);
    if (!packet_size)
        return kd_fail(snap, "the packet is larger than %d bytes", KD_MAX_PACKET);
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = packet, .data_size_in = packet_size,
              .data_out = snap->data, .data_size_out = sizeof snap->data, .repeat = c->repeat, .mode = mode);
    if (c->ctx) {
        t.ctx_in = c->ctx_in.size ? c->ctx_in.data : NULL;
        t.ctx_size_in = c->ctx_in.size;
        t.ctx_out = snap->ctx;
        t.ctx_size_out = sizeof snap->ctx;
    }
    int rc = ebpf_prog_test_run(prog, &t);
    if (rc && !c->error)
        return kd_fail(snap, "ours: test run failed: %s (%s)", strerror(-rc), t.message);
    if (rc) {
        snap->run_error = rc;
    } else {
        snap->retval = t.retval;
        snap->data_size = t.data_size_out;
        snap->ctx_size = c->ctx ? t.ctx_size_out : 0;
    }
    if (consume_readers(o, &side, snap) || kd_dump_maps(&side, snap))
        return -1;
    return 0;
}

int kd_ours_run(const struct kd_case *c, const struct kd_config *cfg, enum ebpf_exec_mode mode,
                struct kd_snapshot *snap)
{
    struct kd_ours o = { 0 };
    int rc = run(&o, c, cfg, mode, snap);
    ebpf_object_close(o.obj);
    return rc;
}
