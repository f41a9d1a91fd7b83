/*
 * vk_kernel_form.h - the copy of a mutant handed to the kernel. A dropped check (sound_mutate's
 * drop-check: a conditional jump made `ja +0` or `ja target`) can leave code that only the dropped
 * edge reached, and Linux refuses any unreachable instruction in its CFG check, before looking at
 * safety: the kernel would then say nothing about the code that still runs. Its copy keeps every edge
 * instead, with no new behaviour on the paths that exist:
 *
 *   - the dropped check becomes a jump on r10 (`if r10 == 0 goto target` for the fall-through,
 *     `if r10 != 0 goto target` for the taken side): r10 is never 0, so the program is the same, and
 *     the CFG keeps both edges;
 *   - the verifier does not decide a comparison of the frame pointer with 0, so it also walks the
 *     impossible side, through the dead code, which is rewritten so that the walk does as little as
 *     possible and carries the jump's own state on; lddw and bpf-to-bpf calls stay (libbpf relocates
 *     them). Three ways, tried in turn (the kernel accepts the mutant when it accepts one):
 *       VK_FORM_STRAIGHT  every dead slot a no-op (`ja +0`), a function's last one `exit` after
 *                         `r0 = 0`: the walk runs straight down into the live code after the dead
 *                         run (a dead block that only dead jumps reached becomes unreachable);
 *       VK_FORM_BRANCHED  dead jumps and exits stay, dead conditional jumps become jumps on r10 (both
 *                         edges, nothing else read), other dead slots no-ops (`r0 = 0` before an exit);
 *       VK_FORM_SEALED    the impossible walk never leaves the dead code: where it enters, the slots
 *                         it runs through become no-ops (an lddw stays) up to a gate of a few dead slots,
 *                         `r0 = 0`, `if r0 != 0 goto S` for each successor S those slots had (edges for
 *                         the CFG check, never taken: the kernel knows r0), `exit`; every other dead
 *                         slot keeps its code, reachable through the gate and its own edges, and is never
 *                         walked. The kernel then judges the paths that run and the gate. Not made when no
 *                         gate fits (an lddw or a relocated call where it would go); tried last, so that
 *                         its log is the one printed when every form is refused.
 *     The first two can make the kernel refuse on the impossible walk (an exit with r0 unset, a dead
 *     call's arguments, live code joined with a state it does not expect, as a dropped check whose
 *     dead side ends in code that live paths share); any walk ends at an exit, where references still
 *     held are refused: the expectation file says so where it matters.
 *
 * Without dead code the copy is the mutant itself.
 */
#ifndef VK_KERNEL_FORM_H
#define VK_KERNEL_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf_object.h"
#include "sound_mutate.h"

enum { VK_FORM_STRAIGHT, VK_FORM_BRANCHED, VK_FORM_SEALED, VK_FORM_COUNT };

/* Writes the kernel's copy of mutant (of prog, whose slot pc op mutated) in form `form` into out
 * (prog->insn_count slots). Returns 1 when it differs from the mutant (it has dead code), 0 when the
 * copy is the mutant itself (the same in every form), -1 when this form cannot be made. */
int vk_kernel_form(const elf_program *prog, const isa_slot *mutant, long pc, sound_op op, int form, isa_slot *out);

#endif
