/*
 * runtime_int.h - what the files of src/runtime/ share and nobody else sees: the object record
 * (opened, and after ebpf_object_load its maps and programs), the program hooks the load pipeline and
 * test-run need from program.c, and the context rewrite (ctx_rewrite.c; records in ctx_records.h).
 */
#ifndef EBPF_RUNTIME_INT_H
#define EBPF_RUNTIME_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ebpf/ebpf.h"
#include "base/diag.h"
#include "elf/elf_object.h"
#include "exec/exec.h"
#include "exec/jit/jit.h"
#include "isa/isa.h"
#include "runtime/ctx_records.h"
#include "verifier/verifier.h"

struct map;

struct ebpf_object {
    elf_object *elf;
    char **problems;          /* per program: NULL (loadable) or why not (object.c, at open) */
    /* ---- filled by ebpf_object_load (load.c) ---- */
    bool loaded;
    struct map **maps;        /* per elf map, one reference each (inner templates too, as templates) */
    ebpf_program **programs;  /* per elf program; NULL for a program the loader refused (problems[i]) */
    struct ebpf_diag **refusals; /* per elf program: the verifier's refusal (then programs[i] is NULL), or NULL */
};

/* Index of the program named `name` (function name first, then section name), or -ENOENT. */
int runtime_object_program_index(const ebpf_object *obj, const char *name);

/* Resolves calls to external functions by helper name and recomputes the per-program problems
 * (load.c; also before verifying an object that is not loaded). 0 or -ENOMEM. */
int runtime_object_prepare(ebpf_object *obj, ebpf_diag *diag);

/* Frees what ebpf_object_load made (maps, programs); a no-op before a load. */
void runtime_object_unload(ebpf_object *obj);

/* Loaded map `index` of obj, or NULL with *err set (ENOENT no such map, EAGAIN not loaded, EINVAL no
 * object) (load.c). */
struct map *runtime_object_map(ebpf_object *obj, size_t index, int *err);

/* ---- ids.c ---- */

/* The next map / program id (process-wide, from 1). */
uint32_t runtime_next_map_id(void);
uint32_t runtime_next_prog_id(void);

/* ---- program.c: hooks for programs made from objects ---- */

/* The program's id (given at ebpf_program_create). */
uint32_t runtime_program_id(const ebpf_program *prog);

/* Marks prog as coming from an object: its Linux program type, and the object whose maps it uses
 * (borrowed: the object owns the program). */
void runtime_program_set_origin(ebpf_program *prog, uint32_t prog_type, ebpf_object *obj);
uint32_t runtime_program_type(const ebpf_program *prog);
/* Records the instruction indexes where the program's callback functions start (what load.c made of
 * each lddw of a function): runs may start there (the JIT compiles an entry for each). 0 or -ENOMEM. */
int runtime_program_set_callbacks(ebpf_program *prog, const size_t *entries, size_t count);
/* Is pc one of the recorded callback entries? */
bool runtime_program_is_callback(const ebpf_program *prog, uint64_t pc);
ebpf_object *runtime_program_object(const ebpf_program *prog);
const char *runtime_program_name(const ebpf_program *prog);
/* Runs prog on the engine `mode` selects (JIT falls back to the fast interpreter) with a prepared
 * request; fills out like the engines do. */
void runtime_program_exec(ebpf_program *prog, enum ebpf_exec_mode mode, const exec_request *req,
                          exec_outcome *out);
/* true when the program calls only helpers that never write the per-run helper state (no redirect,
 * tail call or callback; helper_keeps_run_state), decided from its code at creation: its repeat
 * loop needs no reset between runs. */
bool runtime_program_keeps_run_state(const ebpf_program *prog);
/* Up to `count` runs of prog with the same request, before(user) ahead of each (before NULL: none);
 * stops after a run that does not end EBPF_RUN_OK or after which *stop is true (stop NULL: never).
 * Returns the runs made (0 only for count 0); out is the last one's outcome. The JIT sets its run up
 * once for all of them (jit_run_repeat). */
uint32_t runtime_program_repeat(ebpf_program *prog, enum ebpf_exec_mode mode, const exec_request *req,
                                uint32_t count, void (*before)(void *), void *user, const bool *stop,
                                exec_outcome *out);

/* ---- jit_map_info.c ---- */

/* jit_options.map_info for the programs of an object (user: the ebpf_object). */
bool runtime_jit_map_info(void *user, uint64_t value, jit_map_info *info);
/* Trust of a program made from an object (ebpf_program_trust); raw programs are trusted. */
void runtime_program_set_trust(ebpf_program *prog, enum ebpf_program_trust trust);
/* The positive errno ebpf_program_run and ebpf_prog_test_run give for a run that stopped with status
 * (0 for EBPF_RUN_OK; EINVAL for a status no engine gives). */
int runtime_status_errno(enum ebpf_run_status status);
/* 0 when `mode` may run prog, else -EPERM with the reason in message (size bytes). */
int runtime_program_check_mode(const ebpf_program *prog, enum ebpf_exec_mode mode, char *message, size_t size);

/* ---- verify.c: running the verifier (in a sandboxed process or in this one) ---- */

/* The resolved verifier options (ebpf_verify_opts with defaults applied; mode never DEFAULT). */
typedef struct runtime_verify_opts {
    enum ebpf_verify_mode mode;     /* PROCESS, IN_PROCESS (NONE: the caller does not verify) */
    const char *verifier_path;      /* NULL: default lookup */
    uint32_t cpu_seconds, memory_mb, timeout_ms;
    uint32_t hooks;                 /* test-only VF_HOOK_* (from EBPF_VERIFIER_TEST_HOOK) */
} runtime_verify_opts;

/* Validates and resolves user options (NULL, or .sz 0: defaults). For loads (for_load) DEFAULT means
 * what verify_default.h says: with RUNTIME_VERIFY_BY_DEFAULT 0 the mode becomes NONE and *trusted is set
 * (programs loaded unverified but trusted); otherwise, and outside loads, DEFAULT is PROCESS.
 * *keep_state: the caller asked for the state at a refusal. 0 or -EINVAL. */
int runtime_verify_opts_resolve(const struct ebpf_verify_opts *user, bool for_load, runtime_verify_opts *out,
                                bool *trusted, bool *keep_state);

/* Verifies `in`. Returns 0 with *out filled (any verdict; free with vf_result_free), or a negative
 * errno when the verifier could not answer, with out->verdict VF_ERROR and the reason in out->message
 * ("verifier process killed by SIGSYS (sandbox violation)"). */
int runtime_verify(const vf_input *in, const runtime_verify_opts *opts, vf_result *out);
/* runtime_verify, answered from the process's verdict cache when this exact request was answered
 * before (loads use it: a program loaded again is not verified again). */
int runtime_verify_cached(const vf_input *in, const runtime_verify_opts *opts, vf_result *out);

/* ---- verify_object.c ---- */

/* Verifies program `index` of obj for ebpf_object_load: 0 accepted; 1 refused (the refusal, with
 * instruction and source line, stored in obj->refusals[index]); a negative errno when the verifier
 * could not answer (diag says why: the load fails). */
int runtime_verify_for_load(ebpf_object *obj, size_t index, const runtime_verify_opts *opts, ebpf_diag *diag);

/* ---- test_run.c ---- */

/* The function to register for Linux helper `id`: fn itself, or a runtime wrapper that tells the
 * checked interpreter about the memory the helper returns (map_lookup_elem, map_lookup_percpu_elem,
 * ringbuf_reserve; arguments are checked before, by the checked run's helper_check, chk.h). A wrapper registered with user = the wrapped helper's struct ebpf_helper calls it
 * without a search. */
ebpf_helper_fn runtime_wrap_helper(uint32_t id, ebpf_helper_fn fn);

/* ---- ctx_rewrite.c ---- */

/* Rewrites the context accesses of a program of prog_type in place (*code: *count slots, malloc'd,
 * decoded by the caller's validation rules) so that they reach the runtime's record for the type's
 * layout (ctx_records.h). A guarded store (queue_mapping from a register) appends a few slots after
 * the program: *code may be reallocated and *count grow; no existing slot moves. Returns 0, or -EACCES
 * (an access abi_ctx_access refuses) / -ENOTSUP (an access it cannot prove is on the context) with
 * diag naming the instruction and the reason, or -ENOMEM. */
int runtime_ctx_rewrite(uint32_t prog_type, isa_slot **code, size_t *count, ebpf_diag *diag);

#endif
