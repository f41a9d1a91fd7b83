/*
 * elf_programs.c - which functions are programs. In every code section each global function is one
 * (several per section are fine); a section other than .text without global functions makes each of
 * its functions one; a section without any function symbol (old compilers) is one program named after
 * the section. Functions of .text are programs when global (static ones are only sub-programs); a
 * .text without function symbols is one program named ".text". Every program gets its type from its
 * section name, then its code (elf_link.c).
 */
#include "elf/elf_int.h"

#include <errno.h>
#include <string.h>

static bool is_entry(const elf_code *code, const elf_fn *fn, bool text, bool any_global)
{
    if (!code->has_func_syms)
        return fn->start == 0 && fn->name == NULL;
    if (!fn->name)
        return false;
    return fn->global || (!text && !any_global);
}

static int add_program(elf_ctx *ctx, uint32_t sec_index, elf_fn *fn)
{
    elf_object *obj = ctx->obj;
    const elf_sec *sec = &ctx->secs[sec_index];
    if (obj->prog_count >= ELF_MAX_PROGRAMS)
        return diag_fail_errno(ctx->diag, -E2BIG, -1, "more than %u programs", ELF_MAX_PROGRAMS);
    if (!elf_arena_grow(ctx->arena, (void **)&obj->progs, obj->prog_count, &ctx->prog_cap, sizeof(elf_program)))
        return elf_nomem(ctx, "the program list");
    uint32_t index = (uint32_t)obj->prog_count++;
    elf_program *prog = &obj->progs[index];
    prog->section = sec->name;
    prog->name = fn->name ? fn->name : sec->name;
    elf_section_prog_type(sec->name, &prog->type, &prog->attach_type, &prog->attach_target);
    fn->program = (int32_t)index;
    return 0;
}

int elf_find_programs(elf_ctx *ctx)
{
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        elf_code *code = ctx->secs[i].code;
        if (!code)
            continue;
        bool text = strcmp(ctx->secs[i].name, ".text") == 0, any_global = false;
        for (uint32_t f = 0; f < code->fn_count; f++)
            any_global |= code->fns[f].name && code->fns[f].global;
        for (uint32_t f = 0; f < code->fn_count; f++) {
            if (!is_entry(code, &code->fns[f], text, any_global))
                continue;
            int rc = add_program(ctx, i, &code->fns[f]);
            if (rc)
                return rc;
        }
    }
    /* Link after all programs are known: the program list does not move any more. */
    for (uint32_t i = 1; i < ctx->sec_count; i++) {
        elf_code *code = ctx->secs[i].code;
        for (uint32_t f = 0; code && f < code->fn_count; f++) {
            if (code->fns[f].program < 0)
                continue;
            int rc = elf_link_program(ctx, (uint32_t)code->fns[f].program, i, &code->fns[f]);
            if (rc)
                return rc;
        }
    }
    return 0;
}
