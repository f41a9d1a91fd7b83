/*
 * elf_maps_btf.c - BTF-defined maps: each variable of the `.maps` DATASEC is a struct whose members
 * encode the definition in their types, as libbpf's bpf_helpers.h writes them:
 *   __uint(name, N)       int (*name)[N]       -> N, from the array's element count
 *   __type(name, T)       T *name              -> T (key and value: their size comes from BTF)
 *   __array(values, S)    S *values[]          -> S: the inner map's definition (map-in-map), or a
 *                                                 function prototype (prog_array)
 * Unknown members are refused rather than ignored: a field we do not understand may change what the
 * map is. Initial `values` elements are relocations on `.maps` (elf_maps_slots.c).
 * A variable's offset in `.maps` is its symbol's value (clang may leave DATASEC offsets zero).
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LINUX_MAP_PROG_ARRAY 3
#define LINUX_MAP_ARRAY_OF_MAPS 12
#define LINUX_MAP_HASH_OF_MAPS 13
#define LINUX_PIN_BY_NAME 1

typedef struct map_def {
    elf_map map;              /* numeric fields, key/value types */
    bool has_type;
    bool has_key_size;        /* from __uint(key_size) or __type(key) */
    bool has_value_size;
    uint32_t values_kind;     /* elf_values_kind */
    uint32_t values_offset;   /* byte offset of `values` in the struct */
    uint32_t inner_struct;    /* ELF_VALUES_MAPS: the inner definition's struct type */
} map_def;

static bool is_map_in_map(uint32_t type)
{
    return type == LINUX_MAP_ARRAY_OF_MAPS || type == LINUX_MAP_HASH_OF_MAPS;
}

/* __uint(name, N): pointer to an array of N elements. */
static int uint_field(elf_ctx *ctx, const char *map, const char *field, uint32_t type, uint32_t *value)
{
    const btf *b = ctx->btf;
    int64_t ptr = btf_skip_modifiers(b, type, true);
    int64_t arr = ptr > 0 && btf_kind(b, (uint32_t)ptr) == BTF_K_PTR
                      ? btf_skip_modifiers(b, btf_size_or_type(b, (uint32_t)ptr), true) : -1;
    if (arr <= 0 || btf_kind(b, (uint32_t)arr) != BTF_K_ARRAY)
        return diag_fail(ctx->diag, -1, "map '%s': field '%s' is not declared with __uint (a pointer to an array)", map,
                         field);
    uint32_t elem = 0;
    btf_array_info(b, (uint32_t)arr, &elem, value);
    return 0;
}

/* __type(name, T): pointer to T; returns T and its size. */
static int type_field(elf_ctx *ctx, const char *map, const char *field, uint32_t type, uint32_t *target,
                      uint32_t *size)
{
    const btf *b = ctx->btf;
    int64_t ptr = btf_skip_modifiers(b, type, true);
    if (ptr <= 0 || btf_kind(b, (uint32_t)ptr) != BTF_K_PTR)
        return diag_fail(ctx->diag, -1, "map '%s': field '%s' is not declared with __type (a pointer to the type)", map,
                         field);
    *target = btf_size_or_type(b, (uint32_t)ptr);
    uint64_t bytes = 0;
    ebpf_diag inner;
    if (btf_resolve_size(b, *target, &bytes, &inner) != 0)
        return diag_fail(ctx->diag, -1, "map '%s': field '%s': %s", map, field, inner.message);
    *size = (uint32_t)bytes;
    return 0;
}

/* __array(values, S): array of pointers to S; S a struct (inner map) or a function prototype. */
static int values_field(elf_ctx *ctx, const char *map, const btf_member *m, map_def *def)
{
    const btf *b = ctx->btf;
    int64_t arr = btf_skip_modifiers(b, m->type, true);
    uint32_t elem = 0, n = 0;
    if (arr > 0 && btf_kind(b, (uint32_t)arr) == BTF_K_ARRAY)
        btf_array_info(b, (uint32_t)arr, &elem, &n);
    int64_t ptr = elem ? btf_skip_modifiers(b, elem, true) : -1;
    int64_t target = ptr > 0 && btf_kind(b, (uint32_t)ptr) == BTF_K_PTR
                         ? btf_skip_modifiers(b, btf_size_or_type(b, (uint32_t)ptr), true) : -1;
    uint32_t kind = target > 0 ? btf_kind(b, (uint32_t)target) : BTF_K_UNKN;
    if (kind != BTF_K_STRUCT && kind != BTF_K_FUNC_PROTO)
        return diag_fail(ctx->diag, -1, "map '%s': field 'values' is not declared with __array (an array of pointers to a map definition or a function)",
                         map);
    if (m->offset % 8 != 0)
        return diag_fail(ctx->diag, -1, "map '%s': field 'values' is not byte-aligned", map);
    def->values_offset = m->offset / 8;
    def->values_kind = kind == BTF_K_STRUCT ? ELF_VALUES_MAPS : ELF_VALUES_PROGRAMS;
    def->inner_struct = kind == BTF_K_STRUCT ? (uint32_t)target : 0;
    return 0;
}

static int parse_def(elf_ctx *ctx, const char *name, uint32_t type, bool inner, map_def *def)
{
    const btf *b = ctx->btf;
    int64_t st = btf_skip_modifiers(b, type, true);
    if (st <= 0 || btf_kind(b, (uint32_t)st) != BTF_K_STRUCT)
        return diag_fail(ctx->diag, -1, "map '%s': its BTF type is not a struct", name);
    memset(def, 0, sizeof *def);
    elf_map *m = &def->map;
    int rc = 0;
    for (uint32_t i = 0; i < btf_vlen(b, (uint32_t)st) && !rc; i++) {
        btf_member mb = btf_member_at(b, (uint32_t)st, i);
        const char *f = mb.name;
        uint32_t size = 0;
        if (strcmp(f, "type") == 0) {
            rc = uint_field(ctx, name, f, mb.type, &m->type);
            def->has_type = true;
        } else if (strcmp(f, "max_entries") == 0) {
            rc = uint_field(ctx, name, f, mb.type, &m->max_entries);
        } else if (strcmp(f, "map_flags") == 0) {
            rc = uint_field(ctx, name, f, mb.type, &m->map_flags);
        } else if (strcmp(f, "numa_node") == 0) {
            rc = uint_field(ctx, name, f, mb.type, &m->numa_node);
        } else if (strcmp(f, "pinning") == 0) {
            rc = uint_field(ctx, name, f, mb.type, &m->pinning);
            if (!rc && m->pinning > LINUX_PIN_BY_NAME)
                rc = diag_fail(ctx->diag, -1, "map '%s': pinning %u is not 0 (none) or 1 (by name)", name, m->pinning);
        } else if (strcmp(f, "map_extra") == 0) {
            uint32_t extra;
            rc = uint_field(ctx, name, f, mb.type, &extra);
            m->map_extra = extra;
        } else if (strcmp(f, "key_size") == 0 || strcmp(f, "value_size") == 0) {
            bool key = f[0] == 'k';
            rc = uint_field(ctx, name, f, mb.type, &size);
            uint32_t *dst = key ? &m->key_size : &m->value_size;
            bool *has = key ? &def->has_key_size : &def->has_value_size;
            if (!rc && *has && *dst != size)
                rc = diag_fail(ctx->diag, -1, "map '%s': %s %u contradicts the %s type's size %u", name, f, size,
                               key ? "key" : "value", *dst);
            *dst = size;
            *has = true;
        } else if (strcmp(f, "key") == 0 || strcmp(f, "value") == 0) {
            bool key = f[0] == 'k';
            rc = type_field(ctx, name, f, mb.type, key ? &m->btf_key_type : &m->btf_value_type, &size);
            uint32_t *dst = key ? &m->key_size : &m->value_size;
            bool *has = key ? &def->has_key_size : &def->has_value_size;
            if (!rc && *has && *dst != size)
                rc = diag_fail(ctx->diag, -1, "map '%s': the %s type's size %u contradicts %s_size %u", name, f, size, f,
                               *dst);
            *dst = size;
            *has = true;
        } else if (strcmp(f, "values") == 0) {
            if (inner)
                return diag_fail(ctx->diag, -1, "inner map definition '%s' cannot have initial values", name);
            rc = values_field(ctx, name, &mb, def);
        } else {
            return diag_fail(ctx->diag, -1, "map '%s': unknown field '%s' in its definition", name, f[0] ? f : "(anon)");
        }
    }
    if (rc)
        return rc;
    if (!def->has_type)
        return diag_fail(ctx->diag, -1, "map '%s' has no type (__uint(type, ...))", name);
    if (def->values_kind == ELF_VALUES_MAPS && !is_map_in_map(m->type))
        return diag_fail(ctx->diag, -1, "map '%s': inner map definitions (__array(values, struct ...)) are only for array_of_maps and hash_of_maps, not type %u",
                         name, m->type);
    if (def->values_kind == ELF_VALUES_PROGRAMS && m->type != LINUX_MAP_PROG_ARRAY)
        return diag_fail(ctx->diag, -1, "map '%s': program values (__array(values, int (void *))) are only for prog_array, not type %u",
                         name, m->type);
    if (is_map_in_map(m->type) && !inner && def->values_kind != ELF_VALUES_MAPS)
        return diag_fail(ctx->diag, -1, "map '%s' (map-in-map) has no inner map definition (__array(values, struct ...))", name);
    if (def->values_kind != ELF_VALUES_NONE) {
        if (def->has_value_size && m->value_size != 4)
            return diag_fail(ctx->diag, -1, "map '%s': value size %u, but map-in-map and prog_array values are 4 bytes", name,
                             m->value_size);
        m->value_size = 4;
    }
    return 0;
}

/* Symbols of `.maps` sorted by name, so that each variable finds its symbol by binary search. */
typedef struct named_sym {
    const char *name;
    uint64_t value;
    uint64_t size;
} named_sym;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_sym *)a)->name, ((const named_sym *)b)->name);
}

static int index_symbols(elf_ctx *ctx, uint32_t sec, named_sym **out, size_t *count)
{
    size_t n = 0;
    for (uint32_t i = 0; i < ctx->sym_count; i++)
        n += ctx->syms[i].shndx == sec && ctx->syms[i].type != ELF_STT_SECTION;
    named_sym *syms = elf_arena_alloc(&ctx->scratch, n, sizeof(named_sym));
    if (!syms)
        return elf_nomem(ctx, "'.maps' symbols");
    n = 0;
    for (uint32_t i = 0; i < ctx->sym_count; i++)
        if (ctx->syms[i].shndx == sec && ctx->syms[i].type != ELF_STT_SECTION)
            syms[n++] = (named_sym){.name = ctx->syms[i].name, .value = ctx->syms[i].value, .size = ctx->syms[i].size};
    if (n > 1)
        qsort(syms, n, sizeof(named_sym), compare_named);
    *out = syms;
    *count = n;
    return 0;
}

/* The variable's place in `.maps`: its symbol's value, else what the DATASEC says. Its size is the
 * struct's, or the symbol's when initial values (a flexible `values` array) make it larger. */
static void var_place(const named_sym *syms, size_t count, const char *name, const btf_member *entry,
                      uint64_t *offset, uint64_t *size)
{
    named_sym key = {.name = name};
    const named_sym *found = count ? bsearch(&key, syms, count, sizeof(named_sym), compare_named) : NULL;
    *offset = found ? found->value : entry->offset;
    if (found && found->size > *size)
        *size = found->size;
    else if (!found && entry->size > *size)
        *size = entry->size;
}

static int add_btf_map(elf_ctx *ctx, uint32_t sec_index, const btf_member *entry, const named_sym *syms,
                       size_t sym_count)
{
    const elf_sec *sec = &ctx->secs[sec_index];
    const btf *b = ctx->btf;
    const char *name = entry->name;
    if (!name[0])
        return diag_fail(ctx->diag, -1, "section '.maps': a map variable has no name");
    uint32_t var_type = btf_size_or_type(b, entry->type);
    uint64_t offset = 0, size = 0;
    ebpf_diag inner_diag;
    if (btf_resolve_size(b, var_type, &size, &inner_diag) != 0)
        return diag_fail(ctx->diag, -1, "map '%s': %s", name, inner_diag.message);
    var_place(syms, sym_count, name, entry, &offset, &size);
    if (!checked_range(offset, size, sec->size))
        return diag_fail(ctx->diag, -1, "map '%s': offset 0x%llx + size 0x%llx is outside section '.maps' (size 0x%llx)",
                         name, (unsigned long long)offset, (unsigned long long)size, (unsigned long long)sec->size);

    map_def def;
    int rc = parse_def(ctx, name, var_type, false, &def);
    if (rc)
        return rc;
    elf_map *map;
    int64_t index = elf_add_map(ctx, &map);
    if (index < 0)
        return (int)index;
    *map = def.map;
    map->name = name;
    map->section = sec->name;
    map->kind = ELF_MAP_BTF;
    map->inner = -1;
    elf_map_loc *loc = elf_add_map_loc(ctx, sec_index, offset, size, (uint32_t)index);
    if (!loc)
        return -ENOMEM;
    loc->values_kind = def.values_kind;
    loc->values_offset = offset + def.values_offset;

    if (def.values_kind == ELF_VALUES_MAPS) {
        size_t len = strlen(name);
        char *inner_name = elf_arena_alloc(ctx->arena, len + sizeof ".inner", 1);
        if (!inner_name)
            return elf_nomem(ctx, "map names");
        memcpy(inner_name, name, len);
        memcpy(inner_name + len, ".inner", sizeof ".inner");
        map_def inner_def;
        if ((rc = parse_def(ctx, inner_name, def.inner_struct, true, &inner_def)))
            return rc;
        elf_map *inner;
        int64_t inner_index = elf_add_map(ctx, &inner);
        if (inner_index < 0)
            return (int)inner_index;
        *inner = inner_def.map;
        inner->name = inner_name;
        inner->section = sec->name;
        inner->kind = ELF_MAP_INNER;
        inner->inner = -1;
        ctx->obj->maps[index].inner = (int32_t)inner_index;
    }
    return 0;
}

int elf_maps_btf(elf_ctx *ctx)
{
    uint32_t sec_index = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        if (ctx->secs[i].kind != ELF_SEC_MAPS_BTF)
            continue;
        if (sec_index)
            return diag_fail(ctx->diag, -1, "two '.maps' sections (%u and %u)", sec_index, i);
        sec_index = i;
    }
    if (!sec_index)
        return 0;
    ctx->maps_btf_sec = sec_index;
    if (!ctx->btf)
        return diag_fail(ctx->diag, -1, "section %u '.maps' defines maps in BTF, but the object has no '.BTF' section (compile with -g)",
                         sec_index);
    uint32_t datasec = btf_find(ctx->btf, BTF_K_DATASEC, ".maps");
    if (!datasec) {
        if (ctx->secs[sec_index].size == 0)
            return 0;
        return diag_fail(ctx->diag, -1, "section %u '.maps' has no BTF description (DATASEC '.maps')", sec_index);
    }
    named_sym *syms = NULL;
    size_t sym_count = 0;
    int rc = index_symbols(ctx, sec_index, &syms, &sym_count);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < btf_vlen(ctx->btf, datasec); i++) {
        btf_member entry = btf_member_at(ctx->btf, datasec, i);
        rc = add_btf_map(ctx, sec_index, &entry, syms, sym_count);
        if (rc)
            return rc;
    }
    return 0;
}
