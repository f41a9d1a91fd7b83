/*
 * jit_int.h - the JIT's private shapes: the register assignment, the per-run context the generated code
 * reads and writes, the compiler state of one pass, labels, cold stubs, and the per-family translators.
 *
 * Register assignment (fixed for the whole program, so no eBPF register ever lives in memory):
 *
 *   eBPF   r0   r1   r2   r3   r4   r5   r6   r7   r8   r9   r10
 *   x86    rax  rdi  rsi  rdx  rcx  r8   rbx  r13  r14  r15  rbp
 *
 * r1..r5 sit where System V passes a function's first five arguments, so a helper call moves nothing;
 * r6..r9 and r10 are callee-saved in both host conventions, so they survive helper calls. Scratch:
 * r11, r10, r9 (caller-saved everywhere, never an eBPF register); r12 holds the jit_ctx of the run.
 * rax/rdx (division) and rcx (shift count) are borrowed and restored around the instructions that need
 * them.
 *
 * Layout of the generated code (label order): entry (host prologue saving only the callee-saved
 * registers the program changes, argument loading, `call` into the body), epilogue (host epilogue,
 * also the target of every early stop), the body (one unit per instruction slot), the cold section
 * (stubs that record why a run stopped early), the extra entries (callback functions started as runs
 * of their own: the same prologue, `call` to their first instruction, jump to the epilogue), end.
 *
 * Native stack while the body runs: every eBPF function (the entry function and each local callee)
 * runs on its own 512-byte frame with r10 = its top, below it the `call`'s return address; rsp is
 * 16-byte aligned inside a body, so helper calls need no adjustment under System V. A local call
 * pushes the caller's r6..r9 and r10 (40 bytes), reserves 512 bytes and calls: JIT_CALL_FRAME bytes.
 */
#ifndef EBPF_EXEC_JIT_INT_H
#define EBPF_EXEC_JIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exec/exec.h"
#include "exec/jit/jit.h"
#include "isa/isa.h"

/* x86-64 general registers, numbered as the instruction encodings number them. */
enum {
    JIT_RAX, JIT_RCX, JIT_RDX, JIT_RBX, JIT_RSP, JIT_RBP, JIT_RSI, JIT_RDI,
    JIT_R8, JIT_R9, JIT_R10, JIT_R11, JIT_R12, JIT_R13, JIT_R14, JIT_R15,
};

#define JIT_TMP JIT_R11  /* scratch: divisor, blinded constants, saved rcx, new atomic value */
#define JIT_TMP2 JIT_R10 /* scratch: saved rax, callx id */
#define JIT_TMP3 JIT_R9  /* scratch: saved rdx, atomic operand */
#define JIT_CTX JIT_R12  /* the run's jit_ctx, for the whole run */

extern const uint8_t jit_reg[ISA_REG_COUNT]; /* eBPF register -> x86 register */

#define JIT_CALL_FRAME (40 + ISA_STACK_SIZE + 8) /* native stack one local call takes */

/* Compiled code: the entry is at mem[0]; the entry of run start entry_pcs[k] at mem[entry_offsets[k]]. */
struct jit_code {
    uint8_t *mem;    /* sealed: readable and executable, never writable */
    size_t mapped;
    size_t size;     /* bytes of code at mem */
    jit_abi abi;
    size_t entry_count;
    size_t *entry_pcs;
    uint32_t *entry_offsets;
};

/* What the generated code shares with jit_run. The entry receives a pointer to it; early stops write
 * status, fault_pc and the details of the message. */
typedef struct jit_ctx {
    uint64_t args[5];        /* r1..r5 at entry */
    uint64_t saved_rsp;      /* rsp of the entry frame: early stops unwind to it */
    uint64_t stack_limit;    /* a local call with rsp below this would exceed ISA_MAX_CALL_DEPTH */
    const uint8_t *packet;   /* LD_ABS / LD_IND source */
    uint64_t packet_size;
    uint64_t value;          /* callx: the id that named no helper */
    int64_t fault_pc;        /* instruction where the run stopped early, or -1 */
    uint32_t status;         /* enum ebpf_run_status */
    uint32_t reg;            /* callx: register holding the id */
    void *const *tail_call_pending; /* exec_request.tail_call_pending, never NULL (a NULL slot instead) */
} jit_ctx;

/* C functions the generated code calls (jit_runtime.c), one per calling convention where the
 * compiler can declare the other one. JIT_PACKET_FAIL: no packet, or the bytes are outside it. */
#define JIT_PACKET_FAIL UINT64_MAX
uint64_t jit_packet_load(const jit_ctx *ctx, uint32_t off, uint32_t size);
/* Address of a jit_packet_load callable with convention `abi`, or 0 when this compiler cannot make one. */
uint64_t jit_packet_load_for(jit_abi abi);
/* The convention of this build's C code (never JIT_ABI_HOST), and whether code for `abi` can run here. */
jit_abi jit_abi_host(void);
bool jit_abi_usable(jit_abi abi);

/* Cold stubs: out of line code reached only when a run stops early. */
typedef enum jit_stub_kind {
    JIT_STUB_DEPTH,  /* local call nested too deep */
    JIT_STUB_CALLX,  /* callx id in JIT_TMP2 names no helper */
    JIT_STUB_TAIL_CALL, /* `call 12` left a tail-call target pending */
} jit_stub_kind;

typedef struct jit_stub {
    jit_stub_kind kind;
    uint8_t reg;     /* callx: eBPF register holding the id */
    size_t pc;
} jit_stub;

/* `call EXEC_HELPER_TAIL_CALL`: followed by the tail-call check (a cold stub ends the run). */
static inline bool jit_is_tail_call(const isa_insn *in)
{
    return in->id == ISA_CALL && (uint32_t)in->imm == EXEC_HELPER_TAIL_CALL;
}

/* Labels are offsets in the code, indexed in layout order. */
#define JIT_L_ENTRY 0
#define JIT_L_EPILOGUE 1
#define JIT_L_INSN(pc) ((size_t)(pc) + 2)
#define JIT_L_COLD(st) ((st)->count + 2)             /* first cold stub: a packet load failed */
#define JIT_L_STUB(st, k) ((st)->count + 3 + (size_t)(k))
#define JIT_L_XENTRY(st, k) ((st)->count + 3 + (st)->stub_count + (size_t)(k)) /* jit_options.entries[k] */
#define JIT_L_END(st) JIT_L_XENTRY(st, (st)->entry_count)

/* The compiler's state. Every pass emits the whole program into `code`, choosing jump encodings from
 * the label offsets of the previous pass; passes repeat until no offset changes. Errors are sticky:
 * the first one is kept and later emission is harmless. */
typedef struct jit_state {
    const isa_insn *insns;
    size_t count;
    const exec_helper_table *helpers;
    jit_abi abi;                /* resolved: never JIT_ABI_HOST */
    bool blind;
    bool bmi2;
    uint64_t blind_seed;

    uint8_t *code;
    size_t size;
    size_t cap;

    uint32_t *label;            /* offsets in this pass */
    uint32_t *prev;             /* offsets in the previous pass */
    size_t label_count;
    bool have_prev;             /* false in the first pass: every jump takes its long form */
    size_t unit;                /* label of the unit being emitted */

    jit_stub *stubs;
    size_t stub_count;
    bool has_local_calls;       /* the entry computes the depth limit only then */
    bool can_stop_early;        /* local calls, callx or packet loads: the entry records its rsp */
    bool has_calls;             /* any call: r1..r5 at entry may reach a callee */
    uint16_t regs_read;         /* eBPF registers some instruction reads (bit n = rn), calls excluded */
    uint16_t regs_written;      /* ... writes */
    size_t *stub_of_pc;         /* index of the cold stub of the instruction at pc */

    const jit_options *opts;
    const size_t *entries;      /* extra run starts (jit_options.entries) */
    size_t entry_count;
    uint8_t *is_target;         /* per pc: 1 where a jump or a local call lands (jit_fuse.c) */
    uint8_t *fuse;              /* per pc: jit_fuse_kind of the translation starting there */
    struct jit_map_site *map_sites; /* map lookups planned by jit_plan_maps */
    size_t map_site_count;
    size_t *map_site_of_pc;     /* per pc: index + 1 of the planned lookup of the call there, 0: none */
    uint16_t *live_in;          /* per pc: registers some path from pc may read (jit_live.c) */

    int err;                    /* 0 or a negative errno */
    ebpf_diag *diag;
} jit_state;

/* Records the first error (a negative errno) with a message; later calls are ignored. */
void jit_fail(jit_state *st, int err, int64_t pc, const char *fmt, ...) BASE_PRINTF(4, 5);

/* Starts unit `label` at the current offset. */
void jit_label_here(jit_state *st, size_t label);

/* Translators, one per instruction family; pc is the slot index, in = &st->insns[pc]. */
void jit_emit_alu(jit_state *st, size_t pc, const isa_insn *in);     /* ALU formats, NEG, movsx */
void jit_emit_endian(jit_state *st, size_t pc, const isa_insn *in);  /* le, be, bswap */
void jit_emit_mem(jit_state *st, size_t pc, const isa_insn *in);     /* ldx, st, stx, lddw */
void jit_emit_atomic(jit_state *st, size_t pc, const isa_insn *in);
void jit_emit_jump(jit_state *st, size_t pc, const isa_insn *in);    /* ja, ja32, conditional jumps */
void jit_emit_call(jit_state *st, size_t pc, const isa_insn *in);    /* call, callx, call local, exit */
void jit_emit_packet(jit_state *st, size_t pc, const isa_insn *in);  /* LD_ABS, LD_IND */

/* Parts of jit_emit_alu with their own file. `w`: 64-bit operation; `imm`: the operand is in->imm.
 * shift_op is JIT_SHIFT_SHL/SHR/SAR (jit_x86.h). */
typedef enum jit_divmod { JIT_DM_DIV, JIT_DM_SDIV, JIT_DM_MOD, JIT_DM_SMOD } jit_divmod;
void jit_emit_shift(jit_state *st, const isa_insn *in, unsigned shift_op, bool w, bool imm);
void jit_emit_divmod(jit_state *st, size_t pc, const isa_insn *in, jit_divmod kind, bool w, bool imm);

/* The calling-convention switch (jit_abi.c). */
void jit_abi_entry(jit_state *st, size_t pc); /* host prologue ... call the body at instruction pc */
void jit_abi_epilogue(jit_state *st);   /* host epilogue */
/* Calls a helper: eBPF r1..r5 as its five arguments, `user` as the sixth, result in rax (= r0).
 * jit_abi_call_helper: address and user pointer are constants. jit_abi_call_helper_tmp: the address is
 * in rax and the user pointer is the 8 bytes at [JIT_TMP + user_offset]. */
void jit_abi_call_helper(jit_state *st, uint64_t fn, uint64_t user);
/* Calls a host function of two arguments, eBPF r1 and r2 (a map's own lookup, jit_map_info.lookup):
 * no user pointer, nothing else moved; clobbers what a helper call clobbers. */
void jit_abi_call_leaf2(jit_state *st, uint64_t fn);
void jit_abi_call_helper_tmp(jit_state *st, int32_t user_offset);
/* Calls jit_packet_load(ctx, off, size) keeping eBPF r1..r5; off is in JIT_TMP. Result in rax. */
void jit_abi_call_packet(jit_state *st, uint32_t size);

/* Instructions translated together (jit_fuse.c), planned once before the passes. Only instructions
 * no jump or call lands on are absorbed, so every label that is ever jumped to starts a translation. */
typedef enum jit_fuse_kind {
    JIT_FUSE_NONE,
    JIT_FUSE_ABSORBED,  /* emitted by the translation of an earlier instruction: emit nothing */
    JIT_FUSE_ZEXT,      /* [mov rX, rY;] lsh rX, 32; rsh rX, 32  ->  mov rX32, rY32 */
    JIT_FUSE_LEA,       /* mov rX, rY; add rX, imm/rZ  ->  lea rX, [rY + imm/rZ] */
    JIT_FUSE_JCC_JA,    /* jcc +1; ja T  ->  the inverse jcc T */
    JIT_FUSE_SHR32,     /* and rX, rC (rC = 0xffffffff << n, 32 bits); rsh rX, n  ->  shr rX32, n */
} jit_fuse_kind;

/* Marks jump targets and plans the fusions (after jit_plan_maps, which may absorb a null check). */
int jit_plan_targets(jit_state *st);
void jit_plan_fusions(jit_state *st);
/* Emits the fused translation starting at pc; false when none starts there. */
bool jit_emit_fused(jit_state *st, size_t pc);
/* Does eBPF register r (< 10) hold m when the instruction at `at` starts, on every path (jit_regval.c)? */
bool jit_reg_is(const jit_state *st, unsigned r, size_t at, uint64_t m);
/* A conditional jump to `label`, its condition inverted or not (jit_jump.c). */
void jit_emit_cond_jump(jit_state *st, size_t pc, const isa_insn *in, size_t label, bool invert);

/* Map-aware lookups (jit_maps.c): plans them once before the passes (0 or a negative errno), then
 * emits the one planned for the call at pc; false when there is none (emit a plain call). */
int jit_plan_maps(jit_state *st);

/* ---- jit_live.c ---- */

/* Computes st->live_in (0, or the error after jit_fail). */
int jit_plan_liveness(jit_state *st);
/* May some instruction read register reg on a path from pc? (true when unknown) */
bool jit_live_at(const jit_state *st, size_t pc, unsigned reg);
bool jit_emit_map_lookup(jit_state *st, size_t pc);
void jit_maps_free(jit_state *st);
/* The eBPF registers the JIT's own code for the planned lookup at pc reads (r1, r2 and the key
 * register), 0 when no lookup is planned there (jit_live.c). */
uint16_t jit_map_site_reads(const jit_state *st, size_t pc);

/* Cold stubs and early stops (jit_stub.c). */
void jit_emit_stubs(jit_state *st);
/* Ends the run from anywhere: rsp back to the entry frame, r0 = rax, jump to the epilogue. */
void jit_emit_unwind(jit_state *st);

/* Constant blinding (jit_blind.c). Loads sext(imm) / value into `reg` (never JIT_TMP for the 64-bit
 * form), XORed with a key derived from (seed, pc, salt) when blinding is on. */
void jit_load_imm32(jit_state *st, size_t pc, unsigned reg, int32_t imm);
void jit_load_imm64(jit_state *st, size_t pc, unsigned reg, uint64_t value);

#endif
