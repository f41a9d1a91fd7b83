/*
 * vk_compare.h - one comparison of the kernel test: our verdict (vf_verify in-process, privileged as
 * ebpf_object_load verifies: no VF_UNPRIVILEGED, since the kernel here loads as root) against the Linux
 * verifier's (vk_kernel.h) for a program or a mutant, classified, checked against the expectation file
 * and tallied. Only "we accept, Linux refuses" can fail the test.
 */
#ifndef VK_COMPARE_H
#define VK_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sound_verify.h"
#include "vk_expect.h"

typedef enum vk_class {
    VK_BOTH_ACCEPT,
    VK_BOTH_REFUSE,
    VK_WE_ONLY,      /* we accept, Linux refuses: must be in the expectation file */
    VK_LINUX_ONLY,   /* we refuse, Linux accepts: a precision gap, listed */
    VK_NOT_TRIED,    /* the kernel could not attempt it (environment) */
    VK_CLASS_COUNT
} vk_class;

typedef struct vk_run {
    vk_expect expect;
    int origin;                             /* 0: tests/progs, 1: the corpus sample */
    unsigned long n[2][2][VK_CLASS_COUNT];  /* [origin][0: programs, 1: mutants][class] */
    unsigned long mutants_skipped;          /* no site, invalid code or not patchable: not compared */
    unsigned long mutants_duplicate;        /* the same site and change as an earlier mutant: not compared again */
    unsigned long unexpected, bugs, loads;
    uint64_t visits;                        /* instructions our verifier analysed in the last comparison */
    int verbose;                            /* print every comparison, with times */
} vk_run;

/* One program (code NULL) or mutant (code: the mutant; desc says what changed) of obj, under key.
 * The kernel loads images[0], then the next ones in turn until it accepts one: images of obj with
 * the program (or forms of the mutant equal on every path that runs, vk_kernel_form.h) patched in.
 * Returns its class. */
vk_class vk_compare(vk_run *run, const char *key, const sound_obj *obj, const elf_program *prog, const isa_slot *code,
                    const uint8_t *const *images, size_t image_count, const char *desc);

#endif
