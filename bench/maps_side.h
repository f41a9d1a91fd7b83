/* maps_side.h - bench_maps: one "side" of the map benchmark, i.e. one way to reach a set of the four
 * benchmark maps, behind the same two calls so that one timing loop drives them all:
 *   ours API      ebpf_object_map_lookup / _update on the maps of our loaded maps.bpf.o (public API)
 *   ours map_sys  map_sys_lookup / _update (src/maps/maps.h, what the public calls wrap) on maps made
 *                 by map_create with the same definitions
 *   kernel bpf()  BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM through libbpf's one-syscall wrappers on the maps of
 *                 maps.bpf.o loaded into the kernel
 * A side that can run the in-program path (the lookup_* / update_* XDP programs of maps.bpf.o) also
 * has run: ours through ebpf_prog_test_run with the JIT, the kernel through BPF_PROG_TEST_RUN. */
#ifndef BENCH_MAPS_SIDE_H
#define BENCH_MAPS_SIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maps_workload.h"

typedef struct bm_side {
    const char *name;
    void *target[BM_TYPES]; /* what lookup / update take, per map */
    int (*lookup)(void *target, const void *key, void *value);
    int (*update)(void *target, const void *key, const void *value);
    /* The in-program path, NULL when the side has none or its programs did not load: runs program
     * `prog` `repeat` times on pkt; gives the runtime's own average ns per run and the packet's first
     * 8 bytes after the last run. Returns 0 or a negative errno with the reason in why. */
    int (*run)(void *state, const char *prog, const uint8_t *pkt, uint32_t repeat, double *ns_per_run,
               uint64_t *result, char *why, size_t why_size);
    void *state;
    char run_why[200]; /* why run is NULL */
} bm_side;

/* Our runtime: the "ours API" side (object maps, with run) and the "ours map_sys" side (separate maps,
 * no run). Returns 0 or -1 with the reason in why. */
int bm_ours_open(const char *obj_path, const bm_workload w[BM_TYPES], bm_side *api, bm_side *sys, char *why,
                 size_t why_size);
void bm_ours_close(bm_side *api, bm_side *sys);

/* The kernel: maps.bpf.o loaded through libbpf (maps only, run NULL, when its programs are refused),
 * and the "floor" side: the same bpf() commands on fd -1, which fail (EBADF) before any map work.
 * Returns 0, or a negative errno with the reason in why when bpf() is unavailable (EPERM, ENOSYS...). */
int bm_kernel_open(const char *obj_path, const bm_workload w[BM_TYPES], bm_side *kernel, bm_side *floor,
                   char *why, size_t why_size);
void bm_kernel_close(bm_side *kernel);

#endif
