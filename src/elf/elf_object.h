/*
 * elf_object.h - what the loader makes of a clang-compiled eBPF object (`clang -O2 -g -target bpf -c`):
 * programs, maps, license and version, as plain read-only structs. Later stages consume it: the runtime
 * creates the maps and patches real map pointers where the relocations say, the verifier proves the
 * code safe. Nothing here depends on maps at run time, on the runtime or on the OS.
 *
 * What open guarantees (a hostile file is refused with a message naming what was wrong, never trusted):
 *  - every string is NUL-terminated and owned by the object; every index (map, program, instruction,
 *    line) is in range; the object does not refer to the caller's buffer after open returns.
 *  - Programs: each global function of a code section (several per section are fine); the functions
 *    of a section without global ones; a whole section without function symbols (old compilers), named
 *    after the section. In .text only global functions are programs (static ones are sub-programs);
 *    their type is ELF_PROG_UNSPEC, as for any section name that implies no type.
 *  - A program's code is self-contained: its entry function first, then every sub-program it calls
 *    (from .text or its own section), each once; local calls and callback references (lddw of a
 *    function) are re-targeted inside `insns`.
 *  - Every lddw that names a map or global data has a matching elf_reloc and is already rewritten into
 *    the form the runtime patches: src = ELF_LDDW_MAP_FD (imm = object map index) or
 *    src = ELF_LDDW_MAP_VALUE (imm = map index, second slot imm = byte offset in the value).
 *    No lddw with a non-zero src is left without a relocation.
 *  - Nothing is silently patched: a program that needs something the loader cannot do (CO-RE
 *    relocations, calls to external functions not resolved with elf_object_resolve_externs) is listed,
 *    but elf_program_check refuses it with a message naming the relocation.
 */
#ifndef EBPF_ELF_OBJECT_H
#define EBPF_ELF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "isa/isa.h"

/* Pseudo sources of lddw as the loader leaves them (values of Linux's BPF_PSEUDO_*). */
#define ELF_LDDW_MAP_FD 1
#define ELF_LDDW_MAP_VALUE 2
#define ELF_LDDW_FUNC 4

/* Program types: Linux's enum bpf_prog_type values, plus GENERIC (application-defined hooks), from
 * the one list in src/abi/prog_types.def (abi_prog.h has what each type allows). */
typedef enum elf_prog_type {
#define ABI_PROG_TYPE(ID, NAME, VALUE, CTX, FAMILIES, RET_MIN, RET_MAX) ELF_PROG_##ID = VALUE,
#include "abi/prog_types.def"
#undef ABI_PROG_TYPE
} elf_prog_type;

/* Expected attach types: Linux's enum bpf_attach_type values; ELF_ATTACH_NONE when none is implied. */
typedef enum elf_attach_type {
#define ELF_ATTACH_TYPE(ID, NAME, VALUE) ELF_ATTACH_##ID = VALUE,
#include "elf/elf_attach_types.def"
#undef ELF_ATTACH_TYPE
} elf_attach_type;

typedef enum elf_reloc_kind {
    ELF_RELOC_MAP = 1,       /* lddw of a map (src ELF_LDDW_MAP_FD): `map` */
    ELF_RELOC_MAP_VALUE = 2, /* lddw of an address inside a map's value (src ELF_LDDW_MAP_VALUE): `map`, `offset` */
    ELF_RELOC_EXTERN = 3,    /* call of (or lddw of) an undefined symbol `symbol`: the call is left as `call 0`
                              * (no helper has id 0) until elf_object_resolve_externs names it */
} elf_reloc_kind;

/* One relocation of a program instruction, in program coordinates. */
typedef struct elf_reloc {
    uint32_t insn;          /* slot index in elf_program.insns (the lddw's first slot, or the call) */
    uint32_t kind;          /* elf_reloc_kind */
    uint32_t map;           /* MAP, MAP_VALUE: index into the object's maps */
    uint32_t offset;        /* MAP_VALUE: byte offset inside the map value */
    const char *symbol;     /* symbol the relocation named ("" for an unnamed section symbol) */
    const char *section;    /* ELF section the instruction came from */
    uint64_t section_offset;/* byte offset of the instruction in that section */
    int32_t helper;         /* EXTERN call resolved to this helper id; -1 while unresolved */
} elf_reloc;

/* Source position of an instruction, from BTF line info. */
typedef struct elf_line {
    const char *file;       /* source file name */
    const char *text;       /* the source line itself ("" when BTF has none) */
    uint32_t line;
    uint32_t column;
} elf_line;

#define ELF_NO_LINE UINT32_MAX

/* A function inside a program's code: the entry (index 0) and each appended sub-program. */
typedef struct elf_func {
    uint32_t insn;          /* first slot in elf_program.insns */
    uint32_t count;         /* slots */
    const char *name;       /* symbol name, or the section name when the function has no symbol */
    const char *section;    /* ELF section it came from */
    uint32_t btf_type;      /* BTF FUNC type id from func_info, 0 when unknown */
    bool global;            /* a global (non-static) function: Linux verifies it on its own */
    bool sig_known;         /* the BTF prototype below was read (global functions with func_info) */
    uint8_t arg_count;      /* parameters, 0..5 */
    struct {
        uint8_t kind;       /* elf_arg_kind */
        uint32_t size;      /* ELF_ARG_MEM: bytes the pointer may reach */
    } args[5];
} elf_func;

/* Parameter kinds of a global function, from its BTF prototype. */
typedef enum elf_arg_kind {
    ELF_ARG_SCALAR = 0,     /* integer or enum */
    ELF_ARG_CTX = 1,        /* pointer to a context struct (__sk_buff, xdp_md, bpf_sock_addr, pt_regs, ...) */
    ELF_ARG_MEM = 2,        /* pointer to a sized type */
    ELF_ARG_UNSUPPORTED = 3,/* anything else (void *, struct by value, float): the function cannot be verified */
} elf_arg_kind;

/* A CO-RE relocation (BTF.ext core_relo) of a program instruction. Those on the context structs the
 * runtime implements are applied when the object is opened (elf_core_uapi.c); any other makes the
 * program unloadable. */
typedef struct elf_core_relo {
    uint32_t insn;          /* slot index in elf_program.insns */
    uint32_t kind;          /* Linux enum bpf_core_relo_kind */
    uint32_t btf_type;      /* root type id */
    const char *type_name;  /* "struct task_struct", or "(anon)" */
    const char *access;     /* access string, "0:1:2" */
    bool resolved;          /* applied to the instruction (elf_core_uapi.c) */
} elf_core_relo;

typedef struct elf_program {
    const char *section;        /* ELF section name ("xdp", "kprobe/sys_write", ".text") */
    const char *name;           /* entry function name; the section name for sections without function symbols */
    uint32_t type;              /* elf_prog_type from the section name; ELF_PROG_UNSPEC when the name implies none */
    uint32_t attach_type;       /* elf_attach_type implied by the section name, or ELF_ATTACH_NONE */
    const char *attach_target;  /* text after the section prefix's '/' ("sys_write"), "" if none */
    const isa_slot *insns;      /* entry function, then the sub-programs it uses */
    size_t insn_count;
    const elf_func *funcs;      /* funcs[0] is the entry function */
    size_t func_count;
    const elf_reloc *relocs;    /* sorted by insn */
    size_t reloc_count;
    const elf_core_relo *core_relos;
    size_t core_relo_count;
    const elf_line *lines;      /* the object's line table (shared by its programs); NULL without line info */
    size_t line_count;
    const uint32_t *insn_line;  /* per slot: index into lines or ELF_NO_LINE; NULL without BTF line info */
} elf_program;

typedef enum elf_map_kind {
    ELF_MAP_BTF = 1,      /* BTF-defined, from `.maps` */
    ELF_MAP_LEGACY = 2,   /* struct bpf_map_def in `maps` (or `maps/...`) */
    ELF_MAP_DATA = 3,     /* global data: .data*, .rodata*, .bss* as a one-element array */
    ELF_MAP_INNER = 4,    /* template of a map-in-map's inner map (`__array(values, struct inner)`); not created on its own */
} elf_map_kind;

typedef enum elf_slot_kind {
    ELF_SLOT_MAP = 1,     /* map-in-map initial value: `target` is a map index */
    ELF_SLOT_PROGRAM = 2, /* prog_array initial value: `target` is a program index */
} elf_slot_kind;

/* One initial element of a map-in-map or prog_array (`.values = { [i] = &x }`). */
typedef struct elf_map_slot {
    uint32_t index;       /* key */
    uint32_t kind;        /* elf_slot_kind */
    uint32_t target;
} elf_map_slot;

typedef struct elf_map {
    const char *name;         /* symbol name; the section name for global data; "<outer>.inner" for templates */
    uint32_t kind;            /* elf_map_kind */
    uint32_t type;            /* Linux enum bpf_map_type value */
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t map_flags;
    uint32_t numa_node;       /* meaningful only with BPF_F_NUMA_NODE in map_flags */
    uint32_t pinning;         /* 0 none, 1 by name (LIBBPF_PIN_BY_NAME) */
    uint64_t map_extra;
    int32_t inner;            /* index of the inner-map template (map-in-map), or -1 */
    uint32_t btf_key_type;    /* BTF type ids, 0 when unknown */
    uint32_t btf_value_type;
    const uint8_t *data;      /* DATA: initial value (value_size bytes); NULL for .bss (zeroes) */
    bool read_only;           /* DATA from .rodata*: frozen after initialisation, BPF_F_RDONLY_PROG set */
    const elf_map_slot *slots;/* initial elements of map-in-map / prog_array, sorted by index */
    size_t slot_count;
    const char *section;      /* ELF section the definition came from */
} elf_map;

typedef struct elf_object elf_object;

/* Sanity limits: anything beyond is refused as absurd input. */
#define ELF_MAX_FILE_SIZE ((size_t)1 << 30)     /* bytes of one object */
#define ELF_MAX_SECTIONS 65536u
#define ELF_MAX_SYMBOLS (1u << 20)
#define ELF_MAX_MAPS 4096u
#define ELF_MAX_PROGRAMS 16384u
#define ELF_MAX_TOTAL_INSNS ((size_t)1 << 22)   /* slots over all programs after sub-programs are appended */
#define ELF_MAX_RELOCS (1u << 22)               /* entries of one relocation section */

/* Parses an object. On success returns 0 and *out (free with elf_object_free). On failure returns a
 * negative errno (-EINVAL malformed or unsupported, -E2BIG over a limit, -ENOMEM) with diag saying what
 * was wrong and where ("section 7 'xdp': offset 0x1234 + size 0x100 is outside the file (size 0x800)").
 * `data` is copied; the caller may free it afterwards. */
int elf_object_open(const void *data, size_t size, elf_object **out, ebpf_diag *diag);
void elf_object_free(elf_object *obj);

size_t elf_object_program_count(const elf_object *obj);
const elf_program *elf_object_program(const elf_object *obj, size_t index);
/* First program with this function name (or section name, if no function has it); NULL if none. */
const elf_program *elf_object_find_program(const elf_object *obj, const char *name);

size_t elf_object_map_count(const elf_object *obj);
const elf_map *elf_object_map(const elf_object *obj, size_t index);
const elf_map *elf_object_find_map(const elf_object *obj, const char *name);

/* Content of the `license` section up to its first NUL ("" when there is none). */
const char *elf_object_license(const elf_object *obj);
/* The `version` section's u32; false when the object has none. */
bool elf_object_kern_version(const elf_object *obj, uint32_t *version);

/* 0 when the program can be loaded as is. Otherwise -ENOTSUP with diag naming the first obstacle and
 * its instruction (and source line when known): a CO-RE relocation (type name, access string, kind), or
 * an EXTERN relocation not resolved (symbol, section, offset). */
int elf_program_check(const elf_program *prog, ebpf_diag *diag);

/* Resolves calls to undefined functions (ELF_RELOC_EXTERN on a call) by name: `lookup` returns the helper
 * id for a name or a negative value when it does not know it. A resolved call becomes `call <id>` (src 0)
 * and its relocation records the id; unknown names stay unresolved (elf_program_check refuses them).
 * Returns the number of calls that remain unresolved. */
size_t elf_object_resolve_externs(elf_object *obj, int (*lookup)(const char *name, void *user), void *user);

/* Source line of a program instruction, NULL when unknown. */
const elf_line *elf_program_line(const elf_program *prog, size_t insn);

const char *elf_prog_type_name(uint32_t type);          /* "xdp", "unknown" for other values */
const char *elf_attach_type_name(uint32_t attach_type); /* "cgroup_inet4_connect", "none", "unknown" */
const char *elf_core_relo_kind_name(uint32_t kind);     /* "field_byte_offset", ..., "unknown" */


/* Program type and attach type a section name implies (libbpf conventions, elf_sections.def).
 * Returns false (and UNSPEC / NONE) when the name matches no convention. `target`, if not NULL, gets
 * a pointer into `section` at the attach target ("" when none). */
bool elf_section_prog_type(const char *section, uint32_t *type, uint32_t *attach_type, const char **target);

#endif
