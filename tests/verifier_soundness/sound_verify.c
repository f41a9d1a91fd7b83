/*
 * sound_verify.c - opening images and asking the in-process verifier (sound_verify.h).
 */
#include "sound_verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "platform/platform.h"
#include "verifier/vf_elf.h"

static int helper_id(const char *name, void *user)
{
    (void)user;
    const abi_helper *h = abi_helper_by_name(name);
    return h ? (int)h->id : -1;
}

int sound_obj_open_mem(const uint8_t *image, size_t size, sound_obj *obj, char *why, size_t why_size)
{
    memset(obj, 0, sizeof *obj);
    ebpf_diag diag = { 0 };
    obj->image = malloc(size ? size : 1);
    if (!obj->image)
        return -ENOMEM;
    memcpy(obj->image, image, size);
    obj->size = size;
    int rc = elf_object_open(obj->image, size, &obj->elf, &diag);
    if (rc) {
        snprintf(why, why_size, "%s", diag.message);
        sound_obj_close(obj);
        return rc;
    }
    elf_object_resolve_externs(obj->elf, helper_id, NULL);
    return 0;
}

int sound_obj_open(const char *path, sound_obj *obj, char *why, size_t why_size)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int rc = plat_read_file(path, &data, &size);
    if (rc) {
        snprintf(why, why_size, "cannot read %s", path);
        memset(obj, 0, sizeof *obj);
        return rc;
    }
    rc = sound_obj_open_mem(data, size, obj, why, why_size);
    free(data);
    return rc;
}

void sound_obj_close(sound_obj *obj)
{
    if (obj->elf)
        elf_object_free(obj->elf);
    free(obj->image);
    memset(obj, 0, sizeof *obj);
}

vf_verdict sound_verify(const sound_obj *obj, const elf_program *prog, const isa_slot *code, vf_result *res)
{
    memset(res, 0, sizeof *res);
    const char *blind = getenv("SOUND_ACCEPT_ALL");
    if (blind && *blind && *blind != '0') { /* the harness's own test: a verifier that accepts everything */
        res->verdict = VF_ACCEPT;
        res->insn = -1;
        return VF_ACCEPT;
    }
    vf_elf_input in;
    if (vf_input_from_elf(obj->elf, prog, &in) != 0) {
        res->verdict = VF_ERROR;
        snprintf(res->message, sizeof res->message, "out of memory building the verifier input");
        return VF_ERROR;
    }
    if (code)
        in.input.code = code;
    if (vf_verify(&in.input, res) != 0)
        res->verdict = VF_ERROR;
    vf_result_free(res);
    vf_elf_input_free(&in);
    return res->verdict;
}
