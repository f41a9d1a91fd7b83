/*
 * btf.h - BTF (.BTF) and BTF.ext (.BTF.ext) as the loader needs them; private to src/elf.
 *
 * btf_parse validates the whole type section up front: every record lies inside it, every name offset
 * names a NUL-terminated string of the string section, every referenced type id exists, kinds are known.
 * After that the accessors below cannot read out of bounds, for any id < btf->count. What validation
 * cannot rule out is a reference cycle (typedef A -> const B -> typedef A): every walk along type
 * references is bounded by BTF_MAX_DEPTH and reports a cycle as an error.
 */
#ifndef EBPF_ELF_BTF_H
#define EBPF_ELF_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "elf/btf_format.h"

struct elf_arena;

#define BTF_MAX_TYPES 0x000fffffu   /* Linux's BTF_MAX_TYPE */
#define BTF_MAX_DEPTH 32            /* longest chain of typedef/modifier/array references we follow */

typedef struct btf {
    const uint8_t *strs;     /* string section (its last byte is NUL) */
    uint32_t str_len;
    uint32_t count;          /* type ids 0..count-1; id 0 is void */
    const uint8_t **types;   /* types[id]: the btf_type record (types[0] is NULL) */
} btf;

/* A struct/union member, function parameter, enum value or DATASEC entry, decoded. */
typedef struct btf_member {
    const char *name;
    uint32_t type;           /* member, parameter or variable type */
    uint32_t offset;         /* struct: bit offset; DATASEC: byte offset */
    uint32_t size;           /* DATASEC: byte size */
} btf_member;

int btf_parse(struct elf_arena *arena, const uint8_t *data, size_t size, btf **out, ebpf_diag *diag);

uint32_t btf_kind(const btf *b, uint32_t id);         /* BTF_K_UNKN for void */
uint32_t btf_vlen(const btf *b, uint32_t id);
bool btf_kflag(const btf *b, uint32_t id);
uint32_t btf_size_or_type(const btf *b, uint32_t id); /* raw third word */
const char *btf_name(const btf *b, uint32_t id);      /* "" for anonymous types and void */
const char *btf_str(const btf *b, uint32_t offset);   /* NULL if offset is not inside the string section */
const char *btf_kind_name(uint32_t kind);             /* "struct", "typedef", ... */

/* Member i (< btf_vlen) of a STRUCT, UNION, FUNC_PROTO (parameter), ENUM/ENUM64 (value in `offset`)
 * or DATASEC (variable). */
btf_member btf_member_at(const btf *b, uint32_t id, uint32_t i);
/* ARRAY element type and element count. */
void btf_array_info(const btf *b, uint32_t id, uint32_t *elem_type, uint32_t *nelems);

/* Follows TYPEDEF (when `typedefs`), VOLATILE, CONST, RESTRICT and TYPE_TAG. Returns the first other
 * type id, or -1 on a cycle deeper than BTF_MAX_DEPTH. */
int64_t btf_skip_modifiers(const btf *b, uint32_t id, bool typedefs);

/* Size in bytes of a type: INT, ENUM, STRUCT, UNION, DATASEC, FLOAT, ENUM64 by their size field,
 * PTR 8, ARRAY elements * element size, TYPEDEF/modifiers/VAR by what they name. -EINVAL with diag for
 * types without size (void, FUNC, FUNC_PROTO, FWD), cycles, or sizes over 4 GiB. */
int btf_resolve_size(const btf *b, uint32_t id, uint64_t *size, ebpf_diag *diag);

/* First type of this kind with this name, 0 if none. */
uint32_t btf_find(const btf *b, uint32_t kind, const char *name);

/* "struct task_struct", "int", "(anon) union"... into buf (for messages); returns buf. */
const char *btf_describe(const btf *b, uint32_t id, char *buf, size_t size);

/* --- BTF.ext ----------------------------------------------------------------------------------- */

/* The records of one ELF section in one BTF.ext part. Records are rec_size bytes apart; the known
 * fields are at their start. */
typedef struct btf_ext_block {
    const char *section;     /* ELF section name */
    uint32_t count;
    const uint8_t *recs;
} btf_ext_block;

typedef struct btf_ext_part {
    uint32_t rec_size;
    uint32_t block_count;
    btf_ext_block *blocks;
} btf_ext_part;

typedef struct btf_ext {
    btf_ext_part func;       /* bpf_func_info: insn_off, type_id (a FUNC) */
    btf_ext_part line;       /* bpf_line_info: insn_off, file_name_off, line_off, line_col */
    btf_ext_part core;       /* bpf_core_relo: insn_off, type_id, access_str_off, kind */
} btf_ext;

/* Parses and validates .BTF.ext against `b`: record sizes, block bounds, section names, string
 * offsets, type ids (func_info names a FUNC). Instruction offsets are checked later against the ELF
 * section they name. */
int btf_ext_parse(struct elf_arena *arena, const btf *b, const uint8_t *data, size_t size, btf_ext **out,
                  ebpf_diag *diag);

/* The block of `part` for an ELF section, NULL if none. */
const btf_ext_block *btf_ext_find(const btf_ext_part *part, const char *section);

#endif
