/*
 * vk_kernel_form.c - the kernel's copy of a mutant (vk_kernel_form.h): which slots the mutant can
 * reach (a walk of its CFG from slot 0, through jumps, bpf-to-bpf calls and callback references), and
 * the rewrite of the dead ones: slot by slot (straight, branched) or with a gate at the impossible
 * walk's entry (sealed).
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
#define GATE_MAX 16u        /* slots a gate may take (it needs 2 + the successors it keeps) */

static const isa_slot nop = { .opcode = CLS_JMP }, r0_zero = { .opcode = MOV64_K },
                      exit_slot = { .opcode = CLS_JMP | JOP_EXIT };

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
    const isa_slot *s = &code[pc];
    size_t count = prog->insn_count;
    uint8_t cls = CLS(s->opcode), jop = JOP(s->opcode);
    bool jump = cls == CLS_JMP || cls == CLS_JMP32;
    if (jump && jop == JOP_CALL && s->src != 0)
        return *s; /* libbpf relocates it */
    if (form == VK_FORM_STRAIGHT) {
        if (ends_function(prog, pc))
            return exit_slot;
        return pc + 1 < count && !seen[pc + 1] && ends_function(prog, pc + 1) ? r0_zero : nop;
    }
    if (jump && (jop == JOP_EXIT || jop == JOP_JA))
        return *s;
    if (jump && jop != JOP_CALL)
        return (isa_slot){ .opcode = JMP_JEQ_K, .dst = ISA_REG_FP, .off = s->off }; /* both edges, reads r10 */
    return is_dead_exit(code, count, seen, pc + 1) ? r0_zero : nop;
}

/* One past the last slot of the function that holds slot pc. */
static size_t function_end(const elf_program *prog, size_t pc)
{
    for (size_t f = 0; f < prog->func_count; f++)
        if (pc >= prog->funcs[f].insn && pc < (size_t)prog->funcs[f].insn + prog->funcs[f].count)
            return (size_t)prog->funcs[f].insn + prog->funcs[f].count;
    return prog->insn_count;
}

/* A helper call (libbpf relocates the others) or a slot that is no jump and no lddw: its only
 * successor is the next slot, so a no-op in its place keeps the CFG. */
static bool plain(const isa_slot *s)
{
    uint8_t cls = CLS(s->opcode);
    if (cls == CLS_JMP || cls == CLS_JMP32)
        return JOP(s->opcode) == JOP_CALL && s->src == 0;
    return s->opcode != LDDW;
}

/* The successors of slot pc that lie outside [lo, hi) into to (at most 2), their number. */
static size_t successors_outside(const isa_slot *code, size_t pc, size_t lo, size_t hi, long long *to)
{
    const isa_slot *s = &code[pc];
    uint8_t cls = CLS(s->opcode), jop = JOP(s->opcode);
    long long next[2];
    size_t n = 0, out = 0;
    if (plain(s) || (jop != JOP_EXIT && jop != JOP_JA))
        next[n++] = (long long)pc + 1;
    if (!plain(s) && jop != JOP_EXIT)
        next[n++] = (long long)pc + 1 + (jop == JOP_JA && cls == CLS_JMP32 ? s->imm : s->off);
    for (size_t i = 0; i < n; i++)
        if (next[i] < (long long)lo || next[i] >= (long long)hi)
            to[out++] = next[i];
    return out;
}

/* The gate at slots [g, g + n) of out: `r0 = 0`, `if r0 != 0 goto S` for each dead successor S the
 * slots had outside them (never taken: the kernel knows r0; live code needs no edge, the live paths
 * reach it), `exit`. true when one fits in dead slots of the function before fend (no lddw, no
 * relocated call in it). */
static bool gate(const isa_slot *code, const bool *seen, size_t g, size_t fend, isa_slot *out)
{
    long long to[2 * GATE_MAX];
    for (size_t end = g + 1; end <= fend && end - g <= GATE_MAX; end++) {
        size_t last = end - 1, targets = 0;
        if (seen[last] || code[last].opcode == LDDW ||
            ((CLS(code[last].opcode) == CLS_JMP || CLS(code[last].opcode) == CLS_JMP32) &&
             JOP(code[last].opcode) == JOP_CALL && code[last].src != 0))
            return false;
        for (size_t pc = g; pc < end; pc++) {
            long long next[2];
            size_t n = successors_outside(code, pc, g, end, next);
            for (size_t i = 0; i < n; i++) {
                if (next[i] < 0 || next[i] >= (long long)fend)
                    return false; /* not valid code: no gate */
                bool known = seen[next[i]]; /* live code: the live paths reach it */
                for (size_t j = 0; j < targets; j++)
                    known |= to[j] == next[i];
                if (!known)
                    to[targets++] = next[i];
            }
        }
        if (end - g < 2 + targets)
            continue;
        out[g] = r0_zero;
        for (size_t j = 0; j < end - g - 2; j++) {
            size_t at = g + 1 + j;
            out[at] = j < targets ? (isa_slot){ .opcode = JMP_JNE_K, .off = (int16_t)(to[j] - (long long)at - 1) }
                                  : nop; /* a spare slot */
        }
        out[end - 1] = exit_slot;
        return true;
    }
    return false;
}

/* The sealed form: the impossible walk enters the dead code at slot entry; there the slots it runs
 * through become no-ops (an lddw stays) up to a gate (gate()), and every other dead slot keeps its
 * code, reachable for the CFG check through the gate's jumps and its own edges, never walked. */
static bool seal(const elf_program *prog, const isa_slot *code, const bool *seen, size_t entry, isa_slot *out)
{
    size_t fend = function_end(prog, entry);
    for (size_t g = entry; g < fend && !seen[g];) {
        if (gate(code, seen, g, fend, out)) {
            for (size_t pc = entry; pc < g; pc += code[pc].opcode == LDDW ? 2 : 1)
                if (code[pc].opcode != LDDW)
                    out[pc] = nop;
            return true;
        }
        if (code[g].opcode == LDDW)
            g += 2;
        else if (plain(&code[g]))
            g++;
        else
            return false;
    }
    return false;
}

/* Is a slot dead (not seen, and not the second slot of a live lddw)? */
static bool dead_slot(const isa_slot *code, const bool *seen, size_t i)
{
    return !seen[i] && !(i && code[i - 1].opcode == LDDW && seen[i - 1]);
}

/* Rewrites the dead slots of out slot by slot (seen: the live ones; lddw stays). */
static void rewrite_dead(const elf_program *prog, const isa_slot *code, const bool *seen, int form, isa_slot *out)
{
    for (size_t i = 0; i < prog->insn_count; i++) {
        if (!dead_slot(code, seen, i))
            continue;
        if (code[i].opcode == LDDW)
            i++;
        else
            out[i] = dead_form(prog, code, seen, i, form);
    }
}

int vk_kernel_form(const elf_program *prog, const isa_slot *mutant, long pc, sound_op op, int form, isa_slot *out)
{
    size_t count = prog->insn_count;
    memcpy(out, mutant, count * sizeof *out);
    if (op != SOUND_OP_GUARD_FALL && op != SOUND_OP_GUARD_TAKE)
        return 0;
    bool *seen = calloc(count ? count : 1, sizeof *seen);
    if (!seen || !reachable(mutant, count, seen)) {
        free(seen);
        return -1;
    }
    bool dead = false;
    for (size_t i = 0; i < count && !dead; i++)
        dead = dead_slot(mutant, seen, i);
    long long entry = op == SOUND_OP_GUARD_TAKE ? pc + 1 : pc + 1 + prog->insns[pc].off; /* the dropped edge */
    int made = 0;
    if (dead && form != VK_FORM_SEALED) {
        rewrite_dead(prog, mutant, seen, form, out);
        made = 1;
    } else if (dead) {
        made = entry >= 0 && (size_t)entry < count && seal(prog, mutant, seen, (size_t)entry, out) ? 1 : -1;
    }
    free(seen);
    if (made == 1)
        out[pc] = (isa_slot){ .opcode = op == SOUND_OP_GUARD_FALL ? JMP_JEQ_K : JMP_JNE_K, .dst = ISA_REG_FP,
                              .off = prog->insns[pc].off };
    return made;
}
