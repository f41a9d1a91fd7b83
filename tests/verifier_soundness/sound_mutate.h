/*
 * sound_mutate.h - one-instruction mutants of an accepted program, the kind of slip that turns a safe
 * program into an unsafe one: a dropped or inverted bounds check, a shifted load/store offset, swapped
 * or replaced registers, a changed bound constant, a changed access size, a changed arithmetic
 * constant (the 14 of `data + 14 > data_end`, a stack offset, a size passed to a helper). A sound verifier must refuse
 * every mutant that the checked interpreter can make fault.
 */
#ifndef SOUND_MUTATE_H
#define SOUND_MUTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "isa/isa.h"
#include "sound_rng.h"

typedef enum sound_op {
    SOUND_OP_GUARD_FALL,    /* conditional jump -> ja +0: the check is gone, the code after it always runs */
    SOUND_OP_GUARD_TAKE,    /* conditional jump -> ja to its target: the check always passes */
    SOUND_OP_GUARD_INVERT,  /* jgt <-> jle, jeq <-> jne, ...: the check tests the opposite */
    SOUND_OP_OFFSET,        /* load/store offset +-1..64 */
    SOUND_OP_SWAP_REGS,     /* dst <-> src of a two-register instruction */
    SOUND_OP_REPLACE_REG,   /* one register of an instruction -> another one */
    SOUND_OP_BOUND,         /* the constant of a conditional jump +-1..64, doubled or halved */
    SOUND_OP_SIZE,          /* access size b/h/w/dw -> another one */
    SOUND_OP_ALU_CONST,     /* the constant of mov/add/sub/and: a pointer offset, a length, a helper size */
    SOUND_OP_COUNT
} sound_op;

const char *sound_op_name(sound_op op);

/* Writes into out (count slots) a copy of code with one instruction mutated by `op` at a random site
 * where it applies (lddw and calls are never touched). Returns the mutated slot, or -1 when op applies
 * nowhere. desc gets a short description ("pc 12: jgt r3, r2, +4 -> ja +0"). */
long sound_mutate(const isa_slot *code, size_t count, sound_op op, sound_rng *r, isa_slot *out, char *desc,
                  size_t desc_size);

/* The same at instruction pc; -1 when op does not apply there. */
long sound_mutate_at(const isa_slot *code, size_t count, sound_op op, size_t pc, sound_rng *r, isa_slot *out,
                     char *desc, size_t desc_size);

#endif
