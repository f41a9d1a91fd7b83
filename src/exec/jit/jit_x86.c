/*
 * jit_x86.c - the x86-64 encoders declared in jit_x86.h, and the code buffer they write to. Every byte
 * the JIT produces goes through jit_byte; a failed allocation becomes the state's sticky error and
 * later bytes are dropped (the compile then fails as a whole).
 */
#include "exec/jit/jit_x86.h"

#include <errno.h>
#include <stdlib.h>

void jit_byte(jit_state *st, uint8_t b)
{
    if (st->size == st->cap) {
        if (st->err)
            return;
        size_t cap = st->cap ? st->cap * 2 : 4096;
        uint8_t *bigger = realloc(st->code, cap);
        if (!bigger) {
            jit_fail(st, -ENOMEM, -1, "out of memory while generating code");
            return;
        }
        st->code = bigger;
        st->cap = cap;
    }
    st->code[st->size++] = b;
}

void jit_u16(jit_state *st, uint16_t v)
{
    jit_byte(st, (uint8_t)v);
    jit_byte(st, (uint8_t)(v >> 8));
}

void jit_u32(jit_state *st, uint32_t v)
{
    jit_u16(st, (uint16_t)v);
    jit_u16(st, (uint16_t)(v >> 16));
}

void jit_u64(jit_state *st, uint64_t v)
{
    jit_u32(st, (uint32_t)v);
    jit_u32(st, (uint32_t)(v >> 32));
}

static bool jit_is_byte_high(unsigned reg)
{
    return reg >= 4 && reg <= 7; /* spl, bpl, sil, dil: ah..bh without a REX prefix */
}

/* Legacy prefixes, REX (when any of its bits is needed, or `force`), then the opcode bytes. */
static void jit_prefix_opcode(jit_state *st, unsigned flags, uint32_t opcode, unsigned r, unsigned b, bool force)
{
    if (flags & JIT_LOCK)
        jit_byte(st, 0xf0);
    if (flags & JIT_16)
        jit_byte(st, 0x66);
    unsigned rex = 0x40 | ((flags & JIT_W) ? 8u : 0u) | ((r >> 3) & 1u) << 2 | ((b >> 3) & 1u);
    if (rex != 0x40 || force)
        jit_byte(st, (uint8_t)rex);
    if (opcode > 0xffff)
        jit_byte(st, (uint8_t)(opcode >> 16));
    if (opcode > 0xff)
        jit_byte(st, (uint8_t)(opcode >> 8));
    jit_byte(st, (uint8_t)opcode);
}

void jit_op_rr(jit_state *st, unsigned flags, uint32_t opcode, unsigned reg, unsigned rm)
{
    bool force = (flags & JIT_BYTE) && (jit_is_byte_high(reg) || jit_is_byte_high(rm));
    jit_prefix_opcode(st, flags, opcode, reg, rm, force);
    jit_byte(st, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

void jit_op_rm(jit_state *st, unsigned flags, uint32_t opcode, unsigned reg, unsigned base, int32_t disp)
{
    bool force = (flags & JIT_BYTE) && jit_is_byte_high(reg);
    jit_prefix_opcode(st, flags, opcode, reg, base, force);
    unsigned mod;
    if (disp == 0 && (base & 7) != JIT_RBP) /* rbp/r13 with mod 00 would mean rip-relative */
        mod = 0;
    else if (disp >= -128 && disp <= 127)
        mod = 1;
    else
        mod = 2;
    jit_byte(st, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    if ((base & 7) == JIT_RSP) /* rsp/r12 as a base need a SIB byte: no index, that base */
        jit_byte(st, 0x24);
    if (mod == 1)
        jit_byte(st, (uint8_t)(int8_t)disp);
    else if (mod == 2)
        jit_u32(st, (uint32_t)disp);
}

void jit_lea_rr(jit_state *st, unsigned dst, unsigned base, unsigned index)
{
    if ((base & 7) == JIT_RBP && (index & 7) != JIT_RBP) { /* the other order needs no displacement */
        unsigned t = base;
        base = index;
        index = t;
    }
    bool disp8 = (base & 7) == JIT_RBP; /* rbp/r13 as a SIB base with mod 00 would mean no base */
    jit_byte(st, (uint8_t)(0x48 | (dst >> 3) << 2 | (index >> 3) << 1 | (base >> 3)));
    jit_byte(st, 0x8d);
    jit_byte(st, (uint8_t)((disp8 ? 0x40 : 0) | (dst & 7) << 3 | 4));
    jit_byte(st, (uint8_t)((index & 7) << 3 | (base & 7)));
    if (disp8)
        jit_byte(st, 0);
}

void jit_alu_ri(jit_state *st, unsigned flags, unsigned op, unsigned rm, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        jit_op_rr(st, flags, 0x83, op, rm);
        jit_byte(st, (uint8_t)(int8_t)imm);
    } else {
        jit_op_rr(st, flags, 0x81, op, rm);
        jit_u32(st, (uint32_t)imm);
    }
}

void jit_alu_rr(jit_state *st, unsigned flags, unsigned op, unsigned dst, unsigned src)
{
    jit_op_rr(st, flags, JIT_ALU_RM_REG(op), src, dst);
}

void jit_mov_rr(jit_state *st, unsigned flags, unsigned dst, unsigned src)
{
    jit_op_rr(st, flags, 0x89, src, dst);
}

void jit_mov_imm32(jit_state *st, unsigned dst, uint32_t imm)
{
    if (dst >= 8)
        jit_byte(st, 0x41);
    jit_byte(st, (uint8_t)(0xb8 + (dst & 7)));
    jit_u32(st, imm);
}

void jit_mov_simm32(jit_state *st, unsigned dst, int32_t imm)
{
    jit_op_rr(st, JIT_W, 0xc7, 0, dst);
    jit_u32(st, (uint32_t)imm);
}

void jit_movabs(jit_state *st, unsigned dst, uint64_t imm)
{
    jit_byte(st, (uint8_t)(0x48 | (dst >> 3)));
    jit_byte(st, (uint8_t)(0xb8 + (dst & 7)));
    jit_u64(st, imm);
}

void jit_mov_imm(jit_state *st, unsigned dst, uint64_t value)
{
    if (value == 0)
        jit_alu_rr(st, 0, JIT_ALU_XOR, dst, dst);
    else if (value <= UINT32_MAX)
        jit_mov_imm32(st, dst, (uint32_t)value);
    else if (value >= (uint64_t)INT32_MIN) /* a negative int32, sign-extended */
        jit_mov_simm32(st, dst, (int32_t)(uint32_t)value);
    else
        jit_movabs(st, dst, value);
}

void jit_shift_ri(jit_state *st, unsigned flags, unsigned op, unsigned rm, uint8_t count)
{
    jit_op_rr(st, flags, 0xc1, op, rm);
    jit_byte(st, count);
}

void jit_bswap(jit_state *st, unsigned flags, unsigned reg)
{
    unsigned rex = 0x40 | ((flags & JIT_W) ? 8u : 0u) | (reg >> 3);
    if (rex != 0x40)
        jit_byte(st, (uint8_t)rex);
    jit_byte(st, 0x0f);
    jit_byte(st, (uint8_t)(0xc8 + (reg & 7)));
}

void jit_shiftx(jit_state *st, unsigned flags, unsigned op, unsigned dst, unsigned src, unsigned count)
{
    /* VEX.LZ.pp.0F38.W F7 /r: pp selects the shift (66 shlx, F2 shrx, F3 sarx); vvvv (inverted) = count. */
    unsigned pp = op == JIT_SHIFT_SHL ? 1 : op == JIT_SHIFT_SHR ? 3 : 2;
    jit_byte(st, 0xc4);
    jit_byte(st, (uint8_t)((((~dst >> 3) & 1u) << 7) | (1u << 6) | (((~src >> 3) & 1u) << 5) | 0x02));
    jit_byte(st, (uint8_t)(((flags & JIT_W) ? 0x80u : 0u) | ((~count & 15u) << 3) | pp));
    jit_byte(st, 0xf7);
    jit_byte(st, (uint8_t)(0xc0 | (dst & 7) << 3 | (src & 7)));
}

void jit_push(jit_state *st, unsigned reg)
{
    if (reg >= 8)
        jit_byte(st, 0x41);
    jit_byte(st, (uint8_t)(0x50 + (reg & 7)));
}

void jit_pop(jit_state *st, unsigned reg)
{
    if (reg >= 8)
        jit_byte(st, 0x41);
    jit_byte(st, (uint8_t)(0x58 + (reg & 7)));
}

void jit_call_reg(jit_state *st, unsigned reg)
{
    jit_op_rr(st, 0, 0xff, 2, reg);
}

void jit_ret(jit_state *st)
{
    jit_byte(st, 0xc3);
}

/* Displacement of a jump of `len` bytes that starts here, from the previous pass's offsets. In the
 * pass whose offsets no longer change, this is the exact displacement. */
static int64_t jit_disp(const jit_state *st, size_t label, size_t len)
{
    int64_t end = (int64_t)st->prev[st->unit] + (int64_t)(st->size - st->label[st->unit]) + (int64_t)len;
    return (int64_t)st->prev[label] - end;
}

static bool jit_fits8(int64_t d)
{
    return d >= -128 && d <= 127;
}

/* The rel32 field of a jump or call whose opcode is already emitted. */
static void jit_rel32(jit_state *st, size_t label)
{
    int64_t d = st->have_prev ? jit_disp(st, label, 4) : 0;
    jit_u32(st, (uint32_t)(int32_t)d);
}

void jit_jmp(jit_state *st, size_t label)
{
    if (st->have_prev && jit_fits8(jit_disp(st, label, 2))) {
        int64_t d = jit_disp(st, label, 2);
        jit_byte(st, 0xeb);
        jit_byte(st, (uint8_t)(int8_t)d);
        return;
    }
    jit_byte(st, 0xe9);
    jit_rel32(st, label);
}

void jit_jcc(jit_state *st, unsigned cc, size_t label)
{
    if (st->have_prev && jit_fits8(jit_disp(st, label, 2))) {
        int64_t d = jit_disp(st, label, 2);
        jit_byte(st, (uint8_t)(0x70 + cc));
        jit_byte(st, (uint8_t)(int8_t)d);
        return;
    }
    jit_byte(st, 0x0f);
    jit_byte(st, (uint8_t)(0x80 + cc));
    jit_rel32(st, label);
}

void jit_call_label(jit_state *st, size_t label)
{
    jit_byte(st, 0xe8);
    jit_rel32(st, label);
}

size_t jit_jcc8(jit_state *st, unsigned cc)
{
    jit_byte(st, (uint8_t)(0x70 + cc));
    jit_byte(st, 0);
    return st->size - 1;
}

size_t jit_jmp8(jit_state *st)
{
    jit_byte(st, 0xeb);
    jit_byte(st, 0);
    return st->size - 1;
}

void jit_patch8(jit_state *st, size_t pos)
{
    if (st->err || pos >= st->size)
        return;
    size_t d = st->size - (pos + 1);
    if (d > 127) {
        jit_fail(st, -EINVAL, -1, "internal error: a short jump inside one translation is %zu bytes long", d);
        return;
    }
    st->code[pos] = (uint8_t)d;
}

void jit_jcc8_back(jit_state *st, unsigned cc, size_t target)
{
    int64_t d = (int64_t)target - (int64_t)(st->size + 2);
    if (!jit_fits8(d))
        jit_fail(st, -EINVAL, -1, "internal error: a short backward jump is %lld bytes long", (long long)d);
    jit_byte(st, (uint8_t)(0x70 + cc));
    jit_byte(st, (uint8_t)(int8_t)d);
}
