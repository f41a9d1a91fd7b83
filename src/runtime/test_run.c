/*
 * test_run.c - ebpf_prog_test_run: the user-space BPF_PROG_TEST_RUN for programs of an object. What
 * the program's context and packet look like for its type, and what comes back in data_out and
 * ctx_out, is test_ctx.h's business (test_ctx_xdp.c, test_ctx_skb.c, test_ctx.c); this file runs
 * the program on it.
 *
 * r1 points to the runtime's context record for the type's layout (ctx_records.h; the program's
 * context accesses were rewritten to reach it, ctx_rewrite.c); helper_run's packet window points at
 * the record's data / data_end / data_meta fields, so bpf_xdp_adjust_* move what the program reads
 * next and skb helpers (skb_load_bytes, l3/l4_csum_replace, skb_store_bytes) see the same packet.
 *
 * Checked mode without a verifier: the fixed regions are the context record (its pointer block
 * read-only, its scalar fields writable: only the stores the rewrite allowed reach them) and the
 * global-data values (read-only for .rodata); the packet window [data_meta, data_end) as it is at
 * the moment of the access, and the map values and ring buffer records helpers returned during this
 * run are allowed by the request's region_ok hook. The runtime wraps bpf_map_lookup_elem,
 * bpf_map_lookup_percpu_elem and bpf_ringbuf_reserve to learn those (runtime_wrap_helper; ring buffer
 * records and inner maps are kept by chk_track.c, records only until submitted or discarded). Every
 * helper call's arguments are checked against the helper's prototype before the call (the request's
 * helper_check, chk_args.c): pointers must lie in the same memory, maps be the object's, the
 * context the run's; a bad one ends the run with EBPF_RUN_OUT_OF_BOUNDS naming helper and argument.
 * Pointers helpers read without a prototype (the %s arguments of the printk family) are limited to
 * that memory too (helper_run.readable).
 *
 * Checked mode, when asked (ebpf_test_run_opts.check_uninit): the interpreter also stops at reads of
 * undefined registers and unwritten stack bytes (exec.h); r1 (the context) is defined at entry, and
 * what helpers read and write comes from their prototypes (helper_uses, chk_uses.c).
 *
 * bpf_loop / bpf_for_each_map_elem: the callback trampoline (call_callback) runs the program again
 * from the callback's entry (exec_request.entry_pc) as a nested run on the same engine; a callback
 * that fails fails the whole run with its status.
 *
 * bpf_tail_call: the engines end a run whose `call 12` left a target pending (EXEC_RUN_TAIL_CALL);
 * run_chain then runs the target, an ebpf_program of the object stored in a prog_array (load.c fills
 * the initial slots), as Linux replaces the caller.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "abi/abi_maps.h"
#include "base/opts.h"
#include "helpers/helpers.h"
#include "maps/maps.h"
#include "platform/platform.h"
#include "runtime/chk.h"
#include "runtime/runtime_int.h"
#include "runtime/test_ctx.h"

#define RUN_DYN_MAX 256u  /* helper-returned memory remembered per run; the oldest is forgotten first */

#define RUN_SECTION_RUNS 256u /* repeats per map read-side section */
#define RUN_MAX_CALLBACK_DEPTH 8u  /* callbacks running inside callbacks (bpf_loop in a bpf_loop callback) */

typedef struct run_state {
    helper_run run;
    test_ctx ctx;
    ebpf_object *obj;
    /* ---- callbacks (bpf_loop, bpf_for_each_map_elem): nested runs of the same program ---- */
    ebpf_program *prog;            /* the program running now (changes along a tail-call chain) */
    enum ebpf_exec_mode mode;
    const exec_request *req;       /* the request of the innermost run in progress */
    uint64_t cb_budget;            /* checked mode: instructions all callbacks of a run may still use */
    unsigned cb_depth;
    const struct map *each_map;    /* set while bpf_for_each_map_elem walks this map */
    exec_outcome cb_fail;          /* the first callback run that failed (run.callback_abort) */
    struct { uintptr_t base; size_t size; } dyn[RUN_DYN_MAX];
    size_t dyn_count;  /* valid entries (at most RUN_DYN_MAX) */
    size_t dyn_next;   /* next slot to write */
    chk_track track;   /* checked mode: ring buffer records, inner maps, the held lock (chk_track.c) */
} run_state;

/* The test run in progress on this thread (runs nest through hooks: saved and restored). */
static _Thread_local run_state *current_state;

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

static void remember(run_state *st, uint64_t addr, size_t size)
{
    if (!addr || !size)
        return;
    st->dyn[st->dyn_next].base = (uintptr_t)addr;
    st->dyn[st->dyn_next].size = size;
    st->dyn_next = (st->dyn_next + 1) % RUN_DYN_MAX;
    if (st->dyn_count < RUN_DYN_MAX)
        st->dyn_count++;
}

static bool is_object_map(const run_state *st, uint64_t ptr)
{
    return chk_is_map(st->obj, &st->track, ptr);
}

/* bpf_map_lookup_elem and bpf_map_lookup_percpu_elem (helper `id`): the value they return becomes
 * accessible for the rest of the run; an inner map (map-in-map) becomes a map argument later calls
 * may pass. */
static uint64_t wrapped_lookup(uint32_t id, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
                               void *user)
{
    run_state *st = current_state;
    const struct ebpf_helper *real = user ? user : helper_linux_find(id);
    if (st && !is_object_map(st, r1))
        return 0; /* helper_check refuses such a call first */
    uint64_t value = real->fn(r1, r2, r3, r4, r5, NULL);
    if (st && value) {
        const struct map *map = (const struct map *)(uintptr_t)r1;
        if (map->type != ABI_MAP_TYPE_ARRAY_OF_MAPS && map->type != ABI_MAP_TYPE_HASH_OF_MAPS)
            remember(st, value, map->value_size);
        else
            chk_track_inner_map(&st->track, value);
    }
    return value;
}

static uint64_t wrap_map_lookup_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    return wrapped_lookup(ABI_HELPER_ID_map_lookup_elem, r1, r2, r3, r4, r5, user);
}

static uint64_t wrap_map_lookup_percpu_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
                                            void *user)
{
    return wrapped_lookup(ABI_HELPER_ID_map_lookup_percpu_elem, r1, r2, r3, r4, r5, user);
}

static uint64_t wrap_ringbuf_reserve(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    const struct ebpf_helper *real = user ? user : helper_linux_find(ABI_HELPER_ID_ringbuf_reserve);
    run_state *st = current_state;
    if (st && !is_object_map(st, r1))
        return 0;
    uint64_t rec = real->fn(r1, r2, r3, r4, r5, NULL);
    if (st && rec)
        chk_track_record(&st->track, rec, (size_t)r2); /* helper_check made sure there is room */
    return rec;
}

static uint64_t call_callback(helper_run *run, uint64_t func, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                              uint64_t a5);

/* bpf_for_each_map_elem: tells the trampoline which map's key and value its callbacks receive. */
static uint64_t wrap_for_each_map_elem(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, void *user)
{
    const struct ebpf_helper *real = user ? user : helper_linux_find(ABI_HELPER_ID_for_each_map_elem);
    helper_run *run = helper_run_current();
    run_state *st = run && run->call_callback == call_callback ? run->callback_user : NULL;
    if (st && !is_object_map(st, r1))
        return (uint64_t)(int64_t)-EINVAL;
    const struct map *saved = st ? st->each_map : NULL;
    if (st)
        st->each_map = (const struct map *)(uintptr_t)r1;
    uint64_t rc = real->fn(r1, r2, r3, r4, r5, NULL);
    if (st)
        st->each_map = saved;
    return rc;
}

/* helper_run.call_callback: runs the callback function `func` (an instruction index load.c recorded)
 * of the running program as a fresh call on the same engine, inside the outer run's map read-side
 * section and helper run. A checked callback may use the memory of its caller (the fixed regions,
 * the caller's stack frames, what region_ok allows) and, under bpf_for_each_map_elem, the element's
 * key (read-only) and value; callbacks of a run share one instruction budget (the run's). */
static uint64_t call_callback(helper_run *run, uint64_t func, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                              uint64_t a5)
{
    run_state *st = run->callback_user;
    const exec_request *outer = st->req;
    exec_outcome out; /* not zero-filled: the message is written before it is read (as in program.c) */
    out.r0 = 0, out.status = EBPF_RUN_OK, out.insns_executed = 0, out.fault_pc = -1, out.message[0] = '\0';
    if (!runtime_program_is_callback(st->prog, func)) {
        out.status = EBPF_RUN_UNSUPPORTED;
        snprintf(out.message, sizeof out.message, "callback %llu is not a callback function of '%s'",
                 (unsigned long long)func, runtime_program_name(st->prog));
    } else if (st->cb_depth >= RUN_MAX_CALLBACK_DEPTH) {
        out.status = EBPF_RUN_CALL_DEPTH;
        snprintf(out.message, sizeof out.message, "callbacks nest deeper than %u", RUN_MAX_CALLBACK_DEPTH);
    } else if (st->mode == EBPF_EXEC_CHECKED && st->cb_budget == 0) {
        out.status = EBPF_RUN_BUDGET;
        snprintf(out.message, sizeof out.message, "callbacks exhausted the run's instruction budget");
    }
    if (out.status != EBPF_RUN_OK)
        goto fail;
    exec_region *regions = NULL;
    exec_region stack = { 0 };
    exec_request req = *outer;
    req.args[0] = a1, req.args[1] = a2, req.args[2] = a3, req.args[3] = a4, req.args[4] = a5;
    req.entry_pc = (size_t)func;
    req.defined_args = 5; /* what the helper passes (bpf_loop: index, context; for_each: map, key, ...) */
    req.tail_call_pending = NULL; /* Linux refuses tail calls in callbacks */
    req.stack_out = NULL;
    if (st->mode == EBPF_EXEC_CHECKED) {
        regions = malloc((outer->region_count + 3) * sizeof *regions);
        if (!regions) {
            out.status = EBPF_RUN_UNSUPPORTED;
            snprintf(out.message, sizeof out.message, "out of memory for a callback run");
            goto fail;
        }
        size_t n = outer->region_count;
        if (n)
            memcpy(regions, outer->regions, n * sizeof *regions);
        if (outer->stack_out && outer->stack_out->size)
            regions[n++] = *outer->stack_out;
        if (st->each_map && a1 == (uint64_t)(uintptr_t)st->each_map) {
            regions[n++] = (exec_region){ (uintptr_t)a2, st->each_map->key_size, false };
            regions[n++] = (exec_region){ (uintptr_t)a3, st->each_map->value_size, true };
        }
        req.regions = regions;
        req.region_count = n;
        req.stack_out = &stack;
        req.max_insns = st->cb_budget;
    }
    const struct map *each_map = st->each_map;
    st->each_map = NULL;
    st->req = &req;
    st->cb_depth++;
    runtime_program_exec(st->prog, st->mode, &req, &out);
    st->cb_depth--;
    st->req = outer;
    st->each_map = each_map;
    free(regions);
    run->tail_call_target = NULL;
    if (st->mode == EBPF_EXEC_CHECKED)
        st->cb_budget -= out.insns_executed < st->cb_budget ? out.insns_executed : st->cb_budget;
    if (out.status == EBPF_RUN_OK)
        return out.r0;
fail:
    if (!run->callback_abort)
        st->cb_fail = out;
    run->callback_abort = true;
    return 1;
}

ebpf_helper_fn runtime_wrap_helper(uint32_t id, ebpf_helper_fn fn)
{
    if (id == ABI_HELPER_ID_for_each_map_elem)
        return wrap_for_each_map_elem;
    if (id == ABI_HELPER_ID_map_lookup_elem)
        return wrap_map_lookup_elem;
    if (id == ABI_HELPER_ID_map_lookup_percpu_elem)
        return wrap_map_lookup_percpu_elem;
    if (id == ABI_HELPER_ID_ringbuf_reserve)
        return wrap_ringbuf_reserve;
    return fn;
}

static bool inside(uintptr_t base, size_t size, uintptr_t addr, size_t len)
{
    return addr >= base && addr - base <= size && len <= size - (addr - base);
}

/* exec_request.region_ok: the packet window as it is now, and memory helpers returned in this run. */
static bool region_ok(void *user, uintptr_t addr, size_t size, bool write)
{
    (void)write;
    const run_state *st = user;
    const helper_packet *pkt = &st->run.pkt;
    if (pkt->data && pkt->data_end) {
        uint64_t start = pkt->data_meta ? *pkt->data_meta : *pkt->data, end = *pkt->data_end;
        if (start <= end && inside((uintptr_t)start, (size_t)(end - start), addr, size))
            return true;
    }
    for (size_t i = 0; i < st->dyn_count; i++)
        if (inside(st->dyn[i].base, st->dyn[i].size, addr, size))
            return true;
    return chk_track_in_record(&st->track, addr, size);
}

static chk_env env_of(run_state *st)
{
    return (chk_env){ .req = st->req, .obj = st->obj, .prog = st->prog, .ctx = &st->ctx.rec, .track = &st->track };
}

/* exec_request.helper_check: the arguments of a helper call, by its prototype (chk_args.c). */
static enum ebpf_run_status helper_check(void *user, const struct ebpf_helper *helper, const uint64_t args[5],
                                         char *why, size_t size)
{
    chk_env env = env_of(user);
    return chk_helper_args(&env, helper->id, args, why, size);
}

/* exec_request.helper_uses (check_uninit): what a helper call reads and writes (chk_uses.c). */
static void helper_uses(void *user, const struct ebpf_helper *helper, const uint64_t args[5],
                        exec_helper_uses *uses)
{
    chk_env env = env_of(user);
    chk_helper_uses(&env, helper->id, args, uses);
}

/* helper_run.readable in checked mode: what helpers read through unproven pointers (printk's %s). */
static size_t run_readable(void *user, const void *addr, size_t size)
{
    const run_state *st = user;
    return chk_mem_readable(st->req, (uint64_t)(uintptr_t)addr, size);
}

const char *ebpf_xdp_action_name(uint32_t action)
{
    static const char *const names[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT" };
    return action < sizeof names / sizeof names[0] ? names[action] : NULL;
}

/* Fixed regions of a checked run: the context record, the skb's socket (read-only), then the object's
 * global data. *out malloc'd. */
static int fixed_regions(run_state *st, exec_region **out, size_t *count)
{
    size_t maps = elf_object_map_count(st->obj->elf);
    exec_region *r = calloc(maps + 3, sizeof *r);
    if (!r)
        return -ENOMEM;
    size_t n = 0;
    const test_ctx *c = &st->ctx;
    if (c->rec_readonly)
        r[n++] = (exec_region){ (uintptr_t)&c->rec, c->rec_readonly, false };
    if (c->rec_size > c->rec_readonly)
        r[n++] = (exec_region){ (uintptr_t)&c->rec + c->rec_readonly, c->rec_size - c->rec_readonly, true };
    if (c->has_sock)
        r[n++] = (exec_region){ (uintptr_t)c->sock, sizeof c->sock, false };
    for (size_t i = 0; i < maps; i++) {
        const elf_map *m = elf_object_map(st->obj->elf, i);
        void *addr;
        if (m->kind != ELF_MAP_DATA || !st->obj->maps[i] || map_direct_value_addr(st->obj->maps[i], 0, &addr))
            continue;
        r[n++] = (exec_region){ (uintptr_t)addr, m->value_size, !m->read_only };
    }
    *out = r;
    *count = n;
    return 0;
}

/* Runs prog and then, as long as a run ends in a tail call, the program it tail-called: same context
 * and packet, a fresh stack, the run's tail_call_cnt kept across the chain (the helper stops after
 * HELPER_MAX_TAIL_CALL_CNT). A checked chain shares one instruction budget. first_done: prog has
 * already run (the lean repeat loop) and *out is its outcome; only the rest of the chain runs. */
static void run_chain(ebpf_program *prog, enum ebpf_exec_mode mode, exec_request *req, helper_run *run,
                      exec_outcome *out, bool first_done)
{
    run_state *st = run->callback_user;
    exec_region stack = { 0 };
    const uint64_t max_insns = req->max_insns; /* the caller's, given back at the end (no copy of req) */
    uint64_t budget = max_insns ? max_insns : EXEC_DEFAULT_BUDGET, used = 0;
    st->mode = mode;
    st->cb_budget = budget;
    req->stack_out = mode == EBPF_EXEC_CHECKED ? &stack : NULL;
    for (;;) {
        req->max_insns = budget - used;
        st->prog = prog;
        st->req = req;
        if (!first_done)
            runtime_program_exec(prog, mode, req, out);
        first_done = false;
        used += out->insns_executed;
        if (run->callback_abort && (out->status == EBPF_RUN_OK || out->status == EXEC_RUN_TAIL_CALL)) {
            *out = st->cb_fail; /* a callback failed: so does the run */
            break;
        }
        if (out->status != EXEC_RUN_TAIL_CALL)
            break;
        int64_t pc = out->fault_pc;
        prog = helper_tail_call_take(run);
        *out = (exec_outcome){ .status = EBPF_RUN_UNSUPPORTED, .fault_pc = pc };
        if (!prog || runtime_program_type(prog) != st->ctx.prog_type) {
            snprintf(out->message, sizeof out->message,
                     "instruction %lld: tail call to a program of another type", (long long)pc);
            break;
        }
        if (mode == EBPF_EXEC_CHECKED && used >= budget) {
            out->status = EBPF_RUN_BUDGET;
            snprintf(out->message, sizeof out->message,
                     "instruction %lld: the budget of %llu instructions is exhausted", (long long)pc,
                     (unsigned long long)budget);
            break;
        }
    }
    out->insns_executed = used;
    req->max_insns = max_insns;
    req->stack_out = NULL;
}

/* Before each run of the lean repeat loop (user: the helper_run). */
static void reset_run(void *user)
{
    helper_run_reset(user);
}

int ebpf_prog_test_run(ebpf_program *prog, struct ebpf_test_run_opts *user)
{
    if (!prog || !user || !opts_valid(user, sizeof(struct ebpf_test_run_opts)))
        return fail_errno(EINVAL);
    struct ebpf_test_run_opts o;
    opts_copy(&o, sizeof o, user);
    o.status = EBPF_RUN_OK;
    o.fault_insn = -1;
    o.message[0] = '\0';
    ebpf_object *obj = runtime_program_object(prog);
    int rc = 0;
    run_state *st = NULL;
    exec_region *regions = NULL;
    size_t region_count = 0;
    if (!obj) {
        snprintf(o.message, sizeof o.message, "test run is implemented for programs of objects only");
        rc = -ENOTSUP;
        goto out;
    }
    if (o.mode != EBPF_EXEC_CHECKED && o.mode != EBPF_EXEC_FAST && o.mode != EBPF_EXEC_JIT) {
        snprintf(o.message, sizeof o.message, "unknown execution mode %d", (int)o.mode);
        rc = -EINVAL;
        goto out;
    }
    if ((rc = runtime_program_check_mode(prog, o.mode, o.message, sizeof o.message)) != 0)
        goto out;
    st = calloc(1, sizeof *st);
    if (!st) {
        rc = -ENOMEM;
        goto out;
    }
    st->obj = obj;
    uint32_t prog_type = runtime_program_type(prog);
    rc = test_ctx_setup(&st->ctx, prog_type, &o, o.message, sizeof o.message);
    if (rc == 0 && fixed_regions(st, &regions, &region_count) != 0)
        rc = -ENOMEM;
    if (rc)
        goto out;
    exec_request req = {
        .args = { (uint64_t)(uintptr_t)&st->ctx.rec, 0, 0, 0, 0 },
        .regions = regions,
        .region_count = region_count,
        .packet = st->ctx.ld_abs,
        .packet_size = st->ctx.ld_abs_size,
        .max_insns = o.max_insns,
        .region_ok = region_ok,
        .region_user = st,
        .tail_call_pending = (void *const *)&st->run.tail_call_target,
        .helper_check = helper_check,
        .check_uninit = o.check_uninit && o.mode == EBPF_EXEC_CHECKED,
        .defined_args = 1, /* the context */
        .helper_uses = helper_uses,
    };
    exec_outcome out = { .status = EBPF_RUN_OK, .fault_pc = -1 };
    uint32_t repeat = o.repeat ? o.repeat : 1;
    run_state *outer = current_state;
    helper_run_init(&st->run, prog_type, &st->ctx.rec);
    st->run.call_callback = call_callback;
    st->run.callback_user = st;
    st->run.pkt = st->ctx.pkt;
    if (o.mode == EBPF_EXEC_CHECKED) {
        st->run.readable = run_readable;
        st->run.readable_user = st;
    }
    uint64_t start = plat_monotonic_ns();
    /* One map read-side section and helper run for RUN_SECTION_RUNS runs at a time (as Linux keeps
     * its RCU read lock across the repeats until a reschedule is due): per run only what helpers
     * wrote is reset. */
    map_read_lock();
    helper_run_enter(&st->run);
    /* The helper wrappers' bookkeeping (which map values may be touched, which maps are the
     * object's) only serves the checked run's bounds checks; unchecked engines trust the program. */
    current_state = o.mode == EBPF_EXEC_CHECKED ? st : NULL;
    /* Unchecked engines take the lean path: runtime_program_repeat runs a whole section's runs with
     * the engine set up once (the JIT calls its entry again and again), resetting only what helpers
     * wrote; a run that does not simply end (a tail call, a failed callback, a fault) finishes through
     * run_chain. The context record and the packet are not restored between runs, as in Linux. */
    st->mode = o.mode;
    st->prog = prog;
    st->req = &req;
    /* A program whose helpers never write the per-run state (decided at creation) needs no reset: the
     * state helper_run_init zeroed stays zero; it runs no callback either, so nothing can set
     * callback_abort, and the JIT runs a bare loop of calls. */
    const bool lean = runtime_program_keeps_run_state(prog);
    for (uint32_t i = 0; i < repeat;) {
        if (i && i % RUN_SECTION_RUNS == 0) { /* let map memory retired meanwhile be reclaimed */
            helper_run_exit();
            map_read_unlock();
            map_read_lock();
            helper_run_enter(&st->run);
        }
        if (o.mode == EBPF_EXEC_CHECKED) {
            helper_run_reset(&st->run);
            st->dyn_count = st->dyn_next = 0;
            chk_track_end(&st->track);
            out.status = EBPF_RUN_OK;
            run_chain(prog, o.mode, &req, &st->run, &out, false);
            i++;
        } else {
            uint32_t chunk = RUN_SECTION_RUNS - i % RUN_SECTION_RUNS;
            if (chunk > repeat - i)
                chunk = repeat - i;
            i += runtime_program_repeat(prog, o.mode, &req, chunk, lean ? NULL : reset_run, &st->run,
                                        lean ? NULL : &st->run.callback_abort, &out);
            if (out.status != EBPF_RUN_OK || st->run.callback_abort)
                run_chain(prog, o.mode, &req, &st->run, &out, true);
        }
        if (out.status != EBPF_RUN_OK)
            break;
    }
    current_state = outer;
    chk_track_end(&st->track);
    helper_run_exit();
    map_read_unlock();
    uint64_t elapsed = plat_monotonic_ns() - start;
    o.duration = elapsed / repeat;
    o.retval = (uint32_t)out.r0;
    if (out.status != EBPF_RUN_OK) {
        o.status = out.status;
        o.fault_insn = out.fault_pc;
        snprintf(o.message, sizeof o.message, "%s", out.message);
        int err = runtime_status_errno(out.status);
        rc = err && err != EINVAL ? -err : -ENOTSUP;
    } else {
        rc = test_ctx_finish(&st->ctx, &o, o.message, sizeof o.message);
    }
out:
    free(regions);
    if (st)
        test_ctx_release(&st->ctx);
    free(st);
    {
        size_t keep = user->sz < sizeof o ? user->sz : sizeof o;
        o.sz = user->sz;
        memcpy(user, &o, keep);
    }
    return rc ? fail_errno(-rc) : 0;
}
