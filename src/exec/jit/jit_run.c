/*
 * jit_run.c - running compiled code: the jit_ctx of one run on the C stack, the call into the entry
 * (instruction 0's, or a callback function's) through a function pointer of the code's calling
 * convention, and the outcome with the interpreter's statuses and messages.
 */
#include "exec/jit/jit_int.h"

#include <stdio.h>
#include <string.h>

/* A repeat loop's parameters (jit_run_repeat). */
typedef struct jit_loop {
    uint32_t count;
    void (*before)(void *);
    void *user;
    const bool *stop;
} jit_loop;

#if defined(__GNUC__) && (defined(__x86_64__) || defined(_M_X64))
typedef uint64_t (*jit_entry_sysv)(jit_ctx *ctx) __attribute__((sysv_abi));
typedef uint64_t (*jit_entry_ms)(jit_ctx *ctx) __attribute__((ms_abi));

_Static_assert(sizeof(jit_entry_sysv) == sizeof(void *), "function and data pointers have one size");

/* One function per convention, not inlined: GCC 12 merges two otherwise identical indirect calls that
 * differ only in the callee's ABI attribute (both then use the System V one). */
static __attribute__((noinline)) uint64_t jit_enter_ms(void *entry, jit_ctx *ctx)
{
    jit_entry_ms fn;
    memcpy(&fn, &entry, sizeof fn);
    return fn(ctx);
}

static __attribute__((noinline)) uint64_t jit_enter_sysv(void *entry, jit_ctx *ctx)
{
    jit_entry_sysv fn;
    memcpy(&fn, &entry, sizeof fn);
    return fn(ctx);
}

static uint64_t jit_enter(const jit_code *code, size_t offset, jit_ctx *ctx)
{
    void *entry = code->mem + offset;
    return code->abi == JIT_ABI_MS ? jit_enter_ms(entry, ctx) : jit_enter_sysv(entry, ctx);
}

/* The repeat loop, one per convention for the same reason, calling the entry directly. Runs until
 * count runs are made, a run stops early or *stop; returns the runs made, *r0 the last one's r0.
 * Without before (nothing to reset between runs) and stop (nothing can ask to stop) the loop is only
 * the calls and the status check. */
#define JIT_LOOP(NAME, ENTRY_TYPE)                                                                     \
    static __attribute__((noinline)) uint32_t NAME(void *entry, jit_ctx *ctx, const jit_loop *l, uint64_t *r0) \
    {                                                                                                  \
        ENTRY_TYPE fn;                                                                                 \
        memcpy(&fn, &entry, sizeof fn);                                                                \
        uint32_t done = 0;                                                                             \
        uint64_t last;                                                                                 \
        if (!l->before && !l->stop) {                                                                  \
            do                                                                                         \
                last = fn(ctx);                                                                        \
            while (++done < l->count && ctx->status == EBPF_RUN_OK);                                   \
        } else {                                                                                       \
            do {                                                                                       \
                if (l->before)                                                                         \
                    l->before(l->user);                                                                \
                last = fn(ctx);                                                                        \
            } while (++done < l->count && ctx->status == EBPF_RUN_OK && !(l->stop && *l->stop));      \
        }                                                                                              \
        *r0 = last;                                                                                    \
        return done;                                                                                   \
    }
JIT_LOOP(jit_loop_ms, jit_entry_ms)
JIT_LOOP(jit_loop_sysv, jit_entry_sysv)
#undef JIT_LOOP

static uint32_t jit_repeat_loop(const jit_code *code, size_t offset, jit_ctx *ctx, const jit_loop *l, uint64_t *r0)
{
    void *entry = code->mem + offset;
    return code->abi == JIT_ABI_MS ? jit_loop_ms(entry, ctx, l, r0) : jit_loop_sysv(entry, ctx, l, r0);
}
#define JIT_HAVE_REPEAT_LOOP 1
#elif defined(__x86_64__) || defined(_M_X64)
static uint64_t jit_enter(const jit_code *code, size_t offset, jit_ctx *ctx)
{
    uint64_t (*fn)(jit_ctx *);
    void *entry = code->mem + offset;
    memcpy(&fn, &entry, sizeof fn);
    return fn(ctx);
}
#else
static uint64_t jit_enter(const jit_code *code, size_t offset, jit_ctx *ctx)
{
    (void)code, (void)offset;
    ctx->status = EBPF_RUN_UNSUPPORTED;
    return 0;
}
#endif

static void jit_outcome(const jit_ctx *ctx, uint64_t r0, exec_outcome *out)
{
    out->insns_executed = 0;
    out->status = (enum ebpf_run_status)ctx->status;
    if (ctx->status == EBPF_RUN_OK) {
        out->r0 = r0;
        out->fault_pc = -1;
        out->message[0] = '\0';
        return;
    }
    out->r0 = 0;
    out->fault_pc = ctx->fault_pc;
    switch (ctx->status) {
    case EBPF_RUN_CALL_DEPTH:
        snprintf(out->message, sizeof out->message, "instruction %lld: local call nested deeper than %d frames",
                 (long long)ctx->fault_pc, ISA_MAX_CALL_DEPTH);
        break;
    case EBPF_RUN_UNKNOWN_HELPER:
        snprintf(out->message, sizeof out->message, "instruction %lld: callx to r%u = %llu, which is no known helper",
                 (long long)ctx->fault_pc, ctx->reg, (unsigned long long)ctx->value);
        break;
    case (uint32_t)EXEC_RUN_TAIL_CALL:
        snprintf(out->message, sizeof out->message, "instruction %lld: tail call", (long long)ctx->fault_pc);
        break;
    default:
        snprintf(out->message, sizeof out->message, "this host cannot run JIT-compiled code");
        break;
    }
}

/* The code offset where a run starting at instruction pc enters; false when none does. */
static bool jit_entry_offset(const jit_code *code, size_t pc, size_t *offset)
{
    *offset = 0;
    if (pc == 0)
        return true;
    for (size_t k = 0; k < code->entry_count; k++)
        if (code->entry_pcs[k] == pc) {
            *offset = code->entry_offsets[k];
            return true;
        }
    return false;
}

/* false (with out filled) when req->entry_pc is no entry of the code. */
static bool jit_prepare(const jit_code *code, const exec_request *req, jit_ctx *ctx, size_t *offset,
                        exec_outcome *out)
{
    if (!jit_entry_offset(code, req->entry_pc, offset)) {
        out->r0 = 0;
        out->status = EBPF_RUN_UNSUPPORTED;
        out->insns_executed = 0;
        out->fault_pc = (int64_t)req->entry_pc;
        snprintf(out->message, sizeof out->message, "instruction %zu is no entry of the compiled code",
                 req->entry_pc);
        return false;
    }
    /* saved_rsp, stack_limit, value and reg are written by the code before anything reads them */
    memcpy(ctx->args, req->args, sizeof ctx->args);
    ctx->packet = req->packet;
    ctx->packet_size = req->packet ? req->packet_size : 0;
    ctx->fault_pc = -1;
    ctx->status = EBPF_RUN_OK;
    static void *const no_tail_call = NULL;
    ctx->tail_call_pending = req->tail_call_pending ? req->tail_call_pending : &no_tail_call;
    return true;
}

#ifndef JIT_HAVE_REPEAT_LOOP
static uint32_t jit_repeat_loop(const jit_code *code, size_t offset, jit_ctx *ctx, const jit_loop *l, uint64_t *r0)
{
    uint32_t done = 0;
    do {
        if (l->before)
            l->before(l->user);
        *r0 = jit_enter(code, offset, ctx);
    } while (++done < l->count && ctx->status == EBPF_RUN_OK && !(l->stop && *l->stop));
    return done;
}
#endif

void jit_run(const jit_code *code, const exec_request *req, exec_outcome *out)
{
    size_t offset;
    jit_ctx ctx;
    if (!jit_prepare(code, req, &ctx, &offset, out))
        return;
    uint64_t r0 = jit_enter(code, offset, &ctx);
    jit_outcome(&ctx, r0, out);
}

/* The context is filled once; a run that ends OK leaves status and fault_pc as they were (only early
 * stops write them), and the code never writes args, packet or tail_call_pending, so each further
 * run only calls the entry again. */
uint32_t jit_run_repeat(const jit_code *code, const exec_request *req, uint32_t count, void (*before)(void *),
                        void *user, const bool *stop, exec_outcome *out)
{
    size_t offset;
    jit_ctx ctx;
    if (count == 0 || !jit_prepare(code, req, &ctx, &offset, out))
        return count ? 1 : 0;
    uint64_t r0 = 0;
    const jit_loop loop = { count, before, user, stop };
    uint32_t done = jit_repeat_loop(code, offset, &ctx, &loop, &r0);
    jit_outcome(&ctx, r0, out);
    return done;
}
