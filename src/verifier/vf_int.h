/*
 * vf_int.h - the verifier's private header: the abstract state (a reduced product of a register type
 * domain, per-register interval + known bits, a zone over register offsets/values, the packet size
 * and loop counters, and a byte-granular stack per frame), the per-function control-flow graph, and
 * the analysis context shared by the fixpoint (vf_fixpoint.c), the transfer functions (vf_alu.c,
 * vf_mem.c, vf_helpers.c), calls between functions (vf_calls.c), the state lattice (vf_state.c) and the
 * report (vf_report.c).
 *
 * Conventions. Every transfer function is sound for the executions that do not fault: when a check
 * fails it reports (only while ctx->checking) and continues with an over-approximation of the states
 * where the check holds. So any state computed by any pass over-approximates the reachable states,
 * and the final checking pass over the fixpoint finds every possible fault.
 */
#ifndef EBPF_VERIFIER_VF_INT_H
#define EBPF_VERIFIER_VF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi_helpers.h"
#include "isa/isa.h"
#include "verifier/domain/interval.h"
#include "verifier/domain/tnum.h"
#include "verifier/domain/zone.h"
#include "verifier/verifier.h"

/* Register types. Pointer types keep their offset in vf_reg.v / .t. */
typedef enum vf_type {
    VF_T_UNINIT,          /* never written, or invalidated (packet change, release, popped frame) */
    VF_T_NUM,             /* a number: v/t is its value */
    VF_T_CTX,             /* the program's context */
    VF_T_STACK,           /* a frame's stack: offset from the frame top (r10), frame = index */
    VF_T_PKT,             /* packet data (offset from data; packet metadata has negative offsets) */
    VF_T_PKT_END,         /* data_end (its zone variable equals the packet size) */
    VF_T_MAP_VALUE,       /* a map value of `size` bytes (map index in map, -1 if several) */
    VF_T_MAP_VALUE_OR_NULL,
    VF_T_MAP_PTR,         /* a map handle from lddw (map index) */
    VF_T_MAP_PTR_OR_NULL, /* an inner map looked up in a map-in-map */
    VF_T_MEM,             /* `size` bytes: ringbuf record, flow keys, global function argument */
    VF_T_MEM_OR_NULL,
    VF_T_SOCK,            /* struct bpf_sock (80 bytes, read only) */
    VF_T_SOCK_OR_NULL,
    VF_T_FUNC,            /* a callback's entry (size = instruction index) */
    VF_T_MIXED,           /* different types on different paths: may not be used */
    VF_T_COUNT
} vf_type;

#define VF_FUNC_SET UINT32_MAX
#define VF_SCALAR_ID 0x80000000u /* vf_reg.id of numbers equal to a spilled copy (| the spill's pc) */ /* vf_reg.size of a FUNC that is one of the functions in mset */

/* Why a register holds nothing usable (messages only). */
typedef enum vf_why {
    VF_WHY_NEVER, VF_WHY_CALL, VF_WHY_PACKET, VF_WHY_RELEASED, VF_WHY_FRAME,
} vf_why;

typedef struct vf_reg {
    uint8_t type;       /* vf_type */
    uint8_t frame;      /* STACK: the frame it points into */
    uint8_t ro;         /* MAP_VALUE/MEM/SOCK: read-only */
    uint8_t ref;        /* the id names a held reference (ringbuf record, socket) */
    uint8_t why;        /* UNINIT: vf_why, for messages */
    int32_t map;        /* MAP_*: map index, -1 when not one known map */
    uint32_t id;        /* *_OR_NULL copies and references share it (helper call pc + 1); NUM: a number
                         * and its spilled copies share VF_SCALAR_ID | spill pc; 0 = none */
    uint32_t size;      /* MAP_VALUE/MEM: region bytes; FUNC: entry, VF_FUNC_SET when one of several */
    uint64_t mset;      /* MAP_PTR: the maps it may be (bit i = map i < 64), when map is -1; FUNC: the
                         * functions it may be (bit i = vf_ctx.cb_entries[i]) */
    vf_ival v;          /* NUM: value; pointers: offset */
    vf_tnum t;
} vf_reg;

/* Stack bytes. */
enum { VF_B_UNINIT = 0, VF_B_NUM = 1, VF_B_SPILL = 2 };

#define VF_STACK 512
#define VF_SLOTS (VF_STACK / 8)
#define VF_MAX_FRAMES ISA_MAX_CALL_DEPTH

typedef struct vf_frame {
    uint8_t bytes[VF_STACK];   /* byte i is at offset i - 512 from the frame top */
    vf_reg slots[VF_SLOTS];    /* valid where all 8 bytes are VF_B_SPILL; elsewhere stale, never read
                                * (copies skip those slots) */
    vf_reg saved[4];           /* r6..r9 of this frame while a callee runs */
} vf_frame;

/* Zone variables. */
enum {
    VF_V_PKT = 1,       /* packet size (data_end - data) */
    VF_V_META = 2,      /* data_meta - data (<= 0) */
    VF_V_REG0 = 3,      /* r0..r10: 3..13 */
    VF_V_SAVED = 14,    /* r6..r9 of the calling frame: 14..17 */
    VF_V_CNT = 18,      /* loop counters: 18..25 */
    VF_V_STRIDE = 26,   /* per counter slot: the counter times its loop's stride (vf_state.stride): 26..33 */
    VF_NVARS = 33
};
#define VF_MAX_COUNTERS 8
#define VF_MAX_REFS 8
#define VF_PKT_MAX 0x7fffffff /* assumed bound on the packet size and on the metadata before data */

typedef struct vf_state {
    bool bottom;
    uint8_t depth;                  /* frames in use, 1..VF_MAX_FRAMES */
    uint8_t nrefs;
    vf_reg regs[ISA_REG_COUNT];
    vf_frame *frames[VF_MAX_FRAMES];
    vf_zone *zone;
    uint32_t refs[VF_MAX_REFS];     /* held references (ids), sorted */
    /* Loop counter slot i: variable VF_V_STRIDE + i equals stride[i] * counter i (0: no such variable,
     * it is unconstrained). The zone then relates a register stepping by stride[i] per iteration to the
     * counter, which a difference cannot (pointer = base + 12 * i); vf_pull_bounds moves bounds between
     * the two. */
    int32_t stride[VF_MAX_COUNTERS];
    struct vf_state *next_spare;    /* in vf_ctx.spare: the next unused state */
} vf_state;

/* A basic block of one function's CFG. */
typedef struct vf_block {
    uint32_t start, last;       /* first and last instruction */
    uint32_t succ[2];           /* block indices */
    uint8_t nsucc;
    bool back[2];               /* succ[i] is reached by a back edge */
    bool head;                  /* target of a back edge */
    uint8_t nest;               /* loop nesting depth of a head (0 outermost) */
    int32_t stride;             /* head: the step (|step| >= 2) of a register the loop only changes by
                                 * adding that constant once, 0 when there is none */
    uint32_t wto;               /* position in the weak topological order (iteration priority) */
    uint32_t wto_end;           /* a WTO component's head: the position after its last block; else wto + 1 */
    uint32_t *preds;
    uint32_t npreds;
} vf_block;

typedef struct vf_cfg {
    uint32_t entry;             /* instruction */
    vf_block *blocks;           /* in reverse post-order; blocks[0] holds the entry */
    uint32_t nblocks;
    uint32_t *order;            /* block index at each position of the weak topological order */
    bool irreducible;
    uint32_t irreducible_at;
    uint8_t max_nest;           /* loop nesting levels used (0 without loops) */
    bool pkt_change;            /* may call a helper that moves the packet (directly or in callees) */
} vf_cfg;

/* What a function's exits must satisfy. */
typedef enum vf_fkind { VF_F_ENTRY, VF_F_LOCAL, VF_F_CALLBACK, VF_F_GLOBAL } vf_fkind;

/* A remembered join of a register (or stack slot) with an equal one, in one widening mode (vf_state.c). */
typedef struct vf_join_memo {
    bool used;
    uint8_t widen;
    vf_reg in, out;
} vf_join_memo;
#define VF_JOIN_MEMOS 64

/* A remembered analysis of a local function or a callback from one entry state (vf_calls.c). */
typedef struct vf_memo {
    uint32_t entry;
    uint32_t site;          /* callbacks: the helper call's pc + 1 (with map); 0 for a local call */
    int32_t map;
    bool checked;           /* computed by a checking pass (its faults were reported) */
    vf_state *in, *out;
} vf_memo;
#define VF_MEMOS 64

typedef struct vf_ctx {
    const vf_input *in;
    uint32_t prog_type;             /* the type checked against (UNSPEC is checked as SCHED_CLS) */
    const isa_insn *insns;          /* decoded, count entries */
    size_t count;
    vf_cfg **cfgs;                  /* per entry instruction, built on demand */
    bool checking;                  /* report faults (final pass) */
    bool failed;
    bool nomem;
    vf_result *out;
    uint64_t *uth;                  /* widening thresholds (unsigned, ascending) */
    size_t nuth;
    int64_t *sth;                   /* the same for the zone (signed, ascending) */
    size_t nsth;
    uint64_t visits;
    uint64_t budget;                /* instruction visits left before giving up */
    uint8_t *global_ok;             /* per vf_input.funcs: 1 verified from its signature, 2 refused */
    unsigned fails;                 /* every fault seen, checking or not (probes) */
    uint32_t down[VF_MAX_COUNTERS]; /* loop heads (first insn) whose counter counts down (-1 per back edge) */
    unsigned ndown;
    int64_t term_head;              /* head of the loop whose termination the reported refusal is, or -1 */
    uint32_t cb_entries[64];        /* functions loaded with lddw, in order of first analysis (FUNC mset bits) */
    unsigned ncb;
    vf_memo memos[VF_MEMOS];        /* local call results, reused for equal entry states */
    unsigned next_memo;
    vf_state *spare;                /* states no longer used, kept for reuse (vf_state_dup / vf_state_drop) */
    vf_join_memo *join_memo;        /* VF_JOIN_MEMOS entries (vf_state_join), NULL until the first join */
} vf_ctx;

/* ---- vf_dset.c: block state sets ---- */
#define VF_DISJ 16 /* states per block */

/* Stack bytes (of the function's frame) that keep states apart: those initialised differently by the
 * states entering the function's outermost loops. entry_init: per block, the first entering state's
 * bytes (bit set = initialised); entry_seen: recorded or not. */
typedef struct vf_keys {
    uint8_t mask[VF_STACK / 8];
    uint8_t *entry_init;
    uint8_t *entry_seen;
} vf_keys;

/* A state entering an outermost loop at block head: bytes it initialises differently from the first
 * such state join the mask. */
void vf_keys_note_entry(vf_keys *k, uint32_t head, const vf_state *e);
/* Do a and b agree on the key bytes (initialised or not)? */
bool vf_keys_same(const vf_keys *k, const vf_state *a, const vf_state *b);
/* Adds out to a block's set (VF_DISJ entries, NULL-terminated); true when the set changed. out's content
 * may move into the set (vf_state_take): afterwards out is a valid state with any content. */
bool vf_dset_add(vf_ctx *c, const vf_keys *k, vf_state **set, vf_state *out, bool head, int widen);

/* Does the loop at head insn count down (vf_verify's retry; vf_fixpoint's counters)? */
bool vf_counts_down(const vf_ctx *c, uint32_t head);

/* vf_state.c */
vf_state *vf_state_new(void);                   /* depth 0, every register uninitialised, not bottom */
vf_state *vf_state_copy(const vf_state *s);
void vf_state_free(vf_state *s);
/* The fixpoint's copies: vf_state_dup is vf_state_copy reusing a state (frames and zone) that
 * vf_state_drop gave back, so that the many states of a fixpoint do not go back and forth to the
 * allocator; vf_state_spares_free frees the kept ones (end of vf_verify). */
vf_state *vf_state_dup(vf_ctx *c, const vf_state *s);
vf_state *vf_state_scratch(vf_ctx *c); /* a kept state as it is (any content), else a new one */
/* A state holding s's content, moved rather than copied: s is left a valid state with any content. */
vf_state *vf_state_take(vf_ctx *c, vf_state *s);
void vf_state_drop(vf_ctx *c, vf_state *s);
void vf_state_spares_free(vf_ctx *c); /* and the join memo */
void vf_state_assign(vf_state *dst, const vf_state *src); /* dst := src (allocates frames) */
bool vf_state_push_frame(vf_state *s);          /* new empty frame on top */
void vf_state_pop_frame(vf_state *s);
bool vf_state_leq(vf_state *a, vf_state *b);
/* a := a join b (widen 1: a := a widen (a join b) with thresholds; 2: without thresholds, bounds jump
 * to infinity). Returns false on allocation failure. */
bool vf_state_join(vf_ctx *c, vf_state *a, vf_state *b, int widen);
void vf_reg_set_num(vf_reg *r, vf_ival v, vf_tnum t);
void vf_reg_set_uninit(vf_reg *r);
void vf_reg_set_dead(vf_reg *r, vf_why why);  /* uninitialised, with the reason */
bool vf_reg_is_ptr(const vf_reg *r);
uint8_t vf_or_null_of(uint8_t type);  /* MAP_VALUE -> MAP_VALUE_OR_NULL, ...; other types unchanged */
bool vf_reg_const(const vf_reg *r, uint64_t *c);
void vf_reg_reduce(vf_reg *r);
/* Zone <-> registers: forget rN's variable and bound it by its interval; pull zone bounds into every
 * register's interval after a constraint. */
void vf_sync_reg(vf_state *s, int r);
void vf_pull_bounds(vf_state *s);
void vf_state_set_bottom(vf_state *s);
bool vf_ref_add(vf_state *s, uint32_t id);
void vf_ref_remove(vf_state *s, uint32_t id);
/* Every register and spill matching (type, id): apply f. */
typedef void (*vf_reg_fn)(vf_reg *r, void *arg);
void vf_state_each_reg(vf_state *s, vf_reg_fn f, void *arg);

/* vf_cfg.c */
vf_cfg *vf_cfg_get(vf_ctx *c, uint32_t entry);
void vf_cfg_free(vf_cfg *g);

/* vf_alu.c */
void vf_alu(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in);
/* The states after a conditional jump: taken (into t) and not taken (into s). */
void vf_branch(vf_ctx *c, vf_state *s, vf_state *t, uint32_t pc, const isa_insn *in);
bool vf_need_init(vf_ctx *c, vf_state *s, uint32_t pc, int r);

/* vf_mem.c */
void vf_load(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in);
void vf_store(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in);
void vf_atomic(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in);
void vf_ld_abs(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in);
/* Is [offset, offset + size) of what r points to readable (write false) or writable? size may be a
 * range (lo..hi bytes). Reports with `what` naming the use. For stack writes of helpers, marks bytes. */
bool vf_mem_check(vf_ctx *c, vf_state *s, uint32_t pc, int regno, int64_t off, uint64_t size_max, bool write,
                  bool helper, const char *what);
void vf_stack_mark_num(vf_state *s, const vf_reg *r, uint64_t size_min, uint64_t size_max);

/* vf_helpers.c */
void vf_helper_call(vf_ctx *c, vf_state *s, uint32_t pc, const isa_insn *in, uint8_t cbase);
void vf_invalidate_packet(vf_state *s);

/* vf_fixpoint.c (vf_analyse_function) and vf_calls.c (calls) */
/* Analyses the function at entry from state s (depth already pushed): s becomes the join of its exits
 * (bottom when none is reached). cbase: first loop-counter slot free for it. */
void vf_analyse_function(vf_ctx *c, vf_state *s, uint32_t entry, vf_fkind kind, uint8_t cbase);
void vf_memo_clear(vf_ctx *c);
/* A `call local` to target: a global function (through its signature or inline) or a static one. */
void vf_call_function(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t target, uint8_t cbase);
void vf_local_call(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t target, uint8_t cbase);
/* Callbacks of bpf_loop / for_each_map_elem, from the call's state (r0 set by the caller). */
void vf_callback(vf_ctx *c, vf_state *s, uint32_t pc, uint32_t entry, int map, uint8_t cbase);

/* vf_report.c */
void vf_fail(vf_ctx *c, const vf_state *s, uint32_t pc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
const char *vf_type_name(uint8_t type);
char *vf_state_dump(const vf_state *s);
/* "bpf_map_lookup_elem" for the call at pc, or "a helper". */
const char *vf_call_name(vf_ctx *c, uint32_t pc);

#endif
