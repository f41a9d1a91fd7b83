/*
 * object.c - ebpf_object: a clang-compiled eBPF object opened for inspection (the object section of
 * include/ebpf/ebpf.h). It wraps the loader's elf_object, answers info queries with strings the
 * object owns, and produces annotated disassembly listings.
 *
 * Invariants: `elf` is a successfully opened elf_object; `problems[i]` is NULL when program i passes
 * elf_program_check and otherwise its malloc'd one-line reason, computed once at open so that info
 * calls never fail for a valid index. The object is immutable after open, so concurrent info and
 * disassembly calls on one object are safe.
 */
#include "ebpf/ebpf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_helpers.h"
#include "abi/abi_maps.h"
#include "base/checked.h"
#include "base/diag.h"
#include "base/opts.h"
#include "elf/elf_object.h"
#include "isa/isa.h"
#include "maps/maps.h"
#include "platform/platform.h"
#include "runtime/runtime_int.h"

/* struct ebpf_object is in runtime_int.h: load.c fills its loaded half. */

static void *fail_null(int err)
{
    errno = err;
    return NULL;
}

static int fail_errno(int err)
{
    errno = err;
    return -err;
}

ebpf_object *ebpf_object_open_mem(const void *data, size_t size, const struct ebpf_object_open_opts *opts,
                                  struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!opts_valid(opts, sizeof(struct ebpf_object_open_opts))) {
        diag_fail(diag, -1, "ebpf_object_open_opts: unknown non-zero fields (size %zu)", opts->sz);
        return fail_null(EINVAL);
    }
    if (!data && size > 0) {
        diag_fail(diag, -1, "no object data given");
        return fail_null(EINVAL);
    }
    ebpf_object *obj = calloc(1, sizeof *obj);
    if (!obj) {
        diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        return fail_null(ENOMEM);
    }
    int rc = elf_object_open(data ? data : "", size, &obj->elf, diag);
    if (rc != 0) {
        free(obj);
        return fail_null(rc < 0 ? -rc : EINVAL);
    }
    size_t count = elf_object_program_count(obj->elf);
    obj->problems = calloc(count ? count : 1, sizeof *obj->problems);
    if (!obj->problems) {
        ebpf_object_close(obj);
        diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
        return fail_null(ENOMEM);
    }
    for (size_t i = 0; i < count; i++) {
        struct ebpf_diag why;
        diag_clear(&why);
        if (elf_program_check(elf_object_program(obj->elf, i), &why) == 0)
            continue;
        size_t len = strlen(why.message) + strlen(why.line) + 4;
        obj->problems[i] = malloc(len);
        if (!obj->problems[i]) {
            ebpf_object_close(obj);
            diag_fail_errno(diag, -ENOMEM, -1, "out of memory");
            return fail_null(ENOMEM);
        }
        if (why.line[0])
            snprintf(obj->problems[i], len, "%s (%s)", why.message, why.line);
        else
            snprintf(obj->problems[i], len, "%s", why.message);
    }
    return obj;
}

ebpf_object *ebpf_object_open_file(const char *path, const struct ebpf_object_open_opts *opts,
                                   struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!path) {
        diag_fail(diag, -1, "no path given");
        return fail_null(EINVAL);
    }
    uint8_t *data;
    size_t size;
    int rc = plat_read_file(path, &data, &size);
    if (rc != 0) {
        diag_fail_errno(diag, rc, -1, "cannot read '%s': %s", path, strerror(-rc));
        return fail_null(-rc);
    }
    ebpf_object *obj = ebpf_object_open_mem(data, size, opts, diag);
    int err = errno;
    free(data);
    errno = err;
    return obj;
}

void ebpf_object_close(ebpf_object *obj)
{
    if (!obj)
        return;
    runtime_object_unload(obj);
    if (obj->problems) {
        size_t count = elf_object_program_count(obj->elf);
        for (size_t i = 0; i < count; i++)
            free(obj->problems[i]);
        free(obj->problems);
    }
    elf_object_free(obj->elf);
    free(obj);
}

const char *ebpf_object_license(const ebpf_object *obj)
{
    return obj ? elf_object_license(obj->elf) : "";
}

size_t ebpf_object_program_count(const ebpf_object *obj)
{
    return obj ? elf_object_program_count(obj->elf) : 0;
}

size_t ebpf_object_map_count(const ebpf_object *obj)
{
    return obj ? elf_object_map_count(obj->elf) : 0;
}

/* Checks the common arguments of the info calls; the caller's struct must at least hold its size. */
static int check_info_args(const ebpf_object *obj, size_t index, size_t count, const void *info)
{
    if (!obj || !info)
        return fail_errno(EINVAL);
    size_t sz;
    memcpy(&sz, info, sizeof sz);
    if (sz < sizeof(size_t))
        return fail_errno(EINVAL);
    if (index >= count)
        return fail_errno(ENOENT);
    return 0;
}

/* Copies as much of `full` as the caller's struct (its leading size field) has room for. */
static void copy_info(void *info, const void *full, size_t full_size)
{
    size_t sz;
    memcpy(&sz, info, sizeof sz);
    size_t n = sz < full_size ? sz : full_size;
    memcpy((char *)info + sizeof(size_t), (const char *)full + sizeof(size_t), n - sizeof(size_t));
}

int ebpf_object_program_info(const ebpf_object *obj, size_t index, struct ebpf_program_info *info)
{
    int rc = check_info_args(obj, index, ebpf_object_program_count(obj), info);
    if (rc != 0)
        return rc;
    const elf_program *p = elf_object_program(obj->elf, index);
    struct ebpf_program_info full = {
        .sz = sizeof full,
        .section = p->section,
        .name = p->name,
        .type = elf_prog_type_name(p->type),
        .attach_type = elf_attach_type_name(p->attach_type),
        .attach_target = p->attach_target ? p->attach_target : "",
        .insn_count = p->insn_count,
        .func_count = p->func_count,
        .loadable = obj->problems[index] == NULL,
        .problem = obj->problems[index],
        .id = obj->loaded && obj->programs[index] ? runtime_program_id(obj->programs[index]) : 0,
    };
    copy_info(info, &full, sizeof full);
    return 0;
}

static const char *map_kind_name(uint32_t kind)
{
    switch (kind) {
    case ELF_MAP_BTF:
        return "btf";
    case ELF_MAP_LEGACY:
        return "legacy";
    case ELF_MAP_DATA:
        return "data";
    case ELF_MAP_INNER:
        return "inner";
    default:
        return "unknown";
    }
}

int ebpf_object_map_info(const ebpf_object *obj, size_t index, struct ebpf_map_info *info)
{
    int rc = check_info_args(obj, index, ebpf_object_map_count(obj), info);
    if (rc != 0)
        return rc;
    const elf_map *m = elf_object_map(obj->elf, index);
    const char *type = abi_map_type_name(m->type);
    struct ebpf_map_info full = {
        .sz = sizeof full,
        .name = m->name,
        .type = type ? type : "unknown",
        .type_id = m->type,
        .key_size = m->key_size,
        .value_size = m->value_size,
        .max_entries = m->max_entries,
        .map_flags = m->map_flags,
        .kind = map_kind_name(m->kind),
        .id = obj->loaded && obj->maps[index] ? obj->maps[index]->id : 0,
    };
    copy_info(info, &full, sizeof full);
    return 0;
}

/* ---- disassembly listing ---- */

/* A growing text buffer with a sticky error: after a failed allocation every append is a no-op. */
typedef struct listing {
    char *text;
    size_t len;
    size_t cap;
    int error;
} listing;

static void emit(listing *l, const char *fmt, ...) BASE_PRINTF(2, 3);
static void emit(listing *l, const char *fmt, ...)
{
    if (l->error)
        return;
    va_list ap;
    va_start(ap, fmt);
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(l->text ? l->text + l->len : NULL, l->text ? l->cap - l->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        l->error = -EINVAL;
    } else if (!l->text || l->len + (size_t)n + 1 > l->cap) {
        size_t need, cap;
        if (!checked_add_size(l->len, (size_t)n + 1, &need)) {
            l->error = -ENOMEM;
        } else {
            if (!checked_mul_size(l->cap ? l->cap : 128, 2, &cap) || cap < need)
                cap = need; /* doubling, or exactly what is needed when that is more */
            char *grown = realloc(l->text, cap);
            if (!grown) {
                l->error = -ENOMEM;
            } else {
                l->text = grown;
                l->cap = cap;
                vsnprintf(l->text + l->len, l->cap - l->len, fmt, again);
                l->len += (size_t)n;
            }
        }
    } else {
        l->len += (size_t)n;
    }
    va_end(again);
}

/* The last component of a source path as BTF records it ("/src/samples/bpf/x.c" -> "x.c"). */
static const char *base_name(const char *path)
{
    const char *base = path;
    for (const char *c = path; *c; c++)
        if (*c == '/' || *c == '\\')
            base = c + 1;
    return *base ? base : path;
}

/* The function that starts at slot `insn`, or NULL. */
static const elf_func *func_at(const elf_program *p, int64_t insn)
{
    for (size_t i = 0; i < p->func_count; i++)
        if ((int64_t)p->funcs[i].insn == insn)
            return &p->funcs[i];
    return NULL;
}

/* Comment after an instruction: the map of a map lddw, the function of a local call or lddw of a
 * function, the Linux name of a helper call. Empty when there is nothing to say. */
static void annotate(listing *l, const ebpf_object *obj, const elf_program *p, const isa_insn *insn, size_t pc)
{
    if (insn->id == ISA_LDDW_MAP_FD || insn->id == ISA_LDDW_MAP_VALUE) {
        const elf_map *m = insn->imm >= 0 ? elf_object_map(obj->elf, (size_t)insn->imm) : NULL;
        if (m && insn->id == ISA_LDDW_MAP_FD)
            emit(l, "  ; map %s", m->name);
        else if (m)
            emit(l, "  ; &%s[%" PRId32 "]", m->name, insn->imm2);
    } else if (insn->id == ISA_LDDW_FUNC || insn->id == ISA_CALL_LOCAL) {
        /* Both are relative to the next slot through imm (isa_jump_target reads off for lddw). */
        int64_t target = (int64_t)pc + 1 + insn->imm;
        const elf_func *f = func_at(p, target);
        if (f)
            emit(l, "  ; %s", f->name);
        else
            emit(l, "  ; -> %" PRId64, target);
    } else if (insn->id == ISA_CALL) {
        const abi_helper *h = insn->imm >= 0 ? abi_helper_by_id((uint32_t)insn->imm) : NULL;
        if (h)
            emit(l, "  ; bpf_%s", h->name);
    } else if (isa_is_jump(insn)) {
        emit(l, "  ; -> %" PRId64, isa_jump_target(insn, pc));
    }
}

/* One instruction line (or an `.invalid` line for a slot that does not decode). Returns the slots used. */
static size_t emit_insn(listing *l, const ebpf_object *obj, const elf_program *p, size_t pc)
{
    const isa_slot *code = p->insns;
    isa_insn insn;
    struct ebpf_diag why;
    char text[160];
    int rc = isa_decode(code, p->insn_count, pc, &insn, &why);
    int n = rc == 0 ? isa_disasm_insn(&insn, text, sizeof text) : -1;
    if (rc != 0 || n < 0 || (size_t)n >= sizeof text) {
        const uint8_t *raw = (const uint8_t *)&code[pc];
        emit(l, "%6zu: .invalid", pc);
        for (size_t i = 0; i < sizeof(isa_slot); i++)
            emit(l, " %02x", raw[i]);
        emit(l, "  ; %s\n", rc != 0 ? why.message : "fields the assembly syntax cannot express");
        return 1;
    }
    emit(l, "%6zu: %s", pc, text);
    annotate(l, obj, p, &insn, pc);
    emit(l, "\n");
    return insn.slots;
}

int ebpf_object_program_disasm(const ebpf_object *obj, size_t index, char **out, struct ebpf_diag *diag)
{
    diag_clear(diag);
    if (!obj || !out)
        return fail_errno(-diag_fail(diag, -1, "ebpf_object_program_disasm: object and listing are required"));
    *out = NULL;
    if (index >= ebpf_object_program_count(obj))
        return fail_errno(-diag_fail_errno(diag, -ENOENT, -1, "the object has no program %zu (it has %zu)", index,
                                           ebpf_object_program_count(obj)));
    const elf_program *p = elf_object_program(obj->elf, index);
    listing l = { 0 };
    const elf_line *last = NULL;
    for (size_t pc = 0; pc < p->insn_count && !l.error;) {
        const elf_func *f = func_at(p, (int64_t)pc);
        if (f) {
            emit(&l, "%s%s:\n", pc ? "\n" : "", f->name);
            last = NULL; /* restate the source line at the top of every function */
        }
        const elf_line *line = elf_program_line(p, pc);
        if (line && line->line == 0)
            line = NULL; /* compiler-generated code with no source line of its own */
        if (line && line != last && (!last || line->line != last->line || strcmp(line->file, last->file))) {
            const char *file = base_name(line->file);
            if (line->text && line->text[0])
                emit(&l, "; %s:%" PRIu32 ": %s\n", file, line->line, line->text);
            else
                emit(&l, "; %s:%" PRIu32 "\n", file, line->line);
        }
        if (line)
            last = line;
        pc += emit_insn(&l, obj, p, pc);
    }
    if (!l.error && !l.text)
        emit(&l, "%s", "");
    if (l.error) {
        free(l.text);
        return fail_errno(-diag_fail_errno(diag, l.error, -1, "out of memory while disassembling"));
    }
    *out = l.text;
    return 0;
}
