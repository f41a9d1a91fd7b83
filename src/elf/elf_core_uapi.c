/*
 * elf_core_uapi.c - CO-RE relocations resolved against the context structs of <linux/bpf.h> whose
 * layout the runtime implements (src/abi/ctx_fields.def: xdp_md, __sk_buff, bpf_sock_addr,
 * bpf_sock_ops). Programs built against vmlinux.h, or with preserve_access_index, carry CO-RE
 * relocations even for their context, and their local definition may differ from the UAPI (a trimmed
 * `struct bpf_sock_ops` whose remote_port sits at 32, not 64). As libbpf does against a kernel's BTF,
 * the field the access string names in the program's own BTF is found by name in the UAPI layout, and
 * the instruction is patched: the offset of a load/store or the immediate of an ALU instruction
 * (field_byte_offset), the immediate of field_byte_size / field_exists. Relocations this cannot resolve
 * (kernel-internal types, bitfields, other kinds, a field the layout lacks) stay unresolved and make
 * the program unloadable with the relocation named (elf_program_check).
 */
#include "elf/elf_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi_ctx.h"

enum { CORE_FIELD_BYTE_OFFSET = 0, CORE_FIELD_BYTE_SIZE = 1, CORE_FIELD_EXISTS = 2 };

static const struct {
    const char *name;
    abi_ctx_layout layout;
} uapi_structs[] = {
    {"xdp_md", ABI_CTX_XDP},
    {"__sk_buff", ABI_CTX_SKB},
    {"bpf_sock_addr", ABI_CTX_SOCK_ADDR},
    {"bpf_sock_ops", ABI_CTX_SOCK_OPS},
};

/* Names of the UAPI that ctx_fields.def spells differently (members of bpf_sock_ops' leading union). */
static const struct {
    abi_ctx_layout layout;
    const char *name;
    uint16_t offset, size;
} aliases[] = {
    {ABI_CTX_SOCK_OPS, "args", 4, 16},
    {ABI_CTX_SOCK_OPS, "replylong", 4, 16},
};

/* The layout of "struct NAME" or of a local flavour "struct NAME___suffix"; -1 if none. */
static int layout_of(const char *type_name)
{
    if (!type_name || strncmp(type_name, "struct ", 7) != 0)
        return -1;
    const char *name = type_name + 7, *flavour = strstr(name, "___");
    size_t len = flavour ? (size_t)(flavour - name) : strlen(name);
    for (size_t i = 0; i < sizeof uapi_structs / sizeof uapi_structs[0]; i++)
        if (strlen(uapi_structs[i].name) == len && !strncmp(name, uapi_structs[i].name, len))
            return (int)uapi_structs[i].layout;
    return -1;
}

/* The UAPI offset and size of field `name` of the layout; false if it has none. */
static bool uapi_field(abi_ctx_layout layout, const char *name, uint32_t *offset, uint32_t *size)
{
    size_t count = 0;
    const abi_ctx_field *f = abi_ctx_fields(layout, &count);
    for (size_t i = 0; i < count; i++)
        if (!strcmp(f[i].name, name)) {
            *offset = f[i].offset;
            *size = f[i].size;
            return true;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (aliases[i].layout == layout && !strcmp(aliases[i].name, name)) {
            *offset = aliases[i].offset;
            *size = aliases[i].size;
            return true;
        }
    return false;
}

/* What the access string names in the local BTF: the last named member, the byte offset (local) of
 * the access, its size, and the byte offset of the named member (so an index into an array member
 * keeps its distance from it). */
typedef struct core_access {
    const char *name;
    uint32_t offset, size, name_offset;
} core_access;

static bool walk_access(const btf *b, uint32_t root, const char *access, core_access *out)
{
    char *end;
    if (strtoul(access, &end, 10) != 0) /* an index into an array of root structs: not a field access */
        return false;
    int64_t t = btf_skip_modifiers(b, root, true);
    uint64_t bits = 0, size = 0;
    memset(out, 0, sizeof *out);
    while (*end == ':') {
        unsigned long idx = strtoul(end + 1, &end, 10);
        if (t <= 0)
            return false;
        uint32_t kind = btf_kind(b, (uint32_t)t);
        if (kind == BTF_K_STRUCT || kind == BTF_K_UNION) {
            if (idx >= btf_vlen(b, (uint32_t)t))
                return false;
            btf_member m = btf_member_at(b, (uint32_t)t, (uint32_t)idx);
            if (btf_kflag(b, (uint32_t)t) && (m.offset >> 24)) /* a bitfield */
                return false;
            bits += btf_kflag(b, (uint32_t)t) ? (m.offset & 0xffffff) : m.offset;
            if (m.name && m.name[0]) {
                out->name = m.name;
                out->name_offset = (uint32_t)(bits / 8);
            }
            t = btf_skip_modifiers(b, m.type, true);
        } else if (kind == BTF_K_ARRAY) {
            uint32_t elem, n;
            btf_array_info(b, (uint32_t)t, &elem, &n);
            if (idx >= n || btf_resolve_size(b, elem, &size, NULL) != 0 || (idx && size > UINT32_MAX / idx))
                return false;
            bits += idx * size * 8;
            t = btf_skip_modifiers(b, elem, true);
        } else {
            return false;
        }
    }
    if (*end != '\0' || !out->name || bits % 8 || t <= 0 || btf_resolve_size(b, (uint32_t)t, &size, NULL) != 0)
        return false;
    out->offset = (uint32_t)(bits / 8);
    out->size = (uint32_t)size;
    return true;
}

/* Patches the instruction for one relocation; false when it cannot be resolved. */
static bool resolve(const btf *b, const elf_core_relo *r, isa_slot *insn)
{
    int layout = layout_of(r->type_name);
    core_access a;
    if (layout < 0 || !r->access || !walk_access(b, r->btf_type, r->access, &a))
        return false;
    uint32_t field_off = 0, field_size = 0;
    bool found = uapi_field((abi_ctx_layout)layout, a.name, &field_off, &field_size);
    uint32_t within = a.offset - a.name_offset; /* an element of an array field */
    bool fits = found && within + a.size <= field_size;
    uint8_t cls = insn->opcode & 0x07;
    bool mem = cls == 0x01 || cls == 0x02 || cls == 0x03; /* LDX, ST, STX */
    bool alu = cls == 0x04 || cls == 0x07;                /* ALU, ALU64 (immediate source) */
    switch (r->kind) {
    case CORE_FIELD_BYTE_OFFSET:
        if (!fits)
            return false;
        if (mem && insn->off == (int16_t)a.offset) {
            insn->off = (int16_t)(field_off + within);
            return true;
        }
        if (alu && !(insn->opcode & 0x08) && insn->imm == (int32_t)a.offset) {
            insn->imm = (int32_t)(field_off + within);
            return true;
        }
        return false;
    case CORE_FIELD_BYTE_SIZE:
        return fits && alu && !(insn->opcode & 0x08) && insn->imm == (int32_t)a.size;
    case CORE_FIELD_EXISTS:
        if (!alu || (insn->opcode & 0x08))
            return false;
        insn->imm = fits ? 1 : 0;
        return true;
    default:
        return false;
    }
}

void elf_core_resolve_uapi(const btf *b, elf_core_relo *relos, size_t count, isa_slot *insns, size_t insn_count)
{
    for (size_t i = 0; i < count; i++)
        if (b && relos[i].insn < insn_count)
            relos[i].resolved = resolve(b, &relos[i], &insns[relos[i].insn]);
}
