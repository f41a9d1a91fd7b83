/*
 * vk_mutants.c - making and comparing the mutants of a program (vk_mutants.h): our verifier judges
 * the mutant, the kernel its copy without unreachable code (vk_kernel_form.h).
 */
#include "vk_mutants.h"

#include <stdio.h>

#include "sound_mutant.h"
#include "sound_mutate.h"
#include "vk_kernel_form.h"

#define VK_SEED 0x6b65726e656cull  /* fixed: the expectation file names mutants by number */

/* The kernel's images of mutant m (k: one buffer per form). Returns how many, 0 when one cannot be made. */
static size_t kernel_images(const sound_obj *obj, const elf_program *p, size_t index, const sound_mutant *m,
                            sound_mutant *k, long pc, sound_op op, const uint8_t **images)
{
    size_t n = 0;
    for (int form = 0; form < VK_FORM_COUNT; form++) {
        if (!vk_kernel_form(p, m->code, pc, op, form, k[form].code))
            return form == 0 ? (images[0] = m->image, 1) : n;
        if (!sound_mutant_patch(&k[form], obj, p, index))
            return 0;
        images[n++] = k[form].image;
    }
    return n;
}

void vk_mutants(vk_run *run, const char *prefix, const char *seed_name, const sound_obj *obj, size_t index,
                unsigned count)
{
    const elf_program *p = elf_object_program(obj->elf, index);
    sound_mutant m, k[VK_FORM_COUNT];
    bool ready = sound_mutant_init(&m, obj, p);
    for (int form = 0; form < VK_FORM_COUNT; form++)
        ready &= sound_mutant_init(&k[form], obj, p);
    for (unsigned n = 0; ready && n < count; n++) {
        sound_rng r = sound_fork(VK_SEED, sound_hash(seed_name) ^ (n + 1) * 0x9e37u, sound_hash(p->name) + index);
        sound_op op = (sound_op)((n + sound_below(&r, SOUND_OP_COUNT)) % SOUND_OP_COUNT);
        char desc[200], key[600];
        const uint8_t *images[VK_FORM_COUNT];
        size_t image_count = 0;
        long pc = sound_mutate(p->insns, p->insn_count, op, &r, m.code, desc, sizeof desc);
        if (pc < 0 || sound_same_code(m.code, p->insns, p->insn_count) || !sound_valid_code(m.code, p->insn_count) ||
            !sound_mutant_patch(&m, obj, p, index) ||
            (image_count = kernel_images(obj, p, index, &m, k, pc, op, images)) == 0) {
            run->mutants_skipped++;
            continue;
        }
        snprintf(key, sizeof key, "%s:m%u", prefix, n);
        vk_compare(run, key, obj, p, m.code, images, image_count, desc);
    }
    sound_mutant_free(&m);
    for (int form = 0; form < VK_FORM_COUNT; form++)
        sound_mutant_free(&k[form]);
}
