/*
 * sound_run.h - running one program of an ELF image in the checked interpreter on many random inputs
 * (through the public API: open, load, random map contents, ebpf_prog_test_run) and sorting the runs:
 * clean, input refused by test run, budget exhausted, or a fault that only an unsafe program can
 * cause (out-of-bounds access, uninitialised read, call depth, unknown helper): with an accepted
 * program, a verifier bug.
 */
#ifndef SOUND_RUN_H
#define SOUND_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sound_input.h"
#include "sound_rng.h"

#define SOUND_MAX_INSNS 1000000u  /* instruction budget per run */

typedef struct sound_stats {
    unsigned runs;            /* runs attempted */
    unsigned clean;           /* reached exit */
    unsigned faults;          /* memory-unsafe stops */
    unsigned uninit;          /* of which: uninitialised reads (EBPF_RUN_UNINIT) */
    unsigned budget;          /* instruction budget exhausted (not a memory fault) */
    unsigned unsupported;     /* the runtime cannot run this (kfunc, tail call into another type, ...) */
    unsigned refused_input;   /* test run refused the input (e.g. a truncated IP header for skb) */
    /* the first fault */
    char fault_message[160];
    int64_t fault_insn;
    const char *fault_status;
    sound_input fault_input;
} sound_stats;

/* Loads `image`, finds program `name`, fills its object's maps from r and runs it `runs` times.
 * Returns true when it ran (stats filled), false when it could not (skip filled with why). */
bool sound_run_image(const uint8_t *image, size_t size, const char *name, sound_rng *r, unsigned runs,
                     sound_stats *stats, char *skip, size_t skip_size);

/* Prints an input as hex (packet, then context), at most `max` bytes of each. */
void sound_print_input(const sound_input *in, size_t max);

#endif
