/*
 * maps_kernel.c - bench_maps: the Linux kernel as the baseline, through libbpf (linked into the
 * benchmarks only, as a measuring oracle; the runtime never uses it or bpf()).
 *
 * maps.bpf.o is opened and loaded with libbpf, so the kernel's maps have exactly the definitions ours
 * get. If the kernel refuses the programs, the object is loaded again with autoload off: the maps
 * exist, the in-program path does not (run is NULL and run_why says why).
 *   lookup / update  bpf_map_lookup_elem / bpf_map_update_elem(BPF_ANY): libbpf's wrappers, one bpf()
 *                    syscall each (BPF_MAP_LOOKUP_ELEM / BPF_MAP_UPDATE_ELEM) on the map's fd.
 *   floor            the same two commands on fd -1: bpf() fails with EBADF before any map work, so
 *                    this side times entering and leaving the syscall (and copying its attributes).
 *   run              bpf_prog_test_run_opts (BPF_PROG_TEST_RUN) with repeat; the time is the kernel's
 *                    duration (average ns per run measured around its repeat loop, whole ns).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "maps_side.h"

typedef struct kern_state {
    struct bpf_object *obj;
    int fds[BM_TYPES];
} kern_state;

static char libbpf_log[1024];

/* libbpf's warnings, on one line (they end in newlines and start with "libbpf: "). */
static int libbpf_collect(enum libbpf_print_level level, const char *fmt, va_list args)
{
    size_t len = strlen(libbpf_log);
    if (level == LIBBPF_DEBUG || len >= sizeof libbpf_log - 1)
        return 0;
    int n = vsnprintf(libbpf_log + len, sizeof libbpf_log - len, fmt, args);
    for (char *c = libbpf_log + len; *c; c++)
        if (*c == '\n')
            *c = ' ';
    return n;
}

static int kern_lookup(void *target, const void *key, void *value)
{
    return bpf_map_lookup_elem((int)(intptr_t)target, key, value);
}

static int kern_update(void *target, const void *key, const void *value)
{
    return bpf_map_update_elem((int)(intptr_t)target, key, value, BPF_ANY);
}

/* The floor side: the same commands on fd -1 (EBADF before any map work). */
static int floor_lookup(void *target, const void *key, void *value)
{
    (void)target;
    return bpf_map_lookup_elem(-1, key, value);
}

static int floor_update(void *target, const void *key, const void *value)
{
    (void)target;
    return bpf_map_update_elem(-1, key, value, BPF_ANY);
}

static int kern_run(void *state, const char *prog_name, const uint8_t *pkt, uint32_t repeat, double *ns_per_run,
                    uint64_t *result, char *why, size_t why_size)
{
    kern_state *st = state;
    struct bpf_program *prog = bpf_object__find_program_by_name(st->obj, prog_name);
    int fd = prog ? bpf_program__fd(prog) : -1;
    if (fd < 0) {
        snprintf(why, why_size, "%s: not loaded", prog_name);
        return -ENOENT;
    }
    uint8_t out[BM_PKT_LEN + 512];
    LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = pkt, .data_size_in = BM_PKT_LEN, .data_out = out,
                .data_size_out = sizeof out, .repeat = (int)repeat);
    int err = bpf_prog_test_run_opts(fd, &t);
    if (err) {
        err = err < 0 ? err : -errno;
        snprintf(why, why_size, "%s: BPF_PROG_TEST_RUN: %s", prog_name, strerror(-err));
        return err;
    }
    *ns_per_run = t.duration;
    memcpy(result, out, sizeof *result);
    return 0;
}

/* Opens and loads the object; autoload false: maps only. Returns 0 or a negative errno. */
static int kern_load(kern_state *st, const char *obj_path, bool autoload, char *why, size_t why_size)
{
    libbpf_log[0] = 0;
    st->obj = bpf_object__open_file(obj_path, NULL);
    if (!st->obj) {
        int err = -errno;
        snprintf(why, why_size, "%s: open: %s", obj_path, strerror(-err));
        return err;
    }
    struct bpf_program *prog;
    bpf_object__for_each_program(prog, st->obj)
        bpf_program__set_autoload(prog, autoload);
    int err = bpf_object__load(st->obj);
    if (err) {
        snprintf(why, why_size, "load: %s%s%.300s", strerror(-err), libbpf_log[0] ? "; " : "", libbpf_log);
        bpf_object__close(st->obj);
        st->obj = NULL;
    }
    return err;
}

int bm_kernel_open(const char *obj_path, const bm_workload w[BM_TYPES], bm_side *kernel, bm_side *floor,
                   char *why, size_t why_size)
{
    *floor = (bm_side){ .name = "bpf() floor", .lookup = floor_lookup, .update = floor_update };
    libbpf_set_print(libbpf_collect);
    kern_state *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(why, why_size, "out of memory");
        return -ENOMEM;
    }
    *kernel = (bm_side){ .name = "kernel bpf()", .lookup = kern_lookup, .update = kern_update, .run = kern_run,
                         .state = st };
    int err = kern_load(st, obj_path, true, why, why_size);
    if (err) {
        snprintf(kernel->run_why, sizeof kernel->run_why, "%s", why);
        kernel->run = NULL;
        err = kern_load(st, obj_path, false, why, why_size);
    }
    if (err) {
        free(st);
        memset(kernel, 0, sizeof *kernel);
        return err;
    }
    for (int t = 0; t < BM_TYPES; t++) {
        struct bpf_map *map = bpf_object__find_map_by_name(st->obj, w[t].map);
        st->fds[t] = map ? bpf_map__fd(map) : -1;
        if (st->fds[t] < 0) {
            snprintf(why, why_size, "%s: no map %s", obj_path, w[t].map);
            bm_kernel_close(kernel);
            return -ENOENT;
        }
        kernel->target[t] = (void *)(intptr_t)st->fds[t];
    }
    return 0;
}

void bm_kernel_close(bm_side *kernel)
{
    kern_state *st = kernel->state;
    if (st) {
        bpf_object__close(st->obj);
        free(st);
    }
    memset(kernel, 0, sizeof *kernel);
}
