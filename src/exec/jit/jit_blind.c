/*
 * jit_blind.c - loading program constants into registers, blinded on request. A program that controls
 * immediates controls bytes of executable memory (JIT spraying); with blinding on, every immediate is
 * emitted XORed with a key and un-XORed at run time, so no program-chosen value appears in the code.
 *
 * Keys come from a per-compile random seed (plat_random_bytes) mixed with the instruction index, so
 * they differ per instruction and per compilation, yet every pass of one compilation emits the same
 * bytes (pass sizes must agree for the jump resolution to settle).
 */
#include "exec/jit/jit_int.h"
#include "exec/jit/jit_x86.h"

/* splitmix64's finalizer: a bijection that spreads every input bit over the output. */
static uint64_t jit_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static uint64_t jit_key(const jit_state *st, size_t pc, unsigned salt)
{
    uint64_t k = jit_mix(st->blind_seed ^ jit_mix((uint64_t)pc * 4 + salt));
    return k ? k : UINT64_C(0x9e3779b97f4a7c15);
}

void jit_load_imm32(jit_state *st, size_t pc, unsigned reg, int32_t imm)
{
    if (!st->blind) {
        jit_mov_imm(st, reg, (uint64_t)(int64_t)imm);
        return;
    }
    uint32_t key = (uint32_t)jit_key(st, pc, 0);
    /* sext(imm ^ key) ^ sext(key) = sext(imm) */
    jit_mov_simm32(st, reg, (int32_t)((uint32_t)imm ^ key));
    jit_op_rr(st, JIT_W, 0x81, JIT_ALU_XOR, reg);
    jit_u32(st, key);
}

void jit_load_imm64(jit_state *st, size_t pc, unsigned reg, uint64_t value)
{
    if (!st->blind) {
        jit_mov_imm(st, reg, value);
        return;
    }
    uint64_t key = jit_key(st, pc, 1);
    jit_movabs(st, reg, value ^ key);
    jit_movabs(st, JIT_TMP, key);
    jit_alu_rr(st, JIT_W, JIT_ALU_XOR, reg, JIT_TMP);
}
