/*
 * chk.h - the checked run's view of helper calls (src/runtime/chk_*.c): before the checked interpreter
 * calls a helper (exec_request.helper_check), every argument is checked against the helper's
 * prototype in src/abi/helpers.def, so that a program that was never verified cannot make a helper
 * touch memory the run itself could not touch, or hand it a map, context or ring buffer record that is
 * not one.
 *
 *   chk_mem.c    which memory a checked run may read or write: the request's stack and regions and
 *                its region_ok hook (the same notion the interpreter's own loads and stores use)
 *   chk_track.c  what helpers handed out during the run that later calls may pass back: ring buffer
 *                records (until submitted or discarded), inner maps of map-in-map lookups, the held
 *                bpf_spin_lock
 *   chk_args.c   the dispatcher: one rule per argument kind (abi_arg)
 *   chk_uses.c   for the optional uninitialised-read check: which argument registers and which memory a
 *                call reads, and which memory it writes (exec_request.helper_uses)
 *
 * Fast and JIT runs never ask: they run only verified or trusted programs.
 */
#ifndef EBPF_RUNTIME_CHK_H
#define EBPF_RUNTIME_CHK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "runtime/runtime_int.h"

#define CHK_RECORDS_MAX 64u     /* ring buffer records live at once in one run (more: refused) */
#define CHK_INNER_MAPS_MAX 64u  /* inner maps remembered per run (the oldest is forgotten first) */
#define CHK_STR_MAX (1u << 20)  /* CONST_STR: the NUL must come within this many bytes */
#define CHK_LOCK_WAIT_NS 1000000000ull /* bpf_spin_lock: how long a taken lock may stay taken */

/* ---- chk_track.c ---- */

typedef struct chk_track {
    struct { uintptr_t base; size_t size; bool live; } records[CHK_RECORDS_MAX]; /* !live: free slot */
    uintptr_t inner[CHK_INNER_MAPS_MAX];
    size_t inner_count, inner_next;
    uintptr_t lock;   /* the bpf_spin_lock held now, or 0 */
} chk_track;

/* Ends a run: discards the records it left reserved, unlocks the lock it left held (a verified
 * program leaves neither; an unverified one must not wedge the ring buffer or the map value), and
 * forgets everything. Before each run and after the last. */
void chk_track_end(chk_track *t);
/* True while another record can be tracked. */
bool chk_track_record_room(const chk_track *t);
/* bpf_ringbuf_reserve returned rec (size bytes); false when too many records are live (the record
 * then stays unknown: inaccessible, and refused by submit/discard). */
bool chk_track_record(chk_track *t, uint64_t rec, size_t size);
/* True if rec is the start of a live record; release: forget it (submit/discard). */
bool chk_track_take_record(chk_track *t, uint64_t rec, bool release);
/* True if [addr, addr+size) lies inside a live record. */
bool chk_track_in_record(const chk_track *t, uintptr_t addr, size_t size);
/* A map-in-map lookup returned the inner map `map`. */
void chk_track_inner_map(chk_track *t, uint64_t map);
bool chk_track_has_inner_map(const chk_track *t, uint64_t map);

/* ---- chk_mem.c ---- */

/* True when the run of req may read (write: write) all of [addr, addr+size); size 0 always. */
bool chk_mem_ok(const exec_request *req, uint64_t addr, uint64_t size, bool write);
/* How many of the `size` bytes at addr the run may read, from the start (0..size). */
size_t chk_mem_readable(const exec_request *req, uint64_t addr, size_t size);

/* ---- chk_args.c ---- */

/* What the arguments of one call are checked against. */
typedef struct chk_env {
    const exec_request *req;        /* the innermost run (a callback's own request) */
    const ebpf_object *obj;         /* MAP / PROG_ARRAY: its maps */
    const ebpf_program *prog;       /* FUNC: its callback entries */
    const void *ctx;                /* CTX: the context record */
    chk_track *track;
} chk_env;

/* True if ptr is one of obj's maps (not an inner-map template) or an inner map the run looked up. */
bool chk_is_map(const ebpf_object *obj, const chk_track *t, uint64_t ptr);

/* EBPF_RUN_OK when helper `id` may be called with r1..r5 = args, else EBPF_RUN_OUT_OF_BOUNDS with why
 * ("bpf_map_lookup_elem: r2 (key, 4 bytes) points outside every region the program may read"). A
 * release (ringbuf_submit/discard, spin_unlock) or acquisition (spin_lock) that passes is recorded in
 * env->track: the helper is about to run. */
enum ebpf_run_status chk_helper_args(const chk_env *env, uint32_t id, const uint64_t args[5], char *why,
                                     size_t size);

/* ---- chk_uses.c ---- */

/* What a call of helper `id` with r1..r5 = args reads and writes (exec_helper_uses), by its prototype. */
void chk_helper_uses(const chk_env *env, uint32_t id, const uint64_t args[5], exec_helper_uses *uses);

#endif
