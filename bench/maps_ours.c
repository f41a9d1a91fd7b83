/*
 * maps_ours.c - bench_maps: our runtime's two user-space sides and its in-program path.
 *
 *   ours API      the public call a library user makes: ebpf_object_map_lookup / _update on the maps of
 *                 maps.bpf.o opened and loaded with ebpf_object_open_file / ebpf_object_load.
 *   ours map_sys  the internal call the public one wraps (map_sys_lookup / map_sys_update, after the
 *                 object's index and size checks), on maps created with map_create from the same
 *                 definitions (ebpf_map_info of the object's maps). Shows what the API layer costs.
 *   run           ebpf_prog_test_run of the object's XDP programs with EBPF_EXEC_JIT; the time is its
 *                 duration (average ns per run over the repeat loop, like BPF_PROG_TEST_RUN's).
 * The object's programs are trusted here (no verifier exists yet); they only touch the packet and
 * the map values helpers return.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ebpf/ebpf.h"
#include "maps/maps.h"
#include "maps_side.h"

typedef struct ours_api_target {
    ebpf_object *obj;
    size_t index;
    size_t key_size, value_size;
} ours_api_target;

typedef struct ours_state {
    ebpf_object *obj;
    ours_api_target api[BM_TYPES];
    struct map *maps[BM_TYPES];
} ours_state;

static int api_lookup(void *target, const void *key, void *value)
{
    ours_api_target *t = target;
    return ebpf_object_map_lookup(t->obj, t->index, key, t->key_size, value, t->value_size);
}

static int api_update(void *target, const void *key, const void *value)
{
    ours_api_target *t = target;
    return ebpf_object_map_update(t->obj, t->index, key, t->key_size, value, t->value_size, 0);
}

static int sys_lookup(void *target, const void *key, void *value)
{
    return map_sys_lookup(target, key, value, 0);
}

static int sys_update(void *target, const void *key, const void *value)
{
    return map_sys_update(target, key, value, 0);
}

/* A JIT that falls back to the fast interpreter says so through the log; the benchmark must too. */
static char jit_log[200];

static void collect_log(enum ebpf_log_level level, const char *message, void *user)
{
    (void)user;
    if (level <= EBPF_LOG_WARN && !jit_log[0])
        snprintf(jit_log, sizeof jit_log, "%s", message);
}

static int ours_run(void *state, const char *prog_name, const uint8_t *pkt, uint32_t repeat, double *ns_per_run,
                    uint64_t *result, char *why, size_t why_size)
{
    ours_state *st = state;
    struct ebpf_diag diag;
    ebpf_program *prog = ebpf_object_find_program(st->obj, prog_name, &diag);
    if (!prog) {
        snprintf(why, why_size, "%s: %s", prog_name, diag.message);
        return -ENOENT;
    }
    uint8_t out[BM_PKT_LEN + 64];
    EBPF_OPTS(ebpf_test_run_opts, t, .data_in = pkt, .data_size_in = BM_PKT_LEN, .data_out = out,
              .data_size_out = sizeof out, .repeat = repeat, .mode = EBPF_EXEC_JIT);
    jit_log[0] = 0;
    int err = ebpf_prog_test_run(prog, &t);
    if (err) {
        snprintf(why, why_size, "%s: %s", prog_name, t.message[0] ? t.message : strerror(-err));
        return err;
    }
    if (jit_log[0]) {
        snprintf(why, why_size, "%s: %s", prog_name, jit_log);
        return -ENOTSUP;
    }
    *ns_per_run = (double)t.duration;
    memcpy(result, out, sizeof *result);
    return 0;
}

int bm_ours_open(const char *obj_path, const bm_workload w[BM_TYPES], bm_side *api, bm_side *sys, char *why,
                 size_t why_size)
{
    ebpf_set_log_callback(collect_log, NULL);
    ours_state *st = calloc(1, sizeof *st);
    struct ebpf_diag diag;
    if (!st) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    st->obj = ebpf_object_open_file(obj_path, NULL, &diag);
    if (!st->obj || ebpf_object_load(st->obj, &diag) != 0) {
        snprintf(why, why_size, "%s: %s", obj_path, diag.message);
        ebpf_object_close(st->obj);
        free(st);
        return -1;
    }
    *api = (bm_side){ .name = "ours API", .lookup = api_lookup, .update = api_update, .run = ours_run, .state = st };
    *sys = (bm_side){ .name = "ours map_sys", .lookup = sys_lookup, .update = sys_update, .state = NULL };
    for (int t = 0; t < BM_TYPES; t++) {
        int index = ebpf_object_find_map(st->obj, w[t].map);
        EBPF_OPTS(ebpf_map_info, info);
        if (index < 0 || ebpf_object_map_info(st->obj, (size_t)index, &info) != 0 ||
            info.key_size != w[t].key_size || info.value_size != w[t].value_size) {
            snprintf(why, why_size, "%s: no map %s of key %u and value %u bytes", obj_path, w[t].map,
                     (unsigned)w[t].key_size, (unsigned)w[t].value_size);
            bm_ours_close(api, sys);
            return -1;
        }
        st->api[t] = (ours_api_target){ st->obj, (size_t)index, info.key_size, info.value_size };
        api->target[t] = &st->api[t];
        struct map_def def = { .type = info.type_id, .key_size = info.key_size, .value_size = info.value_size,
                               .max_entries = info.max_entries, .map_flags = info.map_flags, .name = w[t].map };
        int err = map_create(&def, &st->maps[t], &diag);
        if (err) {
            snprintf(why, why_size, "map_create %s: %s", w[t].map, diag.message);
            bm_ours_close(api, sys);
            return -1;
        }
        sys->target[t] = st->maps[t];
    }
    return 0;
}

void bm_ours_close(bm_side *api, bm_side *sys)
{
    ours_state *st = api->state;
    if (st) {
        for (int t = 0; t < BM_TYPES; t++)
            map_put(st->maps[t]);
        ebpf_object_close(st->obj);
        map_reclaim_all();
        free(st);
    }
    memset(api, 0, sizeof *api);
    memset(sys, 0, sizeof *sys);
}
