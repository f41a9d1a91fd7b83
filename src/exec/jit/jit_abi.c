/*
 * jit_abi.c - the one place that knows the host calling conventions: the entry the C code calls, its
 * epilogue, helper calls and calls into the JIT's own C runtime, for System V AMD64 and Microsoft x64.
 *
 *   System V      arguments rdi rsi rdx rcx r8 r9; callee-saved rbx rbp r12-r15; rsp 16-aligned at a call.
 *   Microsoft x64 arguments rcx rdx r8 r9, then the stack above 32 bytes of shadow space the caller
 *                 reserves; callee-saved also rdi and rsi (and xmm6-15, which the JIT never touches);
 *                 rsp 16-aligned at a call.
 *
 * The eBPF registers r1..r5 live in rdi rsi rdx rcx r8 (jit_int.h), so a System V helper call only adds
 * the sixth argument; a Microsoft one permutes them into place and spills r5 and `user` to the stack.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <stddef.h>

#define JIT_MS_SHADOW 32
#define JIT_MS_CALL_AREA 48 /* shadow space, two stack arguments, still a multiple of 16 */

jit_abi jit_abi_host(void)
{
#if defined(_WIN32)
    return JIT_ABI_MS;
#else
    return JIT_ABI_SYSV;
#endif
}

bool jit_abi_usable(jit_abi abi)
{
    return abi == jit_abi_host() || jit_packet_load_for(abi) != 0;
}

/* What the entry sets up, from what the program uses: a program that never touches a callee-saved
 * register does not save it, one that never reads r10 (and makes no local call) gets no stack frame,
 * r1..r5 are loaded and r6..r9 zeroed only where something may read them. */
typedef struct jit_entry_plan {
    uint8_t saved[8];   /* callee-saved registers to push, in push order */
    size_t n;
    int32_t frame;      /* bytes below the pushes: the eBPF stack, and 8 of padding for an odd n */
    bool stack;         /* r10 is set up (rbp = top of the 512-byte frame) */
    bool ctx;           /* the jit_ctx stays in r12 for the run */
    uint16_t load;      /* eBPF registers loaded from jit_ctx.args */
    uint16_t zero;      /* eBPF registers set to 0 */
} jit_entry_plan;

static void jit_plan_entry(const jit_state *st, jit_entry_plan *p)
{
    p->stack = (st->regs_read & (1u << ISA_REG_FP)) || st->has_local_calls;
    p->ctx = st->can_stop_early || st->has_local_calls;
    p->load = 0;
    for (unsigned r = 1; r <= 5; r++)
        if (st->has_calls || (st->regs_read & (1u << r)))
            p->load |= (uint16_t)(1u << r);
    p->zero = 1u | (st->regs_read & 0x3c0u); /* r0, and r6..r9 where read */
    uint16_t changed = st->regs_written | p->load | p->zero;
    p->n = 0;
    if (p->stack)
        p->saved[p->n++] = JIT_RBP;
    if (changed & (1u << 6))
        p->saved[p->n++] = JIT_RBX;
    if (st->abi == JIT_ABI_MS) { /* callee-saved there, and where eBPF r1 and r2 live */
        if (changed & (1u << 1))
            p->saved[p->n++] = JIT_RDI;
        if (changed & (1u << 2))
            p->saved[p->n++] = JIT_RSI;
    }
    if (p->ctx)
        p->saved[p->n++] = JIT_R12;
    for (unsigned r = 7; r <= 9; r++)
        if (changed & (1u << r))
            p->saved[p->n++] = jit_reg[r];
    /* The entry is reached with rsp = 8 mod 16 and the `call` into the body pushes 8 more: the body
     * runs 16-byte aligned when the pushes and the frame add up to a multiple of 16. */
    p->frame = (p->stack ? ISA_STACK_SIZE : 0) + (p->n % 2 ? 8 : 0);
}

void jit_abi_entry(jit_state *st, size_t pc)
{
    jit_entry_plan p;
    jit_plan_entry(st, &p);
    for (size_t i = 0; i < p.n; i++)
        jit_push(st, p.saved[i]);
    if (p.frame)
        jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, p.frame);
    unsigned arg = st->abi == JIT_ABI_MS ? JIT_RCX : JIT_RDI; /* the jit_ctx */
    if (p.ctx) {
        jit_mov_rr(st, JIT_W, JIT_CTX, arg);
        arg = JIT_CTX;
    }
    if (st->can_stop_early)
        jit_op_rm(st, JIT_W, 0x89, JIT_RSP, arg, (int32_t)offsetof(jit_ctx, saved_rsp));
    if (st->has_local_calls) {
        /* A body at depth d runs with rsp = saved - 8 - d * JIT_CALL_FRAME; depth 7 is the deepest allowed. */
        jit_op_rm(st, JIT_W, 0x8d, JIT_TMP, JIT_RSP, -(8 + (ISA_MAX_CALL_DEPTH - 2) * JIT_CALL_FRAME));
        jit_op_rm(st, JIT_W, 0x89, JIT_TMP, arg, (int32_t)offsetof(jit_ctx, stack_limit));
    }
    if (p.stack)
        jit_op_rm(st, JIT_W, 0x8d, JIT_RBP, JIT_RSP, p.frame);
    /* Only registers live at the entry's first instruction are loaded or zeroed (jit_live.c): the others
     * are written before anything reads them. */
    p.load &= (uint16_t)(st->live_in ? st->live_in[pc] : 0xffffu);
    p.zero &= (uint16_t)(st->live_in ? st->live_in[pc] : 0xffffu);
    /* The register holding the jit_ctx (r1 under System V, r4 under Microsoft x64) is loaded last. */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 1; i <= 5; i++)
            if ((p.load & (1u << i)) && (jit_reg[i] == arg) == (pass == 1))
                jit_op_rm(st, JIT_W, 0x8b, jit_reg[i], arg, (int32_t)(offsetof(jit_ctx, args) + 8 * (size_t)(i - 1)));
    /* Every other register starts at 0, as in the interpreter (where something may read it). */
    for (unsigned r = 0; r <= 9; r++)
        if (p.zero & (1u << r))
            jit_alu_rr(st, 0, JIT_ALU_XOR, jit_reg[r], jit_reg[r]);
    /* With nothing saved, no frame, no calls and no early stop, the epilogue is a bare `ret` and the
     * body's own exit can return to the caller: jump into the body instead of calling it (the body then
     * runs at rsp = 8 mod 16, which only calls would mind). */
    if (p.n == 0 && p.frame == 0 && !p.ctx && !st->can_stop_early && !st->has_calls)
        jit_jmp(st, JIT_L_INSN(pc));
    else
        jit_call_label(st, JIT_L_INSN(pc));
    /* the body's exit returns here with r0 in rax: the epilogue follows (or a jump to it) */
}

void jit_abi_epilogue(jit_state *st)
{
    jit_entry_plan p;
    jit_plan_entry(st, &p);
    if (p.frame)
        jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, p.frame);
    for (size_t i = p.n; i-- > 0;)
        jit_pop(st, p.saved[i]);
    jit_ret(st);
}

/* Microsoft x64: r5 and the user pointer (already in r9) to the stack, r1..r4 into rcx rdx r8 r9. */
static void jit_ms_arguments(jit_state *st)
{
    jit_op_rm(st, JIT_W, 0x89, JIT_R8, JIT_RSP, JIT_MS_SHADOW);
    jit_op_rm(st, JIT_W, 0x89, JIT_R9, JIT_RSP, JIT_MS_SHADOW + 8);
    jit_mov_rr(st, JIT_W, JIT_R9, JIT_RCX);
    jit_mov_rr(st, JIT_W, JIT_RCX, JIT_RDI);
    jit_mov_rr(st, JIT_W, JIT_R8, JIT_RDX);
    jit_mov_rr(st, JIT_W, JIT_RDX, JIT_RSI);
}

void jit_abi_call_helper(jit_state *st, uint64_t fn, uint64_t user)
{
    if (st->abi == JIT_ABI_MS)
        jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, JIT_MS_CALL_AREA);
    jit_mov_imm(st, JIT_R9, user);
    if (st->abi == JIT_ABI_MS)
        jit_ms_arguments(st);
    jit_mov_imm(st, JIT_RAX, fn);
    jit_call_reg(st, JIT_RAX);
    if (st->abi == JIT_ABI_MS)
        jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, JIT_MS_CALL_AREA);
}

void jit_abi_call_leaf2(jit_state *st, uint64_t fn)
{
    if (st->abi == JIT_ABI_MS) {
        jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, JIT_MS_SHADOW);
        jit_mov_rr(st, JIT_W, JIT_RCX, JIT_RDI);
        jit_mov_rr(st, JIT_W, JIT_RDX, JIT_RSI);
    }
    jit_mov_imm(st, JIT_RAX, fn);
    jit_call_reg(st, JIT_RAX);
    if (st->abi == JIT_ABI_MS)
        jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, JIT_MS_SHADOW);
}

void jit_abi_call_helper_tmp(jit_state *st, int32_t user_offset)
{
    if (st->abi == JIT_ABI_MS)
        jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, JIT_MS_CALL_AREA);
    jit_op_rm(st, JIT_W, 0x8b, JIT_R9, JIT_TMP, user_offset);
    if (st->abi == JIT_ABI_MS)
        jit_ms_arguments(st);
    jit_call_reg(st, JIT_RAX);
    if (st->abi == JIT_ABI_MS)
        jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, JIT_MS_CALL_AREA);
}

/* eBPF r1..r5 (rdi rsi rdx rcx r8) are caller-saved in System V; keep them all, as the interpreter
 * leaves them unchanged. Five pushes and an odd multiple of 8 keep rsp 16-aligned at the call. */
static const uint8_t jit_packet_kept[] = { JIT_RDI, JIT_RSI, JIT_RDX, JIT_RCX, JIT_R8 };

void jit_abi_call_packet(jit_state *st, uint32_t size)
{
    int32_t area = st->abi == JIT_ABI_MS ? JIT_MS_SHADOW + 8 : 8;
    for (size_t i = 0; i < sizeof jit_packet_kept; i++)
        jit_push(st, jit_packet_kept[i]);
    jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, area);
    if (st->abi == JIT_ABI_MS) {
        jit_mov_rr(st, JIT_W, JIT_RCX, JIT_CTX);
        jit_mov_rr(st, 0, JIT_RDX, JIT_TMP);
        jit_mov_imm32(st, JIT_R8, size);
    } else {
        jit_mov_rr(st, JIT_W, JIT_RDI, JIT_CTX);
        jit_mov_rr(st, 0, JIT_RSI, JIT_TMP);
        jit_mov_imm32(st, JIT_RDX, size);
    }
    jit_mov_imm(st, JIT_RAX, jit_packet_load_for(st->abi));
    jit_call_reg(st, JIT_RAX);
    jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, area);
    for (size_t i = sizeof jit_packet_kept; i-- > 0;)
        jit_pop(st, jit_packet_kept[i]);
}
