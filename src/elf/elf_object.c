/*
 * elf_object.c - elf_object_open runs the loader's passes in order over a private copy of the file and
 * unwinds every failure through one path (the arenas); the accessors of the finished object.
 *
 *   sections -> symbols -> relocations -> BTF/BTF.ext -> license/version -> maps (BTF, legacy, data)
 *   -> functions (every code reference checked) -> BTF.ext per section -> programs (+ linking)
 *   -> initial values of map-in-map / prog_array
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <string.h>

static int run_passes(elf_ctx *ctx)
{
    int (*const passes[])(elf_ctx *) = {
        elf_read_sections, elf_read_symbols, elf_read_relocs, elf_read_btf, elf_read_license_version,
        elf_maps_btf,      elf_maps_legacy,  elf_maps_data,   elf_maps_index, elf_build_functions,
        elf_index_btf_ext, elf_find_programs, elf_maps_slots,
    };
    for (size_t i = 0; i < sizeof passes / sizeof passes[0]; i++) {
        int rc = passes[i](ctx);
        if (rc)
            return rc;
    }
    return 0;
}

int elf_object_open(const void *data, size_t size, elf_object **out, ebpf_diag *diag)
{
    diag_clear(diag);
    if (!out || (!data && size))
        return diag_fail(diag, -1, "elf_object_open: no output pointer or no data");
    *out = NULL;
    if (size > ELF_MAX_FILE_SIZE)
        return diag_fail_errno(diag, -E2BIG, -1, "file of %zu bytes is larger than the limit of %zu", size,
                               ELF_MAX_FILE_SIZE);

    elf_arena arena = {0};
    elf_object *obj = elf_arena_alloc(&arena, 1, sizeof(elf_object));
    uint8_t *image = obj ? elf_arena_alloc_exact(&arena, size) : NULL;
    if (!image) {
        elf_arena_free(&arena);
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory copying the object (%zu bytes)", size);
    }
    if (size)
        memcpy(image, data, size);
    obj->image = image;
    obj->size = size;
    obj->license = "";

    elf_ctx ctx = {.obj = obj, .diag = diag, .image = image, .size = size};
    ctx.arena = &arena;
    int rc = run_passes(&ctx);
    elf_arena_free(&ctx.scratch);
    if (rc) {
        elf_arena_free(&arena);
        return rc < 0 ? rc : -EINVAL;
    }
    obj->arena = arena;
    *out = obj;
    return 0;
}

void elf_object_free(elf_object *obj)
{
    if (!obj)
        return;
    elf_arena arena = obj->arena; /* the object lives in its own arena */
    elf_arena_free(&arena);
}

size_t elf_object_program_count(const elf_object *obj)
{
    return obj->prog_count;
}

const elf_program *elf_object_program(const elf_object *obj, size_t index)
{
    return index < obj->prog_count ? &obj->progs[index] : NULL;
}

const elf_program *elf_object_find_program(const elf_object *obj, const char *name)
{
    for (size_t i = 0; i < obj->prog_count; i++)
        if (strcmp(obj->progs[i].name, name) == 0)
            return &obj->progs[i];
    for (size_t i = 0; i < obj->prog_count; i++)
        if (strcmp(obj->progs[i].section, name) == 0)
            return &obj->progs[i];
    return NULL;
}

size_t elf_object_map_count(const elf_object *obj)
{
    return obj->map_count;
}

const elf_map *elf_object_map(const elf_object *obj, size_t index)
{
    return index < obj->map_count ? &obj->maps[index] : NULL;
}

const elf_map *elf_object_find_map(const elf_object *obj, const char *name)
{
    for (size_t i = 0; i < obj->map_count; i++)
        if (strcmp(obj->maps[i].name, name) == 0)
            return &obj->maps[i];
    return NULL;
}

const char *elf_object_license(const elf_object *obj)
{
    return obj->license;
}

bool elf_object_kern_version(const elf_object *obj, uint32_t *version)
{
    if (obj->has_version && version)
        *version = obj->version;
    return obj->has_version;
}
