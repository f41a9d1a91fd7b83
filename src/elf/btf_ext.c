/*
 * btf_ext.c - .BTF.ext: per-section function info, line info and CO-RE relocation records. Each part
 * is validated completely here (record size, block bounds, section names, string offsets, type ids);
 * instruction offsets are checked by the linker against the code section a block names.
 */
#include "elf/btf.h"
#include "elf/elf_int.h"

#include <errno.h>
#include <string.h>

#define BTF_EXT_MAX_REC_SIZE 256

typedef int (*record_check)(const btf *b, const uint8_t *rec, const char *section, ebpf_diag *diag);

static int check_func_rec(const btf *b, const uint8_t *rec, const char *section, ebpf_diag *diag)
{
    uint32_t type = elf_rd32(rec + 4);
    if (btf_kind(b, type) != BTF_K_FUNC)
        return diag_fail(diag, -1, "BTF.ext func_info for section '%s' (offset 0x%x): type %u is not a function",
                         section, elf_rd32(rec), type);
    return 0;
}

static int check_line_rec(const btf *b, const uint8_t *rec, const char *section, ebpf_diag *diag)
{
    if (!btf_str(b, elf_rd32(rec + 4)) || !btf_str(b, elf_rd32(rec + 8)))
        return diag_fail(diag, -1, "BTF.ext line_info for section '%s' (offset 0x%x): file or line string is outside the BTF strings",
                         section, elf_rd32(rec));
    return 0;
}

static int check_core_rec(const btf *b, const uint8_t *rec, const char *section, ebpf_diag *diag)
{
    uint32_t type = elf_rd32(rec + 4);
    const char *access = btf_str(b, elf_rd32(rec + 8));
    if (type == 0 || type >= b->count)
        return diag_fail(diag, -1, "BTF.ext CO-RE relocation for section '%s' (offset 0x%x): type %u does not exist",
                         section, elf_rd32(rec), type);
    if (!access || !access[0])
        return diag_fail(diag, -1, "BTF.ext CO-RE relocation for section '%s' (offset 0x%x): access string offset 0x%x is invalid",
                         section, elf_rd32(rec), elf_rd32(rec + 8));
    return 0;
}

/* One part: u32 record size, then blocks { u32 section name offset, u32 count, records }. */
static int parse_part(elf_arena *arena, const btf *b, const uint8_t *data, size_t len, uint32_t min_rec,
                      const char *what, record_check check, btf_ext_part *part, ebpf_diag *diag)
{
    if (len == 0)
        return 0;
    if (len < 4)
        return diag_fail(diag, -1, "BTF.ext %s: %zu bytes is too short for the record size", what, len);
    uint32_t rec_size = elf_rd32(data);
    if (rec_size < min_rec || rec_size > BTF_EXT_MAX_REC_SIZE || rec_size % 4 != 0)
        return diag_fail(diag, -1, "BTF.ext %s: record size %u is invalid (at least %u, a multiple of 4)", what,
                         rec_size, min_rec);
    part->rec_size = rec_size;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t blocks = 0;
        for (size_t pos = 4; pos < len; blocks++) {
            if (len - pos < 8)
                return diag_fail(diag, -1, "BTF.ext %s: block at offset 0x%zx is cut short", what, pos);
            uint32_t name_off = elf_rd32(data + pos), count = elf_rd32(data + pos + 4);
            const char *section = btf_str(b, name_off);
            if (!section || !section[0])
                return diag_fail(diag, -1, "BTF.ext %s: block at offset 0x%zx names no section (string offset 0x%x)",
                                 what, pos, name_off);
            pos += 8;
            if (count == 0 || (uint64_t)count * rec_size > len - pos)
                return diag_fail(diag, -1, "BTF.ext %s for section '%s': %u records of %u bytes do not fit", what,
                                 section, count, rec_size);
            if (pass == 1) {
                part->blocks[blocks] = (btf_ext_block){.section = section, .count = count, .recs = data + pos};
                for (uint32_t i = 0; i < count; i++) {
                    int rc = check(b, data + pos + (size_t)i * rec_size, section, diag);
                    if (rc)
                        return rc;
                }
            }
            pos += (size_t)count * rec_size;
        }
        if (pass == 0) {
            part->block_count = blocks;
            part->blocks = elf_arena_alloc(arena, blocks, sizeof(btf_ext_block));
            if (!part->blocks)
                return diag_fail_errno(diag, -ENOMEM, -1, "out of memory reading BTF.ext");
        }
    }
    return 0;
}

/* Where each part's offset and length sit in the header, and how its records are checked. */
struct part_desc {
    uint32_t off_field;
    uint32_t len_field;
    uint32_t min_rec;
    const char *what;
    record_check check;
    btf_ext_part *part;
};

int btf_ext_parse(elf_arena *arena, const btf *b, const uint8_t *data, size_t size, btf_ext **out,
                  ebpf_diag *diag)
{
    if (size < BTF_EXT_HDR_MIN_SIZE)
        return diag_fail(diag, -1, "BTF.ext: section of %zu bytes is too small for the header (24)", size);
    if (elf_rd16(data + BTF_EXT_HDR_MAGIC) != BTF_MAGIC_VALUE)
        return diag_fail(diag, -1, "BTF.ext: bad magic 0x%04x (expected 0xeb9f)", elf_rd16(data));
    if (data[BTF_EXT_HDR_VERSION] != BTF_VERSION_VALUE)
        return diag_fail(diag, -1, "BTF.ext: version %u is not supported (expected 1)", data[BTF_EXT_HDR_VERSION]);
    uint32_t hdr_len = elf_rd32(data + BTF_EXT_HDR_LEN);
    if (hdr_len < BTF_EXT_HDR_MIN_SIZE || hdr_len > size)
        return diag_fail(diag, -1, "BTF.ext: header length %u is not between 24 and the section size %zu", hdr_len,
                         size);
    const uint8_t *body = data + hdr_len;
    size_t body_len = size - hdr_len;

    btf_ext *ext = elf_arena_alloc(arena, 1, sizeof(btf_ext));
    if (!ext)
        return diag_fail_errno(diag, -ENOMEM, -1, "out of memory reading BTF.ext");
    const struct part_desc parts[3] = {
        {BTF_EXT_HDR_FUNC_OFF, BTF_EXT_HDR_FUNC_LEN, BTF_FUNC_INFO_SIZE, "func_info", check_func_rec, &ext->func},
        {BTF_EXT_HDR_LINE_OFF, BTF_EXT_HDR_LINE_LEN, BTF_LINE_INFO_SIZE, "line_info", check_line_rec, &ext->line},
        {BTF_EXT_HDR_CORE_OFF, BTF_EXT_HDR_CORE_LEN, BTF_CORE_RELO_SIZE, "core_relo", check_core_rec, &ext->core},
    };
    size_t nparts = hdr_len >= BTF_EXT_HDR_CORE_SIZE ? 3 : 2;
    for (size_t i = 0; i < nparts; i++) {
        uint32_t off = elf_rd32(data + parts[i].off_field), len = elf_rd32(data + parts[i].len_field);
        if (!checked_range(off, len, body_len))
            return diag_fail(diag, -1, "BTF.ext %s (offset 0x%x, length 0x%x) is outside the section data (0x%zx bytes)",
                             parts[i].what, off, len, body_len);
        int rc = parse_part(arena, b, body + off, len, parts[i].min_rec, parts[i].what, parts[i].check, parts[i].part,
                            diag);
        if (rc)
            return rc;
    }
    *out = ext;
    return 0;
}

const btf_ext_block *btf_ext_find(const btf_ext_part *part, const char *section)
{
    for (uint32_t i = 0; i < part->block_count; i++)
        if (strcmp(part->blocks[i].section, section) == 0)
            return &part->blocks[i];
    return NULL;
}
