/*
 * exec.h - what every execution engine (interpreter now; JIT and AOT later) shares: the run request,
 * the outcome, the helper table and the memory regions a checked run may touch.
 *
 * Calling convention of a run: r1..r5 = request->args, r10 = top of a fresh 512-byte stack frame, every
 * other register 0. A local call pushes a frame (at most ISA_MAX_CALL_DEPTH in total), passes r1..r5,
 * preserves the caller's r6..r9 and gives the callee its own 512-byte stack; exit in a callee returns
 * r0 to the caller. A helper call (by id, or callx with the id in a register) passes r1..r5, returns
 * in r0, and leaves r1..r5 with unspecified values (engines may keep them).
 */
#ifndef EBPF_EXEC_H
#define EBPF_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "ebpf/ebpf.h"
#include "isa/isa.h"

/* Helpers indexed by id: entries[id].fn is NULL where no helper is registered. */
typedef struct exec_helper_table {
    const struct ebpf_helper *entries;
    uint32_t count;
} exec_helper_table;

static inline const struct ebpf_helper *exec_helper_find(const exec_helper_table *table, uint64_t id)
{
    if (!table || id >= table->count || !table->entries[id].fn)
        return NULL;
    return &table->entries[id];
}

/* Memory a checked run may access, besides the stack frames the engine owns. */
typedef struct exec_region {
    uintptr_t base;
    size_t size;
    bool writable;
} exec_region;

/* The uninitialised-read check (exec_request.check_uninit) of a checked run, as every engine that
 * offers it applies it:
 *  - registers: at entry r10 and r1..r<defined_args> are defined. An instruction that reads a register
 *    (ALU operands, including dst when its old value matters, i.e. all but mov; memory bases; stored
 *    values; jump operands; atomics' operands, and r0 for cmpxchg; callx's id; exit's r0) stops the run
 *    when the register is undefined; what it writes becomes defined. A helper call defines r0 and
 *    leaves r1..r5 undefined (so do LD_ABS / LD_IND, which define r0); its arguments must be defined
 *    when helper_uses says the helper reads them. A local call keeps r1..r5 as the caller passed them,
 *    gives the callee undefined r0 and r6..r9, and on return restores the caller's r6..r9, defines r0
 *    and leaves r1..r5 undefined.
 *  - stack: each frame starts with no byte written; stores (and helpers, per helper_uses) mark bytes
 *    written; a load or atomic operation that touches any unwritten byte of the live frames stops the
 *    run, as does a helper reading one (per helper_uses). Memory outside the run's own frames (context,
 *    packet, maps, a callback's view of its caller's stack) is never "uninitialised". */
#define EXEC_HELPER_SPANS 6

typedef struct exec_mem_span {
    uint64_t addr;
    uint64_t size;
    bool write;   /* true: the helper may write these bytes (they count as written); false: it reads them */
} exec_mem_span;

typedef struct exec_helper_uses {
    uint8_t args;      /* bit i: the helper reads r(i+1), which must then be defined */
    uint8_t count;     /* spans filled */
    exec_mem_span span[EXEC_HELPER_SPANS];
} exec_helper_uses;

typedef struct exec_request {
    uint64_t args[5];             /* initial r1..r5 */
    const exec_region *regions;   /* checked mode only */
    size_t region_count;
    const uint8_t *packet;        /* source of LD_ABS / LD_IND; NULL: those loads end the program with r0 = 0 */
    size_t packet_size;
    uint64_t max_insns;           /* checked mode: instruction budget, 0 = EXEC_DEFAULT_BUDGET */
    /* Checked mode, optional: asked about an access outside the stack and every fixed region (memory
     * whose place is only known while the program runs, e.g. map values helpers return). True allows
     * it. Other modes ignore it. */
    bool (*region_ok)(void *user, uintptr_t addr, size_t size, bool write);
    void *region_user;
    /* Optional: where the tail_call helper (id EXEC_HELPER_TAIL_CALL) leaves its target (the runtime
     * passes &helper_run.tail_call_target). After a `call EXEC_HELPER_TAIL_CALL`, an engine that finds
     * a non-NULL value there ends the run at once with status EXEC_RUN_TAIL_CALL (r0 = 0, fault_pc = the
     * call), leaving the value for the runtime to take and run. NULL: tail calls are never taken (the
     * helper's return value is all the program sees). `callx` to the helper is not checked. */
    void *const *tail_call_pending;
    /* Optional: the instruction index to start at instead of 0 (a callback function of the program,
     * run as a fresh call: r1..r5 = args, a new stack, its exit ends the run). The runtime passes only
     * indexes it recorded as function entries. The interpreters stop with EBPF_RUN_UNSUPPORTED on an
     * index outside the program; the JIT starts only at 0 and at the entries it was compiled with
     * (jit_options.entries). */
    size_t entry_pc;
    /* Optional, checked mode: where the engine stores, when the run starts, the memory of all its
     * stack frames (writable). A nested run started from a helper of this run (a bpf_loop callback)
     * may then be allowed the caller's stack, as Linux lets callbacks use callback_ctx on it. */
    exec_region *stack_out;
    /* Optional, checked mode: asked before every helper call (`call N` and `callx`) with the helper
     * and r1..r5, called with region_user. EBPF_RUN_OK lets the call happen; any other status ends
     * the run at the call with that status and the sentence the hook wrote into why (size bytes),
     * without calling the helper. Other modes ignore it. */
    enum ebpf_run_status (*helper_check)(void *user, const struct ebpf_helper *helper, const uint64_t args[5],
                                         char *why, size_t size);
    /* Optional, checked mode: also stop, with EBPF_RUN_UNINIT, at a read of a register that holds no
     * defined value or of a stack byte this run never wrote (the rules above exec_request). Off by
     * default (Linux lets privileged programs read uninitialised stack); other modes ignore it. */
    bool check_uninit;
    /* With check_uninit: r1..r<defined_args> hold defined values at the entry (with r10); 0..5. */
    uint8_t defined_args;
    /* Optional, with check_uninit: asked before every helper call (before helper_check: the arguments
     * are unchecked, the hook must not trust them) what the call reads and writes, called with
     * region_user. NULL: nothing is known, so no argument is required to be defined and the call counts
     * as writing every live stack byte (no false alarm, less seen). */
    void (*helper_uses)(void *user, const struct ebpf_helper *helper, const uint64_t args[5],
                        struct exec_helper_uses *uses);
} exec_request;

/* bpf_tail_call's helper id (Linux BPF_FUNC_tail_call). */
#define EXEC_HELPER_TAIL_CALL 12u
/* bpf_map_lookup_elem's helper id (Linux BPF_FUNC_map_lookup_elem): engines may treat it specially only
 * when the runtime says the table's helper is that one (jit_options.map_info). */
#define EXEC_HELPER_MAP_LOOKUP 1u

/* Internal status between an engine and the runtime: the program tail-called (see
 * exec_request.tail_call_pending). Never returned to library callers. */
#define EXEC_RUN_TAIL_CALL ((enum ebpf_run_status)0x7461)

#define EXEC_DEFAULT_BUDGET 1000000000ull

/* The rule of LD_ABS / LD_IND, shared by every engine: a big-endian load of `width` (1, 2 or 4) bytes at
 * packet offset `off`, a 32-bit value read as signed. False (the program then ends with r0 = 0) when
 * there is no packet, the offset is negative, or the bytes are not all inside the packet. */
static inline bool exec_packet_load(const uint8_t *packet, size_t packet_size, uint32_t off, unsigned width,
                                    uint64_t *value)
{
    if (!packet || (off & UINT32_C(0x80000000)) || off > packet_size || width > packet_size - off)
        return false;
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v = (v << 8) | packet[off + i];
    *value = v;
    return true;
}

typedef struct exec_outcome {
    uint64_t r0;
    enum ebpf_run_status status;
    uint64_t insns_executed;   /* checked mode */
    int64_t fault_pc;          /* instruction index where the run stopped early, or -1 */
    char message[160];
} exec_outcome;

#endif
