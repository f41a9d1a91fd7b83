/*
 * interp_uninit.h - the checked mode's optional uninitialised-read check (exec_request.check_uninit;
 * the rules are written above exec_request in exec.h): which registers hold a defined value, and which
 * bytes of the run's own stack frames were written in this run.
 *
 * The run function keeps one interp_uninit per run and, when the check is on, calls interp_uninit_step
 * before each instruction executes (from its budget tick's slow path, which the check makes every
 * instruction take; then the handler), so the handlers of interp_ops.inc know nothing of it. Off, it
 * costs nothing per instruction; the fast mode and the JIT never see it. On, each instruction costs
 * an out-of-line call.
 *
 * Loads, stores and atomics are judged only when the whole access lies inside the live frames (the
 * handler's bounds check judges the rest); helper memory (exec_helper_uses spans) is judged on the part
 * inside the live frames.
 */
#ifndef EBPF_EXEC_INTERP_UNINIT_H
#define EBPF_EXEC_INTERP_UNINIT_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/interp/interp_int.h"

typedef struct interp_uninit {
    const exec_request *req;
    int64_t left;          /* the run's instruction budget left (the run function's count while on) */
    uint64_t stack_base;   /* the run's stack: frame k (0 = the entry's) is [top - (k+1)*512, top - k*512) */
    uint64_t stack_top;
    unsigned depth;        /* local calls in progress, counted as the run function counts them */
    uint16_t def;          /* bit n: rn holds a defined value */
    uint16_t saved[ISA_MAX_CALL_DEPTH];                    /* each caller's r6..r9 bits */
    uint8_t written[ISA_MAX_CALL_DEPTH * ISA_STACK_SIZE];  /* 1: the byte at stack_base + i was written */
} interp_uninit;

/* A run starts: r10 and r1..r<req->defined_args> defined, the entry frame not written. */
void interp_uninit_start(interp_uninit *u, const exec_request *req, uint64_t stack_base, uint64_t stack_top);

/* Before the instruction at ip (an op of code->checked) runs with registers reg: false when it reads
 * something undefined, after filling out (EBPF_RUN_UNINIT, its pc, which register or stack byte);
 * otherwise records what it defines and writes and returns true. Instructions the handler will refuse
 * anyway (a call too deep, an unknown callx target, an invalid slot) pass untouched. */
bool interp_uninit_step(interp_uninit *u, const interp_code *code, const interp_op *ip, const uint64_t *reg,
                        exec_outcome *out);

#endif
