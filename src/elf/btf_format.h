/*
 * btf_format.h - the BTF and BTF.ext on-disk formats (Linux UAPI btf.h and the kernel's BTF
 * documentation), as constants and record sizes. Parsers read every field with elf_rd16/32.
 *
 * .BTF:      header | type section: btf_type records, each followed by kind-specific data | strings
 * .BTF.ext:  header | func_info | line_info | core_relo; each part is a u32 record size followed by
 *            blocks { u32 section name offset, u32 record count, records[count] }.
 */
#ifndef EBPF_BTF_FORMAT_H
#define EBPF_BTF_FORMAT_H

#define BTF_MAGIC_VALUE 0xeB9F
#define BTF_VERSION_VALUE 1

/* struct btf_header */
#define BTF_HDR_MIN_SIZE 24
#define BTF_HDR_MAGIC 0
#define BTF_HDR_VERSION 2
#define BTF_HDR_LEN 4
#define BTF_HDR_TYPE_OFF 8
#define BTF_HDR_TYPE_LEN 12
#define BTF_HDR_STR_OFF 16
#define BTF_HDR_STR_LEN 20

/* struct btf_type: name_off, info (vlen 0-15, kind 24-28, kind_flag 31), size or type */
#define BTF_TYPE_SIZE 12
#define BTF_INFO_KIND_OF(info) (((info) >> 24) & 0x1f)
#define BTF_INFO_VLEN_OF(info) ((info) & 0xffff)
#define BTF_INFO_KFLAG_OF(info) ((info) >> 31)

enum btf_kind {
    BTF_K_UNKN = 0,
    BTF_K_INT = 1,        /* + u32 encoding/offset/bits */
    BTF_K_PTR = 2,
    BTF_K_ARRAY = 3,      /* + btf_array { type, index_type, nelems } */
    BTF_K_STRUCT = 4,     /* + vlen * btf_member { name_off, type, offset } */
    BTF_K_UNION = 5,      /* likewise */
    BTF_K_ENUM = 6,       /* + vlen * btf_enum { name_off, val } */
    BTF_K_FWD = 7,
    BTF_K_TYPEDEF = 8,
    BTF_K_VOLATILE = 9,
    BTF_K_CONST = 10,
    BTF_K_RESTRICT = 11,
    BTF_K_FUNC = 12,      /* vlen = linkage; type = FUNC_PROTO */
    BTF_K_FUNC_PROTO = 13,/* + vlen * btf_param { name_off, type } */
    BTF_K_VAR = 14,       /* + btf_var { linkage } */
    BTF_K_DATASEC = 15,   /* + vlen * btf_var_secinfo { type, offset, size } */
    BTF_K_FLOAT = 16,
    BTF_K_DECL_TAG = 17,  /* + btf_decl_tag { s32 component_idx } */
    BTF_K_TYPE_TAG = 18,
    BTF_K_ENUM64 = 19,    /* + vlen * btf_enum64 { name_off, val_lo32, val_hi32 } */
    BTF_K_COUNT
};

#define BTF_ARRAY_SIZE 12
#define BTF_MEMBER_SIZE 12
#define BTF_ENUM_SIZE 8
#define BTF_PARAM_SIZE 8
#define BTF_VAR_SIZE 4
#define BTF_SECINFO_SIZE 12
#define BTF_DECL_TAG_SIZE 4
#define BTF_ENUM64_SIZE 12
#define BTF_INT_SIZE 4

/* A struct member's offset field when the struct's kind_flag is set: bitfield size << 24 | bit offset */
#define BTF_MEMBER_BIT_OFFSET(kflag, off) ((kflag) ? ((off) & 0xffffff) : (off))

/* struct btf_ext_header; the core_relo pair is optional (hdr_len says whether it is there) */
#define BTF_EXT_HDR_MIN_SIZE 24
#define BTF_EXT_HDR_CORE_SIZE 32
#define BTF_EXT_HDR_MAGIC 0
#define BTF_EXT_HDR_VERSION 2
#define BTF_EXT_HDR_LEN 4
#define BTF_EXT_HDR_FUNC_OFF 8
#define BTF_EXT_HDR_FUNC_LEN 12
#define BTF_EXT_HDR_LINE_OFF 16
#define BTF_EXT_HDR_LINE_LEN 20
#define BTF_EXT_HDR_CORE_OFF 24
#define BTF_EXT_HDR_CORE_LEN 28

/* Minimum record sizes; a file may use larger records (newer fields we skip) */
#define BTF_FUNC_INFO_SIZE 8     /* insn_off (bytes in the ELF section), type_id */
#define BTF_LINE_INFO_SIZE 16    /* insn_off, file_name_off, line_off, line_col (line << 10 | col) */
#define BTF_CORE_RELO_SIZE 16    /* insn_off, type_id, access_str_off, kind */
#define BTF_LINE_NUM(line_col) ((line_col) >> 10)
#define BTF_LINE_COL(line_col) ((line_col) & 0x3ff)

#endif
