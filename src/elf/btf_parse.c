/*
 * btf_parse.c - validation of a .BTF blob: header, string section, and every type record, so that
 * the accessors of btf_query.c can index freely. Three passes: measure each record (its kind-specific
 * tail must fit in the type section), index and check names and type references, then check the kinds
 * that references must have (FUNC -> FUNC_PROTO, DATASEC entries -> VAR).
 */
#include "elf/btf.h"
#include "elf/elf_int.h"

#include <errno.h>
#include <string.h>

/* Bytes of kind-specific data after the 12-byte btf_type; -1 for an unknown kind. */
static int64_t tail_size(uint32_t kind, uint32_t vlen)
{
    switch (kind) {
    case BTF_K_INT: return BTF_INT_SIZE;
    case BTF_K_PTR: case BTF_K_FWD: case BTF_K_TYPEDEF: case BTF_K_VOLATILE: case BTF_K_CONST:
    case BTF_K_RESTRICT: case BTF_K_FUNC: case BTF_K_FLOAT: case BTF_K_TYPE_TAG:
        return 0;
    case BTF_K_ARRAY: return BTF_ARRAY_SIZE;
    case BTF_K_STRUCT: case BTF_K_UNION: return (int64_t)vlen * BTF_MEMBER_SIZE;
    case BTF_K_ENUM: return (int64_t)vlen * BTF_ENUM_SIZE;
    case BTF_K_FUNC_PROTO: return (int64_t)vlen * BTF_PARAM_SIZE;
    case BTF_K_VAR: return BTF_VAR_SIZE;
    case BTF_K_DATASEC: return (int64_t)vlen * BTF_SECINFO_SIZE;
    case BTF_K_DECL_TAG: return BTF_DECL_TAG_SIZE;
    case BTF_K_ENUM64: return (int64_t)vlen * BTF_ENUM64_SIZE;
    default: return -1;
    }
}

static bool refers_by_type_field(uint32_t kind)
{
    switch (kind) {
    case BTF_K_PTR: case BTF_K_TYPEDEF: case BTF_K_VOLATILE: case BTF_K_CONST: case BTF_K_RESTRICT:
    case BTF_K_FUNC: case BTF_K_FUNC_PROTO: case BTF_K_VAR: case BTF_K_DECL_TAG: case BTF_K_TYPE_TAG:
        return true;
    default:
        return false;
    }
}

static int check_ref(const btf *b, uint32_t id, uint32_t ref, const char *what, ebpf_diag *diag)
{
    if (ref >= b->count)
        return diag_fail(diag, -1, "BTF type %u (%s): %s type id %u does not exist (the BTF has %u types)", id,
                         btf_kind_name(btf_kind(b, id)), what, ref, b->count - 1);
    return 0;
}

static int check_name(const btf *b, uint32_t id, uint32_t name_off, ebpf_diag *diag)
{
    if (!btf_str(b, name_off))
        return diag_fail(diag, -1, "BTF type %u: name offset 0x%x is outside the string section (size 0x%x)", id,
                         name_off, b->str_len);
    return 0;
}

/* Names and type references of one record. */
static int check_record(const btf *b, uint32_t id, ebpf_diag *diag)
{
    const uint8_t *t = b->types[id];
    uint32_t kind = btf_kind(b, id), vlen = btf_vlen(b, id), ref = elf_rd32(t + 8);
    int rc = check_name(b, id, elf_rd32(t), diag);
    if (rc)
        return rc;
    if (refers_by_type_field(kind) && (rc = check_ref(b, id, ref, kind == BTF_K_FUNC_PROTO ? "return" : "referenced", diag)))
        return rc;
    const uint8_t *tail = t + BTF_TYPE_SIZE;
    switch (kind) {
    case BTF_K_ARRAY:
        if ((rc = check_ref(b, id, elf_rd32(tail), "element", diag)) || (rc = check_ref(b, id, elf_rd32(tail + 4), "index", diag)))
            return rc;
        break;
    case BTF_K_STRUCT: case BTF_K_UNION:
        for (uint32_t i = 0; i < vlen; i++) {
            const uint8_t *m = tail + (size_t)i * BTF_MEMBER_SIZE;
            if ((rc = check_name(b, id, elf_rd32(m), diag)) || (rc = check_ref(b, id, elf_rd32(m + 4), "member", diag)))
                return rc;
        }
        break;
    case BTF_K_ENUM: case BTF_K_ENUM64:
        for (uint32_t i = 0; i < vlen; i++)
            if ((rc = check_name(b, id, elf_rd32(tail + (size_t)i * (kind == BTF_K_ENUM ? BTF_ENUM_SIZE : BTF_ENUM64_SIZE)), diag)))
                return rc;
        break;
    case BTF_K_FUNC_PROTO:
        for (uint32_t i = 0; i < vlen; i++) {
            const uint8_t *p = tail + (size_t)i * BTF_PARAM_SIZE;
            if ((rc = check_name(b, id, elf_rd32(p), diag)) || (rc = check_ref(b, id, elf_rd32(p + 4), "parameter", diag)))
                return rc;
        }
        break;
    case BTF_K_DATASEC:
        for (uint32_t i = 0; i < vlen; i++)
            if ((rc = check_ref(b, id, elf_rd32(tail + (size_t)i * BTF_SECINFO_SIZE), "variable", diag)))
                return rc;
        break;
    default:
        break;
    }
    return 0;
}

/* Kinds that references must have. */
static int check_kinds(const btf *b, uint32_t id, ebpf_diag *diag)
{
    uint32_t kind = btf_kind(b, id);
    uint32_t ref = btf_size_or_type(b, id);
    if (kind == BTF_K_FUNC && btf_kind(b, ref) != BTF_K_FUNC_PROTO)
        return diag_fail(diag, -1, "BTF type %u (func '%s'): type %u is a %s, not a function prototype", id,
                         btf_name(b, id), ref, btf_kind_name(btf_kind(b, ref)));
    if (kind == BTF_K_VAR && ref == 0)
        return diag_fail(diag, -1, "BTF type %u (var '%s') has type void", id, btf_name(b, id));
    if (kind == BTF_K_DATASEC) {
        for (uint32_t i = 0; i < btf_vlen(b, id); i++) {
            uint32_t var = btf_member_at(b, id, i).type;
            if (btf_kind(b, var) != BTF_K_VAR)
                return diag_fail(diag, -1, "BTF type %u (datasec '%s'): entry %u is type %u, a %s, not a variable", id,
                                 btf_name(b, id), i, var, btf_kind_name(btf_kind(b, var)));
        }
    }
    return 0;
}

static int parse_header(const uint8_t *data, size_t size, const uint8_t **types, uint32_t *types_len,
                        const uint8_t **strs, uint32_t *str_len, ebpf_diag *diag)
{
    if (size < BTF_HDR_MIN_SIZE)
        return diag_fail(diag, -1, "BTF: section of %zu bytes is too small for the header (24)", size);
    uint16_t magic = elf_rd16(data + BTF_HDR_MAGIC);
    if (magic == 0x9FEB)
        return diag_fail(diag, -1, "BTF: big-endian BTF is not supported");
    if (magic != BTF_MAGIC_VALUE)
        return diag_fail(diag, -1, "BTF: bad magic 0x%04x (expected 0xeb9f)", magic);
    if (data[BTF_HDR_VERSION] != BTF_VERSION_VALUE)
        return diag_fail(diag, -1, "BTF: version %u is not supported (expected 1)", data[BTF_HDR_VERSION]);
    uint32_t hdr_len = elf_rd32(data + BTF_HDR_LEN);
    if (hdr_len < BTF_HDR_MIN_SIZE || hdr_len > size)
        return diag_fail(diag, -1, "BTF: header length %u is not between 24 and the section size %zu", hdr_len, size);
    for (uint32_t i = BTF_HDR_MIN_SIZE; i < hdr_len; i++)
        if (data[i] != 0)
            return diag_fail(diag, -1, "BTF: the header has unknown non-zero fields (byte %u)", i);
    size_t body = size - hdr_len;
    uint32_t type_off = elf_rd32(data + BTF_HDR_TYPE_OFF), tlen = elf_rd32(data + BTF_HDR_TYPE_LEN);
    uint32_t str_off = elf_rd32(data + BTF_HDR_STR_OFF), slen = elf_rd32(data + BTF_HDR_STR_LEN);
    if (!checked_range(type_off, tlen, body))
        return diag_fail(diag, -1, "BTF: type section (offset 0x%x, length 0x%x) is outside the data (0x%zx bytes)",
                         type_off, tlen, body);
    if (!checked_range(str_off, slen, body))
        return diag_fail(diag, -1, "BTF: string section (offset 0x%x, length 0x%x) is outside the data (0x%zx bytes)",
                         str_off, slen, body);
    if (slen == 0 || data[hdr_len + str_off] != '\0' || data[hdr_len + str_off + slen - 1] != '\0')
        return diag_fail(diag, -1, "BTF: the string section must start and end with a NUL byte");
    *types = data + hdr_len + type_off;
    *types_len = tlen;
    *strs = data + hdr_len + str_off;
    *str_len = slen;
    return 0;
}

int btf_parse(elf_arena *arena, const uint8_t *data, size_t size, btf **out, ebpf_diag *diag)
{
    const uint8_t *types = NULL, *strs = NULL;
    uint32_t types_len = 0, str_len = 0;
    int rc = parse_header(data, size, &types, &types_len, &strs, &str_len, diag);
    if (rc)
        return rc;

    /* Pass 1: record boundaries. */
    uint32_t count = 1;
    for (uint32_t pos = 0; pos < types_len;) {
        if (types_len - pos < BTF_TYPE_SIZE)
            return diag_fail(diag, -1, "BTF: type %u at offset 0x%x is cut short by the end of the type section", count,
                             pos);
        uint32_t info = elf_rd32(types + pos + 4);
        int64_t tail = tail_size(BTF_INFO_KIND_OF(info), BTF_INFO_VLEN_OF(info));
        if (tail < 0)
            return diag_fail(diag, -1, "BTF: type %u has unknown kind %u", count, BTF_INFO_KIND_OF(info));
        if ((uint64_t)tail > types_len - pos - BTF_TYPE_SIZE)
            return diag_fail(diag, -1, "BTF: type %u (%s, %u entries) runs past the end of the type section", count,
                             btf_kind_name(BTF_INFO_KIND_OF(info)), BTF_INFO_VLEN_OF(info));
        pos += BTF_TYPE_SIZE + (uint32_t)tail;
        if (count == BTF_MAX_TYPES)
            return diag_fail_errno(diag, -E2BIG, -1, "BTF: more than %u types", BTF_MAX_TYPES - 1);
        count++;
    }

    btf *b = elf_arena_alloc(arena, 1, sizeof(btf));
    const uint8_t **index = elf_arena_alloc(arena, count, sizeof(*index));
    if (!b || !index)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory reading BTF");
    b->strs = strs;
    b->str_len = str_len;
    b->count = count;
    b->types = index;

    /* Pass 2: index, names, references. */
    uint32_t id = 1;
    for (uint32_t pos = 0; pos < types_len; id++) {
        index[id] = types + pos;
        uint32_t info = elf_rd32(types + pos + 4);
        pos += BTF_TYPE_SIZE + (uint32_t)tail_size(BTF_INFO_KIND_OF(info), BTF_INFO_VLEN_OF(info));
    }
    for (id = 1; id < count; id++)
        if ((rc = check_record(b, id, diag)))
            return rc;
    /* Pass 3: kinds of what is referenced. */
    for (id = 1; id < count; id++)
        if ((rc = check_kinds(b, id, diag)))
            return rc;
    *out = b;
    return 0;
}
