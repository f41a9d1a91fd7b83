/*
 * elf_int.h - internals of the loader shared by the files of src/elf; nothing outside src/elf
 * includes it.
 *
 * elf_object_open runs one pass per concern over an elf_ctx (reader -> symbols -> relocations ->
 * BTF -> maps -> functions -> programs -> linking -> map slots). Each pass validates what it reads
 * before anyone uses it, reports the first problem through ctx->diag and returns a negative errno;
 * the caller unwinds through one cleanup path (the arena). Everything the object keeps is allocated
 * from obj->arena; temporaries of the open come from ctx->scratch.
 */
#ifndef EBPF_ELF_INT_H
#define EBPF_ELF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/checked.h"
#include "base/diag.h"
#include "elf/btf.h"
#include "elf/elf_format.h"
#include "elf/elf_object.h"

/* --- arena (elf_arena.c) ---------------------------------------------------------------------- */

typedef struct elf_arena {
    struct elf_arena_block *head;
} elf_arena;

/* Zeroed memory for `count` elements of `size` bytes, 8-byte aligned; NULL on overflow or when
 * memory runs out. Freed all at once by elf_arena_free. */
void *elf_arena_alloc(elf_arena *arena, size_t count, size_t size);
/* Uninitialised memory of exactly `size` bytes in a block of its own, so that a sanitizer sees any read
 * past its end (the loader's copy of the file). */
void *elf_arena_alloc_exact(elf_arena *arena, size_t size);
/* Copy of s[0..len) plus a NUL. */
char *elf_arena_strndup(elf_arena *arena, const char *s, size_t len);
void elf_arena_free(elf_arena *arena);

/* Grows *items (arena memory, `*cap` elements of `size`) so that one more fits; false on failure. */
bool elf_arena_grow(elf_arena *arena, void **items, size_t count, size_t *cap, size_t size);

/* Test hook for allocation-failure paths: the n-th allocation from now (0 = the next) fails; a negative
 * n never fails (the default). */
void elf_alloc_fail_after(long n);

/* --- what the passes build ------------------------------------------------------------------- */

typedef enum elf_sec_kind {
    ELF_SEC_OTHER = 0,
    ELF_SEC_CODE,          /* executable PROGBITS: program sections and .text */
    ELF_SEC_MAPS_BTF,      /* .maps */
    ELF_SEC_MAPS_LEGACY,   /* maps, maps/... */
    ELF_SEC_DATA,          /* .data*, .rodata*, .bss* */
    ELF_SEC_LICENSE,
    ELF_SEC_VERSION,
    ELF_SEC_BTF,
    ELF_SEC_BTF_EXT,
} elf_sec_kind;

typedef struct elf_rel {
    uint64_t offset;       /* in the target section */
    uint32_t sym;
    uint32_t type;
    int64_t addend;        /* SHT_RELA only (old LLVM); 0 for SHT_REL, whose addend is in the instruction */
} elf_rel;

struct elf_code;

/* BTF.ext records of one code section, by slot (elf_debuginfo.c). */
typedef struct elf_ext_rec {
    uint32_t slot;
    uint32_t line;         /* line_info: index into obj->lines */
    const uint8_t *rec;    /* the raw record */
    const char *type_name; /* core_relo: the root type, described */
} elf_ext_rec;

typedef struct elf_ext_list {
    elf_ext_rec *recs;     /* sorted by slot, at most one per slot */
    uint32_t count;
} elf_ext_list;

typedef struct elf_sec {
    const char *name;
    uint32_t type;
    uint64_t flags;
    uint64_t offset;
    uint64_t size;
    uint32_t link;
    uint32_t info;
    uint64_t entsize;
    const uint8_t *data;   /* section contents in the image; NULL for NOBITS */
    uint32_t kind;         /* elf_sec_kind */
    uint32_t rel_sec;      /* index of the REL section that targets this one, 0 if none */
    elf_rel *rels;         /* its entries, sorted by offset */
    uint32_t rel_count;
    int32_t map;           /* DATA: index of its map, -1 if none */
    struct elf_code *code; /* CODE: functions and per-slot facts */
    elf_ext_list func_info;/* CODE: BTF.ext records naming this section */
    elf_ext_list line_info;
    elf_ext_list core_relo;
} elf_sec;

typedef struct elf_sym {
    const char *name;
    uint64_t value;
    uint64_t size;
    uint32_t shndx;        /* section index, or ELF_SHN_UNDEF / ELF_SHN_ABS / ELF_SHN_COMMON */
    uint8_t type;          /* ELF_STT_* */
    uint8_t bind;          /* ELF_STB_* */
} elf_sym;

/* A function of a code section: [start, end) in slots. */
typedef struct elf_fn {
    uint32_t start;
    uint32_t end;
    const char *name;      /* function symbol, or NULL when the start comes from a call target only */
    bool global;
    int32_t program;       /* index of the program this function is the entry of, -1 if none */
    uint32_t mark;         /* linking: program being built + 1 when already appended */
    uint32_t base;         /* linking: where it starts in that program */
} elf_fn;

typedef struct elf_code {
    uint32_t slots;
    bool has_func_syms;    /* the section has STT_FUNC symbols: call targets must be function starts */
    elf_fn *fns;           /* sorted by start */
    uint32_t fn_count;
    int32_t *rel_at;       /* per slot: index into the section's rels, or -1 */
} elf_code;

typedef enum elf_values_kind {
    ELF_VALUES_NONE = 0,
    ELF_VALUES_MAPS,       /* `__array(values, struct inner)`: initial elements are maps */
    ELF_VALUES_PROGRAMS,   /* prog_array `__array(values, int (void *))`: initial elements are programs */
} elf_values_kind;

/* Where a BTF-defined or legacy map's definition sits, for relocations that name it; for `.maps`
 * definitions with initial values, where the `values` array starts. */
typedef struct elf_map_loc {
    uint32_t section;
    uint64_t offset;
    uint64_t size;
    uint32_t map;
    uint32_t values_kind;  /* elf_values_kind */
    uint64_t values_offset;/* section offset of values[0] */
} elf_map_loc;

struct elf_object {
    elf_arena arena;
    uint8_t *image;
    size_t size;
    elf_program *progs;
    size_t prog_count;
    elf_map *maps;
    size_t map_count;
    const char *license;
    bool has_version;
    uint32_t version;
    elf_line *lines;       /* every BTF line_info record kept; programs index it */
    size_t line_count;
};

typedef struct elf_ctx {
    elf_object *obj;
    elf_arena *arena;      /* &obj->arena */
    elf_arena scratch;
    ebpf_diag *diag;
    const uint8_t *image;
    size_t size;
    elf_sec *secs;
    uint32_t sec_count;
    uint32_t symtab;       /* section index of the symbol table */
    elf_sym *syms;
    uint32_t sym_count;
    uint32_t maps_btf_sec; /* section index of .maps, 0 if none */
    btf *btf;
    btf_ext *ext;
    elf_map_loc *locs;
    size_t loc_count;
    size_t loc_cap;
    size_t map_cap;
    size_t prog_cap;
    size_t total_insns;    /* against ELF_MAX_TOTAL_INSNS */
} elf_ctx;

/* What one instruction of a code section refers to (elf_insn_ref.c). */
typedef enum elf_ref_kind {
    ELF_REF_NONE = 0,      /* nothing to relocate */
    ELF_REF_CALL,          /* call of a function at (sec, slot) */
    ELF_REF_FUNC_ADDR,     /* lddw of the address of the function at (sec, slot): a callback */
    ELF_REF_MAP,           /* lddw of map `map` */
    ELF_REF_MAP_VALUE,     /* lddw of byte `offset` of map `map`'s value (global data) */
    ELF_REF_EXTERN,        /* call or lddw of the undefined symbol `sym` */
} elf_ref_kind;

typedef struct elf_ref {
    uint32_t kind;         /* elf_ref_kind */
    uint32_t sec;
    uint32_t slot;
    uint32_t map;
    uint32_t offset;
    uint32_t sym;          /* symbol of the relocation, 0 without one */
} elf_ref;

/* --- passes --------------------------------------------------------------------------------- */

int elf_read_sections(elf_ctx *ctx);                       /* elf_reader.c: header, section table, names */
int elf_read_symbols(elf_ctx *ctx);                        /* elf_symtab.c */
int elf_read_relocs(elf_ctx *ctx);                         /* elf_relocs.c */
int elf_read_btf(elf_ctx *ctx);                            /* elf_btf_sections.c: .BTF, .BTF.ext */
int elf_read_license_version(elf_ctx *ctx);                /* elf_license.c */
int elf_maps_btf(elf_ctx *ctx);                            /* elf_maps_btf.c */
int elf_maps_legacy(elf_ctx *ctx);                         /* elf_maps_legacy.c */
int elf_maps_data(elf_ctx *ctx);                           /* elf_maps_data.c */
int elf_build_functions(elf_ctx *ctx);                     /* elf_funcs.c */
/* Classifies the instruction starting at slot `pc` of code section `sec`, checking its relocation
 * (type fits the instruction, symbol is something the loader can resolve, target in range). */
int elf_insn_ref(const elf_ctx *ctx, uint32_t sec, uint32_t pc, elf_ref *ref);
int elf_find_programs(elf_ctx *ctx);                       /* elf_programs.c */
/* Builds the code of program `prog_index` whose entry is function `fn` of section `sec` (elf_link.c). */
int elf_link_program(elf_ctx *ctx, uint32_t prog_index, uint32_t sec, elf_fn *fn);
int elf_index_btf_ext(elf_ctx *ctx);                       /* elf_debuginfo.c: BTF.ext records per code section */
/* Function, line and CO-RE information of a linked program whose functions are funcs[0..count), each
 * from section secs[k] and function fns[k] (elf_debuginfo.c). */
/* elf_func_sig.c: f->global and the parameter kinds from f->btf_type's BTF prototype (b may be NULL). */
void elf_func_signature(const btf *b, elf_func *f);
int elf_program_debug_info(elf_ctx *ctx, elf_program *prog, elf_func *funcs, const uint32_t *secs,
                           elf_fn *const *fns);
int elf_maps_slots(elf_ctx *ctx);                          /* elf_maps_slots.c */

/* --- shared helpers ------------------------------------------------------------------------- */

/* diag for "out of memory" while doing `what`; returns -ENOMEM. */
int elf_nomem(elf_ctx *ctx, const char *what);

/* Appends a map (zeroed apart from inner = -1); returns its index or a negative errno. */
int64_t elf_add_map(elf_ctx *ctx, elf_map **out);
/* Records where a map's definition sits in a section; NULL (diag set) when out of memory. */
elf_map_loc *elf_add_map_loc(elf_ctx *ctx, uint32_t section, uint64_t offset, uint64_t size, uint32_t map);
/* Sorts the map locations (after all maps are added); refuses overlapping definitions. */
int elf_maps_index(elf_ctx *ctx);
/* The map whose definition starts exactly at (section, offset), -1 if none. */
int64_t elf_map_at(const elf_ctx *ctx, uint32_t section, uint64_t offset);
/* The map definition containing (section, offset), NULL if none. */
const elf_map_loc *elf_map_loc_containing(const elf_ctx *ctx, uint32_t section, uint64_t offset);

/* Function of a code section containing slot `slot`, NULL if none. */
elf_fn *elf_code_fn_at(const elf_code *code, uint32_t slot);
/* String at `off` of a string-table section, NULL unless it is NUL-terminated inside the section. */
const char *elf_strtab_string(const elf_sec *strtab, uint64_t off);
/* Relocation type name for messages ("R_BPF_64_64"). */
const char *elf_rel_type_name(uint32_t type);
/* Symbol name for messages: the symbol's name, or for a section symbol its section's name. */
const char *elf_sym_display_name(const elf_ctx *ctx, uint32_t sym);

/* elf_core_uapi.c: applies the CO-RE relocations on UAPI context structs to the instructions (sets
 * `resolved` on each one applied). */
void elf_core_resolve_uapi(const btf *b, elf_core_relo *relos, size_t count, isa_slot *insns, size_t insn_count);

#endif
