/*
 * jit_packet.c - the legacy packet loads LD_ABS / LD_IND: r0 = the big-endian 1, 2 or 4 bytes at
 * offset imm (or src + imm, in 32 bits) of the request's packet. The bounds check and the load are C
 * (jit_packet_load, through jit_abi_call_packet, which keeps r1..r5 as the interpreter does); a refusal
 * ends the whole run with r0 = 0 through the first cold stub.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

void jit_emit_packet(jit_state *st, size_t pc, const isa_insn *in)
{
    uint32_t size;
    switch (in->id) {
    case ISA_LDABSB: case ISA_LDINDB: size = 1; break;
    case ISA_LDABSH: case ISA_LDINDH: size = 2; break;
    case ISA_LDABSW: case ISA_LDINDW: size = 4; break;
    default:
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not a packet load", pc, isa_infos[in->id].name);
        return;
    }
    if (isa_infos[in->id].format == ISA_FMT_LD_IND) {
        jit_load_imm32(st, pc, JIT_TMP2, in->imm);
        jit_mov_rr(st, 0, JIT_TMP, jit_reg[in->src]);
        jit_alu_rr(st, 0, JIT_ALU_ADD, JIT_TMP, JIT_TMP2); /* 32-bit sum, as the interpreter computes it */
    } else {
        jit_load_imm32(st, pc, JIT_TMP, in->imm);
    }
    jit_abi_call_packet(st, size);
    jit_alu_ri(st, JIT_W, JIT_ALU_CMP, JIT_RAX, -1); /* JIT_PACKET_FAIL */
    jit_jcc(st, JIT_CC_E, JIT_L_COLD(st));
}
