/*
 * jit_stub.c - the cold section: code reached only when a run ends early, placed after the body so
 * that the hot path carries nothing but a conditional jump. Each stub records the status and the
 * instruction in the jit_ctx, sets r0 = 0 and unwinds: rsp back to the entry frame (whatever the call
 * depth), then the entry's epilogue, so the host sees an ordinary return.
 *
 *   first stub   a packet load was refused: a normal end with r0 = 0, shared by every LD_ABS / LD_IND
 *   DEPTH        a local call would exceed ISA_MAX_CALL_DEPTH frames
 *   CALLX        the id in JIT_TMP2 names no helper (id and register recorded for the message)
 *   TAIL_CALL    `call 12` left a tail-call target pending: the runtime continues in the target
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <stddef.h>

void jit_emit_unwind(jit_state *st)
{
    jit_op_rm(st, JIT_W, 0x8b, JIT_RSP, JIT_CTX, (int32_t)offsetof(jit_ctx, saved_rsp));
    jit_jmp(st, JIT_L_EPILOGUE);
}

/* mov dword/qword [ctx + off], imm32 */
static void jit_ctx_store(jit_state *st, unsigned flags, size_t off, uint32_t imm)
{
    jit_op_rm(st, flags, 0xc7, 0, JIT_CTX, (int32_t)off);
    jit_u32(st, imm);
}

void jit_emit_stubs(jit_state *st)
{
    jit_label_here(st, JIT_L_COLD(st));
    jit_alu_rr(st, 0, JIT_ALU_XOR, JIT_RAX, JIT_RAX);
    jit_emit_unwind(st);
    for (size_t k = 0; k < st->stub_count; k++) {
        const jit_stub *s = &st->stubs[k];
        jit_label_here(st, JIT_L_STUB(st, k));
        uint32_t status = s->kind == JIT_STUB_DEPTH   ? EBPF_RUN_CALL_DEPTH
                          : s->kind == JIT_STUB_CALLX ? EBPF_RUN_UNKNOWN_HELPER
                                                      : (uint32_t)EXEC_RUN_TAIL_CALL;
        jit_ctx_store(st, 0, offsetof(jit_ctx, status), status);
        jit_ctx_store(st, JIT_W, offsetof(jit_ctx, fault_pc), (uint32_t)s->pc); /* pc < ISA_MAX_INSNS */
        if (s->kind == JIT_STUB_CALLX) {
            jit_op_rm(st, JIT_W, 0x89, JIT_TMP2, JIT_CTX, (int32_t)offsetof(jit_ctx, value));
            jit_ctx_store(st, 0, offsetof(jit_ctx, reg), s->reg);
        }
        jit_alu_rr(st, 0, JIT_ALU_XOR, JIT_RAX, JIT_RAX);
        jit_emit_unwind(st);
    }
}
