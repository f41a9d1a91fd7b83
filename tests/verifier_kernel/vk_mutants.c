/*
 * vk_mutants.c - making and comparing the mutants of a program (vk_mutants.h): our verifier judges
 * the mutant, the kernel its copy without unreachable code (vk_kernel_form.h).
 */
#include "vk_mutants.h"

#include <stdio.h>
#include <stdlib.h>

#include "sound_mutant.h"
#include "sound_mutate.h"
#include "vk_kernel_form.h"

#define VK_SEED 0x6b65726e656cull  /* fixed: the expectation file names mutants by number */

typedef struct vk_site {
    long pc;        /* the mutated slot */
    isa_slot slot;  /* what it became */
} vk_site;

/* The kernel's images of mutant m (k: one buffer per form). Returns how many, 0 when none can be made. */
static size_t kernel_images(const sound_obj *obj, const elf_program *p, size_t index, const sound_mutant *m,
                            sound_mutant *k, long pc, sound_op op, const uint8_t **images)
{
    size_t n = 0;
    for (int form = 0; form < VK_FORM_COUNT; form++) {
        int made = vk_kernel_form(p, m->code, pc, op, form, k[form].code);
        if (made == 0) /* no dead code: the mutant itself, in every form */
            return images[0] = m->image, 1;
        if (made > 0 && sound_mutant_patch(&k[form], obj, p, index))
            images[n++] = k[form].image;
    }
    return n;
}

/* Has an earlier mutant (sites[0..n-1]) already put this slot at pc? Records it otherwise. Two draws
 * can pick the same site and the same change: that mutant is compared once, under its first key. */
static bool seen_before(vk_site *sites, size_t *n, long pc, const isa_slot *slot)
{
    for (size_t i = 0; i < *n; i++)
        if (sites[i].pc == pc && sites[i].slot.opcode == slot->opcode && sites[i].slot.dst == slot->dst &&
            sites[i].slot.src == slot->src && sites[i].slot.off == slot->off && sites[i].slot.imm == slot->imm)
            return true;
    sites[(*n)++] = (vk_site){ pc, *slot };
    return false;
}

void vk_mutants(vk_run *run, const char *prefix, const char *seed_name, const sound_obj *obj, size_t index,
                unsigned count)
{
    const elf_program *p = elf_object_program(obj->elf, index);
    sound_mutant m, k[VK_FORM_COUNT];
    vk_site *sites = malloc((count ? count : 1) * sizeof *sites);
    size_t site_count = 0;
    bool ready = sound_mutant_init(&m, obj, p) && sites;
    for (int form = 0; form < VK_FORM_COUNT; form++)
        ready &= sound_mutant_init(&k[form], obj, p);
    for (unsigned n = 0; ready && n < count; n++) {
        sound_rng r = sound_fork(VK_SEED, sound_hash(seed_name) ^ (n + 1) * 0x9e37u, sound_hash(p->name) + index);
        sound_op op = (sound_op)((n + sound_below(&r, SOUND_OP_COUNT)) % SOUND_OP_COUNT);
        char desc[200], key[600];
        const uint8_t *images[VK_FORM_COUNT];
        size_t image_count = 0;
        long pc = sound_mutate(p->insns, p->insn_count, op, &r, m.code, desc, sizeof desc);
        if (pc >= 0 && seen_before(sites, &site_count, pc, &m.code[pc])) {
            run->mutants_duplicate++;
            continue;
        }
        if (pc < 0 || sound_same_code(m.code, p->insns, p->insn_count) || !sound_valid_code(m.code, p->insn_count) ||
            !sound_mutant_patch(&m, obj, p, index) ||
            (image_count = kernel_images(obj, p, index, &m, k, pc, op, images)) == 0) {
            run->mutants_skipped++;
            continue;
        }
        snprintf(key, sizeof key, "%s:m%u", prefix, n);
        vk_compare(run, key, obj, p, m.code, images, image_count, desc);
    }
    free(sites);
    sound_mutant_free(&m);
    for (int form = 0; form < VK_FORM_COUNT; form++)
        sound_mutant_free(&k[form]);
}
