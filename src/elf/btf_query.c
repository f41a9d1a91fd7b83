/*
 * btf_query.c - reading a validated BTF (btf_parse): kinds, names, members, and the walks along type
 * references (modifier chains, sizes). Any id may be passed: ids outside the table read as void. Walks
 * are bounded by BTF_MAX_DEPTH, because validation cannot exclude reference cycles.
 */
#include "elf/btf.h"
#include "elf/elf_int.h"

#include <stdio.h>
#include <string.h>

static const uint8_t *type_rec(const btf *b, uint32_t id)
{
    return (id > 0 && id < b->count) ? b->types[id] : NULL;
}

uint32_t btf_kind(const btf *b, uint32_t id)
{
    const uint8_t *t = type_rec(b, id);
    return t ? BTF_INFO_KIND_OF(elf_rd32(t + 4)) : BTF_K_UNKN;
}

uint32_t btf_vlen(const btf *b, uint32_t id)
{
    const uint8_t *t = type_rec(b, id);
    return t ? BTF_INFO_VLEN_OF(elf_rd32(t + 4)) : 0;
}

bool btf_kflag(const btf *b, uint32_t id)
{
    const uint8_t *t = type_rec(b, id);
    return t && BTF_INFO_KFLAG_OF(elf_rd32(t + 4));
}

uint32_t btf_size_or_type(const btf *b, uint32_t id)
{
    const uint8_t *t = type_rec(b, id);
    return t ? elf_rd32(t + 8) : 0;
}

const char *btf_str(const btf *b, uint32_t offset)
{
    if (offset >= b->str_len)
        return NULL;
    const char *s = (const char *)b->strs + offset;
    return memchr(s, '\0', b->str_len - offset) ? s : NULL;
}

const char *btf_name(const btf *b, uint32_t id)
{
    const uint8_t *t = type_rec(b, id);
    const char *s = t ? btf_str(b, elf_rd32(t)) : NULL;
    return s ? s : "";
}

const char *btf_kind_name(uint32_t kind)
{
    static const char *const names[BTF_K_COUNT] = {
        [BTF_K_UNKN] = "void",        [BTF_K_INT] = "int",          [BTF_K_PTR] = "pointer",
        [BTF_K_ARRAY] = "array",      [BTF_K_STRUCT] = "struct",    [BTF_K_UNION] = "union",
        [BTF_K_ENUM] = "enum",        [BTF_K_FWD] = "forward declaration",
        [BTF_K_TYPEDEF] = "typedef",  [BTF_K_VOLATILE] = "volatile", [BTF_K_CONST] = "const",
        [BTF_K_RESTRICT] = "restrict", [BTF_K_FUNC] = "func",       [BTF_K_FUNC_PROTO] = "function prototype",
        [BTF_K_VAR] = "var",          [BTF_K_DATASEC] = "datasec",  [BTF_K_FLOAT] = "float",
        [BTF_K_DECL_TAG] = "decl tag", [BTF_K_TYPE_TAG] = "type tag", [BTF_K_ENUM64] = "enum64",
    };
    return kind < BTF_K_COUNT ? names[kind] : "unknown kind";
}

btf_member btf_member_at(const btf *b, uint32_t id, uint32_t i)
{
    btf_member m = {.name = ""};
    const uint8_t *t = type_rec(b, id);
    if (!t || i >= btf_vlen(b, id))
        return m;
    const uint8_t *tail = t + BTF_TYPE_SIZE;
    const char *name = NULL;
    switch (btf_kind(b, id)) {
    case BTF_K_STRUCT: case BTF_K_UNION: {
        const uint8_t *r = tail + (size_t)i * BTF_MEMBER_SIZE;
        name = btf_str(b, elf_rd32(r));
        m.type = elf_rd32(r + 4);
        m.offset = BTF_MEMBER_BIT_OFFSET(btf_kflag(b, id), elf_rd32(r + 8));
        break;
    }
    case BTF_K_FUNC_PROTO: {
        const uint8_t *r = tail + (size_t)i * BTF_PARAM_SIZE;
        name = btf_str(b, elf_rd32(r));
        m.type = elf_rd32(r + 4);
        break;
    }
    case BTF_K_ENUM: {
        const uint8_t *r = tail + (size_t)i * BTF_ENUM_SIZE;
        name = btf_str(b, elf_rd32(r));
        m.offset = elf_rd32(r + 4);
        break;
    }
    case BTF_K_ENUM64: {
        const uint8_t *r = tail + (size_t)i * BTF_ENUM64_SIZE;
        name = btf_str(b, elf_rd32(r));
        m.offset = elf_rd32(r + 4);
        break;
    }
    case BTF_K_DATASEC: {
        const uint8_t *r = tail + (size_t)i * BTF_SECINFO_SIZE;
        m.type = elf_rd32(r);
        name = btf_name(b, m.type);
        m.offset = elf_rd32(r + 4);
        m.size = elf_rd32(r + 8);
        break;
    }
    default:
        break;
    }
    m.name = name ? name : "";
    return m;
}

void btf_array_info(const btf *b, uint32_t id, uint32_t *elem_type, uint32_t *nelems)
{
    *elem_type = 0;
    *nelems = 0;
    if (btf_kind(b, id) != BTF_K_ARRAY)
        return;
    const uint8_t *tail = b->types[id] + BTF_TYPE_SIZE;
    *elem_type = elf_rd32(tail);
    *nelems = elf_rd32(tail + 8);
}

static bool is_modifier(uint32_t kind, bool typedefs)
{
    return kind == BTF_K_VOLATILE || kind == BTF_K_CONST || kind == BTF_K_RESTRICT || kind == BTF_K_TYPE_TAG ||
           (typedefs && kind == BTF_K_TYPEDEF);
}

int64_t btf_skip_modifiers(const btf *b, uint32_t id, bool typedefs)
{
    for (int depth = 0; depth <= BTF_MAX_DEPTH; depth++) {
        if (!is_modifier(btf_kind(b, id), typedefs))
            return id;
        id = btf_size_or_type(b, id);
    }
    return -1;
}

int btf_resolve_size(const btf *b, uint32_t id, uint64_t *size, ebpf_diag *diag)
{
    uint64_t multiplier = 1;
    uint32_t start = id;
    for (int depth = 0; depth <= BTF_MAX_DEPTH; depth++) {
        uint32_t kind = btf_kind(b, id);
        uint64_t unit;
        switch (kind) {
        case BTF_K_INT: case BTF_K_ENUM: case BTF_K_STRUCT: case BTF_K_UNION: case BTF_K_DATASEC:
        case BTF_K_FLOAT: case BTF_K_ENUM64:
            unit = btf_size_or_type(b, id);
            break;
        case BTF_K_PTR:
            unit = 8;
            break;
        case BTF_K_TYPEDEF: case BTF_K_VOLATILE: case BTF_K_CONST: case BTF_K_RESTRICT: case BTF_K_TYPE_TAG:
        case BTF_K_VAR:
            id = btf_size_or_type(b, id);
            continue;
        case BTF_K_ARRAY: {
            uint32_t elem, n;
            btf_array_info(b, id, &elem, &n);
            if (__builtin_mul_overflow(multiplier, (uint64_t)n, &multiplier) || multiplier > UINT32_MAX)
                return diag_fail(diag, -1, "BTF type %u: array size overflows", start);
            id = elem;
            continue;
        }
        default:
            return diag_fail(diag, -1, "BTF type %u has no size (it leads to type %u, a %s)", start, id,
                             btf_kind_name(kind));
        }
        uint64_t total;
        if (__builtin_mul_overflow(unit, multiplier, &total) || total > UINT32_MAX)
            return diag_fail(diag, -1, "BTF type %u: size overflows 4 GiB", start);
        *size = total;
        return 0;
    }
    return diag_fail(diag, -1, "BTF type %u: reference chain longer than %d (a cycle?)", start, BTF_MAX_DEPTH);
}

uint32_t btf_find(const btf *b, uint32_t kind, const char *name)
{
    for (uint32_t id = 1; id < b->count; id++)
        if (btf_kind(b, id) == kind && strcmp(btf_name(b, id), name) == 0)
            return id;
    return 0;
}

const char *btf_describe(const btf *b, uint32_t id, char *buf, size_t size)
{
    uint32_t kind = btf_kind(b, id);
    const char *name = btf_name(b, id);
    if (id == 0)
        snprintf(buf, size, "void");
    else if (kind == BTF_K_STRUCT || kind == BTF_K_UNION || kind == BTF_K_ENUM || kind == BTF_K_ENUM64)
        snprintf(buf, size, "%s %s", kind == BTF_K_ENUM64 ? "enum" : btf_kind_name(kind), name[0] ? name : "(anon)");
    else if (name[0])
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "(anon) %s", btf_kind_name(kind));
    return buf;
}
