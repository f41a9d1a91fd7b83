/*
 * vk_kernel_form.c - the kernel's copy of a mutant (vk_kernel_form.h): which slots the mutant can
 * reach (a walk of its CFG from slot 0, through jumps, bpf-to-bpf calls and callback references), and
 * the rewrite of the dead ones.
 */
#include "vk_kernel_form.h"

#include <stdlib.h>
#include <string.h>

#define CLS(op) ((op) & 0x07u)
#define CLS_JMP 0x05u
#define CLS_JMP32 0x06u
#define JOP(op) ((op) & 0xf0u)
#define JOP_JA 0x00u
#define JOP_CALL 0x80u
#define JOP_EXIT 0x90u
#define LDDW 0x18u
#define PSEUDO_CALL 1u
#define PSEUDO_FUNC 4u      /* lddw of a callback's address */
#define JMP_JEQ_K 0x15u
#define JMP_JNE_K 0x55u
#define MOV64_K 0xb7u

static void push(size_t *stack, size_t *depth, bool *seen, size_t count, long long pc)
{
    if (pc >= 0 && (size_t)pc < count && !seen[pc]) {
        seen[pc] = true;
        stack[(*depth)++] = (size_t)pc;
    }
}

/* seen[pc]: slot pc can run (lddw: its first slot only). false when out of memory. */
static bool reachable(const isa_slot *code, size_t count, bool *seen)
{
    size_t *stack = malloc(count * sizeof *stack), depth = 0;
    if (!stack)
        return false;
    push(stack, &depth, seen, count, 0);
    while (depth) {
        size_t pc = stack[--depth];
        const isa_slot *s = &code[pc];
        uint8_t cls = CLS(s->opcode), jop = JOP(s->opcode);
        if (s->opcode == LDDW) {
            if (s->src == PSEUDO_FUNC)
                push(stack, &depth, seen, count, (long long)pc + 1 + s->imm);
            push(stack, &depth, seen, count, (long long)pc + 2);
        } else if (cls != CLS_JMP && cls != CLS_JMP32) {
            push(stack, &depth, seen, count, (long long)pc + 1);
        } else if (jop == JOP_EXIT) {
            continue;
        } else if (jop == JOP_CALL) {
            if (s->src == PSEUDO_CALL)
                push(stack, &depth, seen, count, (long long)pc + 1 + s->imm);
            push(stack, &depth, seen, count, (long long)pc + 1);
        } else if (jop == JOP_JA) {
            push(stack, &depth, seen, count, (long long)pc + 1 + (cls == CLS_JMP32 ? s->imm : s->off));
        } else {
            push(stack, &depth, seen, count, (long long)pc + 1 + s->off);
            push(stack, &depth, seen, count, (long long)pc + 1);
        }
    }
    free(stack);
    return true;
}

/* Is slot pc the last of its function? */
static bool ends_function(const elf_program *prog, size_t pc)
{
    for (size_t f = 0; f < prog->func_count; f++)
        if ((size_t)prog->funcs[f].insn + prog->funcs[f].count == pc + 1)
            return true;
    return pc + 1 == prog->insn_count;
}

static bool is_dead_exit(const isa_slot *code, size_t count, const bool *seen, size_t pc)
{
    return pc < count && !seen[pc] && code[pc].opcode == (CLS_JMP | JOP_EXIT);
}

/* What dead slot pc becomes on the impossible walk, in the form `form` (vk_kernel_form.h). */
static isa_slot dead_form(const elf_program *prog, const isa_slot *code, const bool *seen, size_t pc, int form)
{
    static const isa_slot nop = { .opcode = CLS_JMP }, r0_zero = { .opcode = MOV64_K },
                          exit = { .opcode = CLS_JMP | JOP_EXIT };
    const isa_slot *s = &code[pc];
    size_t count = prog->insn_count;
    uint8_t cls = CLS(s->opcode), jop = JOP(s->opcode);
    bool jump = cls == CLS_JMP || cls == CLS_JMP32;
    if (jump && jop == JOP_CALL && s->src != 0)
        return *s; /* libbpf relocates it */
    if (form == VK_FORM_STRAIGHT) {
        if (ends_function(prog, pc))
            return exit;
        return pc + 1 < count && !seen[pc + 1] && ends_function(prog, pc + 1) ? r0_zero : nop;
    }
    if (jump && (jop == JOP_EXIT || jop == JOP_JA))
        return *s;
    if (jump && jop != JOP_CALL)
        return (isa_slot){ .opcode = JMP_JEQ_K, .dst = ISA_REG_FP, .off = s->off }; /* both edges, reads r10 */
    return is_dead_exit(code, count, seen, pc + 1) ? r0_zero : nop;
}

/* Rewrites the dead slots of out (seen: the live ones; lddw stays). Returns whether there were any. */
static bool rewrite_dead(const elf_program *prog, const isa_slot *code, const bool *seen, int form, isa_slot *out)
{
    bool dead = false;
    for (size_t i = 0; i < prog->insn_count; i++) {
        if (seen[i] || (i && code[i - 1].opcode == LDDW && seen[i - 1]))
            continue; /* live, or the second slot of a live lddw */
        dead = true;
        if (code[i].opcode == LDDW)
            i++;
        else
            out[i] = dead_form(prog, code, seen, i, form);
    }
    return dead;
}

bool vk_kernel_form(const elf_program *prog, const isa_slot *mutant, long pc, sound_op op, int form, isa_slot *out)
{
    size_t count = prog->insn_count;
    memcpy(out, mutant, count * sizeof *out);
    if (op != SOUND_OP_GUARD_FALL && op != SOUND_OP_GUARD_TAKE)
        return false;
    bool *seen = calloc(count ? count : 1, sizeof *seen);
    bool dead = seen && reachable(mutant, count, seen) && rewrite_dead(prog, mutant, seen, form, out);
    free(seen);
    if (dead)
        out[pc] = (isa_slot){ .opcode = op == SOUND_OP_GUARD_FALL ? JMP_JEQ_K : JMP_JNE_K, .dst = ISA_REG_FP,
                              .off = prog->insns[pc].off };
    return dead;
}
