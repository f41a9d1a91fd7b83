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

/* Callee-saved registers the entry preserves, in push order. */
static const uint8_t jit_saved_sysv[] = { JIT_RBP, JIT_RBX, JIT_R12, JIT_R13, JIT_R14, JIT_R15 };
static const uint8_t jit_saved_ms[] = { JIT_RBP, JIT_RBX, JIT_RDI, JIT_RSI, JIT_R12, JIT_R13, JIT_R14, JIT_R15 };

static const uint8_t *jit_saved(const jit_state *st, size_t *n)
{
    if (st->abi == JIT_ABI_MS) {
        *n = sizeof jit_saved_ms;
        return jit_saved_ms;
    }
    *n = sizeof jit_saved_sysv;
    return jit_saved_sysv;
}

_Static_assert(sizeof jit_saved_sysv % 2 == 0 && sizeof jit_saved_ms % 2 == 0,
               "an even number of pushes keeps the entry frame 16-byte aligned");

void jit_abi_entry(jit_state *st)
{
    size_t n;
    const uint8_t *saved = jit_saved(st, &n);
    for (size_t i = 0; i < n; i++)
        jit_push(st, saved[i]);
    /* rsp = 8 mod 16 here (return address plus an even number of pushes); the 512-byte frame keeps it,
     * and the `call` into the body makes it 0 mod 16 there. */
    jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, ISA_STACK_SIZE);
    jit_mov_rr(st, JIT_W, JIT_CTX, st->abi == JIT_ABI_MS ? JIT_RCX : JIT_RDI);
    if (st->can_stop_early)
        jit_op_rm(st, JIT_W, 0x89, JIT_RSP, JIT_CTX, (int32_t)offsetof(jit_ctx, saved_rsp));
    if (st->has_local_calls) {
        /* A body at depth d runs with rsp = saved - 8 - d * JIT_CALL_FRAME; depth 7 is the deepest allowed. */
        jit_op_rm(st, JIT_W, 0x8d, JIT_TMP, JIT_RSP, -(8 + (ISA_MAX_CALL_DEPTH - 2) * JIT_CALL_FRAME));
        jit_op_rm(st, JIT_W, 0x89, JIT_TMP, JIT_CTX, (int32_t)offsetof(jit_ctx, stack_limit));
    }
    jit_op_rm(st, JIT_W, 0x8d, JIT_RBP, JIT_RSP, ISA_STACK_SIZE);
    for (int i = 0; i < 5; i++)
        jit_op_rm(st, JIT_W, 0x8b, jit_reg[i + 1], JIT_CTX, (int32_t)(offsetof(jit_ctx, args) + 8 * (size_t)i));
    /* Every other register starts at 0, as in the interpreter. */
    static const uint8_t zeroed[] = { 0, 6, 7, 8, 9 };
    for (size_t i = 0; i < sizeof zeroed; i++)
        jit_alu_rr(st, 0, JIT_ALU_XOR, jit_reg[zeroed[i]], jit_reg[zeroed[i]]);
    jit_call_label(st, JIT_L_INSN(0));
    /* the body's exit returns here with r0 in rax: fall through into the epilogue */
}

void jit_abi_epilogue(jit_state *st)
{
    size_t n;
    const uint8_t *saved = jit_saved(st, &n);
    jit_alu_ri(st, JIT_W, JIT_ALU_ADD, JIT_RSP, ISA_STACK_SIZE);
    for (size_t i = n; i-- > 0;)
        jit_pop(st, saved[i]);
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
