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
} elf_rel;

struct elf_code;

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

/* Where a BTF-defined or legacy map's definition sits, for relocations that name it. */
typedef struct elf_map_loc {
    uint32_t section;
    uint64_t offset;
    uint64_t size;
    uint32_t map;
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
int elf_find_programs(elf_ctx *ctx);                       /* elf_programs.c */
int elf_link_program(elf_ctx *ctx, uint32_t prog_index, uint32_t sec, uint32_t fn); /* elf_link.c */
int elf_debug_info(elf_ctx *ctx, elf_program *prog, const uint32_t *fn_secs, const elf_fn **fns,
                   uint32_t fn_count);                     /* elf_debuginfo.c */
int elf_maps_slots(elf_ctx *ctx);                          /* elf_maps_slots.c */

/* --- shared helpers ------------------------------------------------------------------------- */

/* diag for "out of memory" while doing `what`; returns -ENOMEM. */
int elf_nomem(elf_ctx *ctx, const char *what);

/* Appends a map (zeroed apart from inner = -1); returns its index or a negative errno. */
int64_t elf_add_map(elf_ctx *ctx, elf_map **out);
/* Records where a map's definition sits in a section. */
int elf_add_map_loc(elf_ctx *ctx, uint32_t section, uint64_t offset, uint64_t size, uint32_t map);
/* The map whose definition starts exactly at (section, offset), -1 if none. */
int64_t elf_map_at(const elf_ctx *ctx, uint32_t section, uint64_t offset);

/* Function of a code section containing slot `slot`, NULL if none. */
elf_fn *elf_code_fn_at(const elf_code *code, uint32_t slot);
/* Index into ctx->secs of the section named `name`, 0 if none. */
uint32_t elf_section_by_name(const elf_ctx *ctx, const char *name);
/* Relocation type name for messages ("R_BPF_64_64"). */
const char *elf_rel_type_name(uint32_t type);
/* Symbol name for messages: the symbol's name, or for a section symbol its section's name. */
const char *elf_sym_display_name(const elf_ctx *ctx, uint32_t sym);

#endif
