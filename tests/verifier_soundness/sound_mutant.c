/*
 * sound_mutant.c - mutant buffers, validity and patching into the image (sound_mutant.h).
 */
#include "sound_mutant.h"

#include <stdlib.h>
#include <string.h>

#include "sound_patch.h"

bool sound_same_code(const isa_slot *a, const isa_slot *b, size_t count)
{
    return memcmp(a, b, count * sizeof *a) == 0;
}

/* Is the patched image's program `index` exactly the mutant? */
static bool patched_matches(const uint8_t *image, size_t size, size_t index, const isa_slot *mutant, size_t count)
{
    sound_obj o;
    char why[160];
    if (sound_obj_open_mem(image, size, &o, why, sizeof why) != 0)
        return false;
    const elf_program *p = elf_object_program(o.elf, index);
    bool ok = p && p->insn_count == count && sound_same_code(p->insns, mutant, count);
    sound_obj_close(&o);
    return ok;
}

bool sound_mutant_init(sound_mutant *m, const sound_obj *obj, const elf_program *prog)
{
    m->code = malloc(prog->insn_count * sizeof *m->code);
    m->offsets = malloc((prog->func_count ? prog->func_count : 1) * sizeof *m->offsets);
    m->image = malloc(obj->size);
    m->patchable = m->code && m->offsets && m->image &&
                   sound_patch_locate(obj->image, obj->size, prog, m->offsets) == 0;
    return m->code && m->offsets && m->image;
}

void sound_mutant_free(sound_mutant *m)
{
    free(m->code);
    free(m->offsets);
    free(m->image);
    memset(m, 0, sizeof *m);
}

bool sound_valid_code(const isa_slot *code, size_t count)
{
    isa_validate_opts vopts = { .allow_kfunc_calls = true, .allow_pseudo_lddw = true };
    ebpf_diag diag = { 0 };
    return isa_validate(code, count, &vopts, &diag) == 0;
}

bool sound_mutant_patch(sound_mutant *m, const sound_obj *obj, const elf_program *prog, size_t index)
{
    memcpy(m->image, obj->image, obj->size);
    return m->patchable && sound_patch_apply(m->image, obj->size, prog, m->offsets, m->code) == 0 &&
           patched_matches(m->image, obj->size, index, m->code, prog->insn_count);
}
