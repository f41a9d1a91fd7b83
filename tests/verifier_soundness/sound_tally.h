/*
 * sound_tally.h - the soundness harness's counters (one flat array, so that a child process can hand
 * them to the parent as one line), and its summary of skip reasons (messages with numbers folded to
 * '#', so that "instruction 12: ..." and "instruction 40: ..." count together).
 */
#ifndef SOUND_TALLY_H
#define SOUND_TALLY_H

#include <stddef.h>
#include <stdio.h>

#include "sound_mutate.h"

#define SOUND_REASONS_MAX 48u

typedef struct sound_reasons {
    struct {
        char text[100];
        unsigned long count;
    } row[SOUND_REASONS_MAX];
    size_t rows;
    unsigned long other;   /* reasons beyond the table */
} sound_reasons;

enum {
    T_OBJECTS, T_UNOPENED, T_PROGRAMS, T_NOT_LOADABLE, T_REFUSED, T_ERRORS, T_ACCEPTED, T_RAN, T_SKIPPED,
    T_BUGS, T_CRASHES,
    T_RUNS, T_CLEAN, T_BUDGET, T_UNSUPPORTED, T_REFUSED_INPUT,
    /* mutants */
    T_M_NOSITE, T_M_INVALID, T_M_REFUSED, T_M_CLEAN, T_M_FAULT, T_M_CRASH, T_M_UNRUNNABLE, T_M_UNPATCHABLE,
    T_AUDIT_RUNS, T_AUDIT_FAULTS,       /* refused mutants run anyway: how many refusals the runs confirm */
    T_UNINIT_BUGS, T_AUDIT_UNINIT,      /* of T_BUGS and T_AUDIT_FAULTS: those with uninitialised reads */
    T_OP,                               /* per operator: refused, accepted and clean, accepted and faulting */
    T_COUNT = T_OP + 3 * SOUND_OP_COUNT
};

typedef struct sound_tally {
    unsigned long n[T_COUNT];
    sound_reasons skips, m_skips;
} sound_tally;

void sound_reason_add(sound_reasons *r, const char *text, unsigned long count);
void sound_reasons_print(const sound_reasons *r, const char *title);

/* One line per counter set and per reason row, prefixed "SOUND_"; parse adds a line into t (false
 * when the line is not one of them). */
void sound_tally_write(const sound_tally *t, FILE *f);
int sound_tally_parse(sound_tally *t, const char *line);

#endif
