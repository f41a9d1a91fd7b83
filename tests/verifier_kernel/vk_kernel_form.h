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
 *     them). Two ways, tried in turn (the kernel accepts the mutant when it accepts either):
 *       VK_FORM_STRAIGHT  every dead slot a no-op (`ja +0`), a function's last one `exit` after
 *                         `r0 = 0`: the walk runs straight down into the live code after the dead
 *                         run (a dead block that only dead jumps reached becomes unreachable);
 *       VK_FORM_BRANCHED  dead jumps and exits stay, dead conditional jumps become jumps on r10 (both
 *                         edges, nothing else read), other dead slots no-ops (`r0 = 0` before an exit).
 *     The walk can still make the kernel refuse (an exit with r0 unset, a dead call's arguments, live
 *     code joined with a state it does not expect): the expectation file says so where it does.
 *
 * Without dead code the copy is the mutant itself.
 */
#ifndef VK_KERNEL_FORM_H
#define VK_KERNEL_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "elf/elf_object.h"
#include "sound_mutate.h"

enum { VK_FORM_STRAIGHT, VK_FORM_BRANCHED, VK_FORM_COUNT };

/* Writes the kernel's copy of mutant (of prog, whose slot pc op mutated) in form `form` into out
 * (prog->insn_count slots). Returns true when it differs from the mutant (it has dead code). */
bool vk_kernel_form(const elf_program *prog, const isa_slot *mutant, long pc, sound_op op, int form, isa_slot *out);

#endif
