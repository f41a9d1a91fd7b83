/*
 * elf_debuginfo.c - BTF.ext records in program coordinates.
 *
 * elf_index_btf_ext sorts the records of each block under the code section it names (refusing blocks
 * for sections that hold no code, and offsets that are not instructions of it), keeps one record per
 * instruction, and builds the object's line table. elf_program_debug_info then gives a linked program
 * the BTF type of each of its functions, a line for each instruction (a line record holds until the
 * next one inside the same function) and its CO-RE relocations.
 */
#include "elf/elf_int.h"

#include <stdlib.h>
#include <string.h>

enum { PART_FUNC, PART_LINE, PART_CORE, PART_COUNT };

static const char *const part_names[PART_COUNT] = {"func_info", "line_info", "core_relo"};

static elf_ext_list *part_list(elf_sec *sec, int part)
{
    return part == PART_FUNC ? &sec->func_info : part == PART_LINE ? &sec->line_info : &sec->core_relo;
}

static int compare_rec(const void *a, const void *b)
{
    const elf_ext_rec *x = a, *y = b;
    if (x->slot != y->slot)
        return x->slot < y->slot ? -1 : 1;
    return x->rec < y->rec ? -1 : x->rec > y->rec;
}

typedef struct name_index {
    const char *name;
    uint32_t sec;
} name_index;

static int compare_name(const void *a, const void *b)
{
    return strcmp(((const name_index *)a)->name, ((const name_index *)b)->name);
}

static int index_block(elf_ctx *ctx, int part, const btf_ext_part *p, const btf_ext_block *block, uint32_t sec_index)
{
    elf_sec *sec = &ctx->secs[sec_index];
    elf_ext_list *list = part_list(sec, part);
    if (list->recs)
        return diag_fail(ctx->diag, -1, "BTF.ext %s: two blocks for section '%s'", part_names[part], sec->name);
    elf_ext_rec *recs = elf_arena_alloc(&ctx->scratch, block->count, sizeof(elf_ext_rec));
    if (!recs)
        return elf_nomem(ctx, "BTF.ext");
    for (uint32_t i = 0; i < block->count; i++) {
        const uint8_t *rec = block->recs + (size_t)i * p->rec_size;
        uint32_t off = elf_rd32(rec);
        if (off % ELF_INSN_SIZE != 0 || off >= sec->size)
            return diag_fail(ctx->diag, -1, "BTF.ext %s for section '%s': offset 0x%x is not an instruction of the section (size 0x%llx)",
                             part_names[part], sec->name, off, (unsigned long long)sec->size);
        recs[i] = (elf_ext_rec){.slot = off / ELF_INSN_SIZE, .rec = rec};
    }
    if (block->count > 1)
        qsort(recs, block->count, sizeof(elf_ext_rec), compare_rec);
    uint32_t n = 0;
    for (uint32_t i = 0; i < block->count; i++)
        if (n == 0 || recs[i].slot != recs[n - 1].slot)
            recs[n++] = recs[i];
    list->recs = recs;
    list->count = n;
    return 0;
}

/* Object line table entries for the line records, and described root types for CO-RE records. */
static int describe_records(elf_ctx *ctx)
{
    elf_object *obj = ctx->obj;
    size_t lines = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++)
        lines += ctx->secs[i].line_info.count;
    obj->lines = elf_arena_alloc(ctx->arena, lines, sizeof(elf_line));
    if (!obj->lines)
        return elf_nomem(ctx, "line info");
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        elf_ext_list *list = &ctx->secs[i].line_info;
        for (uint32_t k = 0; k < list->count; k++) {
            const uint8_t *rec = list->recs[k].rec;
            uint32_t line_col = elf_rd32(rec + 12);
            obj->lines[obj->line_count] = (elf_line){.file = btf_str(ctx->btf, elf_rd32(rec + 4)),
                                                     .text = btf_str(ctx->btf, elf_rd32(rec + 8)),
                                                     .line = BTF_LINE_NUM(line_col), .column = BTF_LINE_COL(line_col)};
            list->recs[k].line = (uint32_t)obj->line_count++;
        }
        list = &ctx->secs[i].core_relo;
        for (uint32_t k = 0; k < list->count; k++) {
            char buf[160];
            btf_describe(ctx->btf, elf_rd32(list->recs[k].rec + 4), buf, sizeof buf);
            list->recs[k].type_name = elf_arena_strndup(ctx->arena, buf, strlen(buf));
            if (!list->recs[k].type_name)
                return elf_nomem(ctx, "CO-RE relocations");
        }
    }
    return 0;
}

int elf_index_btf_ext(elf_ctx *ctx)
{
    if (!ctx->ext)
        return 0;
    size_t code_count = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++)
        code_count += ctx->secs[i].code != NULL;
    name_index *names = elf_arena_alloc(&ctx->scratch, code_count, sizeof(name_index));
    if (!names)
        return elf_nomem(ctx, "BTF.ext");
    code_count = 0;
    for (uint32_t i = 1; i < ctx->sec_count; i++)
        if (ctx->secs[i].code)
            names[code_count++] = (name_index){.name = ctx->secs[i].name, .sec = i};
    if (code_count > 1)
        qsort(names, code_count, sizeof(name_index), compare_name);

    const btf_ext_part *parts[PART_COUNT] = {&ctx->ext->func, &ctx->ext->line, &ctx->ext->core};
    for (int part = 0; part < PART_COUNT; part++) {
        for (uint32_t b = 0; b < parts[part]->block_count; b++) {
            const btf_ext_block *block = &parts[part]->blocks[b];
            name_index key = {.name = block->section};
            const name_index *found =
                code_count ? bsearch(&key, names, code_count, sizeof(name_index), compare_name) : NULL;
            if (!found)
                return diag_fail(ctx->diag, -1, "BTF.ext %s names section '%s', which is not a code section of the object",
                                 part_names[part], block->section);
            int rc = index_block(ctx, part, parts[part], block, found->sec);
            if (rc)
                return rc;
        }
    }
    return describe_records(ctx);
}

/* First record at or after `slot`. */
static uint32_t lower_bound(const elf_ext_list *list, uint32_t slot)
{
    uint32_t lo = 0, hi = list->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (list->recs[mid].slot < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool has_records(const elf_ext_list *list, const elf_fn *fn)
{
    uint32_t k = lower_bound(list, fn->start);
    return k < list->count && list->recs[k].slot < fn->end;
}

int elf_program_debug_info(elf_ctx *ctx, elf_program *prog, elf_func *funcs, const uint32_t *secs,
                           elf_fn *const *fns)
{
    size_t count = prog->func_count, core = 0;
    bool lines = false;
    for (size_t i = 0; i < count; i++) {
        const elf_sec *sec = &ctx->secs[secs[i]];
        const elf_fn *fn = fns[i];
        const elf_ext_list *fi = &sec->func_info;
        uint32_t k = lower_bound(fi, fn->start);
        if (k < fi->count && fi->recs[k].slot == fn->start)
            funcs[i].btf_type = elf_rd32(fi->recs[k].rec + 4);
        funcs[i].global = fn->global;
        elf_func_signature(ctx->btf, &funcs[i]);
        lines |= has_records(&sec->line_info, fn);
        for (k = lower_bound(&sec->core_relo, fn->start); k < sec->core_relo.count && sec->core_relo.recs[k].slot < fn->end; k++)
            core++;
    }

    if (lines) {
        uint32_t *insn_line = elf_arena_alloc(ctx->arena, prog->insn_count, sizeof(uint32_t));
        if (!insn_line)
            return elf_nomem(ctx, "line info");
        for (size_t i = 0; i < count; i++) {
            const elf_ext_list *li = &ctx->secs[secs[i]].line_info;
            const elf_fn *fn = fns[i];
            uint32_t k = lower_bound(li, fn->start), current = ELF_NO_LINE;
            for (uint32_t slot = fn->start; slot < fn->end; slot++) {
                if (k < li->count && li->recs[k].slot == slot)
                    current = li->recs[k++].line;
                insn_line[fn->base + (slot - fn->start)] = current;
            }
        }
        prog->insn_line = insn_line;
        prog->lines = ctx->obj->lines;
        prog->line_count = ctx->obj->line_count;
    }

    if (core) {
        elf_core_relo *relos = elf_arena_alloc(ctx->arena, core, sizeof(elf_core_relo));
        if (!relos)
            return elf_nomem(ctx, "CO-RE relocations");
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            const elf_ext_list *cr = &ctx->secs[secs[i]].core_relo;
            const elf_fn *fn = fns[i];
            for (uint32_t k = lower_bound(cr, fn->start); k < cr->count && cr->recs[k].slot < fn->end; k++) {
                const uint8_t *rec = cr->recs[k].rec;
                relos[n++] = (elf_core_relo){.insn = fn->base + (cr->recs[k].slot - fn->start),
                                             .kind = elf_rd32(rec + 12), .btf_type = elf_rd32(rec + 4),
                                             .type_name = cr->recs[k].type_name,
                                             .access = btf_str(ctx->btf, elf_rd32(rec + 8))};
            }
        }
        /* the program's instructions are the object's (arena memory), const only towards consumers */
        elf_core_resolve_uapi(ctx->btf, relos, n, (isa_slot *)prog->insns, prog->insn_count);
        prog->core_relos = relos;
        prog->core_relo_count = n;
    }
    return 0;
}
