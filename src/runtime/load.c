/*
 * load.c - ebpf_object_load: from an opened object to runnable programs. The pipeline, per object:
 *
 *   1. resolve calls to external functions by helper name (bpf_xxx -> its Linux id);
 *   2. create every map (inner-map templates first, as templates only; global data initialised from
 *      the object, .rodata frozen; map-in-map initial inner maps stored);
 *   3. per program that elf_program_check accepts: relocate every map lddw (src 1: imm64 = the struct
 *      map pointer; src 2: imm64 = the address inside the map's value) and every lddw of a function
 *      (src 4: imm64 = the function's instruction index, recorded as a callback entry of the program,
 *      which test_run.c's callback trampoline runs for bpf_loop / bpf_for_each_map_elem), check every helper call
 *      against the Linux helper table and the program type, rewrite context accesses (ctx_rewrite.c),
 *      and create an ebpf_program with the implemented Linux helpers its type may call.
 *
 * After step 3 each program goes to the verifier as the load options say (verify_object.c): a refused
 * program is dropped (asking for it gives the verifier's message), a verifier that cannot answer
 * fails the load, and each program records how far it is trusted (which engines may run it). The
 * loader's own checks come first, so their messages do not depend on the verification mode.
 * A program the loader cannot prepare (CO-RE, unresolved externs) does not fail the load either: it
 * is refused when asked for, with its reason.
 *
 * Also here: the object's user-space map calls (the bpf() map commands on a loaded object).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "abi/abi_maps.h"
#include "abi/abi_prog.h"
#include "base/diag.h"
#include "base/opts.h"
#include "elf/elf_object.h"
#include "helpers/helpers.h"
#include "maps/maps.h"
#include "runtime/runtime_int.h"

#define LDDW_OPCODE 0x18u
#define CALL_OPCODE 0x85u

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

static int lookup_helper(const char *name, void *user)
{
    (void)user;
    const abi_helper *h = abi_helper_by_name(name);
    return h ? (int)h->id : -1;
}

/* The helper with this id if programs of `type` may call it here. */
static const struct ebpf_helper *helper_for(uint32_t id, uint32_t type)
{
    const abi_helper *h = abi_helper_by_id(id);
    if (!abi_prog_may_call(type, h))
        return NULL;
    return helper_linux_find(id);
}

/* Recomputes the per-program problems after externs were resolved. */
static int refresh_problems(ebpf_object *obj, ebpf_diag *diag)
{
    for (size_t i = 0; i < elf_object_program_count(obj->elf); i++) {
        struct ebpf_diag why;
        diag_clear(&why);
        free(obj->problems[i]);
        obj->problems[i] = NULL;
        if (elf_program_check(elf_object_program(obj->elf, i), &why) == 0)
            continue;
        size_t len = strlen(why.message) + strlen(why.line) + 4;
        obj->problems[i] = malloc(len);
        if (!obj->problems[i])
            return diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        snprintf(obj->problems[i], len, why.line[0] ? "%s (%s)" : "%s%s", why.message, why.line);
    }
    return 0;
}

/* Linux's map name rules: at most 15 of [A-Za-z0-9_.]; anything else becomes '_'. */
static void map_name(const char *from, char out[ABI_OBJ_NAME_LEN])
{
    size_t n = 0;
    for (; from[n] && n + 1 < ABI_OBJ_NAME_LEN; n++) {
        char c = from[n];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.';
        out[n] = ok ? c : '_';
    }
    out[n] = '\0';
}

/* prog_array slots hold programs the object owns: no reference to take or drop, ids to report. */
static uint32_t object_prog_id(void *prog)
{
    return runtime_program_id(prog);
}

static const struct map_prog_class object_prog_class = { .id = object_prog_id, .release = NULL };

static int create_map(ebpf_object *obj, size_t index, ebpf_diag *diag)
{
    const elf_map *m = elf_object_map(obj->elf, index);
    char name[ABI_OBJ_NAME_LEN];
    map_name(m->name, name);
    struct map_def def = { .type = m->type, .key_size = m->key_size, .value_size = m->value_size,
                           .max_entries = m->max_entries, .map_flags = m->map_flags, .name = name,
                           .prog_class = m->type == ABI_MAP_TYPE_PROG_ARRAY ? &object_prog_class : NULL };
    if (m->inner >= 0) {
        if ((size_t)m->inner >= elf_object_map_count(obj->elf) || !obj->maps[m->inner])
            return diag_fail(diag, -1, "map '%s': its inner-map template is missing", m->name);
        def.inner = obj->maps[m->inner];
    }
    ebpf_diag why;
    diag_clear(&why);
    int rc = map_create(&def, &obj->maps[index], &why);
    if (rc)
        return diag_fail_errno(diag, rc, -1, "map '%s': %s", m->name, why.message);
    struct map *map = obj->maps[index];
    map->id = runtime_next_map_id(); /* before anyone else sees the map */
    if (m->kind == ELF_MAP_DATA) {
        uint32_t zero = 0;
        if (m->data && (rc = map_sys_update(map, &zero, m->data, 0)) != 0)
            return diag_fail_errno(diag, rc, -1, "map '%s': cannot initialise: %s", m->name, strerror(-rc));
        if (m->read_only && (rc = map_sys_freeze(map)) != 0)
            return diag_fail_errno(diag, rc, -1, "map '%s': cannot freeze: %s", m->name, strerror(-rc));
    }
    return 0;
}

/* Stores the initial elements of a map-in-map (inner maps, ELF_SLOT_MAP) or, with `programs` set
 * (after the programs are loaded), of a prog_array (ELF_SLOT_PROGRAM: the loaded ebpf_program, which
 * the object owns; the prog_array holds it without a reference). A slot naming a program that could
 * not be loaded (a recorded problem) stays empty. */
static int fill_slots(ebpf_object *obj, size_t index, bool programs, ebpf_diag *diag)
{
    const elf_map *m = elf_object_map(obj->elf, index);
    for (size_t s = 0; s < m->slot_count; s++) {
        const elf_map_slot *slot = &m->slots[s];
        if (slot->kind == ELF_SLOT_PROGRAM && programs) {
            if (slot->target >= elf_object_program_count(obj->elf))
                return diag_fail(diag, -1, "map '%s': slot %u names no program", m->name, slot->index);
            ebpf_program *prog = obj->programs[slot->target];
            int rc = prog ? map_sys_update_obj(obj->maps[index], &slot->index, prog, 0) : 0;
            if (rc)
                return diag_fail_errno(diag, rc, -1, "map '%s': cannot store '%s' in slot %u: %s", m->name,
                                       elf_object_program(obj->elf, slot->target)->name, slot->index,
                                       strerror(-rc));
            continue;
        }
        if (slot->kind != ELF_SLOT_MAP || programs)
            continue;
        if (slot->target >= elf_object_map_count(obj->elf) || !obj->maps[slot->target])
            return diag_fail(diag, -1, "map '%s': slot %u names no map", m->name, slot->index);
        struct map *inner = obj->maps[slot->target];
        map_get(inner);
        int rc = map_sys_update_obj(obj->maps[index], &slot->index, inner, 0);
        if (rc) {
            map_put(inner);
            return diag_fail_errno(diag, rc, -1, "map '%s': cannot store '%s' in slot %u: %s", m->name,
                                   elf_object_map(obj->elf, slot->target)->name, slot->index, strerror(-rc));
        }
    }
    return 0;
}

/* Records a callback entry once (entries: at most insn_count). */
static void add_callback(size_t *entries, size_t *count, size_t target)
{
    for (size_t i = 0; i < *count; i++)
        if (entries[i] == target)
            return;
    entries[(*count)++] = target;
}

/* Patches map lddws, turns each lddw of a function into the function's instruction index (recorded in
 * entries[], which has room for insn_count) and checks helper calls in a program's private copy of its
 * code. */
static int relocate(ebpf_object *obj, const elf_program *p, isa_slot *code, size_t *entries, size_t *entry_count,
                    ebpf_diag *diag)
{
    const char *type = elf_prog_type_name(p->type);
    *entry_count = 0;
    for (size_t pc = 0; pc < p->insn_count; pc++) {
        isa_slot *s = &code[pc];
        if (s->opcode == LDDW_OPCODE && pc + 1 < p->insn_count) {
            if (s->src == ELF_LDDW_FUNC) {
                /* elf_link leaves imm = target - (pc + 1), as for local calls. */
                int64_t target = (int64_t)pc + 1 + s->imm;
                bool entry = false;
                for (size_t f = 0; f < p->func_count && !entry; f++)
                    entry = (int64_t)p->funcs[f].insn == target;
                if (!entry || target <= 0 || (uint64_t)target >= p->insn_count)
                    return diag_fail(diag, (int64_t)pc, "instruction %zu: lddw of a function names no function start",
                                     pc);
                add_callback(entries, entry_count, (size_t)target);
                s->src = 0;
                s->imm = (int32_t)target;
                code[pc + 1].imm = 0;
            } else if (s->src == ELF_LDDW_MAP_FD || s->src == ELF_LDDW_MAP_VALUE) {
                size_t index = (size_t)(uint32_t)s->imm;
                const elf_map *m = index < elf_object_map_count(obj->elf) ? elf_object_map(obj->elf, index) : NULL;
                if (!m || m->kind == ELF_MAP_INNER || !obj->maps[index])
                    return diag_fail(diag, (int64_t)pc, "instruction %zu: lddw names no usable map (%zu)", pc, index);
                void *addr = obj->maps[index];
                if (s->src == ELF_LDDW_MAP_VALUE) {
                    int rc = map_direct_value_addr(obj->maps[index], (uint32_t)code[pc + 1].imm, &addr);
                    if (rc)
                        return diag_fail_errno(diag, rc, (int64_t)pc,
                                               "instruction %zu: no direct access to '%s' at offset %u", pc,
                                               m->name, (unsigned)code[pc + 1].imm);
                }
                uint64_t value = (uint64_t)(uintptr_t)addr;
                s->src = 0;
                s->imm = (int32_t)(uint32_t)value;
                code[pc + 1].imm = (int32_t)(uint32_t)(value >> 32);
            }
            pc++; /* the second slot */
            continue;
        }
        if (s->opcode == CALL_OPCODE && s->src == 0) {
            uint32_t id = (uint32_t)s->imm;
            const abi_helper *h = abi_helper_by_id(id);
            if (!helper_for(id, p->type))
                return diag_fail_errno(diag, -EINVAL, (int64_t)pc,
                                       "instruction %zu: helper %u (%s%s) is not available to %s programs", pc, id,
                                       h ? "bpf_" : "", h ? h->name : "unknown", type);
        }
    }
    return 0;
}

/* The helper table of a program type: every implemented helper it may call (runtime-wrapped where the
 * checked interpreter must learn about returned memory). *out is malloc'd. */
static int type_helpers(uint32_t type, struct ebpf_helper **out, size_t *count)
{
    size_t total;
    const struct ebpf_helper *all = helper_linux_table(&total);
    *out = calloc(total ? total : 1, sizeof **out);
    if (!*out)
        return -ENOMEM;
    *count = 0;
    for (size_t i = 0; i < total; i++) {
        if (!helper_for(all[i].id, type))
            continue;
        (*out)[*count] = all[i];
        (*out)[*count].fn = runtime_wrap_helper(all[i].id, all[i].fn);
        if ((*out)[*count].fn != all[i].fn) /* the wrapper finds the real helper here (Linux helpers take no user) */
            (*out)[*count].user = (void *)(uintptr_t)&all[i];
        (*count)++;
    }
    return 0;
}

static int load_program(ebpf_object *obj, size_t index, ebpf_diag *diag)
{
    const elf_program *p = elf_object_program(obj->elf, index);
    isa_slot *code = malloc(p->insn_count ? p->insn_count * sizeof *code : 1);
    struct ebpf_helper *helpers = NULL;
    size_t helper_count = 0, *entries = NULL, entry_count = 0;
    int rc = -ENOMEM;
    if (!code || type_helpers(p->type, &helpers, &helper_count) != 0) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        goto done;
    }
    memcpy(code, p->insns, p->insn_count * sizeof *code);
    entries = malloc(p->insn_count ? p->insn_count * sizeof *entries : 1);
    if (!entries) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        goto done;
    }
    rc = relocate(obj, p, code, entries, &entry_count, diag);
    size_t code_count = p->insn_count; /* the context rewrite may append guards */
    if (rc == 0)
        rc = runtime_ctx_rewrite(p->type, &code, &code_count, diag);
    if (rc == 0) {
        EBPF_OPTS(ebpf_program_opts, opts, .name = p->name, .helpers = helpers, .helper_count = helper_count);
        obj->programs[index] = ebpf_program_create((const struct ebpf_insn *)code, code_count, &opts, diag);
        if (!obj->programs[index])
            rc = errno ? -errno : -EINVAL;
        else {
            runtime_program_set_origin(obj->programs[index], p->type, obj);
            if (entry_count && runtime_program_set_callbacks(obj->programs[index], entries, entry_count) != 0)
                rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        }
    }
    if (rc) {
        char why[sizeof diag->message];
        snprintf(why, sizeof why, "%s", diag->message);
        diag_fail_errno(diag, rc, diag->insn, "program '%s': %s", p->name, why);
        const elf_line *line = diag->insn >= 0 ? elf_program_line(p, (size_t)diag->insn) : NULL;
        if (line && line->line)
            snprintf(diag->line, sizeof diag->line, "%s:%u", line->file, (unsigned)line->line);
    }
done:
    free(entries);
    free(helpers);
    free(code);
    return rc;
}

int runtime_object_prepare(ebpf_object *obj, ebpf_diag *diag)
{
    elf_object_resolve_externs(obj->elf, lookup_helper, NULL);
    return refresh_problems(obj, diag);
}

int ebpf_object_load(ebpf_object *obj, struct ebpf_diag *diag)
{
    return ebpf_object_load_with_opts(obj, NULL, diag);
}

int ebpf_object_load_with_opts(ebpf_object *obj, const struct ebpf_object_load_opts *user_opts,
                               struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!obj)
        return fail_errno(-diag_fail(diag, -1, "ebpf_object_load: no object"));
    if (obj->loaded)
        return fail_errno(-diag_fail_errno(diag, -EBUSY, -1, "the object is already loaded"));
    struct ebpf_object_load_opts opts;
    runtime_verify_opts vopts;
    bool trusted = false, keep_state = false;
    if (!opts_valid(user_opts, sizeof opts))
        return fail_errno(-diag_fail(diag, -1, "ebpf_object_load: bad options"));
    opts_copy(&opts, sizeof opts, user_opts);
    if (runtime_verify_opts_resolve(&opts.verify, true, &vopts, &trusted, &keep_state) != 0)
        return fail_errno(-diag_fail(diag, -1, "ebpf_object_load: bad verifier options"));
    size_t map_count = elf_object_map_count(obj->elf), prog_count = elf_object_program_count(obj->elf);
    int rc = runtime_object_prepare(obj, diag);
    if (rc)
        return fail_errno(-rc);
    obj->maps = calloc(map_count ? map_count : 1, sizeof *obj->maps);
    obj->programs = calloc(prog_count ? prog_count : 1, sizeof *obj->programs);
    obj->refusals = calloc(prog_count ? prog_count : 1, sizeof *obj->refusals);
    obj->loaded = true; /* from here on, runtime_object_unload cleans up a failure */
    if (!obj->maps || !obj->programs || !obj->refusals) {
        rc = diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        goto fail;
    }
    for (int pass = 0; pass < 2; pass++) /* inner-map templates first: outer maps are made from them */
        for (size_t i = 0; i < map_count; i++)
            if ((elf_object_map(obj->elf, i)->kind == ELF_MAP_INNER) == (pass == 0) &&
                (rc = create_map(obj, i, diag)) != 0)
                goto fail;
    for (size_t i = 0; i < map_count; i++)
        if ((rc = fill_slots(obj, i, false, diag)) != 0)
            goto fail;
    for (size_t i = 0; i < prog_count; i++) {
        if (obj->problems[i])
            continue;
        /* The loader's own checks first (their messages stay what they were), then the verifier. */
        if ((rc = load_program(obj, i, diag)) != 0)
            goto fail;
        enum ebpf_program_trust trust = trusted ? EBPF_TRUST_TRUSTED : EBPF_TRUST_UNVERIFIED;
        if (vopts.mode != EBPF_VERIFY_NONE) {
            if ((rc = runtime_verify_for_load(obj, i, &vopts, diag)) < 0)
                goto fail;
            if (rc > 0) { /* refused (recorded in obj->refusals[i]): the program is not kept */
                ebpf_program_free(obj->programs[i]);
                obj->programs[i] = NULL;
                continue;
            }
            trust = EBPF_TRUST_VERIFIED;
        }
        runtime_program_set_trust(obj->programs[i], trust);
    }
    for (size_t i = 0; i < map_count; i++) /* prog_arrays: now that their programs exist */
        if ((rc = fill_slots(obj, i, true, diag)) != 0)
            goto fail;
    return 0;
fail:
    runtime_object_unload(obj);
    return fail_errno(rc < 0 ? -rc : EINVAL);
}

void runtime_object_unload(ebpf_object *obj)
{
    if (!obj->loaded)
        return;
    size_t map_count = elf_object_map_count(obj->elf), prog_count = elf_object_program_count(obj->elf);
    for (size_t i = 0; obj->programs && i < prog_count; i++)
        ebpf_program_free(obj->programs[i]);
    for (size_t i = 0; obj->refusals && i < prog_count; i++)
        free(obj->refusals[i]);
    free(obj->refusals);
    obj->refusals = NULL;
    for (size_t i = 0; obj->maps && i < map_count; i++)
        map_put(obj->maps[i]);
    free(obj->programs);
    free(obj->maps);
    obj->programs = NULL;
    obj->maps = NULL;
    obj->loaded = false;
}

int runtime_object_program_index(const ebpf_object *obj, const char *name)
{
    size_t count = elf_object_program_count(obj->elf);
    for (size_t i = 0; i < count; i++)
        if (!strcmp(elf_object_program(obj->elf, i)->name, name))
            return (int)i;
    for (size_t i = 0; i < count; i++)
        if (!strcmp(elf_object_program(obj->elf, i)->section, name))
            return (int)i;
    return -ENOENT;
}

ebpf_program *ebpf_object_find_program(ebpf_object *obj, const char *name, struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!obj || !name) {
        diag_fail(diag, -1, "ebpf_object_find_program: object and name are required");
        errno = EINVAL;
        return NULL;
    }
    int index = runtime_object_program_index(obj, name);
    if (index < 0) {
        diag_fail_errno(diag, -ENOENT, -1, "no program named '%s'", name);
        errno = ENOENT;
        return NULL;
    }
    if (!obj->loaded) {
        diag_fail_errno(diag, -EAGAIN, -1, "program '%s': the object is not loaded", name);
        errno = EAGAIN;
        return NULL;
    }
    if (obj->refusals[index]) {
        if (diag)
            *diag = *obj->refusals[index];
        errno = EACCES;
        return NULL;
    }
    if (!obj->programs[index]) {
        diag_fail_errno(diag, -ENOTSUP, -1, "program '%s' cannot be loaded: %s", name,
                        obj->problems[index] ? obj->problems[index] : "unknown reason");
        errno = ENOTSUP;
        return NULL;
    }
    return obj->programs[index];
}

int ebpf_object_find_map(const ebpf_object *obj, const char *name)
{
    if (!obj || !name)
        return fail_errno(EINVAL);
    for (size_t i = 0; i < elf_object_map_count(obj->elf); i++)
        if (!strcmp(elf_object_map(obj->elf, i)->name, name))
            return i > (size_t)INT32_MAX ? fail_errno(E2BIG) : (int)i;
    return fail_errno(ENOENT);
}

struct map *runtime_object_map(ebpf_object *obj, size_t index, int *err)
{
    *err = EINVAL;
    if (!obj)
        return NULL;
    *err = ENOENT;
    if (index >= elf_object_map_count(obj->elf))
        return NULL;
    *err = EAGAIN;
    if (!obj->loaded || !obj->maps[index])
        return NULL;
    return obj->maps[index];
}

/* The loaded map `index`, checking the caller's buffer sizes; NULL with *err set otherwise. */
static struct map *loaded_map(ebpf_object *obj, size_t index, size_t key_size, size_t value_size, int *err)
{
    struct map *map = runtime_object_map(obj, index, err);
    if (!map)
        return NULL;
    *err = EINVAL;
    if (key_size != map->key_size || (value_size != (size_t)-1 && value_size != map_sys_value_size(map)))
        return NULL;
    return map;
}

size_t ebpf_object_map_value_size(const ebpf_object *obj, size_t index)
{
    if (!obj || !obj->loaded || index >= elf_object_map_count(obj->elf) || !obj->maps[index])
        return 0;
    return map_sys_value_size(obj->maps[index]);
}

int ebpf_object_map_lookup(ebpf_object *obj, size_t index, const void *key, size_t key_size, void *value,
                           size_t value_size)
{
    int err;
    struct map *map = loaded_map(obj, index, key_size, value_size, &err);
    if (!map || (!key && key_size) || !value)
        return fail_errno(map ? EINVAL : err);
    int rc = map_sys_lookup(map, key, value, 0);
    return rc ? fail_errno(-rc) : 0;
}

int ebpf_object_map_update(ebpf_object *obj, size_t index, const void *key, size_t key_size, const void *value,
                           size_t value_size, uint64_t flags)
{
    int err;
    struct map *map = loaded_map(obj, index, key_size, value_size, &err);
    if (!map || (!key && key_size) || !value)
        return fail_errno(map ? EINVAL : err);
    int rc = map_sys_update(map, key, value, flags);
    return rc ? fail_errno(-rc) : 0;
}

int ebpf_object_map_next_key(ebpf_object *obj, size_t index, const void *key, void *next_key, size_t key_size)
{
    int err;
    struct map *map = loaded_map(obj, index, key_size, (size_t)-1, &err);
    if (!map || !next_key)
        return fail_errno(map ? EINVAL : err);
    int rc = map_sys_get_next_key(map, key, next_key);
    return rc ? fail_errno(-rc) : 0;
}

int ebpf_object_map_lookup_and_delete(ebpf_object *obj, size_t index, const void *key, size_t key_size, void *value,
                                      size_t value_size)
{
    int err;
    struct map *map = loaded_map(obj, index, key_size, value_size, &err);
    if (!map || (!key && key_size) || !value)
        return fail_errno(map ? EINVAL : err);
    int rc = map_sys_lookup_and_delete(map, key, value, 0);
    return rc ? fail_errno(-rc) : 0;
}
