/*
 * jit_endian.c - le, be and bswap. The JIT only runs on x86-64, a little-endian host: `le` truncates to
 * its width (zero-extending), `be` and `bswap` swap the bytes of the low 16, 32 or 64 bits and clear
 * the bits above them.
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

#include <errno.h>

void jit_emit_endian(jit_state *st, size_t pc, const isa_insn *in)
{
    unsigned dst = jit_reg[in->dst];
    switch (in->id) {
    case ISA_LE16:
        jit_op_rr(st, 0, 0x0fb7, dst, dst); /* movzx r32, r16 */
        break;
    case ISA_LE32:
        jit_mov_rr(st, 0, dst, dst);
        break;
    case ISA_LE64:
        break;
    case ISA_BE16:
    case ISA_BSWAP16:
        jit_shift_ri(st, JIT_16, JIT_SHIFT_ROL, dst, 8); /* rol r16, 8 swaps the two low bytes */
        jit_op_rr(st, 0, 0x0fb7, dst, dst);
        break;
    case ISA_BE32:
    case ISA_BSWAP32:
        jit_bswap(st, 0, dst);
        break;
    case ISA_BE64:
    case ISA_BSWAP64:
        jit_bswap(st, JIT_W, dst);
        break;
    default:
        jit_fail(st, -EINVAL, (int64_t)pc, "instruction %zu: %s is not a byte-order instruction", pc,
                 isa_infos[in->id].name);
        break;
    }
}
