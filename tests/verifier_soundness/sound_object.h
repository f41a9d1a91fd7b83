/*
 * sound_object.h - the soundness check of one object, as one child process of the harness runs it:
 * every program the verifier accepts is run on random inputs, then its mutants are verified and the
 * accepted ones run. Every run is a numbered job announced on stderr before it starts ("SOUND_JOB n
 * accepted|audit what"), so that when a run crashes the process (a helper handed a pointer the
 * checked interpreter does not confine), the parent names the job and runs the object again without
 * it: that job then counts as a crash.
 */
#ifndef SOUND_OBJECT_H
#define SOUND_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "sound_tally.h"

typedef struct sound_config {
    uint64_t seed;
    unsigned runs, mutants, mutant_runs, audit;
    int verbose;
    const unsigned long *skip_jobs;   /* jobs that crashed an earlier attempt: counted as crashes, not run */
    size_t skip_count;
} sound_config;

/* Checks the object at path, adding into t; bug reports go to stdout. */
void sound_object_check(const char *path, const sound_config *cfg, sound_tally *t);

/* The detector check: the guard-dropping mutants of program `name` of the object at path, run
 * unverified, `runs` inputs each. Returns how many of them faulted (0: the harness cannot see faults). */
unsigned sound_detector(const char *path, const char *name, const sound_config *cfg, unsigned runs,
                        unsigned *mutants);

#endif
