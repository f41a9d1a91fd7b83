/*
 * jit_call.c - helper calls, callx, local calls and exit.
 *
 *   call N       the helper's address and user pointer, resolved at compile time, become constants of
 *                a direct call (jit_abi.c places the arguments); a map lookup on a known map may
 *                become an inline array lookup or a direct call of the map's lookup (jit_maps.c). After `call 12` (bpf_tail_call), a
 *                pending target (jit_ctx.tail_call_pending) ends the run through a cold stub.
 *   callx rN     bounds check of the id against the table, load of the entry's function and user
 *                pointer, call; an id with no helper ends the run (a cold stub records why).
 *   call local   depth check (rsp against the limit the entry computed), push r6..r9 and r10, new
 *                512-byte frame, native `call`; after it, rsp back from r10 and the pushes undone.
 *   exit         `ret`: to the caller of a local call, or from the entry function back into the entry.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>
#include <stddef.h>

static const uint8_t jit_call_saved[] = { JIT_RBX, JIT_R13, JIT_R14, JIT_R15, JIT_RBP }; /* r6..r9, r10 */

_Static_assert(sizeof jit_call_saved * 8 + ISA_STACK_SIZE + 8 == JIT_CALL_FRAME, "a local call's native frame");

static void jit_call_local(jit_state *st, size_t pc, const isa_insn *in)
{
    jit_op_rm(st, JIT_W, 0x3b, JIT_RSP, JIT_CTX, (int32_t)offsetof(jit_ctx, stack_limit)); /* cmp rsp, limit */
    jit_jcc(st, JIT_CC_B, JIT_L_STUB(st, st->stub_of_pc[pc]));
    for (size_t i = 0; i < sizeof jit_call_saved; i++)
        jit_push(st, jit_call_saved[i]);
    jit_mov_rr(st, JIT_W, JIT_RBP, JIT_RSP);
    jit_alu_ri(st, JIT_W, JIT_ALU_SUB, JIT_RSP, ISA_STACK_SIZE);
    jit_call_label(st, JIT_L_INSN(isa_jump_target(in, pc)));
    jit_mov_rr(st, JIT_W, JIT_RSP, JIT_RBP); /* the callee cannot change r10 */
    for (size_t i = sizeof jit_call_saved; i-- > 0;)
        jit_pop(st, jit_call_saved[i]);
}

static void jit_callx(jit_state *st, size_t pc, const isa_insn *in)
{
    size_t stub = JIT_L_STUB(st, st->stub_of_pc[pc]);
    uint32_t count = st->helpers ? st->helpers->count : 0;
    jit_mov_rr(st, JIT_W, JIT_TMP2, jit_reg[in->dst]); /* the id, kept for the stub's message */
    if (count == 0) {
        jit_jmp(st, stub);
        return;
    }
    jit_alu_ri(st, JIT_W, JIT_ALU_CMP, JIT_TMP2, (int32_t)count); /* count <= INT32_MAX: checked before */
    jit_jcc(st, JIT_CC_AE, stub);
    jit_op_rr(st, JIT_W, 0x69, JIT_TMP, JIT_TMP2); /* imul: byte offset of the entry */
    jit_u32(st, (uint32_t)sizeof(struct ebpf_helper));
    jit_mov_imm(st, JIT_RAX, (uint64_t)(uintptr_t)st->helpers->entries);
    jit_alu_rr(st, JIT_W, JIT_ALU_ADD, JIT_TMP, JIT_RAX);
    jit_op_rm(st, JIT_W, 0x8b, JIT_RAX, JIT_TMP, (int32_t)offsetof(struct ebpf_helper, fn));
    jit_op_rr(st, JIT_W, 0x85, JIT_RAX, JIT_RAX);
    jit_jcc(st, JIT_CC_E, stub);
    jit_abi_call_helper_tmp(st, (int32_t)offsetof(struct ebpf_helper, user));
}

void jit_emit_call(jit_state *st, size_t pc, const isa_insn *in)
{
    switch (in->id) {
    case ISA_CALL: {
        if (jit_emit_map_lookup(st, pc))
            break;
        const struct ebpf_helper *h = exec_helper_find(st->helpers, (uint32_t)in->imm);
        if (!h) {
            jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: unknown helper %u", pc, (uint32_t)in->imm);
            return;
        }
        jit_abi_call_helper(st, (uint64_t)(uintptr_t)h->fn, (uint64_t)(uintptr_t)h->user);
        if (jit_is_tail_call(in)) { /* a pending target: mov tmp, [ctx + pending]; cmp qword [tmp], 0 */
            jit_op_rm(st, JIT_W, 0x8b, JIT_TMP, JIT_CTX, (int32_t)offsetof(jit_ctx, tail_call_pending));
            jit_op_rm(st, JIT_W, 0x83, 7, JIT_TMP, 0);
            jit_byte(st, 0);
            jit_jcc(st, JIT_CC_NE, JIT_L_STUB(st, st->stub_of_pc[pc]));
        }
        break;
    }
    case ISA_CALLX:
        jit_callx(st, pc, in);
        break;
    case ISA_CALL_LOCAL:
        jit_call_local(st, pc, in);
        break;
    case ISA_EXIT:
        jit_ret(st);
        break;
    default:
        jit_fail(st, -ENOTSUP, (int64_t)pc, "instruction %zu: %s is not translated by the JIT", pc,
                 isa_infos[in->id].name);
        break;
    }
}
