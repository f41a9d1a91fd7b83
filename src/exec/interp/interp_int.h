/*
 * interp_int.h - the interpreter's private shapes: the pre-decoded instruction (interp_op), the
 * prepared program (interp_code), the handler numbering and the choice of dispatch technique.
 *
 * Invariants of a prepared program:
 *  - ops[pc] corresponds to slot pc of the bytecode, so a jump is `ip += 1 + off` and the faulting
 *    instruction index is `ip - ops`;
 *  - the second slot of an lddw holds the 64-bit immediate (u.imm64) and the INVALID handler;
 *  - ops[count] is an INVALID sentinel, so even a broken promise of the validator cannot run off the end;
 *  - a `call N` op carries a pointer to its resolved helper entry (u.helper); `call 12` (bpf_tail_call)
 *    has its own handler, INTERP_H_CALL_TAIL, so that other helper calls pay nothing for tail calls.
 * Each mode has its own op array because, with computed goto, handlers are label addresses inside that
 * mode's run function.
 */
#ifndef EBPF_EXEC_INTERP_INT_H
#define EBPF_EXEC_INTERP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "exec/interp/interp.h"
#include "isa/isa.h"

/* Computed goto (GNU C) unless the portable switch is requested or the compiler lacks it. */
#if defined(__GNUC__) && !(defined(EBPF_PORTABLE_DISPATCH) && EBPF_PORTABLE_DISPATCH)
#define INTERP_COMPUTED_GOTO 1
typedef const void *interp_handler;   /* label address inside a run function */
#else
#define INTERP_COMPUTED_GOTO 0
typedef uintptr_t interp_handler;     /* case number of the run function's switch */
#endif

#if defined(__GNUC__)
#define INTERP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define INTERP_UNLIKELY(x) (x)
#endif

/* Placed before a run function: start every handler on its own 32-byte block. Handlers are ~20 bytes
 * and each ends in an indirect jump; packed several to a block, their jumps compete for branch-target
 * entries and the fast mode ran 2-3x slower on an AMD EPYC (same instruction count). GCC aligns labels
 * reached only by jumps with -falign-labels; elsewhere this is empty. */
#if INTERP_COMPUTED_GOTO && defined(__GNUC__) && !defined(__clang__)
#define INTERP_ALIGN_HANDLERS _Pragma("GCC optimize(\"align-labels=32\")")
#else
#define INTERP_ALIGN_HANDLERS
#endif

/* Handler numbers: one per row of isa_insns.def (same value as its isa_id), then the extras. */
enum {
#define ISA_INSN(ID, MN, OP, FMT, DISC, VER, GRP) INTERP_H_##ID = ISA_##ID,
#include "isa/isa_insns.def"
#undef ISA_INSN
    INTERP_H_INVALID = ISA_ID_COUNT, /* lddw tail slot, end sentinel: never reached by valid code */
    INTERP_H_CALL_TAIL,              /* `call EXEC_HELPER_TAIL_CALL`: a helper call, then the tail-call check */
    INTERP_H_COUNT
};

typedef struct interp_fields {
    uint8_t dst;
    uint8_t src;
    int16_t off;
    int32_t imm;
} interp_fields;

typedef struct interp_op {
    interp_handler handler;
    union {
        interp_fields f;                    /* most instructions */
        uint64_t imm64;                     /* second slot of lddw */
        const struct ebpf_helper *helper;   /* `call N`, resolved at prepare time */
    } u;
} interp_op;

/* One slot as the checked mode's uninitialised-read check sees it (interp_uninit.c): the handler number
 * and the registers the instruction reads and writes (isa_regs_read / isa_regs_written; calls and exit
 * follow the calling convention there). */
typedef struct interp_slot_use {
    unsigned handler : 8; /* INTERP_H_* */
    unsigned read : 11;   /* bit n: rn */
    unsigned written : 11;
} interp_slot_use;

_Static_assert(INTERP_H_COUNT <= 256, "handler numbers fit interp_slot_use.handler");

struct interp_code {
    interp_op *fast;          /* count + 1 ops each */
    interp_op *checked;
    size_t count;
    exec_helper_table helpers; /* for callx */
    interp_slot_use *uses;    /* count + 1 entries: what the uninitialised-read check decodes */
};

/* A caller's state saved by a local call. */
typedef struct interp_frame {
    const interp_op *ret;
    uint64_t saved[4]; /* r6..r9 */
} interp_frame;

/* Each mode's handler table: label addresses (computed goto) or NULL (switch: the handler is its number). */
const interp_handler *interp_fast_handlers(void);
const interp_handler *interp_checked_handlers(void);

/* Why a run stops early; the run functions call these out of line, off the hot path. */
typedef enum interp_access {
    INTERP_LOAD,
    INTERP_STORE,
    INTERP_ATOMIC,
} interp_access;

void interp_finish(exec_outcome *out, uint64_t r0);
void interp_stop(exec_outcome *out, enum ebpf_run_status status, int64_t pc, const char *fmt, ...)
#if defined(__GNUC__)
    BASE_PRINTF(4, 5) __attribute__((cold))
#endif
    ;
void interp_stop_access(exec_outcome *out, int64_t pc, uint64_t addr, unsigned size, interp_access kind,
                        int why);
/* Checked mode: asks req->helper_check (set) about a call of helper h with r1..r5 = args; true when
 * it refused, after filling out (status, pc, "instruction N: <the hook's sentence>"). */
bool interp_helper_refused(const exec_request *req, const struct ebpf_helper *h, const uint64_t *args, int64_t pc,
                           exec_outcome *out);

#endif
