/*
 * diff_prog.c - emitting instruction slots into a diff_prog and fixing up jump distances.
 * Overflow and unreachable jump distances are generator bugs: they abort with a message.
 */
#include "diff_prog.h"

#include <stdio.h>
#include <stdlib.h>

static void prog_die(const char *what)
{
    fprintf(stderr, "diff: generator bug: %s\n", what);
    abort();
}

void diff_prog_reset(diff_prog *prog)
{
    prog->count = 0;
}

size_t diff_emit(diff_prog *prog, uint8_t opcode, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    if (prog->count >= DIFF_PROG_MAX)
        prog_die("program capacity exceeded");
    struct ebpf_insn *insn = &prog->insns[prog->count];
    insn->opcode = opcode;
    insn->dst_reg = dst & 0xf;
    insn->src_reg = src & 0xf;
    insn->off = off;
    insn->imm = imm;
    return prog->count++;
}

size_t diff_emit_lddw(diff_prog *prog, uint8_t dst, uint64_t value)
{
    size_t at = diff_emit(prog, DIFF_OP_LDDW, dst, 0, 0, (int32_t)(uint32_t)value);
    diff_emit(prog, 0, 0, 0, 0, (int32_t)(uint32_t)(value >> 32));
    return at;
}

static int64_t prog_distance(size_t at, size_t target)
{
    return (int64_t)target - (int64_t)at - 1;
}

void diff_patch_jump(diff_prog *prog, size_t at, size_t target)
{
    int64_t d = prog_distance(at, target);
    if (d < INT16_MIN || d > INT16_MAX)
        prog_die("jump distance out of 16-bit range");
    prog->insns[at].off = (int16_t)d;
}

void diff_patch_jump32(diff_prog *prog, size_t at, size_t target)
{
    prog->insns[at].imm = (int32_t)prog_distance(at, target);
}

void diff_prog_append(diff_prog *prog, const diff_prog *src, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const struct ebpf_insn *s = &src->insns[i];
        diff_emit(prog, s->opcode, s->dst_reg, s->src_reg, s->off, s->imm);
    }
}
