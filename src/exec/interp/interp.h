/*
 * interp.h - the eBPF interpreter, as the runtime sees it: prepare a validated program once, run it
 * many times in one of two modes that share one definition of every opcode's meaning.
 *
 *   checked  every load, store and atomic is bounds-checked against the live stack frames and the
 *            request's regions, and instructions are counted against a budget. Any bytecode that
 *            passed isa_validate runs without touching memory outside those regions. Helper calls
 *            are first put to the request's helper_check, which may refuse their arguments.
 *            Optionally (exec_request.check_uninit, off by default) it also stops with
 *            EBPF_RUN_UNINIT at a read of an undefined register or of a stack byte the run never
 *            wrote (interp_uninit.h; the rules are exec.h's): what the soundness tests of the
 *            verifier ask for.
 *   fast     threaded dispatch on a pre-decoded form, no per-access checks, no counting. Only for
 *            programs proven safe (verified) or trusted.
 *
 * A prepared interp_code is immutable: several threads may run it at once.
 */
#ifndef EBPF_EXEC_INTERP_H
#define EBPF_EXEC_INTERP_H

#include <stddef.h>

#include "exec/exec.h"
#include "isa/isa.h"

typedef struct interp_code interp_code;

/* insns: the decoded program as filled by isa_validate_decoded() (insns[pc] for every instruction start,
 * the second slot of lddw has id ISA_SLOT_TAIL); count = number of slots. The program has already passed
 * isa_validate. helpers: table indexed by helper id, referenced (it must outlive the code).
 * Returns NULL with diag filled and errno set on failure: EINVAL for a `call N` to a helper id not in the
 * table ("instruction 3: unknown helper 7") or an inconsistent decoded program, ENOMEM. */
interp_code *interp_prepare(const isa_insn *insns, size_t count, const exec_helper_table *helpers, ebpf_diag *diag);
void interp_free(interp_code *code);

/* Runs the program; `out` receives r0, the status, and where and why a run stopped early. */
void interp_run_checked(const interp_code *code, const exec_request *req, exec_outcome *out);
void interp_run_fast(const interp_code *code, const exec_request *req, exec_outcome *out);

#endif
