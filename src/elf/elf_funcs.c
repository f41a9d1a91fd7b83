/*
 * elf_funcs.c - the functions of each code section, which programs are made of.
 *
 * A function starts at an STT_FUNC symbol, or, in sections without any (objects of old compilers),
 * at slot 0 and at every slot some call or callback reference targets; it ends where the next one
 * starts. In a section with function symbols a reference must land on one of them: a call into the
 * middle of a function is refused. This pass also runs elf_insn_ref over every instruction once, so
 * that each relocation of code is checked before linking starts.
 */
#include "elf/elf_int.h"

#include <stdlib.h>

typedef struct fn_start {
    uint32_t sec;
    uint32_t slot;
    const char *name;     /* NULL: a call target without a symbol */
    bool global;
} fn_start;

typedef struct starts {
    fn_start *items;
    size_t count;
    size_t cap;
} starts;

static int compare_start(const void *a, const void *b)
{
    const fn_start *x = a, *y = b;
    if (x->sec != y->sec)
        return x->sec < y->sec ? -1 : 1;
    if (x->slot != y->slot)
        return x->slot < y->slot ? -1 : 1;
    /* At one slot: named before unnamed, global before local, then by name for a stable result. */
    if ((x->name != NULL) != (y->name != NULL))
        return x->name ? -1 : 1;
    if (x->global != y->global)
        return x->global ? -1 : 1;
    return 0;
}

static int push(elf_ctx *ctx, starts *list, fn_start item)
{
    if (!elf_arena_grow(&ctx->scratch, (void **)&list->items, list->count, &list->cap, sizeof(fn_start)))
        return elf_nomem(ctx, "functions");
    list->items[list->count++] = item;
    return 0;
}

static int setup_code(elf_ctx *ctx, uint32_t i)
{
    elf_sec *sec = &ctx->secs[i];
    elf_code *code = elf_arena_alloc(&ctx->scratch, 1, sizeof(elf_code));
    uint32_t slots = (uint32_t)(sec->size / ELF_INSN_SIZE);
    int32_t *rel_at = elf_arena_alloc(&ctx->scratch, slots, sizeof(int32_t));
    if (!code || !rel_at)
        return elf_nomem(ctx, "code sections");
    for (uint32_t s = 0; s < slots; s++)
        rel_at[s] = -1;
    for (uint32_t r = 0; r < sec->rel_count; r++)
        rel_at[sec->rels[r].offset / ELF_INSN_SIZE] = (int32_t)r;
    code->slots = slots;
    code->rel_at = rel_at;
    sec->code = code;
    return 0;
}

static int symbol_starts(elf_ctx *ctx, starts *list)
{
    for (uint32_t i = 0; i < ctx->sym_count; i++) {
        const elf_sym *sym = &ctx->syms[i];
        if (sym->type != ELF_STT_FUNC || sym->shndx == ELF_SHN_UNDEF)
            continue;
        if (sym->shndx >= ctx->sec_count || ctx->secs[sym->shndx].kind != ELF_SEC_CODE)
            return diag_fail(ctx->diag, -1, "function '%s' (symbol %u) is not in a code section", sym->name, i);
        const elf_sec *sec = &ctx->secs[sym->shndx];
        if (sym->value % ELF_INSN_SIZE != 0 || sym->value >= sec->size)
            return diag_fail(ctx->diag, -1, "function '%s' (symbol %u): offset 0x%llx is not an instruction of section '%s' (size 0x%llx)",
                             sym->name, i, (unsigned long long)sym->value, sec->name, (unsigned long long)sec->size);
        if (!sym->name[0])
            return diag_fail(ctx->diag, -1, "function symbol %u in section '%s' has no name", i, sec->name);
        sec->code->has_func_syms = true;
        int rc = push(ctx, list, (fn_start){.sec = sym->shndx, .slot = (uint32_t)(sym->value / ELF_INSN_SIZE),
                                            .name = sym->name,
                                            .global = sym->bind == ELF_STB_GLOBAL || sym->bind == ELF_STB_WEAK});
        if (rc)
            return rc;
    }
    return 0;
}

/* True when sorted `named[0..count)` has a start at (sec, slot). */
static bool has_start(const fn_start *named, size_t count, uint32_t sec, uint32_t slot)
{
    fn_start key = {.sec = sec, .slot = slot, .name = "", .global = true};
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const fn_start *m = &named[mid];
        if (m->sec == sec && m->slot == slot)
            return true;
        if (compare_start(m, &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Every reference of every instruction: checks it, and adds targets in sections without symbols. */
static int reference_starts(elf_ctx *ctx, starts *list)
{
    size_t named = list->count;
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        const elf_code *code = ctx->secs[i].code;
        if (!code)
            continue;
        for (uint32_t pc = 0; pc < code->slots;) {
            elf_ref ref;
            int rc = elf_insn_ref(ctx, i, pc, &ref);
            if (rc)
                return rc;
            if (ref.kind == ELF_REF_CALL || ref.kind == ELF_REF_FUNC_ADDR) {
                const elf_code *target = ctx->secs[ref.sec].code;
                if (target->has_func_syms && !has_start(list->items, named, ref.sec, ref.slot))
                    return diag_fail(ctx->diag, -1,
                                     "section '%s' offset 0x%llx (instruction %u): %s instruction %u of section '%s', which is not the start of a function",
                                     ctx->secs[i].name, (unsigned long long)pc * ELF_INSN_SIZE, pc,
                                     ref.kind == ELF_REF_CALL ? "call to" : "address of", ref.slot, ctx->secs[ref.sec].name);
                if (!target->has_func_syms && (rc = push(ctx, list, (fn_start){.sec = ref.sec, .slot = ref.slot})))
                    return rc;
            }
            pc += ctx->secs[i].data[(size_t)pc * ELF_INSN_SIZE] == ELF_OP_LDDW ? 2 : 1;
        }
    }
    return 0;
}

/* Turns the sorted starts of one section into its function table. */
static int build_table(elf_ctx *ctx, uint32_t sec, const fn_start *items, size_t count)
{
    elf_code *code = ctx->secs[sec].code;
    size_t unique = 0;
    for (size_t k = 0; k < count; k++)
        unique += k == 0 || items[k].slot != items[k - 1].slot;
    code->fns = elf_arena_alloc(&ctx->scratch, unique, sizeof(elf_fn));
    if (!code->fns)
        return elf_nomem(ctx, "functions");
    for (size_t k = 0; k < count; k++) {
        if (k > 0 && items[k].slot == items[k - 1].slot)
            continue; /* aliases: the first (named, global) one names the function */
        code->fns[code->fn_count++] = (elf_fn){.start = items[k].slot, .name = items[k].name, .global = items[k].global,
                                                  .program = -1};
    }
    for (uint32_t f = 0; f < code->fn_count; f++)
        code->fns[f].end = f + 1 < code->fn_count ? code->fns[f + 1].start : code->slots;
    return 0;
}

int elf_build_functions(elf_ctx *ctx)
{
    int rc;
    for (uint32_t i = 1; i < ctx->sec_count; i++)
        if (ctx->secs[i].kind == ELF_SEC_CODE && ctx->secs[i].size > 0 && (rc = setup_code(ctx, i)))
            return rc;

    starts list = {0};
    if ((rc = symbol_starts(ctx, &list)))
        return rc;
    if (list.count > 1)
        qsort(list.items, list.count, sizeof(fn_start), compare_start);
    if ((rc = reference_starts(ctx, &list)))
        return rc;
    /* Sections without function symbols start a function at slot 0. */
    for (uint32_t i = 1; i < ctx->sec_count; i++)
        if (ctx->secs[i].code && !ctx->secs[i].code->has_func_syms && (rc = push(ctx, &list, (fn_start){.sec = i})))
            return rc;
    if (list.count > 1)
        qsort(list.items, list.count, sizeof(fn_start), compare_start);

    for (size_t k = 0; k < list.count;) {
        size_t end = k;
        while (end < list.count && list.items[end].sec == list.items[k].sec)
            end++;
        if ((rc = build_table(ctx, list.items[k].sec, list.items + k, end - k)))
            return rc;
        k = end;
    }
    return 0;
}

elf_fn *elf_code_fn_at(const elf_code *code, uint32_t slot)
{
    uint32_t lo = 0, hi = code->fn_count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (code->fns[mid].start <= slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || slot >= code->fns[lo - 1].end)
        return NULL;
    return &code->fns[lo - 1];
}
