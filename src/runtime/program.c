/*
 * program.c - ebpf_program: raw bytecode that passed validation, its helpers and its prepared
 * engine code; creating, running and freeing it (the public API of include/ebpf/ebpf.h).
 *
 * The run ABI of a raw program: r1 = input memory, r2 = its size in bytes, r10 = stack top.
 */
#include "ebpf/ebpf.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/opts.h"
#include "exec/exec.h"
#include "exec/interp/interp.h"
#include "exec/jit/jit.h"
#include "helpers/helper_run.h"
#include "helpers/helpers.h"
#include "isa/isa.h"
#include "runtime/runtime_int.h"

#define RUNTIME_MAX_HELPER_ID 65535u /* named limit: helper ids above this are refused as absurd */
#define RUNTIME_MAX_REGIONS 64u

struct ebpf_program {
    char *name;
    uint32_t id;             /* ids.c */
    isa_slot *code;
    isa_insn *insns;
    size_t count;
    struct ebpf_helper *helpers_by_id;
    exec_helper_table helpers;
    interp_code *interp;
    bool jit_blind;
    _Atomic(jit_code *) jit; /* compiled at the first JIT run; immutable once set */
    atomic_int jit_error;    /* errno of a failed compile (then runs use the fast interpreter) */
    uint32_t prog_type;      /* Linux program type, for programs made from objects (load.c) */
    ebpf_object *object;     /* the object owning this program, NULL for raw programs */
    size_t *callbacks;       /* instruction indexes of its callback functions (load.c) */
    size_t callback_count;
    enum ebpf_program_trust trust; /* raw programs: trusted; object programs: set by load.c */
    bool keeps_run_state;    /* calls only Linux helpers that leave the per-run state alone */
};

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

/* Does every call of the program go to a Linux helper (the one registered under its id, possibly
 * runtime-wrapped) that never writes the per-run state (helper_keeps_run_state)? Local calls are
 * fine; callx and kfunc calls are not (their target is not known here). */
static bool program_keeps_run_state(const ebpf_program *prog)
{
    for (size_t pc = 0; pc < prog->count; pc++) {
        const isa_insn *in = &prog->insns[pc];
        if (in->id == ISA_SLOT_TAIL)
            continue; /* the second slot of an lddw */
        isa_format fmt = (isa_format)isa_infos[in->id].format;
        if (fmt == ISA_FMT_CALLX || fmt == ISA_FMT_CALL_KFUNC)
            return false;
        if (fmt != ISA_FMT_CALL_HELPER)
            continue;
        uint32_t id = (uint32_t)in->imm;
        const struct ebpf_helper *linux_helper = helper_linux_find(id);
        if (!linux_helper || !helper_keeps_run_state(id) || id >= prog->helpers.count)
            return false;
        const struct ebpf_helper *h = &prog->helpers_by_id[id];
        if (h->fn != linux_helper->fn && h->user != (const void *)linux_helper)
            return false;
    }
    return true;
}

static void *fail_null(int err)
{
    errno = err;
    return NULL;
}

/* Builds the id-indexed helper table; refuses duplicate ids, missing functions and absurd ids. */
static int build_helper_table(ebpf_program *prog, const struct ebpf_program_opts *opts, ebpf_diag *diag)
{
    uint32_t count = 0;
    for (size_t i = 0; i < opts->helper_count; i++) {
        const struct ebpf_helper *h = &opts->helpers[i];
        if (!h->fn)
            return diag_fail(diag, -1, "helper %u has no function", h->id);
        if (h->id > RUNTIME_MAX_HELPER_ID)
            return diag_fail(diag, -1, "helper id %u is larger than %u", h->id, RUNTIME_MAX_HELPER_ID);
        if (h->id + 1 > count)
            count = h->id + 1;
    }
    if (count == 0)
        return 0;
    prog->helpers_by_id = calloc(count, sizeof *prog->helpers_by_id);
    if (!prog->helpers_by_id)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
    for (size_t i = 0; i < opts->helper_count; i++) {
        const struct ebpf_helper *h = &opts->helpers[i];
        if (prog->helpers_by_id[h->id].fn)
            return diag_fail(diag, -1, "helper id %u is registered twice", h->id);
        prog->helpers_by_id[h->id] = *h;
        prog->helpers_by_id[h->id].name = NULL; /* the caller's string is not ours to keep */
    }
    prog->helpers.entries = prog->helpers_by_id;
    prog->helpers.count = count;
    return 0;
}

ebpf_program *ebpf_program_create(const struct ebpf_insn *insns, size_t insn_count,
                                  const struct ebpf_program_opts *user_opts, struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!opts_valid(user_opts, sizeof(struct ebpf_program_opts))) {
        diag_fail(diag, -1, "ebpf_program_opts: unknown non-zero fields (size %zu)", user_opts->sz);
        return fail_null(EINVAL);
    }
    struct ebpf_program_opts opts;
    opts_copy(&opts, sizeof opts, user_opts);
    if (!insns && insn_count > 0) {
        diag_fail(diag, -1, "no instructions given");
        return fail_null(EINVAL);
    }
    if (opts.helper_count > 0 && !opts.helpers) {
        diag_fail(diag, -1, "helper_count is %zu but helpers is NULL", opts.helper_count);
        return fail_null(EINVAL);
    }

    ebpf_program *prog = calloc(1, sizeof *prog);
    if (!prog)
        return fail_null(ENOMEM);
    int rc = 0;
    prog->id = runtime_next_prog_id();
    prog->count = insn_count;
    prog->jit_blind = opts.jit_blind_constants;
    prog->name = strdup(opts.name ? opts.name : "program");
    prog->code = malloc(insn_count ? insn_count * sizeof(isa_slot) : 1);
    prog->insns = calloc(insn_count ? insn_count : 1, sizeof(isa_insn));
    if (!prog->name || !prog->code || !prog->insns) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        goto fail;
    }
    if (insn_count)
        memcpy(prog->code, insns, insn_count * sizeof(isa_slot));

    isa_validate_opts vopts = {
        .reject_unreachable = opts.reject_unreachable,
        .check_uninit_regs = !opts.allow_uninit_regs,
        .entry_regs = (1u << 1) | (1u << 2),
    };
    rc = isa_validate_decoded(prog->code, insn_count, &vopts, prog->insns, diag);
    if (rc == 0)
        rc = build_helper_table(prog, &opts, diag);
    if (rc != 0)
        goto fail;
    prog->keeps_run_state = program_keeps_run_state(prog);
    prog->interp = interp_prepare(prog->insns, insn_count, &prog->helpers, diag);
    if (!prog->interp) {
        rc = errno ? -errno : -EINVAL;
        goto fail;
    }
    return prog;
fail:
    ebpf_program_free(prog);
    return fail_null(-rc);
}

void ebpf_program_free(ebpf_program *prog)
{
    if (!prog)
        return;
    interp_free(prog->interp);
    jit_free(atomic_load(&prog->jit));
    free(prog->helpers_by_id);
    free(prog->callbacks);
    free(prog->insns);
    free(prog->code);
    free(prog->name);
    free(prog);
}

size_t ebpf_program_insn_count(const ebpf_program *prog)
{
    return prog ? prog->count : 0;
}

/* The program's JIT code, compiled on first use. Threads may race here: each compiles, one installs
 * its code, the others free theirs. NULL when the JIT cannot translate the program (said once in the
 * log); runs then use the fast interpreter. */
static jit_code *program_jit(ebpf_program *prog)
{
    jit_code *code = atomic_load_explicit(&prog->jit, memory_order_acquire);
    if (code || atomic_load_explicit(&prog->jit_error, memory_order_acquire))
        return code;
    ebpf_diag diag;
    diag_clear(&diag);
    /* Callbacks run as nested runs starting at their function (exec_request.entry_pc): each gets an
     * entry into the same code. */
    jit_options jopts = { .blind_constants = prog->jit_blind, .entries = prog->callbacks,
                          .entry_count = prog->callback_count };
    if (prog->object) { /* its helper table is Linux's: helper 1 is bpf_map_lookup_elem */
        jopts.map_info = runtime_jit_map_info;
        jopts.map_user = prog->object;
    }
    code = jit_compile(prog->insns, prog->count, &prog->helpers, &jopts, &diag);
    if (!code) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&prog->jit_error, &expected, errno ? errno : ENOTSUP))
            base_log(EBPF_LOG_WARN, "%s: not JIT-compiled, running in the fast interpreter: %s", prog->name,
                     diag.message);
        return NULL;
    }
    jit_code *installed = NULL;
    if (!atomic_compare_exchange_strong_explicit(&prog->jit, &installed, code, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        jit_free(code);
        code = installed;
    }
    return code;
}

int ebpf_program_jit_code(ebpf_program *prog, const void **code, size_t *size)
{
    if (!prog || !code || !size)
        return fail_errno(EINVAL);
    jit_code *jit = program_jit(prog);
    if (!jit) {
        int err = atomic_load(&prog->jit_error);
        return fail_errno(err ? err : ENOTSUP);
    }
    *code = jit_code_bytes(jit, size);
    return 0;
}

void runtime_program_set_origin(ebpf_program *prog, uint32_t prog_type, ebpf_object *obj)
{
    prog->prog_type = prog_type;
    prog->object = obj;
}

int runtime_program_set_callbacks(ebpf_program *prog, const size_t *entries, size_t count)
{
    size_t *copy = malloc(count ? count * sizeof *copy : 1);
    if (!copy)
        return -ENOMEM;
    if (count)
        memcpy(copy, entries, count * sizeof *copy);
    free(prog->callbacks);
    prog->callbacks = copy;
    prog->callback_count = count;
    return 0;
}

bool runtime_program_is_callback(const ebpf_program *prog, uint64_t pc)
{
    for (size_t i = 0; i < prog->callback_count; i++)
        if (prog->callbacks[i] == pc)
            return true;
    return false;
}

uint32_t runtime_program_id(const ebpf_program *prog)
{
    return prog->id;
}

uint32_t runtime_program_type(const ebpf_program *prog)
{
    return prog->prog_type;
}

ebpf_object *runtime_program_object(const ebpf_program *prog)
{
    return prog->object;
}

const char *runtime_program_name(const ebpf_program *prog)
{
    return prog->name;
}

void runtime_program_set_trust(ebpf_program *prog, enum ebpf_program_trust trust)
{
    prog->trust = trust;
}

enum ebpf_program_trust ebpf_program_trust(const ebpf_program *prog)
{
    return prog ? prog->trust : EBPF_TRUST_UNVERIFIED;
}

int runtime_program_check_mode(const ebpf_program *prog, enum ebpf_exec_mode mode, char *message, size_t size)
{
    if (prog->trust != EBPF_TRUST_UNVERIFIED || mode == EBPF_EXEC_CHECKED)
        return 0;
    snprintf(message, size, "program '%s' was loaded without verification: only the checked interpreter may run it",
             prog->name ? prog->name : "");
    return -EPERM;
}

void runtime_program_exec(ebpf_program *prog, enum ebpf_exec_mode mode, const exec_request *req,
                          exec_outcome *out)
{
    if (mode == EBPF_EXEC_JIT) {
        jit_code *jit = atomic_load_explicit(&prog->jit, memory_order_acquire); /* compiled: the common case */
        if (jit || (jit = program_jit(prog)) != NULL) {
            jit_run(jit, req, out);
            return;
        }
    }
    if (mode == EBPF_EXEC_FAST || mode == EBPF_EXEC_JIT)
        interp_run_fast(prog->interp, req, out);
    else
        interp_run_checked(prog->interp, req, out);
}

bool runtime_program_keeps_run_state(const ebpf_program *prog)
{
    return prog->keeps_run_state;
}

uint32_t runtime_program_repeat(ebpf_program *prog, enum ebpf_exec_mode mode, const exec_request *req,
                                uint32_t count, void (*before)(void *), void *user, const bool *stop,
                                exec_outcome *out)
{
    if (mode == EBPF_EXEC_JIT) {
        jit_code *jit = atomic_load_explicit(&prog->jit, memory_order_acquire);
        if (jit || (jit = program_jit(prog)) != NULL)
            return jit_run_repeat(jit, req, count, before, user, stop, out);
    }
    uint32_t done = 0;
    while (done < count) {
        if (before)
            before(user);
        runtime_program_exec(prog, mode, req, out);
        done++;
        if (out->status != EBPF_RUN_OK || (stop && *stop))
            break;
    }
    return done;
}

int runtime_status_errno(enum ebpf_run_status status)
{
    switch (status) {
    case EBPF_RUN_OK: return 0;
    case EBPF_RUN_OUT_OF_BOUNDS: return EFAULT;
    case EBPF_RUN_UNINIT: return EFAULT;
    case EBPF_RUN_BUDGET: return ETIMEDOUT;
    case EBPF_RUN_CALL_DEPTH: return ELOOP;
    case EBPF_RUN_UNKNOWN_HELPER: return ENOENT;
    case EBPF_RUN_UNSUPPORTED: return ENOTSUP;
    }
    return EINVAL;
}

const char *ebpf_run_status_name(enum ebpf_run_status status)
{
    switch (status) {
    case EBPF_RUN_OK: return "ok";
    case EBPF_RUN_OUT_OF_BOUNDS: return "out-of-bounds access";
    case EBPF_RUN_BUDGET: return "instruction budget exhausted";
    case EBPF_RUN_CALL_DEPTH: return "call depth exceeded";
    case EBPF_RUN_UNKNOWN_HELPER: return "unknown helper";
    case EBPF_RUN_UNSUPPORTED: return "unsupported instruction";
    case EBPF_RUN_UNINIT: return "uninitialised read";
    }
    return "unknown status";
}

int ebpf_program_run(ebpf_program *prog, const struct ebpf_run_opts *user_opts, struct ebpf_run_result *result)
{
    if (!prog || !result || result->sz < sizeof(size_t) || !opts_valid(user_opts, sizeof(struct ebpf_run_opts)))
        return fail_errno(EINVAL);
    struct ebpf_run_opts opts;
    opts_copy(&opts, sizeof opts, user_opts);
    if ((opts.mem_size && !opts.mem) || (opts.region_count && !opts.regions) ||
        opts.region_count > RUNTIME_MAX_REGIONS || (opts.packet_size && !opts.packet) ||
        (opts.mode != EBPF_EXEC_CHECKED && opts.mode != EBPF_EXEC_FAST && opts.mode != EBPF_EXEC_JIT))
        return fail_errno(EINVAL);
    char why[sizeof result->message];
    if (runtime_program_check_mode(prog, opts.mode, why, sizeof why) != 0) {
        if (result->sz >= sizeof *result) {
            memset(&result->r0, 0, sizeof *result - sizeof result->sz);
            result->fault_insn = -1;
            snprintf(result->message, sizeof result->message, "%s", why);
        }
        return fail_errno(EPERM);
    }

    exec_region regions[RUNTIME_MAX_REGIONS + 1];
    size_t region_count = 0;
    if (opts.mem)
        regions[region_count++] = (exec_region){ (uintptr_t)opts.mem, opts.mem_size, true };
    for (size_t i = 0; i < opts.region_count; i++)
        regions[region_count++] = (exec_region){ (uintptr_t)opts.regions[i].base, opts.regions[i].size,
                                                 opts.regions[i].writable };
    exec_request req = {
        .args = { (uint64_t)(uintptr_t)opts.mem, opts.mem_size, 0, 0, 0 },
        .regions = regions,
        .region_count = region_count,
        .packet = opts.packet ? opts.packet : opts.mem,
        .packet_size = opts.packet ? opts.packet_size : opts.mem_size,
        .max_insns = opts.max_insns,
    };
    /* Only the small fields are initialised: the message buffer is written by an engine that stops
     * early and read only then (zero-filling it on every run costs more than a short program). */
    exec_outcome out;
    out.r0 = 0;
    out.status = EBPF_RUN_OK;
    out.insns_executed = 0;
    out.fault_pc = -1;
    out.message[0] = '\0';
    jit_code *jit = opts.mode == EBPF_EXEC_JIT ? program_jit(prog) : NULL;
    if (jit)
        jit_run(jit, &req, &out);
    else if (opts.mode == EBPF_EXEC_FAST || opts.mode == EBPF_EXEC_JIT)
        interp_run_fast(prog->interp, &req, &out);
    else
        interp_run_checked(prog->interp, &req, &out);

    if (result->sz >= sizeof *result) {
        result->r0 = out.r0;
        result->status = out.status;
        result->insns_executed = out.insns_executed;
        result->fault_insn = out.fault_pc;
        if (out.status != EBPF_RUN_OK)
            snprintf(result->message, sizeof result->message, "%s", out.message);
        else
            result->message[0] = '\0';
    } else { /* a caller built against an older, smaller ebpf_run_result */
        struct ebpf_run_result full = { .sz = sizeof full, .r0 = out.r0, .status = out.status,
                                        .insns_executed = out.insns_executed, .fault_insn = out.fault_pc };
        if (out.status != EBPF_RUN_OK)
            snprintf(full.message, sizeof full.message, "%s", out.message);
        size_t keep = result->sz;
        memcpy(result, &full, keep);
        result->sz = keep;
    }
    int err = runtime_status_errno(out.status);
    return err ? fail_errno(err) : 0;
}
